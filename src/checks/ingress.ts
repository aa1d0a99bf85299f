import { CheckContext, finding, listText } from './context';
import type { InventoryObject } from '../dataplane/inventory';
import type { Diagnostic } from '../dataplane/types';

/** A host label no real rule names, for probing wildcard and host-less rules. */
const PROBE_LABEL = 'shadow-probe-7f3a';

function backendChecks(ctx: CheckContext, out: Diagnostic[]): void {
  const inventory = ctx.model.inventory;
  for (const b of ctx.backends) {
    const key = `${b.namespace}/${b.service}`;
    const svc = ctx.model.serviceByKey.get(key);
    const field = `${b.field}.service`;
    if (!svc) {
      const rejected = inventory.get(`Service/${key}`) !== undefined;
      out.push(finding('INGRESS_BACKEND_SERVICE_NOT_FOUND', b.ingress.ref, `${field}.name`,
        `backend Service ${key} ${rejected ? 'was rejected (see its own diagnostics)' : 'does not exist'}: requests routed here get 503`,
        rejected ? `fix Service ${key}` : `create Service ${b.service} in namespace ${b.namespace}, or point the backend at an existing one`));
      continue;
    }
    if (svc.type === 'ExternalName') {
      out.push(finding('INGRESS_BACKEND_EXTERNAL_NAME', b.ingress.ref, `${field}.name`,
        `backend Service ${key} is an ExternalName Service (${svc.externalName ?? 'no externalName'}): it has no endpoints; controllers that proxy to endpoints (ingress-nginx by default) cannot reach it, and others differ`,
        'point the backend at a Service with endpoints, or check your controller documents ExternalName backends'));
      continue;
    }
    if (b.port === undefined) continue;
    const found = typeof b.port === 'number' ? svc.ports.some((p) => p.port === b.port) : svc.ports.some((p) => p.name === b.port);
    if (!found) {
      const have = svc.ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port)));
      out.push(finding('INGRESS_BACKEND_PORT_NOT_FOUND', b.ingress.ref, `${field}.port.${typeof b.port === 'number' ? 'number' : 'name'}`,
        `Service ${key} has no port ${typeof b.port === 'number' ? b.port : `named "${b.port}"`} (it has ${have.length ? listText(have, 5) : 'no ports'}): requests routed here get 503`,
        'use one of the Service\'s port numbers or names (the Service port, not the targetPort)'));
    }
  }
}

function admissionChecks(ctx: CheckContext, out: Diagnostic[]): void {
  const classes = new Set(ctx.model.inventory.ofKind('networking.k8s.io/v1/IngressClass').map((c) => c.name));
  for (const ing of ctx.ingresses) {
    const className = ing.manifest.spec?.ingressClassName;
    if (typeof className === 'string' && classes.size > 0 && !classes.has(className)) {
      out.push(finding('INGRESS_CLASS_NOT_FOUND', ing.ref, 'spec.ingressClassName',
        `IngressClass ${className} does not exist (the manifests define ${listText([...classes].sort())}): no controller serves this Ingress`,
        `use one of the defined classes, or add IngressClass ${className}`));
      continue;
    }
    const status = ctx.ingress?.ingressStatus(`${ing.namespace}/${ing.name}`);
    if (status && !status.admitted) {
      out.push(finding('INGRESS_NOT_ADMITTED', ing.ref, 'spec.ingressClassName',
        `the modelled ingress controller (${ctx.ingress!.profile} profile${ctx.ingress!.controllerName ? `, ${ctx.ingress!.controllerName}` : ''}) does not serve it: ${status.reason ?? 'no reason given'}`,
        'set spec.ingressClassName to the class of the controller that should serve it'));
    }
  }
}

interface PathRule {
  readonly ing: InventoryObject;
  readonly field: string;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
}

/** Request paths a rule matches by itself: the path, and for prefixes a path below it. */
function probes(rule: PathRule): string[] {
  if (rule.pathType === 'Exact') return [rule.path];
  const base = rule.path.endsWith('/') ? rule.path : `${rule.path}/`;
  return [rule.path, `${base}${PROBE_LABEL}`];
}

