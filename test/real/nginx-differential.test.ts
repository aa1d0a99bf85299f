/**
 * The differential tier: the nginx profile's answers against a real nginx.
 *
 * For each scenario the route table the nginx profile compiled is rendered into an nginx.conf
 * (render-nginx.ts: servers, listen with `ssl` and the chosen certificate, `=`/prefix/`~*`
 * locations, rewrite/return for annotations, proxy_pass to loopback echo servers that name their
 * backend in a header). One Debian `nginx` process serves every scenario on its own loopback
 * ports from a temporary prefix; the requests go over node's http/https clients (SNI set per
 * request), and the backend, status, Location, upstream path and Host, and the certificate nginx
 * presents must equal the model's answer. Where they differ the model is wrong, not this file.
 *
 * Out of this tier: everything ingress-nginx does in Lua — the HTTP→HTTPS ssl-redirect
 * (lua_ingress.lua redirect_to_https), canary routing and the balancer (balancer.lua): scenarios
 * compile with `sslRedirect: false` and no canary annotations, and a Service without endpoints is
 * not rendered (a missing Service stands for the balancer's 503 with an echo answering 503).
 * Certificates per SNI are rendered as the certificate.lua lookup the model makes, one per server.
 *
 * Needs no network. Without nginx it skips with a message, except on CI (`CI=true`), where a
 * missing nginx fails (`.ci/run` installs it with apt-get).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { X509Certificate } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { backendKey, renderNginxConf, renderServers } from './render-nginx';
import { buildSeedChart, SEED_HOST } from '../../examples/seed/app';
import { IngressController } from '../../src/dataplane/ingress/controller';
import { IngressControllerOptions } from '../../src/dataplane/ingress/types';
import { RouteRule, RouteTable, VirtualHost } from '../../src/dataplane/routing/ir';
import { controllerOf, ingress, makeCert, send, service, tlsSecret } from '../dataplane/ingress-controller-fixtures';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const FAKE_CERT = makeCert('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

interface Probe {
  readonly url: string;
  /** The request target exactly as sent, instead of the URL's (which a URL parser would normalise). */
  readonly rawPath?: string;
  /** The Host header, when not the URL's. */
  readonly host?: string;
  /** The SNI name (https), when not the URL's host; null sends none. */
  readonly sni?: string | null;
}

interface Scenario {
  readonly name: string;
  readonly objects: readonly any[];
  readonly options?: IngressControllerOptions;
  readonly probes: readonly Probe[];
}

/** What either side answered, in the fields both can observe. */
interface Observed {
  readonly status: number;
  readonly service?: string;
  readonly servicePort?: number;
  readonly location?: string;
  readonly upstreamPath?: string;
  readonly upstreamHost?: string;
  readonly tlsSecret?: string;
}

const svc = (name: string, port = 8080) => service('web', name, [{ port }]);
const paths = (host: string, list: Array<[string, string, string]>) => ({
  host,
  paths: list.map(([path, pathType, s]) => ({ path, pathType, service: s })),
});
const aPem = makeCert('a.test', ['a.test']);
const wPem = makeCert('*.w.test', ['*.w.test']);

