/**
 * Ingress → Gateway API (v1, standard channel): the Gateways, HTTPRoutes and ReferenceGrants
 * that replace the Ingresses an ingress controller serves, emulating ingress-nginx where Gateway
 * API can express it and saying what it cannot carry over instead of dropping it. Whether the
 * result routes the same is for compareRouting to show, request by request.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IngressBackendView, IngressView, readIngress, readIngressClass } from '../api/ingress-reader';
import { isDns1123Subdomain } from '../api/names';
import { isPlainObject } from '../api/values';
import { admit, chooseIdentity, creationOrder, indexClasses } from '../dataplane/ingress/admission';
import { NginxAnnotations, NGINX_ANNOTATION_PREFIX, NginxCanary, parseGoBool, parseNginxAnnotations, parseNginxCanary } from '../dataplane/ingress/nginx-annotations';
import { IngressControllerOptions, PROFILE_NGINX } from '../dataplane/ingress/types';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const GATEWAY_API_BETA = 'gateway.networking.k8s.io/v1beta1';
const HTTP_LISTENER = 'http';

/** Options of `migrateIngresses`. */
export interface MigrationOptions {
  /** The `gatewayClassName` of the Gateways (the GatewayClass of the Gateway API controller that replaces the ingress controller). */
  readonly gatewayClassName: string;
  /**
   * The ingress controller being replaced: which Ingresses it serves and with what semantics.
   * @default - as the model chooses from the manifests' IngressClasses
   */
  readonly ingressController?: IngressControllerOptions;
}

/** Something of an Ingress the conversion cannot carry over exactly. */
export interface MigrationNote {
  /** `Ingress/namespace/name`. */
  readonly object: string;
  /** What is not carried over, e.g. `case-insensitive regex`. */
  readonly feature: string;
  readonly message: string;
}

/** The Gateway API manifests, and what they do not carry over. */
export interface MigrationResult {
  /** Gateways, HTTPRoutes and ReferenceGrants, as plain manifest objects. */
  readonly manifests: any[];
  readonly notes: MigrationNote[];
}

/** A name part from a host: `*.shop.example.com` → `wildcard-shop-example-com`. */
function slug(text: string): string {
  return text.replace(/^\*\./, 'wildcard.').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'any';
}

/** An object name (a DNS label-like slug, at most 253 characters) from parts. */
function objectName(...parts: string[]): string {
  return slug(parts.filter(Boolean).join('-')).slice(0, 253).replace(/-+$/, '');
}

interface ServiceIndex {
  /** The Service port a backend's port (number or name) means, by ingress-nginx's rule (number, targetPort or name) or the spec's. */
  port(namespace: string, backend: IngressBackendView, nginx: boolean): number | undefined;
}

function indexServices(objects: readonly any[]): ServiceIndex {
  const byKey = new Map<string, any[]>();
  for (const o of objects) {
    if (o?.kind !== 'Service' || o?.apiVersion !== 'v1') continue;
    byKey.set(`${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`, Array.isArray(o.spec?.ports) ? o.spec.ports : []);
  }
  return {
    port(namespace, backend, nginx) {
      const ports = byKey.get(`${namespace}/${backend.service}`) ?? [];
      const wanted = backend.port;
      const text = String(wanted);
      const found = ports.find((p) => (nginx
        ? String(p.port) === text || String(p.targetPort ?? p.port) === text || p.name === text
        : typeof wanted === 'number' ? p.port === wanted : p.name === wanted));
      return typeof found?.port === 'number' ? found.port : typeof wanted === 'number' ? wanted : undefined;
    },
  };
}

/** One Gateway (per IngressClass, in the namespace of its first Ingress) being built. */
interface GatewayDraft {
  readonly name: string;
  readonly namespace: string;
  readonly listeners: any[];
  readonly namespaces: Set<string>;
}

/**
 * Converts the Ingresses of `objects` that the modelled ingress controller serves into Gateway API
 * objects: one Gateway per IngressClass (an HTTP listener on 80 and an HTTPS listener per TLS host
 * with its certificate), one HTTPRoute per Ingress and host, a ReferenceGrant where a listener
 * uses a Secret of another namespace. ingress-nginx behaviours are emulated where Gateway API can
 * express them: ssl-redirect (a 308 redirect route on the HTTP listener), the 301 to a
 * `/`-terminated Prefix path, app-root, permanent and temporal redirects, rewrite-target without
 * captures, upstream-vhost, a rule Ingress's defaultBackend for its own hosts.
 */
