/**
 * The migration proof end to end: migrateIngresses writes the Gateway API objects, a spec Gateway
 * controller serves them, and compareRouting shows request by request whether they answer like
 * ingress-nginx did. The traps are those of the Kubernetes blog "Before You Migrate: Five
 * Surprising Ingress-NGINX Behaviors" (2026-02-27); each is either emulated by the conversion or
 * reported with its hint, and never called equivalent while a hand-picked request differs.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { Cluster, compareRouting, migrateIngresses } from '../../src';
import { diffRoutingSarif, diffRoutingText } from '../../src/cli/diff-routing';
import { ingress, service } from '../dataplane/ingress-controller-fixtures';

const CONTROLLER = 'example.com/gateway-controller';
const GATEWAY_CLASS = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: CONTROLLER } };
const SEED = parseAllDocuments(readFileSync(join(__dirname, '..', 'fixtures', 'ingress-controller-seed.yaml'), 'utf8')).map((d) => d.toJSON());

/** The Ingress cluster and the migrated Gateway cluster (Ingresses and IngressClasses replaced). */
function migrate(objects: any[], pathNormalization?: string) {
  const { manifests, notes } = migrateIngresses(objects, { gatewayClassName: 'eg', ingressController: { profile: 'nginx' } });
  const rest = objects.filter((o) => o.kind !== 'Ingress' && o.kind !== 'IngressClass');
  return {
    before: Cluster.fromManifests(objects, { ingressController: { profile: 'nginx' } }),
    after: Cluster.fromManifests([...rest, GATEWAY_CLASS, ...manifests], {
      gatewayController: { controllerName: CONTROLLER, ...(pathNormalization ? { pathNormalization } : {}) },
    }),
    notes,
  };
}

function deployment(name: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'x', ports: [{ containerPort: 8080 }] }] } } },
  };
}
const backends = (...names: string[]) => names.flatMap((n) => [deployment(n), { ...service('web', n, [{ port: 8080 }]), spec: { selector: { app: n }, ports: [{ port: 8080, targetPort: 8080 }] } }]);
/** What a client sees; an empty http(s) path is `/` (RFC 3986 §6.2.3), as compareRouting compares Locations. */
const key = (r: any) => `${r.status} ${r.service ?? ''} ${(r.location ?? '').replace(/^(https?:\/\/[^/?#]+)$/, '$1/')}`;
const hints = (diffs: Array<{ hint?: string }>) => [...new Set(diffs.map((d) => d.hint?.split(':')[0]))].sort();