const SCENARIOS: Scenario[] = [
  {
    name: 'the seed (examples/seed)',
    objects: Testing.synth(buildSeedChart(Testing.app())),
    probes: [
      { url: `https://${SEED_HOST}/api/orders` },
      { url: `https://${SEED_HOST}/api/` },
      { url: `https://${SEED_HOST}/api?page=2` },
      { url: `https://${SEED_HOST}/` },
      { url: `https://${SEED_HOST}/API/orders` },
      { url: `http://${SEED_HOST}/api/orders?x=1` },
      { url: `http://${SEED_HOST}/api` },
      { url: 'https://other.example/api/orders' },
      { url: `https://${SEED_HOST}/api/orders`, sni: null },
    ],
  },
  {
    name: 'one host: Prefix, Exact, ImplementationSpecific and slash-terminated paths',
    objects: [
      ...['root', 'foo', 'exact', 'slash', 'docs', 'app', 'admin'].map((s) => svc(s)),
      ingress('web', 'paths', {
        rules: [paths('x.test', [
          ['/', 'Prefix', 'root'], ['/foo', 'Prefix', 'foo'], ['/exact', 'Exact', 'exact'], ['/slash/', 'Exact', 'slash'],
          ['/docs/', 'Prefix', 'docs'], ['/app', 'ImplementationSpecific', 'app'], ['/app/admin', 'ImplementationSpecific', 'admin'],
        ])],
      }),
    ],
    probes: ['/foo', '/foo/', '/foo/bar', '/foobar', '/exact', '/exact/', '/slash', '/slash/', '/slash/x', '/docs', '/docs/x',
      '/app/admin/x', '/app/x', '/appx', '/APP/x', '/app?q=1', '//foo/x', '/fo%6F/x', '/docs%2Fx', '/exac%74', '/%66oo', '/doc%73']
      .map((p): Probe => ({ url: `http://x.test${p}` }))
      .concat(['/x/%2E%2E/foo/x', '/x/../exact', '/docs/./x?y=1', '/%2e%2e/foo', '/../foo', '/fo%zz', '/foo/%', '/slash/.', '/foo/x/..']
        .map((rawPath) => ({ url: 'http://x.test/', rawPath }))),
  },
  {
    name: 'Exact and Prefix of one path string spread over two Ingresses',
    objects: [
      svc('a'), svc('b'), svc('c'), svc('d'),
      ingress('web', 'prefix-first', { creationTimestamp: '2024-01-01T00:00:00Z', rules: [paths('x.test', [['/api', 'Prefix', 'a'], ['/x/', 'Exact', 'c']])] }),
      ingress('web', 'exact-later', { creationTimestamp: '2024-01-02T00:00:00Z', rules: [paths('x.test', [['/api', 'Exact', 'b'], ['/x', 'Prefix', 'd']])] }),
    ],
    probes: ['/api', '/api/', '/api/v1', '/x', '/x/', '/x/y'].map((p) => ({ url: `http://x.test${p}` })),
  },
  {
    name: 'use-regex on one Ingress: every location of its host is a case-insensitive regex',
    objects: [
      svc('v'), svc('docs'), svc('exact'), svc('any'), svc('api'),
      ingress('web', 'regex', {
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
        rules: [paths('x.test', [['/api/v[0-9]+', 'ImplementationSpecific', 'v']]), paths('r.test', [['/.*', 'ImplementationSpecific', 'any'], ['/api/.*', 'ImplementationSpecific', 'api']])],
      }),
      ingress('web', 'plain', {
        rules: [
          paths('x.test', [['/Docs', 'ImplementationSpecific', 'docs'], ['/exact', 'Exact', 'exact'], ['/v1.0', 'Prefix', 'api'], ['/c++', 'Prefix', 'any']]),
          paths('y.test', [['/Docs', 'Prefix', 'docs']]),
        ],
      }),
    ],
    probes: [
      { url: 'http://x.test/API/V2/items' }, { url: 'http://x.test/docs/x' }, { url: 'http://x.test/docsxyz' }, { url: 'http://x.test/exact/more' },
      { url: 'http://x.test/Docs' }, { url: 'http://y.test/docs/x' }, { url: 'http://y.test/Docs/x' }, { url: 'http://y.test/Docs' },
      { url: 'http://r.test/api/x' }, { url: 'http://r.test/web' },
      { url: 'http://x.test/v1.0/x' }, { url: 'http://x.test/v1x0/x' }, { url: 'http://x.test/c++/x' }, { url: 'http://x.test/ccc/x' },
    ],
  },
  {
    name: 'mixed Exact and Prefix over four Ingresses (e2e pathtype_mixed.go), and a regex host ordered as getBackendServers sorts',
    objects: [
      svc('exact-root'), svc('prefix-root'), svc('exact-foo'), svc('prefix-foo'), svc('plain'), svc('regex'),
      ingress('web', 'exact-root', { creationTimestamp: '2024-01-01T00:00:00Z', rules: [paths('mixed.path', [['/', 'Exact', 'exact-root']])] }),
      ingress('web', 'prefix-root', { creationTimestamp: '2024-01-02T00:00:00Z', rules: [paths('mixed.path', [['/', 'Prefix', 'prefix-root']])] }),
      ingress('web', 'exact-foo', { creationTimestamp: '2024-01-03T00:00:00Z', rules: [paths('mixed.path', [['/foo', 'Exact', 'exact-foo']])] }),
      ingress('web', 'prefix-foo', { creationTimestamp: '2024-01-04T00:00:00Z', rules: [paths('mixed.path', [['/foo', 'Prefix', 'prefix-foo']])] }),
      ingress('web', 'plain', { creationTimestamp: '2024-01-01T00:00:00Z', rules: [paths('order.test', [['/abc', 'Prefix', 'plain']]), paths('dup.test', [['/api', 'Prefix', 'plain']])] }),
      // Prefix /api and /api/ in regex mode: two ~* locations, which nginx accepts (it refuses only duplicate static ones).
      ingress('web', 'dup-later', { creationTimestamp: '2024-01-03T00:00:00Z', rules: [paths('dup.test', [['/api/', 'Prefix', 'exact-foo'], ['/r.*', 'Prefix', 'regex']])] }),
      ingress('web', 'regex', {
        creationTimestamp: '2024-01-02T00:00:00Z',
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
        rules: [paths('order.test', [['/a.c/', 'ImplementationSpecific', 'regex']]), paths('dup.test', [['/R.*', 'ImplementationSpecific', 'regex']])],
      }),
    ],
    probes: ['http://mixed.path/', 'http://mixed.path/bar', 'http://mixed.path/foo', 'http://mixed.path/foo/', 'http://mixed.path/foo/bar', 'http://mixed.path/foobar',
      'http://order.test/abc/x', 'http://order.test/ABC', 'http://order.test/abc', 'http://dup.test/api', 'http://dup.test/api/', 'http://dup.test/API/x',
      'http://dup.test/rx'].map((url) => ({ url })),
  },
  {
    name: 'servers and certificates: exact, one-label wildcard, catch-all; SNI picks the certificate, Host the server',
    objects: [
      svc('a'), svc('w'), svc('b'), svc('any'),
      tlsSecret('web', 'a-tls', aPem), tlsSecret('web', 'w-tls', wPem),
      ingress('web', 'a', { rules: [paths('a.test', [['/', 'Prefix', 'a']])], tls: [{ hosts: ['a.test'], secretName: 'a-tls' }] }),
      ingress('web', 'w', { rules: [paths('*.w.test', [['/', 'Prefix', 'w']])], tls: [{ hosts: ['*.w.test'], secretName: 'w-tls' }] }),
      ingress('web', 'b', { rules: [paths('b.test', [['/', 'Prefix', 'b']])] }),
      ingress('web', 'any', { rules: [{ paths: [{ path: '/any', pathType: 'Prefix', service: 'any' }] }] }),
    ],
    probes: [
      { url: 'https://a.test/x' }, { url: 'https://one.w.test/x' }, { url: 'https://a.b.w.test/x' }, { url: 'https://b.test/x' },
      { url: 'https://b.test/x', sni: 'a.test' }, { url: 'https://a.test/x', sni: null }, { url: 'http://A.TEST/x' },
      { url: 'http://a.test/x', host: 'a.test:8080' }, { url: 'http://unknown.test/any/1' }, { url: 'http://unknown.test/other' },
      { url: 'https://unknown.test/any', sni: 'one.w.test' },
      { url: 'http://a.test/x', host: 'a.test.' }, { url: 'https://a.test/x', sni: 'A.TEST' }, { url: 'http://x.w.test/y', host: 'X.W.TEST:80' },
    ],
  },
  {
    name: 'default backends: beside rules (own hosts only), rule-less (catch-all), missing Service',
    objects: [
      svc('api'), svc('fallback'), svc('catch', 80),
      ingress('web', 'with-rules', { creationTimestamp: '2024-01-01T00:00:00Z', defaultBackend: { service: 'fallback', port: 8080 }, rules: [paths('d.test', [['/api', 'Prefix', 'api']])] }),
      ingress('web', 'catch-all', { creationTimestamp: '2024-01-02T00:00:00Z', defaultBackend: { service: 'catch', port: 80 } }),
      ingress('web', 'other', { creationTimestamp: '2024-01-03T00:00:00Z', defaultBackend: { service: 'fallback', port: 8080 }, rules: [paths('d.test', [['/more', 'Prefix', 'api']]), paths('e.test', [['/missing', 'Prefix', 'gone']])] }),
    ],
    probes: ['http://d.test/api/1', 'http://d.test/other', 'http://unknown.test/x', 'http://e.test/x', 'http://e.test/missing/1', 'http://d.test/more'].map((url) => ({ url })),
  },
  {
    name: 'annotations rendered as nginx directives: rewrite-target, app-root, permanent/temporal redirects, upstream-vhost',
    objects: [
      svc('rw'), svc('root'), svc('app'), svc('vh'),
      ingress('web', 'rewrite', { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }, rules: [paths('rw.test', [['/something(/|$)(.*)', 'ImplementationSpecific', 'rw']])] }),
      ingress('web', 'root', { creationTimestamp: '2024-01-01T00:00:00Z', rules: [paths('ar.test', [['/', 'Prefix', 'root']])] }),
      ingress('web', 'app-root', { creationTimestamp: '2024-01-02T00:00:00Z', annotations: { 'nginx.ingress.kubernetes.io/app-root': '/app' }, rules: [paths('ar.test', [['/app', 'Prefix', 'app']])] }),
      ingress('web', 'moved', { annotations: { 'nginx.ingress.kubernetes.io/permanent-redirect': 'https://new.example/landing', 'nginx.ingress.kubernetes.io/permanent-redirect-code': '308' }, rules: [paths('mv.test', [['/old', 'Prefix', 'root']])] }),
      ingress('web', 'temporal', { annotations: { 'nginx.ingress.kubernetes.io/temporal-redirect': 'https://tmp.example/' }, rules: [paths('tmp.test', [['/', 'Prefix', 'root']])] }),
      ingress('web', 'vhost', { annotations: { 'nginx.ingress.kubernetes.io/upstream-vhost': 'internal.example' }, rules: [paths('vh.test', [['/', 'Prefix', 'vh']])] }),
      // A rewrite-target equal to the Prefix path: regex mode from the normalised "/foo/", whose rewrite replaces the whole URI.
      ingress('web', 'same-target', { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/foo' }, rules: [paths('same.test', [['/foo', 'Prefix', 'rw']])] }),
      ingress('web', 'same-other', { rules: [paths('same.test', [['/Other', 'Prefix', 'app']])] }),
    ],
    probes: [
      'http://rw.test/something/new?a=1', 'http://rw.test/something', 'http://rw.test/SOMETHING/x', 'http://ar.test/', 'http://ar.test/?x=1', 'http://ar.test/app/x',
      'http://mv.test/old/page', 'http://mv.test/other', 'http://tmp.test/x', 'http://vh.test/x',
      'http://same.test/foo/bar?q=1', 'http://same.test/FOO', 'http://same.test/other/x', 'http://same.test/foox',
    ].map((url): Probe => ({ url })).concat(['/something%2Fnew?a=1', '/something/caf%C3%A9', '/something/a%20b', '/something/100%25', '/something/x%3Fy']
      .map((rawPath) => ({ url: 'http://rw.test/', rawPath }))),
  },
];

interface Running {
  readonly scenario: Scenario;
  readonly ctl: IngressController;
  readonly httpPort: number;
  readonly httpsPort: number;
}

/** `count` distinct free loopback ports (all listened on 0 at once, read, closed). Another process may still take one: see startNginx. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A loopback echo server answering `status` and naming `name` (or the X-Unavailable-Service header) in x-echo-backend. */
async function echoServer(name: string | undefined, status: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const backend = name ?? String(req.headers['x-unavailable-service'] ?? '');
    res.writeHead(status, { 'x-echo-backend': backend, 'x-echo-uri': req.url ?? '', 'x-echo-host': req.headers.host ?? '' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

const portOf = (s: http.Server) => (s.address() as net.AddressInfo).port;

function hostsOf(table: RouteTable): VirtualHost[] {
  return [...(table.catchAll ? [table.catchAll] : []), ...table.exact.values(), ...table.wildcard.values()];
}

function backendKeys(table: RouteTable): string[] {
  const keys = new Set<string>();
  const add = (rule: RouteRule) => {
    if (rule.terminal.kind !== 'forward') return;
    for (const b of rule.terminal.backends) if (b.port) keys.add(backendKey(b.service, b.port.port));
  };
  for (const host of hostsOf(table)) host.rules.forEach(add);
  return [...keys];
}

function secretPems(objects: readonly any[]): Map<string, { crt: string; key: string }> {
  const pems = new Map<string, { crt: string; key: string }>([['@default', FAKE_CERT]]);
  for (const o of objects) {
    if (o.kind !== 'Secret' || !o.data?.['tls.crt']) continue;
    const decode = (k: string) => Buffer.from(o.data[k], 'base64').toString('utf8');
    pems.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, { crt: decode('tls.crt'), key: decode('tls.key') });
  }
  return pems;
}

function modelAnswer(r: Running, probe: Probe): Observed {
  const opts = { ...(probe.host ? { host: probe.host } : {}), ...(probe.sni !== undefined ? { sni: probe.sni } : {}) };
  const res = probe.rawPath === undefined ? send(r.ctl, probe.url, opts) : routeRaw(r.ctl, probe.url, probe.rawPath, opts.host);
  return {
    status: res.status,
    ...(res.service !== undefined ? { service: res.service } : {}),
    ...(res.status === 200 && res.servicePort !== undefined ? { servicePort: res.servicePort } : {}),
    ...(res.location !== undefined ? { location: res.location } : {}),
    ...(res.upstream ? { upstreamPath: res.upstream.path, upstreamHost: res.upstream.host } : {}),
    ...(res.tlsSecret !== undefined ? { tlsSecret: res.tlsSecret } : {}),
  };
}

/** The model's answer to a request whose target no URL parser touched. */
function routeRaw(ctl: IngressController, url: string, rawPath: string, host: string | undefined) {
  const u = new URL(url);
  const q = rawPath.indexOf('?');
  return ctl.route({
    scheme: u.protocol.replace(':', ''),
    host: host ?? u.host,
    path: q < 0 ? rawPath : rawPath.slice(0, q),
    query: q < 0 ? '' : rawPath.slice(q),
    method: 'GET',
  });
}

async function nginxAnswer(r: Running, probe: Probe, fingerprints: ReadonlyMap<string, string>): Promise<Observed> {
  const u = new URL(probe.url);
  const tls = u.protocol === 'https:';
  const sni = probe.sni === null ? '' : probe.sni ?? u.hostname;
  const options: https.RequestOptions = {
    host: '127.0.0.1',
    port: tls ? r.httpsPort : r.httpPort,
    path: probe.rawPath ?? u.pathname + u.search,
    method: 'GET',
    headers: { Host: probe.host ?? u.host },
    agent: false,
    ...(tls ? { servername: sni, rejectUnauthorized: false } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request(options, (res) => {
      const peer = tls ? (res.socket as import('tls').TLSSocket).getPeerCertificate() : undefined;
      res.resume();
      res.on('end', () => {
        const echoed = res.headers['x-echo-backend'] as string | undefined;
        const colon = echoed?.lastIndexOf(':') ?? -1;
        const named = echoed ? (colon > 0 && res.statusCode === 200 ? echoed.slice(0, colon) : echoed) : undefined;
        const status = res.statusCode ?? 0;
        resolve({
          status,
          ...(named ? { service: named } : {}),
          ...(status === 200 && echoed && colon > 0 ? { servicePort: Number(echoed.slice(colon + 1)) } : {}),
          ...(res.headers.location !== undefined ? { location: res.headers.location } : {}),
          ...(status === 200 && echoed ? { upstreamPath: res.headers['x-echo-uri'] as string, upstreamHost: res.headers['x-echo-host'] as string } : {}),
          ...(peer ? { tlsSecret: fingerprints.get(peer.fingerprint256) ?? `unknown certificate ${peer.subject?.CN}` } : {}),
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether `port` answers HTTP as nginx (the Server header), so no other process that took the port is mistaken for it. */
async function nginxAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { Host: 'readiness.invalid' }, agent: false }, (res) => {
      res.resume();
      resolve(String(res.headers.server ?? '').startsWith('nginx'));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Starts nginx on a rendered config: the process once it serves `port`, or the error log when it exited (e.g. a port was taken). */
async function startNginx(prefix: string, conf: string, port: number): Promise<{ process: ChildProcess } | { log: string }> {
  const log = join(prefix, 'error.log');
  const child = spawn(NGINX!, ['-p', prefix, '-c', conf, '-e', log], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited;
      return { log: existsSync(log) ? readFileSync(log, 'utf8') : `nginx exited (${child.exitCode})` };
    }
    if (await nginxAnswers(port)) return { process: child };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx does not answer on 127.0.0.1:${port}: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `nginx -t` on a config: its exit status and messages. */
function nginxTest(prefix: string, conf: string): { ok: boolean; output: string } {
  const run = spawnSync(NGINX!, ['-t', '-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const compile = (s: Scenario) => controllerOf(s.objects, { profile: 'nginx', sslRedirect: false, ...s.options });

if (!NGINX && process.env.CI === 'true') {
  test('nginx is installed (CI=true)', () => {
    throw new Error('CI=true but no nginx binary (/usr/sbin/nginx): .ci/run installs it with `apt-get install -y nginx`');
  });
}

const describeReal = NGINX ? describe : describe.skip;
if (!NGINX && process.env.CI !== 'true') {
  // eslint-disable-next-line no-console
  console.warn('test/real: nginx is not installed (apt-get install -y nginx); the differential tier against a real nginx is skipped');
}

describeReal('the nginx profile answers as a real nginx does (nginx.conf rendered from the compiled route table)', () => {
  let prefix = '';
  let nginx: ChildProcess | undefined;
  const echoes: http.Server[] = [];
  const running: Running[] = [];
  const fingerprints = new Map<string, string>();

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'real-nginx-'));
    mkdirSync(join(prefix, 'certs'));
    const defaultBackend = await echoServer(undefined, 404);
    const unavailable = await echoServer(undefined, 503);
    echoes.push(defaultBackend, unavailable);
    const backendPorts = new Map<string, number>();
    const compiled = SCENARIOS.map((scenario) => ({ scenario, ctl: compile(scenario), pems: secretPems(scenario.objects) }));
    for (const { ctl } of compiled) {
      for (const key of backendKeys(ctl.routes)) {
        if (backendPorts.has(key)) continue;
        const echo = await echoServer(key, 200);
        echoes.push(echo);
        backendPorts.set(key, portOf(echo));
      }
    }
    const conf = join(prefix, 'nginx.conf');
    // Ports are picked before nginx binds them; when another process took one meanwhile, pick again.
    for (let attempt = 1; ; attempt++) {
      const ports = await freePorts(2 * compiled.length);
      running.length = 0;
      const servers = compiled.map(({ scenario, ctl, pems }, i) => {
        const run: Running = { scenario, ctl, httpPort: ports[2 * i], httpsPort: ports[2 * i + 1] };
        running.push(run);
        return renderServers(ctl.routes, {
          httpPort: run.httpPort,
          httpsPort: run.httpsPort,
          upstreams: { backend: (key) => backendPorts.get(key)!, defaultBackend: portOf(defaultBackend), unavailable: portOf(unavailable) },
          certificateFiles: (secret) => {
            const pem = pems.get(secret);
            if (!pem) throw new Error(`scenario ${scenario.name}: no PEM for certificate ${secret}`);
            const base = join(prefix, 'certs', secret.replace(/[^A-Za-z0-9.-]/g, '_'));
            writeFileSync(`${base}.crt`, pem.crt);
            writeFileSync(`${base}.key`, pem.key);
            fingerprints.set(new X509Certificate(pem.crt).fingerprint256, secret);
            return { crt: `${base}.crt`, key: `${base}.key` };
          },
        });
      });
      writeFileSync(conf, renderNginxConf(prefix, servers));
      const checked = nginxTest(prefix, conf);
      if (!checked.ok && attempt < 5 && checked.output.includes('Address already in use')) continue;
      if (!checked.ok) throw new Error(`nginx -t refuses the rendered configuration:\n${checked.output}`);
      const started = await startNginx(prefix, conf, running[0].httpPort);
      if ('process' in started) {
        nginx = started.process;
        break;
      }
      if (attempt === 5 || !started.log.includes('Address already in use')) throw new Error(`nginx did not start:\n${started.log}`);
      rmSync(join(prefix, 'error.log'), { force: true });
    }
  }, 60_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 3000); })]);
      clearTimeout(timer);
      if (nginx.exitCode === null) nginx.kill('SIGKILL');
    }
    await Promise.all(echoes.map((s) => new Promise((resolve) => {
      s.close(resolve);
      s.closeAllConnections();
    })));
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  const describeProbe = (p: Probe) => `${p.rawPath === undefined ? p.url : `${p.url} target ${p.rawPath}`}${p.host ? ` (Host ${p.host})` : ''}${p.sni !== undefined ? ` (SNI ${p.sni ?? 'none'})` : ''}`;
  const cases = SCENARIOS.flatMap((scenario, index) => scenario.probes.map((probe) => ({ index, title: `${scenario.name}: ${describeProbe(probe)}`, probe })));
  test.each(cases)('$title', async ({ index, probe }) => {
    const r = running[index];
    const expected = modelAnswer(r, probe);
    const actual = await nginxAnswer(r, probe, fingerprints);
    expect(actual).toEqual(expected);
  });

  test('Prefix /api and /api/ from two Ingresses of one host: nginx refuses the merged server (duplicate location "/api/")', () => {
    // Each Ingress alone compiles to valid locations; ingress-nginx puts both into one server block.
    const objects = [svc('a'), svc('b')];
    const first = compile({ name: 'first', objects: [...objects, ingress('web', 'a', { rules: [paths('dup.test', [['/api', 'Prefix', 'a']])] })], probes: [] });
    const second = compile({ name: 'second', objects: [...objects, ingress('web', 'b', { rules: [paths('dup.test', [['/api/', 'Prefix', 'b']])] })], probes: [] });
    const host = (ctl: IngressController) => ctl.routes.exact.get('dup.test')!;
    const merged: RouteTable = { ...first.routes, exact: new Map([['dup.test', { ...host(first), rules: [...host(first).rules, ...host(second).rules.filter((rule) => rule.match.path.value !== '/')] }]]) };
    const dir = join(prefix, 'duplicate');
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, renderNginxConf(dir, [renderServers(merged, {
      httpPort: 1,
      httpsPort: 2,
      upstreams: { backend: () => 3, defaultBackend: 4, unavailable: 5 },
      certificateFiles: () => ({ crt: join(prefix, 'certs', '_default.crt'), key: join(prefix, 'certs', '_default.key') }),
    })]));
    const result = nginxTest(dir, conf);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/duplicate location "\/api\/"/);
  });
});
