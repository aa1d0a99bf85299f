/**
 * compareRouting: two clusters' routing compared request by request. The pairs below differ
 * (or not) in ways known from ingress-nginx and the Ingress specification; each difference is
 * first confirmed with a hand-picked request, so the comparison is checked against the model's
 * own answers, never "equivalent" while such a request differs.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { Cluster, compareRouting } from '../../src';
import { regexSample } from '../../src/cluster/compare';
import { conformanceCluster, httpRoute, infra } from '../conformance/gateway-api-fixtures';
import { ingress, service } from '../dataplane/ingress-controller-fixtures';

const SEED = readFileSync(join(__dirname, '..', 'fixtures', 'ingress-controller-seed.yaml'), 'utf8');

function deployment(namespace: string, name: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'x', ports: [{ containerPort: 8080 }] }] } } },
  };
}

type PathSpec = { path: string; pathType: string; service: string };

function app(paths: PathSpec[], extra: { annotations?: Record<string, string>; host?: string } = {}): any[] {
  const services = [...new Set(paths.map((p) => p.service))];
  return [
    ...services.flatMap((s) => [deployment('web', s), { ...service('web', s, [{ port: 8080 }]), spec: { selector: { app: s }, ports: [{ port: 8080, targetPort: 8080 }] } }]),
    ingress('web', 'site', { className: 'nginx', annotations: extra.annotations, rules: [{ host: extra.host ?? 'shop.example.com', paths }] }),
  ];
}

const nginx = { ingressController: { profile: 'nginx' } };
const portable = { ingressController: { profile: 'portable' } };

describe('compareRouting', () => {
  test('a cluster compared with itself is equivalent, over requests for every host and path boundary', () => {
    const c = () => Cluster.fromYaml(SEED);
    const result = compareRouting(c(), c());
    expect(result.equivalent).toBe(true);
    expect(result.differences).toEqual([]);
    expect(result.requests).toBeGreaterThanOrEqual(20);
    expect(result.coverage).toMatchObject({ sampled: false });
    expect(result.coverage.hosts).toBeGreaterThanOrEqual(2);
  });

  test('nginx vs the specification: the 301 to a trailing slash is found and named', () => {
    const objects = app([{ path: '/api/', pathType: 'Prefix', service: 'api' }]);
    const before = Cluster.fromManifests(objects, nginx);
    const after = Cluster.fromManifests(objects, portable);
    // Hand-picked: nginx answers /api with its own 301; the specification's Prefix /api/ matches /api.
    expect(before.request({ url: 'http://shop.example.com/api' })).toMatchObject({ status: 301, location: 'http://shop.example.com/api/' });
    expect(after.request({ url: 'http://shop.example.com/api' })).toMatchObject({ status: 200, service: 'web/api' });
    const result = compareRouting(before, after);
    expect(result.equivalent).toBe(false);
    const diff = result.differences.find((d) => d.request.url === 'http://shop.example.com/api');
    expect(diff).toMatchObject({ fields: expect.arrayContaining(['status', 'location']), hint: expect.stringMatching(/^NGINX_TRAILING_SLASH_301: /) });
    expect(diff!.before.trace.length).toBeGreaterThan(0);
    expect(diff!.after.trace.length).toBeGreaterThan(0);
  });

  test('use-regex makes the host case-insensitive: found on the case-flipped probe', () => {
    const objects = app([{ path: '/api', pathType: 'Prefix', service: 'api' }], { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } });
    const before = Cluster.fromManifests(objects, nginx);
    const after = Cluster.fromManifests(objects, portable);
    expect(before.request({ url: 'https://shop.example.com/API' }).status).toBe(200);
    expect(after.request({ url: 'https://shop.example.com/API' }).status).toBe(404);
    const result = compareRouting(before, after);
    const diff = result.differences.find((d) => d.request.url === 'https://shop.example.com/API');
    expect(diff?.hint).toMatch(/^NGINX_REGEX_CASE_INSENSITIVE_PREFIX: /);
    expect(result.differences.some((d) => /^NGINX_HOST_WIDE_REGEX: /.test(d.hint ?? ''))).toBe(true);
  });

  test('a wildcard host compared at one, two and no labels', () => {
    const objects = app([{ path: '/', pathType: 'Prefix', service: 'web' }], { host: '*.example.com' });
    const exactOnly = app([{ path: '/', pathType: 'Prefix', service: 'web' }], { host: 'one.example.com' });
    const result = compareRouting(Cluster.fromManifests(objects, portable), Cluster.fromManifests(exactOnly, portable));
    // Hand-picked: a one-label name other than one.example.com is served only through the wildcard.
    expect(Cluster.fromManifests(objects, portable).request({ url: 'http://x.example.com/' }).status).toBe(200);
    expect(Cluster.fromManifests(exactOnly, portable).request({ url: 'http://x.example.com/' }).status).toBe(0);
    expect(result.equivalent).toBe(false);
    expect(result.differences.some((d) => d.request.url.startsWith('http://wildcard-probe.example.com/'))).toBe(true);
    // one.example.com is served alike; two labels and the bare parent by neither.
    expect(result.differences.filter((d) => /\/\/(one\.example\.com|two\.wildcard-probe\.example\.com|example\.com)\//.test(d.request.url))).toEqual([]);
    expect(result.coverage.hosts).toBeGreaterThanOrEqual(4);
  });

  test('a changed backend is a difference in backend; an added path only where it answers', () => {
    const before = Cluster.fromManifests(app([{ path: '/a', pathType: 'Prefix', service: 'one' }, { path: '/b', pathType: 'Prefix', service: 'two' }]), nginx);
    const after = Cluster.fromManifests(app([{ path: '/a', pathType: 'Prefix', service: 'one' }, { path: '/b', pathType: 'Prefix', service: 'one' }]), nginx);
    const result = compareRouting(before, after);
    expect(result.equivalent).toBe(false);
    expect(result.differences.length).toBeGreaterThan(0);
    for (const d of result.differences) {
      expect(decodeURIComponent(new URL(d.request.url).pathname).replace(/\/+/g, '/').toLowerCase()).toMatch(/^\/b/);
      expect(d.fields).toContain('backend');
    }
  });

  test('never equivalent while some request is answered differently (random paths, nginx vs the specification)', () => {
    const segment = fc.constantFrom('a', 'api', 'B', 'v1');
    const pathArb = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([segs, slash]) => `/${segs.join('/')}${slash ? '/' : ''}`);
    const pathsArb = fc.array(fc.record({ path: pathArb, pathType: fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific') }), { minLength: 1, maxLength: 3 });
    let differing = 0;
    fc.assert(fc.property(pathsArb, fc.array(pathArb, { minLength: 1, maxLength: 4 }), fc.boolean(), (paths, requests, regex) => {
      const objects = app(paths.map((p, i) => ({ ...p, service: `s${i}` })), regex ? { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } } : {});
      const before = Cluster.fromManifests(objects, nginx);
      const after = Cluster.fromManifests(objects, portable);
      const key = (r: any) => `${r.status} ${r.service ?? ''} ${r.location ?? ''}`;
      // Random paths, and variants of the rule paths a reviewer would try by hand.
      const tried = [...requests, ...paths.flatMap(({ path }) => [path.replace(/\/$/, ''), `${path}x`, path.toUpperCase()])];
      const handPicked = tried.flatMap((p) => [`http://shop.example.com${p}`, `https://shop.example.com${p.toUpperCase()}`])
        .some((url) => key(before.request({ url })) !== key(after.request({ url })));
      if (handPicked) {
        differing++;
        expect(compareRouting(before, after).equivalent).toBe(false);
      }
    }), { seed: 18, numRuns: 40 });
    // The property says something only when the hand-picked requests do tell the two apart.
    expect(differing).toBeGreaterThanOrEqual(10);
  });

  test('following redirects: the chains\' ends are compared, and a changed upstream path still differs', () => {
    const objects = app([{ path: '/api/', pathType: 'Prefix', service: 'api' }]);
    const before = Cluster.fromManifests(objects, nginx);
    const after = Cluster.fromManifests(objects, portable);
    // Hand-picked: nginx's 301 leads to /api/, which its backend gets; the specification sends /api on.
    expect(before.request({ url: 'http://shop.example.com/api/' }).upstream?.path).toBe('/api/');
    expect(after.request({ url: 'http://shop.example.com/api' }).upstream?.path).toBe('/api');
    const result = compareRouting(before, after, { followRedirects: 3 });
    const diff = result.differences.find((d) => d.request.url === 'http://shop.example.com/api');
    expect(diff).toMatchObject({ fields: ['upstreamPath'], beforeRedirects: ['http://shop.example.com/api/'], afterRedirects: [] });
    expect(diff!.before).toMatchObject({ status: 200, service: 'web/api' });
  });

  test('following redirects: a loop ends where a Location repeats', () => {
    const redirect = (from: string, to: string) => ingress('web', `redirect${from.replace('/', '-')}`, {
      className: 'nginx',
      annotations: { 'nginx.ingress.kubernetes.io/permanent-redirect': `http://shop.example.com${to}` },
      rules: [{ host: 'shop.example.com', paths: [{ path: from, pathType: 'Exact', service: 'api' }] }],
    });
    const site = app([{ path: '/', pathType: 'Prefix', service: 'api' }]);
    const before = Cluster.fromManifests([...site, redirect('/a', '/b'), redirect('/b', '/a')], nginx);
    const after = Cluster.fromManifests([...site, redirect('/a', '/b')], nginx);
    expect(before.request({ url: 'http://shop.example.com/b' })).toMatchObject({ status: 301, location: 'http://shop.example.com/a' });
    const result = compareRouting(before, after, { followRedirects: 20 });
    const diff = result.differences.find((d) => d.request.url === 'http://shop.example.com/a');
    expect(diff).toMatchObject({ beforeRedirects: ['http://shop.example.com/b'], afterRedirects: ['http://shop.example.com/b'], fields: ['status', 'backend', 'location', 'upstreamPath', 'upstreamHost'] });
    expect(diff!.before).toMatchObject({ status: 301, location: 'http://shop.example.com/a' });
  });

  test('following redirects: a 303 turns POST into GET but a HEAD stays HEAD (Fetch standard)', () => {
    const byMethod = (method: string, backend: string) => ({ matches: [{ path: { type: 'Exact', value: '/new' }, method }], backendRefs: [{ name: backend, port: 8080 }] });
    const gateway = (headBackend: string) => conformanceCluster(httpRoute('r', {
      parentRefs: [{ name: 'same-namespace-with-https-listener', sectionName: 'https-with-hostname' }],
      hostnames: ['second-example.org'],
      rules: [
        ...['HEAD', 'POST'].map((method) => ({
          matches: [{ path: { type: 'Exact', value: '/old' }, method }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 303 } }],
        })),
        byMethod('HEAD', headBackend),
        byMethod('POST', 'infra-backend-v3'),
        { matches: [{ path: { type: 'Exact', value: '/new' } }], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] },
      ],
    }));
    const before = gateway('infra-backend-v2');
    const after = gateway('infra-backend-v1');
    expect(before.request({ url: 'https://second-example.org/new', method: 'HEAD' }).service).toBe(infra('v2'));
    const result = compareRouting(before, after, { followRedirects: 2 });
    const heads = result.differences.filter((d) => d.request.method === 'HEAD').map((d) => [d.request.url, d.before.service, d.after.service]);
    expect(heads).toEqual([['https://second-example.org/old', infra('v2'), infra('v1')], ['https://second-example.org/new', infra('v2'), infra('v1')]]);
    // The POST at /old continues as GET, so it never meets the POST rule at /new.
    expect(result.differences.filter((d) => d.request.method === 'POST')).toEqual([]);
  });

  test('sampling is seeded and reported; bad options are refused with the option named', () => {
    const c = () => Cluster.fromYaml(SEED);
    const a = compareRouting(c(), c(), { maxRequests: 5, seed: 3 });
    expect(a).toMatchObject({ requests: 5, equivalent: true, coverage: { sampled: true } });
    expect(() => compareRouting(c(), c(), { maxRequests: 0 })).toThrow(/^compareRouting: maxRequests must be an integer >= 1, got 0$/);
    expect(() => compareRouting(c(), c(), { repeats: 1.5 })).toThrow(/repeats/);
    expect(() => compareRouting(c(), c(), { followRedirects: 21 })).toThrow(/^compareRouting: followRedirects must be an integer from 0 to 20, got 21$/);
  });
});

test('regexSample: a path each common regex shape matches (used to probe regex rules)', () => {
  const cases: Array<[string, string]> = [['/api/v[0-9]+', '/api/v0'], ['/x(/|$)(.*)', '/x/'], ['/foo/(?P<id>[a-z]+)/bar', '/foo/a/bar'], ['^/a\\d{2}b$', '/a11b'], ['/(en|de)/shop', '/en/shop']];
  for (const [pattern, sample] of cases) {
    expect(regexSample(pattern)).toBe(sample);
    expect(new RegExp(`^(?:${pattern.replace(/^\^/, '').replace('(?P<', '(?<')})`, 'i').test(sample)).toBe(true);
  }
  expect(regexSample('/a[')).toBeUndefined();
});

describe('ingress-nginx cookie affinity and canaries against a Gateway', () => {
  const A = 'nginx.ingress.kubernetes.io/';
  const workload = (name: string) => [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'web' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } },
  ];
  const ing = (name: string, backend: string, annotations: Record<string, string>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'web', annotations },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 80 } } } }] } }] },
  });
  const cls = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
  const plain = Cluster.fromManifests([cls, ...workload('shop'), ing('shop', 'shop', {})], { ingressController: { profile: 'nginx', sslRedirect: false } });

  test('a Set-Cookie on one side only is a `cookie` difference with the NGINX_COOKIE_AFFINITY hint', () => {
    const sticky = Cluster.fromManifests([cls, ...workload('shop'), ing('shop', 'shop', { [`${A}affinity`]: 'cookie' })], { ingressController: { profile: 'nginx', sslRedirect: false } });
    const cmp = compareRouting(sticky, plain);
    expect(cmp.equivalent).toBe(false);
    const d = cmp.differences.find((x) => x.fields.includes('cookie'))!;
    expect(d.before.setCookies![0]).toMatch(/^INGRESSCOOKIE=/);
    expect(d.hint).toMatch(/^NGINX_COOKIE_AFFINITY: /);
  });

  test('a canary taking every request is a `backend` difference with the NGINX_CANARY hint', () => {
    const canary = Cluster.fromManifests([cls, ...workload('shop'), ...workload('shop-v2'), ing('shop', 'shop', {}), ing('shop-canary', 'shop-v2', { [`${A}canary`]: 'true', [`${A}canary-weight`]: '100' })],
      { ingressController: { profile: 'nginx', sslRedirect: false } });
    const cmp = compareRouting(canary, plain);
    const d = cmp.differences.find((x) => x.fields.includes('backend'))!;
    expect(d.before).toMatchObject({ service: 'web/shop-v2', canary: true });
    expect(d.hint).toMatch(/^NGINX_CANARY: /);
  });
});