describe('the seed app', () => {
  const { before, after } = migrate(SEED);
  const result = compareRouting(before, after);

  test('the Gateway accepts the converted objects and the model finds no error', () => {
    expect(after.gatewayStatus('base/nginx')).toMatchObject({ accepted: true });
    expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  test('HTTPS and the redirect to it answer alike, over more than 20 requests', () => {
    expect(result.requests).toBeGreaterThanOrEqual(20);
    for (const url of ['https://interests-m-dev.billbear.vip/api/users?id=7', 'https://interests-m-dev.billbear.vip/api', 'http://interests-m-dev.billbear.vip/api/orders',
      'http://interests-m-dev.billbear.vip/', 'https://interests-m-dev.billbear.vip/admin']) {
      expect(key(after.request({ url }))).toBe(key(before.request({ url })));
    }
  });

  // ingress-nginx's Lua ssl-redirect drops one trailing slash from the request URI (lua_ingress.lua,
  // preserve_trailing_slash): Gateway API's RequestRedirect cannot, except for the paths the Ingress names.
  test('what remains is named: the trailing slash on the redirect to https, and nginx\'s URL normalisation', () => {
    expect(result.equivalent).toBe(false);
    expect(hints(result.differences)).toEqual(['NGINX_SSL_REDIRECT', 'URL_NORMALIZATION']);
    for (const d of result.differences.filter((x) => x.hint?.startsWith('NGINX_SSL_REDIRECT') && !/\/\/|%/.test(x.request.url.slice(8)))) {
      expect(d.fields).toEqual(['location']);
      expect(d.before.location!.replace(/\?.*/, '').replace(/\/?$/, '/')).toBe(d.after.location!.replace(/\?.*/, '').replace(/\/?$/, '/'));
    }
  });
});

describe('the seed app, as a client following redirects sees it', () => {
  const HOST = 'interests-m-dev.billbear.vip';
  /** Follows redirects by hand, as a browser does, up to five; the last answer. */
  const end = (c: Cluster, url: string) => {
    let r = c.request({ url });
    for (let i = 0; i < 5 && r.location; i++) r = c.request({ url: new URL(r.location, url).toString() });
    return r;
  };

  test('to a Gateway matching on the URI as nginx normalises it: equivalent over more than 20 requests', () => {
    const { before, after } = migrate(SEED, 'nginx');
    const result = compareRouting(before, after, { followRedirects: 5 });
    expect(result.requests).toBeGreaterThanOrEqual(20);
    expect(result.differences).toEqual([]);
    expect(result.equivalent).toBe(true);
    // lua_ingress.lua (preserve_trailing_slash false): the redirect to https is the request URI as
    // sent less one trailing slash, which no RequestRedirect can say for every path.
    expect(before.request({ url: `http://${HOST}/API/` }).location).toBe(`https://${HOST}/API`);
    expect(before.request({ url: `http://${HOST}//api/` }).location).toBe(`https://${HOST}//api`);
    expect(result.redirectDifferences.map((d) => d.request.url)).toEqual(expect.arrayContaining([`http://${HOST}/API/`, `http://${HOST}//api/`]));
    for (const d of result.redirectDifferences) {
      expect(d.fields).toEqual(['location']);
      expect(key(end(before, d.request.url))).toBe(key(end(after, d.request.url)));
    }
    const text = diffRoutingText(result);
    expect(text).toMatch(new RegExp(`^GET http://${HOST}/API/ {2}first answers differ in location, both redirect chains end alike\\n {2}hint: NGINX_SSL_REDIRECT: `, 'm'));
    expect(text).toMatch(/^equivalent: \d+ requests answered alike \(.*; \d+ of them only after following redirects\)$/m);
    expect(JSON.parse(diffRoutingSarif(result)).runs[0].results.map((r: any) => r.level)).toEqual(result.redirectDifferences.map(() => 'note'));
    for (const url of [`http://${HOST}//api/x`, `https://${HOST}/%61pi/x`, `http://${HOST}/api`]) {
      expect([key(end(after, url)), end(after, url).upstream?.path]).toEqual([key(end(before, url)), end(before, url).upstream?.path]);
    }
  });

  test('to an Envoy Gateway (normalised in place): the backend sees another path, reported even after redirects', () => {
    const { before, after } = migrate(SEED, 'rfc3986-merge-slashes');
    // proxy_pass without a URI sends nginx's upstream the path as the client wrote it.
    expect(before.request({ url: `https://${HOST}//api/x` }).upstream?.path).toBe('//api/x');
    expect(after.request({ url: `https://${HOST}//api/x` }).upstream?.path).toBe('/api/x');
    const result = compareRouting(before, after, { followRedirects: 5 });
    expect(result.equivalent).toBe(false);
    expect(result.differences.length).toBeGreaterThan(0);
    for (const d of result.differences) {
      expect(d.fields).toEqual(['upstreamPath']);
      expect(d.hint).toMatch(/^URL_NORMALIZATION: /);
    }
  });
});

describe('the blog\'s traps', () => {
  test('1. regex matches are case-insensitive prefixes: reported with its hint', () => {
    const { before, after, notes } = migrate([...backends('api'), ingress('web', 'r', {
      className: 'nginx', annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' }, rules: [{ host: 'a.test', paths: [{ path: '/api/v[0-9]+', pathType: 'ImplementationSpecific', service: 'api' }] }],
    })]);
    expect(key(before.request({ url: 'http://a.test/API/V2/x' }))).not.toBe(key(after.request({ url: 'http://a.test/API/V2/x' })));
    const result = compareRouting(before, after);
    expect(result.equivalent).toBe(false);
    expect(hints(result.differences.filter((d) => d.request.url.startsWith('http:')))).toContain('NGINX_REGEX_CASE_INSENSITIVE_PREFIX');
    expect(notes.map((n) => n.feature)).toContain('case-insensitive regex');
  });

  test('2. use-regex on one Ingress makes the whole host a regex: reported with its hint', () => {
    const { before, after } = migrate([...backends('api', 'docs'),
      ingress('web', 'a', { className: 'nginx', annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' }, rules: [{ host: 'a.test', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }] }),
      ingress('web', 'b', { className: 'nginx', rules: [{ host: 'a.test', paths: [{ path: '/docs', pathType: 'Prefix', service: 'docs' }] }] })]);
    expect(key(before.request({ url: 'http://a.test/DOCS' }))).not.toBe(key(after.request({ url: 'http://a.test/DOCS' })));
    const result = compareRouting(before, after);
    expect(hints(result.differences.filter((d) => d.request.url.startsWith('http:')))).toEqual(expect.arrayContaining(['NGINX_HOST_WIDE_REGEX']));
  });

  test('3. the implicit 301 to a trailing slash: emulated, equivalent where the Ingress names the path', () => {
    const { before, after } = migrate([...backends('api'), ingress('web', 's', { className: 'nginx', rules: [{ host: 'a.test', paths: [{ path: '/api/', pathType: 'Prefix', service: 'api' }] }] })]);
    expect(key(after.request({ url: 'http://a.test/api' }))).toBe(key(before.request({ url: 'http://a.test/api' })));
    expect(before.request({ url: 'http://a.test/api' })).toMatchObject({ status: 301, location: 'http://a.test/api/' });
    const result = compareRouting(before, after);
    expect(hints(result.differences.filter((d) => d.request.url.startsWith('http:')))).not.toContain('NGINX_TRAILING_SLASH_301');
    // Over HTTPS ingress-nginx answers with its default certificate; the Gateway has no listener for a host without one.
    expect(result.differences.find((d) => d.request.url === 'https://a.test/api/')?.hint).toMatch(/^NGINX_DEFAULT_CERTIFICATE: /);
  });

  test('4. URL normalisation (doubled slashes, dot segments, %XX): reported with its hint', () => {
    const { before, after } = migrate([...backends('api', 'other'), ingress('web', 'n', {
      className: 'nginx', rules: [{ host: 'a.test', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }, { path: '/', pathType: 'Prefix', service: 'other' }] }],
    })]);
    expect(key(before.request({ url: 'http://a.test/%61pi' }))).not.toBe(key(after.request({ url: 'http://a.test/%61pi' })));
    const result = compareRouting(before, after);
    expect(hints(result.differences)).toContain('URL_NORMALIZATION');
  });

  test('5. the default backend\'s scope: a host-less route also takes unmatched paths of hosts with rules', () => {
    const { before, after, notes } = migrate([...backends('api', 'fallback'),
      ingress('web', 'rules', { className: 'nginx', rules: [{ host: 'a.test', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }] }),
      ingress('web', 'catch', { className: 'nginx', defaultBackend: { service: 'fallback', port: 8080 } })]);
    expect(key(before.request({ url: 'http://a.test/other' }))).not.toBe(key(after.request({ url: 'http://a.test/other' })));
    const result = compareRouting(before, after);
    expect(result.equivalent).toBe(false);
    expect(hints(result.differences)).toContain('DEFAULT_BACKEND_SCOPE');
    expect(notes.map((n) => n.feature)).toContain('default backend scope');
  });
});

describe('ingress-nginx canaries carried over (issue 21)', () => {
  const A = 'nginx.ingress.kubernetes.io/';
  const main = ingress('web', 'shop', { className: 'nginx', rules: [{ host: 'shop.test', paths: [{ path: '/', pathType: 'Prefix', service: 'shop', port: 8080 }] }] });
  const canary = (annotations: Record<string, string>) => ingress('web', 'shop-canary', {
    className: 'nginx',
    annotations: { [`${A}canary`]: 'true', ...annotations },
    rules: [{ host: 'shop.test', paths: [{ path: '/', pathType: 'Prefix', service: 'shop-v2', port: 8080 }] }],
  });
  const cls = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };

  test('canary-by-header becomes header matches; they answer as ingress-nginx does', () => {
    const objects = [...backends('shop', 'shop-v2'), cls, main, canary({ [`${A}canary-by-header`]: 'X-Canary' })];
    const { before, after, notes } = migrate(objects);
    for (const value of ['always', 'never', 'other', undefined]) {
      const req = { url: 'http://shop.test/cart', ...(value ? { headers: { 'X-Canary': value } } : {}) };
      expect(after.request(req).service).toBe(before.request(req).service);
    }
    expect(after.request({ url: 'http://shop.test/', headers: { 'X-Canary': 'always' } }).service).toBe('web/shop-v2');
    expect(notes.find((n) => n.feature === 'canary')?.message).toMatch(/converted into the main Ingress's HTTPRoute rules/);
  });

  test('canary-weight becomes backendRef weights (total - weight, weight)', () => {
    const { manifests } = migrateIngresses([...backends('shop', 'shop-v2'), cls, main, canary({ [`${A}canary-weight`]: '30' })], { gatewayClassName: 'eg' });
    const route = manifests.find((m) => m.kind === 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'shop', port: 8080, weight: 70 }, { name: 'shop-v2', port: 8080, weight: 30 }]);
  });

  test('canary-by-cookie is named as not converted', () => {
    const { notes } = migrateIngresses([...backends('shop', 'shop-v2'), cls, main, canary({ [`${A}canary-by-cookie`]: 'beta' })], { gatewayClassName: 'eg' });
    expect(notes.map((n) => n.feature)).toContain('canary-by-cookie');
  });
});