export function migrateIngresses(objects: readonly any[], options: MigrationOptions): MigrationResult {
  if (!Array.isArray(objects)) throw new Error(`migrateIngresses: expected a list of manifest objects, got ${objects === null ? 'null' : typeof objects}`);
  const className = options?.gatewayClassName;
  if (typeof className !== 'string' || isDns1123Subdomain(className).length) {
    throw new Error(`migrateIngresses: gatewayClassName must be a DNS subdomain (a GatewayClass name), got ${JSON.stringify(className)}`);
  }
  const plain = objects.filter(isPlainObject);
  const ingresses = plain.filter((o) => o.apiVersion === 'networking.k8s.io/v1' && o.kind === 'Ingress').map(readIngress);
  const classes = indexClasses(plain.filter((o) => o.apiVersion === 'networking.k8s.io/v1' && o.kind === 'IngressClass').map(readIngressClass));
  const controllerOptions = options.ingressController ?? {};
  const identity = chooseIdentity(ingresses, classes, controllerOptions);
  const nginx = identity.profile === PROFILE_NGINX;
  const services = indexServices(plain);
  const notes: MigrationNote[] = [];
  const canaries = nginx ? canariesByPath(ingresses, classes, controllerOptions, identity) : new Map<string, CanaryPath>();
  const canaryIngresses: IngressView[] = [];
  const gateways = new Map<string, GatewayDraft>();
  const routes: any[] = [];
  const grants = new Map<string, any>();

  for (const ing of creationOrder(ingresses)) {
    const status = admit(ing, classes, controllerOptions, identity);
    if (!status.admitted) continue;
    const object = `Ingress/${ing.key}`;
    const ctx: IngressContext = { ing, object, services, nginx, notes, canaries };
    const cls = ing.ingressClassName ?? ing.classAnnotation ?? classes.defaults[0]?.name ?? identity.className ?? 'default';
    let gw = gateways.get(cls);
    if (!gw) {
      gw = { name: objectName(cls), namespace: ing.namespace, listeners: [{ name: HTTP_LISTENER, port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }], namespaces: new Set() };
      gateways.set(cls, gw);
    }
    gw.namespaces.add(ing.namespace);
    const anns = nginx ? parseNginxAnnotations(ing.annotations, controllerOptions.sslRedirect ?? true) : undefined;
    if (nginx && parseGoBool(ing.annotations[`${NGINX_ANNOTATION_PREFIX}canary`] ?? '') === true) {
      canaryIngresses.push(ing);
      continue;
    }
    noteUnsupportedAnnotations(ing, object, notes);
    const tlsHosts = new Map<string, string>();
    for (const tls of ing.tls) {
      if (tls.secretName === undefined) continue;
      for (const host of tls.hosts.length ? tls.hosts : ing.rules.map((r) => r.host).filter(Boolean)) {
        if (!tlsHosts.has(host)) tlsHosts.set(host, tls.secretName);
      }
    }
    for (const [host, secret] of tlsHosts) {
      const listener = `https-${slug(host)}`.slice(0, 253);
      if (!gw.listeners.some((l) => l.name === listener)) {
        gw.listeners.push({
          name: listener,
          hostname: host,
          port: 443,
          protocol: 'HTTPS',
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: secret, ...(ing.namespace !== gw.namespace ? { namespace: ing.namespace } : {}) }] },
          allowedRoutes: { namespaces: { from: 'Same' } },
        });
      }
      if (ing.namespace !== gw.namespace) {
        grants.set(`${ing.namespace}/${gw.namespace}`, {
          apiVersion: GATEWAY_API_BETA,
          kind: 'ReferenceGrant',
          metadata: { name: objectName('allow-gateway', gw.namespace, gw.name), namespace: ing.namespace },
          spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gw.namespace }], to: [{ group: '', kind: 'Secret' }] },
        });
      }
    }
    const hosts = [...new Set(ing.rules.map((r) => r.host))];
    for (const host of hosts) {
      const paths = ing.rules.filter((r) => r.host === host).flatMap((r) => r.paths);
      const https = tlsHosts.has(host) ? `https-${slug(host)}`.slice(0, 253) : undefined;
      // ingress-nginx redirects HTTP to HTTPS for hosts with a certificate (ssl-redirect) or always (force-ssl-redirect).
      const redirected = anns !== undefined && (anns.forceSslRedirect || (anns.sslRedirect && https !== undefined));
      const parents = [
        ...(https ? [parentRef(gw, ing, https)] : []),
        ...(redirected ? [] : [parentRef(gw, ing, HTTP_LISTENER)]),
      ];
      const base = objectName(ing.name, host ? slug(host) : 'any-host');
      const rules = rulesFor(ctx, paths, anns);
      routes.push(route(base, ing, host, parents, rules));
      if (redirected) {
        const toHttps = (path?: string) => ({ type: 'RequestRedirect', requestRedirect: { scheme: 'https', ...(path ? { path: { type: 'ReplaceFullPath', replaceFullPath: path } } : {}), statusCode: 308 } });
        // ingress-nginx drops one trailing slash from the redirected URI: emulated for the paths the Ingress names.
        const slashed = anns.preserveTrailingSlash ? [] : [...new Set(paths.map((p) => p.path).filter((p) => p.length > 1 && p.endsWith('/')))];
        // nginx's own 301 to a `/`-terminated prefix location answers before the ssl-redirect.
        const slashRedirects = rules.filter((r) => r.filters?.[0]?.requestRedirect?.statusCode === 301 && r.matches?.[0]?.path?.type === 'Exact');
        routes.push(route(`${base}-redirect`.slice(0, 253), ing, host, [parentRef(gw, ing, HTTP_LISTENER)], [
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [toHttps()] },
          ...slashed.map((p) => ({ matches: [{ path: { type: 'Exact', value: p } }], filters: [toHttps(p.slice(0, -1))] })),
          ...slashRedirects,
        ]));
        if (!anns.preserveTrailingSlash) {
          notes.push({ object, feature: 'ssl-redirect trailing slash', message: `ingress-nginx drops a trailing slash when it redirects HTTP to HTTPS; the redirect route does so only for ${slashed.length ? slashed.join(', ') : 'no path'}` });
        }
      }
      if (nginx && https === undefined) {
        notes.push({ object, feature: 'default certificate', message: `ingress-nginx also answers HTTPS for ${host || 'any host'} with its default certificate; the Gateway has no HTTPS listener for it` });
      }
    }
    if (ing.rules.length === 0 && ing.defaultBackend?.service !== undefined) {
      routes.push(route(objectName(ing.name, 'default-backend'), ing, '', [parentRef(gw, ing, HTTP_LISTENER)], [{
        backendRefs: [backendRef(ctx, ing.defaultBackend)],
      }]));
      notes.push({ object, feature: 'default backend scope', message: 'a host-less HTTPRoute also answers unmatched paths of hosts that have their own routes; ingress-nginx answers those from each host\'s server (404)' });
    }
  }

  for (const ing of canaryIngresses) {
    const merged = [...canaries.values()].some((c) => c.ing === ing && c.used);
    notes.push({
      object: `Ingress/${ing.key}`,
      feature: 'canary',
      message: merged ? 'a canary Ingress: its weight and header rules are converted into the main Ingress\'s HTTPRoute rules (a canary-by-cookie is not)'
        : 'a canary Ingress only adds weighted backends to another Ingress\'s paths; no converted path of another Ingress has its host, path and type, so it is not converted',
    });
  }

  const gatewayObjects = [...gateways.values()].map((gw) => {
    const from = gw.namespaces.size > 1 ? 'All' : 'Same';
    return {
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: { name: gw.name, namespace: gw.namespace },
      spec: { gatewayClassName: className, listeners: gw.listeners.map((l) => ({ ...l, allowedRoutes: { namespaces: { from } } })) },
    };
  });
  return { manifests: [...gatewayObjects, ...routes, ...grants.values()], notes };
}

