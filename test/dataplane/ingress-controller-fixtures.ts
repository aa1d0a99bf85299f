/** Test helpers for the ingress controller model: manifests, real certificates, endpoints. */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IngressController } from '../../src/dataplane/ingress/controller';
import { IngressControllerOptions } from '../../src/dataplane/ingress/types';
import { HttpRequest as IngressHttpRequest, RouteResult as IngressRouteResult } from '../../src/dataplane/routing/engine';
import { UpstreamEndpoint as IngressEndpoint } from '../../src/dataplane/routing/ir';

export interface Pem {
  readonly crt: string;
  readonly key: string;
}

const cache = new Map<string, Pem>();

/** A self-signed EC certificate made by openssl, with the given CN and DNS subjectAltNames. */
export function makeCert(cn: string, dnsNames: readonly string[]): Pem {
  const id = `${cn}|${dnsNames.join(',')}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'ingress-cert-'));
  try {
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-days', '3650', '-subj', `/CN=${cn}`];
    if (dnsNames.length) args.push('-addext', `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}`);
    execFileSync('openssl', args, { stdio: 'pipe' });
    const pem = { crt: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
    cache.set(id, pem);
    return pem;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function tlsSecret(namespace: string, name: string, pem: Pem): any {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name, namespace },
    data: { 'tls.crt': Buffer.from(pem.crt).toString('base64'), 'tls.key': Buffer.from(pem.key).toString('base64') },
  };
}

export function service(namespace: string, name: string, ports: Array<{ port: number; name?: string; targetPort?: number | string }>): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type: 'ClusterIP', ports: ports.map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })) },
  };
}

export function ingressClass(name: string, controller: string, isDefault = false): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  };
}

/** A backend `{ service: { name, port } }` by port number or name. */
export function backend(name: string, port: number | string): any {
  return { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

export interface PathSpec {
  readonly path: string;
  readonly pathType: string;
  readonly service: string;
  readonly port?: number | string;
}

export function ingress(namespace: string, name: string, spec: {
  className?: string;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  rules?: Array<{ host?: string; paths: PathSpec[] }>;
  defaultBackend?: { service: string; port: number | string };
  tls?: Array<{ hosts?: string[]; secretName?: string }>;
}): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace,
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
      ...(spec.creationTimestamp ? { creationTimestamp: spec.creationTimestamp } : {}),
    },
    spec: {
      ...(spec.className ? { ingressClassName: spec.className } : {}),
      ...(spec.defaultBackend ? { defaultBackend: backend(spec.defaultBackend.service, spec.defaultBackend.port) } : {}),
      ...(spec.rules ? {
        rules: spec.rules.map((r) => ({
          ...(r.host ? { host: r.host } : {}),
          http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backend(p.service, p.port ?? 8080) })) },
        })),
      } : {}),
      ...(spec.tls ? { tls: spec.tls } : {}),
    },
  };
}

/**
 * A controller over these objects where every Service port has one ready endpoint per
 * `endpointsPerService` (pods `<ns>/<svc>-<i>`), except Services listed in `noEndpoints`.
 */
export function controllerOf(
  objects: readonly any[], options: IngressControllerOptions = {}, noEndpoints: readonly string[] = [],
): IngressController {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const endpoints = (namespace: string, svc: string, port: { targetPort: string }): IngressEndpoint[] => {
    if (noEndpoints.includes(`${namespace}/${svc}`)) return [];
    const target = Number(port.targetPort) || 8080;
    return [0, 1].map((i) => ({ ip: `10.244.${i}.${10 + (svc.length % 200)}`, port: target, pod: `${namespace}/${svc}-${i}` }));
  };
  return IngressController.compile({
    ingresses: of('Ingress'),
    ingressClasses: of('IngressClass'),
    secrets: of('Secret'),
    services: of('Service'),
    endpoints,
  }, options);
}

/** Sends `METHOD url` (with an optional Host header and SNI) to the controller. */
export function send(ctl: IngressController, url: string, opts: { method?: string; host?: string; sni?: string | null } = {}): IngressRouteResult {
  const u = new URL(url);
  const scheme = u.protocol.replace(':', '');
  const authority = u.host;
  const req: IngressHttpRequest = {
    scheme,
    host: opts.host ?? authority,
    path: u.pathname,
    query: u.search,
    method: opts.method ?? 'GET',
    ...(scheme === 'https' && opts.sni !== null ? { sni: opts.sni ?? u.hostname } : {}),
  };
  return ctl.route(req);
}