/** Prefix semantics compare paths element by element, ignoring a trailing slash: `/api` and `/api/` are one path. */
function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function probeHost(host: string): string {
  if (host === '') return `${PROBE_LABEL}.invalid`;
  return host.startsWith('*.') ? `${PROBE_LABEL}${host.slice(1)}` : host;
}

/**
 * Shadowing, with the active profile's semantics (IngressController.locate): a path is shadowed
 * when every request it matches by itself is answered by another Ingress — the same host+path in
 * an older Ingress (ingress-nginx keeps the oldest; the portable profile keeps the first), or a
 * rule that wins by the controller's ordering (ingress-nginx regex locations, exact server over
 * wildcard server).
 */
function shadowChecks(ctx: CheckContext, out: Diagnostic[]): void {
  const controller = ctx.ingress;
  if (!controller) return;
  const order = controller.ingressKeys();
  const byKey = new Map(ctx.ingresses.map((i) => [`${i.namespace}/${i.name}`, i]));
  /** Prefix paths of the Ingresses seen so far, by host, keyed by the path without a trailing slash. */
  const prefixPaths = new Map<string, Map<string, { ingress: string; path: string }>>();
  for (const key of order) {
    const ing = byKey.get(key);
    if (!ing || !controller.ingressStatus(key).admitted) continue;
    const rules: any[] = Array.isArray(ing.manifest.spec?.rules) ? ing.manifest.spec.rules : [];
    rules.forEach((r, i) => {
      const host = typeof r?.host === 'string' ? r.host.toLowerCase() : '';
      (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: any, j: number) => {
        if (!p?.backend?.service) return;
        const rule: PathRule = {
          ing,
          field: `spec.rules[${i}].http.paths[${j}]`,
          host,
          path: p.path || '/',
          pathType: p.pathType === 'ImplementationSpecific' ? 'Prefix' : p.pathType ?? 'Prefix',
        };
        const where = `${host || '(any host)'}${rule.path}`;
        if (rule.pathType === 'Prefix') {
          // `/api` and `/api/` are one Prefix path, however the controller then splits the traffic between them.
          const seen = prefixPaths.get(host) ?? new Map<string, { ingress: string; path: string }>();
          prefixPaths.set(host, seen);
          const trimmed = withoutTrailingSlash(rule.path);
          const earlier = seen.get(trimmed);
          if (!earlier) seen.set(trimmed, { ingress: key, path: rule.path });
          if (earlier && earlier.ingress !== key && earlier.path !== rule.path) {
            const how = controller.profile === 'nginx' ? `; ingress-nginx renders both as nginx location ${trimmed}/, which nginx accepts only once` : '';
            out.push(finding('INGRESS_PATH_CONFLICT', ing.ref, rule.field,
              `${where} (${p.pathType ?? 'no pathType'}) is also defined by Ingress ${earlier.ingress} as ${earlier.path}, the same path under Prefix matching${how}`,
              'remove the path from one of the two Ingresses (or give it a different host)'));
            return;
          }
        }
        const winners = probes(rule).map((path) => controller.locate(probeHost(host), path));
        if (winners.some((w) => w === undefined || w.ingress === key)) return;
        const w = winners[0]!;
        if (w.shadowed.includes(key) || (w.path === rule.path && w.pathType === rule.pathType)) {
          out.push(finding('INGRESS_PATH_CONFLICT', ing.ref, rule.field,
            `${where} (${p.pathType}) is also defined by Ingress ${w.ingress}, which was created first and receives all its traffic`,
            'remove the path from one of the two Ingresses (or give it a different host)'));
        } else {
          out.push(finding('INGRESS_PATH_SHADOWED', ing.ref, rule.field,
            `${where} (${p.pathType}) never receives traffic: ${w.rule} of Ingress ${w.ingress} answers every request it matches (${controller.profile} profile)`,
            'make the paths distinct, or merge the rules into one Ingress'));
        }
      });
    });
  }
}

/** Ingress backends, classes and admission, and paths that never receive traffic. */
export function checkIngresses(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  admissionChecks(ctx, out);
  backendChecks(ctx, out);
  shadowChecks(ctx, out);
  return out;
}