/** A parentRef to one listener of a Gateway, from a route in the Ingress's namespace. */
function parentRef(gw: GatewayDraft, ing: IngressView, sectionName: string): any {
  return { name: gw.name, ...(ing.namespace !== gw.namespace ? { namespace: gw.namespace } : {}), sectionName };
}

function route(name: string, ing: IngressView, host: string, parentRefs: any[], rules: any[]): any {
  return {
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: { name, namespace: ing.namespace },
    spec: { parentRefs, ...(host ? { hostnames: [host] } : {}), rules },
  };
}

/** What converting one Ingress reads and where its notes go. */
interface IngressContext {
  readonly ing: IngressView;
  readonly object: string;
  readonly services: ServiceIndex;
  readonly nginx: boolean;
  readonly notes: MigrationNote[];
  /** Canary paths by `namespace|host|path|pathType`. */
  readonly canaries: ReadonlyMap<string, CanaryPath>;
}

/** A canary Ingress path, to be merged into the main Ingress's rule of the same host, path and type. */
interface CanaryPath {
  readonly ing: IngressView;
  readonly canary: NginxCanary;
  readonly backend: IngressBackendView;
  /** Set once a main Ingress's rule took it. */
  used: boolean;
}

const canaryKey = (namespace: string, host: string, path: string, pathType: string) => `${namespace}|${host}|${path}|${pathType}`;
const nginxPathType = (pathType: string | undefined) => (pathType === 'Exact' ? 'Exact' : 'Prefix');

