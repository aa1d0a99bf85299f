/**
 * The Gateway API conformance suite's base setup restated for the model (after
 * kubernetes-sigs/gateway-api v1.6.1 conformance/base/manifests.yaml): three namespaces, the
 * Gateways same-namespace / all-namespaces / backend-namespaces / same-namespace-with-https-listener,
 * and the infra, app and web backends (Service port 8080 → 3000; infra-backend-v1 also 8081 → 3001
 * with appProtocol kubernetes.io/h2c and 8082 → 3000 with kubernetes.io/ws).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BackendBehavior, Cluster, RequestResult } from '../../src';
import { deployment } from '../dataplane/fixtures';
import { makeCert, tlsSecret } from '../dataplane/ingress-controller-fixtures';

export const NS = 'gateway-conformance-infra';
export const APP_NS = 'gateway-conformance-app-backend';
export const WEB_NS = 'gateway-conformance-web-backend';
export const CONTROLLER = 'example.com/gateway-controller';
const V1 = 'gateway.networking.k8s.io/v1';

export function namespace(name: string, labels: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function gateway(name: string, listeners: any[], extra: any = {}, ns = NS): any {
  return { apiVersion: V1, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName: 'conformance', listeners, ...extra } };
}

export function httpRoute(name: string, spec: any, ns = NS): any {
  return { apiVersion: V1, kind: 'HTTPRoute', metadata: { name, namespace: ns }, spec };
}

export function referenceGrant(name: string, ns: string, from: any[], to: any[]): any {
  return { apiVersion: V1, kind: 'ReferenceGrant', metadata: { name, namespace: ns }, spec: { from, to } };
}

export const http = (name = 'http', extra: any = {}) => ({ name, port: 80, protocol: 'HTTP', ...extra });
export const https = (name: string, extra: any = {}) => ({
  name,
  port: 443,
  protocol: 'HTTPS',
  allowedRoutes: { namespaces: { from: 'Same' } },
  tls: { certificateRefs: [{ group: '', kind: 'Secret', name: 'tls-validity-checks-certificate', namespace: NS }] },
  ...extra,
});

function backend(ns: string, name: string, extraPorts: any[] = []): any[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { selector: { app: name }, ports: [{ name: 'first-port', protocol: 'TCP', port: 8080, targetPort: 3000 }, ...extraPorts] },
    },
    deployment(ns, name, { ports: [{ name: 'http', containerPort: 3000 }] }),
  ];
}

export function baseManifests(): any[] {
  const cert = makeCert('gateway-conformance', ['example.org', 'second-example.org', '*.wildcard.org', 'fourth-example.wildcard.org']);
  return [
    namespace(NS, { 'gateway-conformance': 'infra' }),
    namespace(APP_NS, { 'gateway-conformance': 'backend' }),
    namespace(WEB_NS, { 'gateway-conformance': 'backend' }),
    { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'conformance' }, spec: { controllerName: CONTROLLER } },
    gateway('same-namespace', [http('http', { allowedRoutes: { namespaces: { from: 'Same' } } })]),
    gateway('same-namespace-with-https-listener', [
      https('https'),
      https('https-with-hostname', { hostname: 'second-example.org' }),
      https('https-with-wildcard-hostname', { hostname: '*.wildcard.org' }),
      https('https-with-hostname-matching-wildcard', { hostname: 'fourth-example.wildcard.org' }),
    ]),
    gateway('all-namespaces', [http('http', { allowedRoutes: { namespaces: { from: 'All' } } })]),
    gateway('backend-namespaces', [http('http', { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-conformance': 'backend' } } } } })]),
    tlsSecret(NS, 'tls-validity-checks-certificate', cert),
    ...backend(NS, 'infra-backend-v1', [
      { name: 'second-port', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c', port: 8081, targetPort: 3001 },
      { name: 'third-port', protocol: 'TCP', appProtocol: 'kubernetes.io/ws', port: 8082, targetPort: 3000 },
    ]),
    ...backend(NS, 'infra-backend-v2'), ...backend(NS, 'infra-backend-v3'),
    ...backend(APP_NS, 'app-backend-v1'), ...backend(APP_NS, 'app-backend-v2'),
    ...backend(WEB_NS, 'web-backend'),
  ];
}

export function conformanceCluster(...extra: any[]): Cluster {
  return Cluster.fromManifests([...baseManifests(), ...extra], { gatewayController: { controllerName: CONTROLLER }, seed: 7 });
}

export interface Send {
  readonly path?: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly scheme?: 'http' | 'https';
  readonly port?: number;
  readonly sni?: string;
  readonly protocol?: string;
  readonly clientCertificate?: string;
  readonly backend?: BackendBehavior;
}

/** One request through Gateway `name` of the infra namespace, as the suite's roundtripper sends it. */
export function send(c: Cluster, gw: string, r: Send = {}): RequestResult {
  const scheme = r.scheme ?? 'http';
  const address = c.gatewayStatus(`${NS}/${gw}`).address ?? '198.51.100.1';
  const host = r.host ?? address;
  const port = r.port !== undefined && !host.includes(':') ? `:${r.port}` : '';
  return c.request({
    url: `${scheme}://${host}${port}${r.path ?? '/'}`,
    gateway: `${NS}/${gw}`,
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.method ? { method: r.method } : {}),
    ...(r.sni ? { sni: r.sni } : {}),
    ...(r.protocol ? { protocol: r.protocol } : {}),
    ...(r.clientCertificate ? { clientCertificate: r.clientCertificate } : {}),
    ...(r.backend ? { backend: r.backend } : {}),
  });
}

/** `namespace/name` of a backend Service, e.g. `infra('v1')`. */
export const infra = (v: string) => `${NS}/infra-backend-${v}`;

/** A header the pod received, by case-insensitive name. */
export function upstreamHeader(r: RequestResult, name: string): string | undefined {
  return Object.entries(r.upstream?.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** A response header the client received, by case-insensitive name. */
export function responseHeader(r: RequestResult, name: string): string | undefined {
  return Object.entries(r.responseHeaders ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** A CA and a client certificate it signed (what the suite's tls-validity-checks-*client-certificate Secrets hold). */
export interface ClientPki {
  readonly caCrt: string;
  readonly clientCrt: string;
}

const pkiCache = new Map<string, ClientPki>();

/** Makes (once per name) a self-signed CA and a client certificate signed by it, with openssl. */
export function makeClientPki(name: string): ClientPki {
  const hit = pkiCache.get(name);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'client-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', `/CN=${name}-ca`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    run(['req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', `/CN=${name}-client`]);
    run(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '1', '-days', '3650', '-out', 'client.crt']);
    const pki = { caCrt: readFileSync(join(dir, 'ca.crt'), 'utf8'), clientCrt: readFileSync(join(dir, 'client.crt'), 'utf8') };
    pkiCache.set(name, pki);
    return pki;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A ConfigMap holding a CA bundle under `ca.crt`, as caCertificateRefs name it. */
export function caConfigMap(name: string, caCrt: string, ns = NS): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { 'ca.crt': caCrt } };
}