/** The admitted canary Ingresses' paths; the first canary (creation order) for a path wins, as the balancer uses only one. */
function canariesByPath(
  ingresses: readonly IngressView[], classes: ReturnType<typeof indexClasses>, options: IngressControllerOptions,
  identity: ReturnType<typeof chooseIdentity>,
): Map<string, CanaryPath> {
  const out = new Map<string, CanaryPath>();
  for (const ing of creationOrder(ingresses)) {
    if (!admit(ing, classes, options, identity).admitted) continue;
    const canary = parseNginxCanary(ing.annotations, []);
    if (!canary) continue;
    for (const rule of ing.rules) {
      for (const p of rule.paths) {
        const key = canaryKey(ing.namespace, rule.host, p.path, nginxPathType(p.pathType));
        if (p.backend.service !== undefined && !out.has(key)) out.set(key, { ing, canary, backend: p.backend, used: false });
      }
    }
  }
  return out;
}

/**
 * A canary as HTTPRoute rules: canary-by-header as header matches (Gateway API precedence puts
 * them before the path-only rule), canary-weight as backendRef weights on the main rule.
 */
function canaryRules(ctx: IngressContext, c: CanaryPath, match: any, main: any): { headerRules: any[]; backendRefs: any[] } {
  const canary = c.canary;
  const headerRules: any[] = [];
  const header = (value: string, type: string, backend: any) => ({
    matches: [{ ...match, headers: [{ type, name: canary.header, value }] }],
    backendRefs: [backend],
  });
  const canaryRef = backendRef(ctx, c.backend);
  if (canary.header !== '') {
    if (canary.headerValue !== '') headerRules.push(header(canary.headerValue, 'Exact', canaryRef));
    else if (canary.headerPattern !== '') headerRules.push(header(canary.headerPattern, 'RegularExpression', canaryRef));
    else headerRules.push(header('always', 'Exact', canaryRef), header('never', 'Exact', main));
  }
  if (canary.cookie !== '') {
    ctx.notes.push({ object: `Ingress/${c.ing.key}`, feature: 'canary-by-cookie', message: `canary-by-cookie ${canary.cookie} has no Gateway API match (no cookie matches); not converted` });
  }
  const total = canary.weightTotal > 100 ? canary.weightTotal : 100;
  const weight = Math.min(Math.max(canary.weight, 0), total);
  const backendRefs = weight === 0 ? [main] : [{ ...main, weight: total - weight }, { ...canaryRef, weight }];
  return { headerRules, backendRefs };
}

function backendRef(ctx: IngressContext, backend: IngressBackendView): any {
  const { ing, object, notes } = ctx;
  const port = ctx.services.port(ing.namespace, backend, ctx.nginx);
  if (port === undefined) {
    notes.push({ object, feature: 'named backend port', message: `Service ${ing.namespace}/${backend.service} has no port ${JSON.stringify(backend.port)} in the manifests; the backendRef has no port` });
  }
  return { name: backend.service, ...(port !== undefined ? { port } : {}) };
}

/** The HTTPRoute rules of one host's paths, with ingress-nginx's annotations emulated where possible. */
function rulesFor(ctx: IngressContext, paths: IngressView['rules'][number]['paths'], anns: NginxAnnotations | undefined): any[] {
  const { ing, object, notes, nginx } = ctx;
  const rules: any[] = [];
  const regex = anns !== undefined && (anns.useRegex || anns.rewriteTarget !== '');
  if (regex) notes.push({ object, feature: 'case-insensitive regex', message: 'ingress-nginx matches these paths as case-insensitive regular expressions (~*); they become RegularExpression prefix matches, case-sensitive unless the implementation says otherwise' });
  const filters: any[] = [];
  if (anns?.redirectUrl) {
    const url = new URL(anns.redirectUrl);
    filters.push({
      type: 'RequestRedirect',
      requestRedirect: {
        scheme: url.protocol.replace(':', ''),
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: { type: 'ReplaceFullPath', replaceFullPath: url.pathname },
        statusCode: anns.redirectCode,
      },
    });
  } else {
    if (anns?.rewriteTarget) {
      if (/\$\d/.test(anns.rewriteTarget)) notes.push({ object, feature: 'rewrite-target capture groups', message: `rewrite-target ${anns.rewriteTarget} uses capture groups, which URLRewrite cannot express; the path is passed unchanged` });
      else filters.push({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: anns.rewriteTarget } } });
    }
    if (anns?.upstreamVhost) {
      const rewrite = filters.find((f) => f.type === 'URLRewrite');
      if (rewrite) rewrite.urlRewrite.hostname = anns.upstreamVhost;
      else filters.push({ type: 'URLRewrite', urlRewrite: { hostname: anns.upstreamVhost } });
    }
  }
  const redirect = filters.some((f) => f.type === 'RequestRedirect');
  for (const p of paths) {
    if (p.backend.service === undefined) {
      notes.push({ object, feature: 'resource backend', message: `${p.field}: a resource backend has no Gateway API equivalent; skipped` });
      continue;
    }
    const type = nginx && p.pathType !== 'Exact' && p.pathType !== 'Prefix' ? 'Prefix' : p.pathType ?? 'Prefix';
    const match = regex
      ? { path: { type: 'RegularExpression', value: `${p.path}.*` } }
      : { path: { type: type === 'Exact' ? 'Exact' : 'PathPrefix', value: p.path } };
    let backendRefs: any = redirect ? {} : { backendRefs: [backendRef(ctx, p.backend)] };
    const canary = redirect || !nginx ? undefined : ctx.canaries.get(canaryKey(ing.namespace, hostOf(ing, p), p.path, nginxPathType(p.pathType)));
    if (canary && canary.ing !== ing && canary.backend.service !== p.backend.service) {
      canary.used = true;
      const converted = canaryRules(ctx, canary, match, backendRefs.backendRefs[0]);
      for (const r of converted.headerRules) rules.push({ ...r, ...(filters.length ? { filters } : {}) });
      backendRefs = { backendRefs: converted.backendRefs };
    }
    rules.push({ matches: [match], ...(filters.length ? { filters } : {}), ...backendRefs });
    // ingress-nginx answers the slash-less form of a `/`-terminated prefix with its own 301.
    if (nginx && !regex && type !== 'Exact' && p.path.length > 1 && p.path.endsWith('/') && !paths.some((o) => o.path === p.path.slice(0, -1))) {
      rules.push({
        matches: [{ path: { type: 'Exact', value: p.path.slice(0, -1) } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: p.path }, statusCode: 301 } }],
      });
    }
  }
  if (anns?.appRoot) {
    rules.push({ matches: [{ path: { type: 'Exact', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: anns.appRoot }, statusCode: 302 } }] });
  }
  // A rule Ingress's defaultBackend answers its own hosts' unmatched paths.
  if (ing.defaultBackend?.service !== undefined) {
    rules.push({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [backendRef(ctx, ing.defaultBackend)] });
  }
  return rules;
}

const CONVERTED = new Set(['use-regex', 'rewrite-target', 'ssl-redirect', 'force-ssl-redirect', 'preserve-trailing-slash', 'app-root',
  'permanent-redirect', 'permanent-redirect-code', 'temporal-redirect', 'upstream-vhost', 'canary']);

/** Every other ingress-nginx annotation (auth, snippets, rate limits, CORS, …) is named, not dropped silently. */
function noteUnsupportedAnnotations(ing: IngressView, object: string, notes: MigrationNote[]): void {
  for (const key of Object.keys(ing.annotations)) {
    if (!key.startsWith(NGINX_ANNOTATION_PREFIX)) continue;
    const name = key.slice(NGINX_ANNOTATION_PREFIX.length);
    if (CONVERTED.has(name)) continue;
    if (name === 'affinity') {
      notes.push({ object, feature: name, message: `annotation ${key}: cookie affinity is not carried over (Gateway API sessionPersistence is experimental); requests spread over the endpoints` });
      continue;
    }
    notes.push({ object, feature: name, message: `annotation ${key} has no Gateway API equivalent here; not carried over` });
  }
}

/**
 * Adds the Gateway API objects that replace `source`'s Ingresses to `target` (as ApiObjects, so
 * `cdk8s synth` writes them), for apps that keep their migration in code. Returns the notes.
 */
export function migrateChart(source: Chart, target: Chart, options: MigrationOptions): MigrationNote[] {
  const { manifests, notes } = migrateIngresses(source.toJson(), options);
  for (const m of manifests) {
    new ApiObject(target, `${m.kind}-${m.metadata.namespace}-${m.metadata.name}`, m);
  }
  return notes;
}

/** The host of the rule holding path `p` of an Ingress. */
function hostOf(ing: IngressView, p: IngressView['rules'][number]['paths'][number]): string {
  return ing.rules.find((r) => r.paths.includes(p))?.host ?? '';
}
