/**
 * ingress-nginx v1.15.1 (kubernetes/ingress-nginx, tag controller-v1.15.1) cookie affinity and
 * canaries restated: each case cites the e2e test it follows (test/e2e/annotations/affinity.go,
 * affinitymode.go, canary.go) or the Lua balancer / controller source behind it
 * (rootfs/etc/nginx/lua/balancer.lua, balancer/sticky*.lua, internal/ingress/controller/controller.go).
 * Every request enters the whole model (Cluster), so pods, endpoints and the seeded PRNG are real.
 */
import { Cluster, formatTrace, RequestResult } from '../../src';
import { deployment } from '../dataplane/fixtures';
import { ingress, ingressClass, service } from '../dataplane/ingress-controller-fixtures';

const A = 'nginx.ingress.kubernetes.io/';
const NOW = new Date('2026-06-01T12:00:00Z');
const texts = (r: RequestResult) => formatTrace(r.trace);

/** Deployments + Services `name` (port 80 → 8080) in namespace `web`. */
function app(name: string, replicas = 3): unknown[] {
  return [deployment('web', name, { replicas }), { ...service('web', name, [{ port: 80, targetPort: 8080 }]), spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } }];
}

function single(name: string, host: string | undefined, path: string, svc: string, annotations?: Record<string, string>, created = '2024-01-01T00:00:00Z'): unknown {
  return ingress('web', name, {
    className: 'nginx',
    creationTimestamp: created,
    ...(annotations ? { annotations } : {}),
    rules: [{ ...(host ? { host } : {}), paths: [{ path, pathType: 'Prefix', service: svc, port: 80 }] }],
  });
}

function cluster(objects: unknown[], opts: { notReadyPods?: string[] } = {}): Cluster {
  return Cluster.fromManifests([ingressClass('nginx', 'k8s.io/ingress-nginx'), ...objects], {
    seed: 7, now: NOW, ingressController: { profile: 'nginx', sslRedirect: false }, ...opts,
  });
}

/** The `name=value` part of the first Set-Cookie, as a client sends it back. */
function cookieOf(r: RequestResult): string {
  expect(r.setCookies).toHaveLength(1);
  return r.setCookies![0].split(';')[0];
}

const AFFINITY = { [`${A}affinity`]: 'cookie', [`${A}session-cookie-name`]: 'SERVERID' };

describe('cookie affinity (e2e annotations/affinity.go)', () => {
  test('"should set sticky cookie SERVERID"; the default name is INGRESSCOOKIE (sessionaffinity/main.go defaultAffinityCookieName)', () => {
    const c = cluster([...app('echo'), single('sticky', 'sticky.foo.com', '/', 'echo', AFFINITY)]);
    const r = c.request({ url: 'http://sticky.foo.com/' });
    expect(r.status).toBe(200);
    expect(r.setCookies![0]).toMatch(/^SERVERID=[^;]+\|[0-9a-f]{32}; Path=\/; HttpOnly$/);
    const d = cluster([...app('echo'), single('sticky', 'sticky.foo.com', '/', 'echo', { [`${A}affinity`]: 'cookie' })]);
    expect(d.request({ url: 'http://sticky.foo.com/' }).setCookies![0]).toMatch(/^INGRESSCOOKIE=/);
  });

  test('"should change cookie name on ingress definition change"', () => {
    const before = cluster([...app('echo'), single('change', 'change.foo.com', '/', 'echo', AFFINITY)]);
    const after = cluster([...app('echo'), single('change', 'change.foo.com', '/', 'echo', { ...AFFINITY, [`${A}session-cookie-name`]: 'OTHERCOOKIENAME' })]);
    expect(before.request({ url: 'http://change.foo.com/' }).setCookies![0]).toMatch(/^SERVERID=/);
    expect(after.request({ url: 'http://change.foo.com/' }).setCookies![0]).toMatch(/^OTHERCOOKIENAME=/);
  });

  test('a request sending the cookie back reaches the same pod; without it requests spread (sticky.lua balance)', () => {
    const c = cluster([...app('echo', 5), single('sticky', 'sticky.foo.com', '/', 'echo', AFFINITY)]);
    const first = c.request({ url: 'http://sticky.foo.com/' });
    const cookie = cookieOf(first);
    for (let i = 0; i < 20; i++) {
      const again = c.request({ url: 'http://sticky.foo.com/x', headers: { Cookie: `other=1; ${cookie}` } });
      expect(again.pod).toBe(first.pod);
      // A pinned request is not re-cookied.
      expect(again.setCookies).toBeUndefined();
    }
    expect(texts(c.request({ url: 'http://sticky.foo.com/', headers: { Cookie: cookie } }))).toMatch(/cookie SERVERID sends the request to .* again/);
    const fresh = new Set(Array.from({ length: 30 }, () => c.request({ url: 'http://sticky.foo.com/' }).pod));
    expect(fresh.size).toBeGreaterThan(1);
  });

  test('"should set the path to /something on the generated cookie": the cookie path defaults to the location\'s Ingress path', () => {
    const c = cluster([...app('echo'), single('path', 'path.foo.com', '/something', 'echo', AFFINITY)]);
    expect(c.request({ url: 'http://path.foo.com/something' }).setCookies![0]).toContain('Path=/something;');
    // The prefix location `/something/` has the same Ingress path ($location_path).
    expect(c.request({ url: 'http://path.foo.com/something/else' }).setCookies![0]).toContain('Path=/something;');
  });

  test('"does not set the path to / on the generated cookie if there\'s more than one rule referring to the same backend"', () => {
    const ing = ingress('web', 'cookie-path', {
      className: 'nginx',
      annotations: AFFINITY,
      rules: [{ host: 'cookie.foo.com', paths: [{ path: '/something', pathType: 'Prefix', service: 'echo', port: 80 }, { path: '/somewhereelse', pathType: 'Prefix', service: 'echo', port: 80 }] }],
    });
    const c = cluster([...app('echo'), ing]);
    expect(c.request({ url: 'http://cookie.foo.com/something' }).setCookies![0]).toContain('Path=/something;');
    expect(c.request({ url: 'http://cookie.foo.com/somewhereelse' }).setCookies![0]).toContain('Path=/somewhereelse;');
  });

  test('"should set cookie with expires": Expires now+172800s in nginx cookie_time, Max-Age=259200 (lua-resty-cookie attribute order)', () => {
    const c = cluster([...app('echo'), single('exp', 'cookie.foo.com', '/', 'echo', {
      [`${A}affinity`]: 'cookie', [`${A}session-cookie-name`]: 'ExpiresCookie', [`${A}session-cookie-expires`]: '172800', [`${A}session-cookie-max-age`]: '259200',
    })]);
    expect(c.request({ url: 'http://cookie.foo.com/' }).setCookies![0]).toMatch(/^ExpiresCookie=[^;]+; Expires=Wed, 03-Jun-26 12:00:00 GMT; Max-Age=259200; Path=\/; HttpOnly$/);
    // The model's clock moves with advanceClock.
    c.advanceClock(3600);
    expect(c.request({ url: 'http://cookie.foo.com/' }).setCookies![0]).toContain('Expires=Wed, 03-Jun-26 13:00:00 GMT');
  });

  test('"should set cookie with domain" / "should not set cookie without domain annotation"', () => {
    const withDomain = cluster([...app('echo'), single('d', 'cookie.foo.com', '/', 'echo', { [`${A}affinity`]: 'cookie', [`${A}session-cookie-domain`]: 'foo.bar' })]);
    expect(withDomain.request({ url: 'http://cookie.foo.com/' }).setCookies![0]).toContain('; Domain=foo.bar');
    const without = cluster([...app('echo'), single('d', 'cookie.foo.com', '/', 'echo', { [`${A}affinity`]: 'cookie' })]);
    expect(without.request({ url: 'http://cookie.foo.com/' }).setCookies![0]).not.toContain('; Domain');
  });

  test('"should work with use-regex annotation and session-cookie-path"', () => {
    const c = cluster([...app('echo'), single('regex', 'cookie.foo.com', '/foo/.*', 'echo', { ...AFFINITY, [`${A}use-regex`]: 'true', [`${A}session-cookie-path`]: '/foo/bar' })]);
    const r = c.request({ url: 'http://cookie.foo.com/foo/bar' });
    expect(r.setCookies![0]).toMatch(/^SERVERID=.*; Path=\/foo\/bar;/);
  });

  test('"should not set affinity across all server locations when using separate ingresses": only listed locations set the cookie', () => {
    const c = cluster([...app('echo'),
      single('ingress1', 'separate.foo.com', '/foo/bar', 'echo', { [`${A}affinity`]: 'cookie' }, '2024-01-01T00:00:00Z'),
      single('ingress2', 'separate.foo.com', '/foo', 'echo', undefined, '2024-01-02T00:00:00Z')]);
    const foo = c.request({ url: 'http://separate.foo.com/foo' });
    expect(foo).toMatchObject({ status: 200, ingress: 'web/ingress2' });
    expect(foo.setCookies).toBeUndefined();
    expect(texts(foo)).toMatch(/this location sets no cookie/);
    expect(c.request({ url: 'http://separate.foo.com/foo/bar' }).setCookies![0]).toContain('Path=/foo/bar');
  });

  test('"should set sticky cookie without host"', () => {
    const c = cluster([...app('echo'), single('nohost', undefined, '/', 'echo', AFFINITY)]);
    expect(c.request({ url: 'http://anything.example/' }).setCookies![0]).toMatch(/^SERVERID=/);
  });

  test('session-cookie-secure: "true on http" sets Secure, "false on http" does not, "false on https" does (the scheme decides)', () => {
    const secure = (value: string, url: string) => cluster([...app('echo'), single('s', 'secure.foo.com', '/', 'echo', { ...AFFINITY, [`${A}session-cookie-secure`]: value })])
      .request({ url, sni: 'secure.foo.com' }).setCookies![0];
    expect(secure('true', 'http://secure.foo.com/bar')).toContain('; Secure');
    expect(secure('false', 'http://secure.foo.com/bar')).not.toContain('; Secure');
    expect(secure('false', 'https://secure.foo.com/')).toContain('; Secure');
  });

  test('session-cookie-samesite goes last; an invalid one is left out and named in the trace (sessionaffinity/main.go ValidateOptions)', () => {
    const c = cluster([...app('echo'), single('s', 'ss.foo.com', '/', 'echo', { ...AFFINITY, [`${A}session-cookie-samesite`]: 'Strict' })]);
    expect(c.request({ url: 'http://ss.foo.com/' }).setCookies![0]).toMatch(/; HttpOnly; SameSite=Strict$/);
    const bad = cluster([...app('echo'), single('s', 'ss.foo.com', '/', 'echo', { ...AFFINITY, [`${A}session-cookie-samesite`]: 'Sometimes' })]);
    const r = bad.request({ url: 'http://ss.foo.com/' });
    expect(r.setCookies![0]).not.toContain('SameSite');
    expect(texts(r)).toMatch(/session-cookie-samesite: "Sometimes" is not None, Lax or Strict/);
  });
});

describe('affinity-mode (e2e annotations/affinitymode.go)', () => {
  const persistent = { [`${A}affinity`]: 'cookie', [`${A}session-cookie-name`]: 'hello-cookie', [`${A}affinity-mode`]: 'persistent' };

  test('"Check persistent affinity mode": the cookie keeps its pod while ready; when it is gone a new pod and a new cookie', () => {
    const c = cluster([...app('echo', 5), single('p', 'affinity-mode-persistent.com', '/', 'echo', persistent)]);
    const first = c.request({ url: 'http://affinity-mode-persistent.com/' });
    const cookie = cookieOf(first);
    for (let i = 0; i < 10; i++) expect(c.request({ url: 'http://affinity-mode-persistent.com/', headers: { Cookie: cookie } }).pod).toBe(first.pod);
    // The same cookie against the app with that pod not ready: sticky_persistent finds no upstream for the key and picks anew.
    const without = cluster([...app('echo', 5), single('p', 'affinity-mode-persistent.com', '/', 'echo', persistent)], { notReadyPods: [first.pod!] });
    const moved = without.request({ url: 'http://affinity-mode-persistent.com/', headers: { Cookie: cookie } });
    expect(moved.status).toBe(200);
    expect(moved.pod).not.toBe(first.pod);
    expect(moved.setCookies![0]).toMatch(/^hello-cookie=/);
    expect(texts(moved)).toMatch(/cookie hello-cookie names no ready endpoint/);
  });

  test('"Balanced affinity mode": the cookie is a key hashed onto the endpoints; the same key lands on the same pod', () => {
    const c = cluster([...app('echo', 5), single('b', 'affinity-mode-balance.com', '/', 'echo', { ...persistent, [`${A}affinity-mode`]: 'balanced' })]);
    const first = c.request({ url: 'http://affinity-mode-balance.com/' });
    const cookie = cookieOf(first);
    expect(texts(first)).toMatch(/cookie affinity \(balanced\)/);
    for (let i = 0; i < 10; i++) expect(c.request({ url: 'http://affinity-mode-balance.com/', headers: { Cookie: cookie } }).pod).toBe(first.pod);
  });
});

const CANARY = { [`${A}canary`]: 'true' };

/** The e2e canary fixture: mainline `httpbun` and `canary` Services behind foo's /info. */
function canaryCluster(canaryAnnotations: Record<string, string>, mainAnnotations?: Record<string, string>): Cluster {
  return cluster([...app('httpbun'), ...app('canary'),
    single('foo', 'foo', '/info', 'httpbun', mainAnnotations, '2024-01-01T00:00:00Z'),
    single('foo-canary', 'foo', '/info', 'canary', { ...CANARY, ...canaryAnnotations }, '2024-01-02T00:00:00Z')]);
}

describe('canary (e2e annotations/canary.go)', () => {
  test('"when canaried by header with no value": always → canary, never and anything else → mainline', () => {
    const c = canaryCluster({ [`${A}canary-by-header`]: 'CanaryByHeader' });
    const always = c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'always' } });
    expect(always).toMatchObject({ status: 200, service: 'web/canary', canary: true, ingress: 'web/foo' });
    expect(texts(always)).toMatch(/canary Ingress web\/foo-canary: canary-by-header CanaryByHeader is "always" → web\/canary/);
    const never = c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'never' } });
    expect(never).toMatchObject({ service: 'web/httpbun' });
    expect(never.canary).toBeUndefined();
    expect(c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'badheadervalue' } }).service).toBe('web/httpbun');
  });

  test('"when canaried by header with value": only the value → canary; always is no longer special', () => {
    const c = canaryCluster({ [`${A}canary-by-header`]: 'CanaryByHeader', [`${A}canary-by-header-value`]: 'DoCanary' });
    expect(c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'DoCanary' } }).service).toBe('web/canary');
    for (const v of ['always', 'never', 'otherheadervalue']) expect(c.request({ url: 'http://foo/info', headers: { CanaryByHeader: v } }).service).toBe('web/httpbun');
  });

  test('"when canaried by header with value and pattern": the pattern alone matches; with a value the value wins', () => {
    const pattern = canaryCluster({ [`${A}canary-by-header`]: 'CanaryByHeader', [`${A}canary-by-header-pattern`]: '^Do[A-Z][a-z]+y$' });
    expect(pattern.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'DoCanary' } }).service).toBe('web/canary');
    expect(pattern.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'Docanary' } }).service).toBe('web/httpbun');
    const both = canaryCluster({ [`${A}canary-by-header`]: 'CanaryByHeader', [`${A}canary-by-header-value`]: 'DoCanary', [`${A}canary-by-header-pattern`]: '^Do[A-Z][a-z]+y$' });
    expect(both.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'DoCananry' } }).service).toBe('web/httpbun');
  });

  test('"should routes to mainline upstream when the given Regex causes error", even with the canary cookie always', () => {
    const c = canaryCluster({ [`${A}canary-by-header`]: 'CanaryByHeader', [`${A}canary-by-header-pattern`]: '[][**da?$&*', [`${A}canary-by-cookie`]: 'CanaryByCookie' });
    const r = c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'DoCanary', Cookie: 'CanaryByCookie=always' } });
    expect(r.service).toBe('web/httpbun');
    expect(texts(r)).toMatch(/does not compile → the primary backend web\/httpbun/);
  });

  test('"when canaried by header with value and cookie": a header that does not match falls through to the cookie', () => {
    const c = canaryCluster({ [`${A}canary-by-header`]: 'CanaryByHeader', [`${A}canary-by-header-value`]: 'DoCanary', [`${A}canary-by-cookie`]: 'CanaryByCookie' });
    const r = c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'otherheadervalue', Cookie: 'CanaryByCookie=always' } });
    expect(r).toMatchObject({ service: 'web/canary', canary: true });
    expect(texts(r)).toMatch(/canary-by-cookie CanaryByCookie is "always"/);
  });

  test('"when canaried by cookie respects always and never values"', () => {
    const c = canaryCluster({ [`${A}canary-by-cookie`]: 'Canary-By-Cookie' });
    for (let i = 0; i < 20; i++) {
      expect(c.request({ url: 'http://foo/info', headers: { Cookie: 'Canary-By-Cookie=always' } }).service).toBe('web/canary');
      expect(c.request({ url: 'http://foo/info', headers: { Cookie: 'Canary-By-Cookie=never' } }).service).toBe('web/httpbun');
      expect(c.request({ url: 'http://foo/info', headers: { Cookie: 'Canary-By-Cookie=badcookievalue' } }).service).toBe('web/httpbun');
    }
  });

  describe('"when canaried by weight"', () => {
    const share = (c: Cluster, n = 200) => Array.from({ length: n }, () => c.request({ url: 'http://foo/info' })).filter((r) => r.canary).length / n;
    test('"should route requests only to mainline if canary weight is 0"', () => expect(share(canaryCluster({ [`${A}canary-weight`]: '0' }))).toBe(0));
    test('"should route requests only to canary if canary weight is 100"', () => expect(share(canaryCluster({ [`${A}canary-weight`]: '100' }))).toBe(1));
    test('"should route requests only to canary if canary weight is equal to canary weight total"', () => {
      expect(share(canaryCluster({ [`${A}canary-weight`]: '1000', [`${A}canary-weight-total`]: '1000' }))).toBe(1);
    });
    test('"should route requests split between mainline and canary if canary weight is 50" (seeded draws)', () => {
      const s = share(canaryCluster({ [`${A}canary-weight`]: '50' }), 400);
      expect(s).toBeGreaterThan(0.4);
      expect(s).toBeLessThan(0.6);
      const r = canaryCluster({ [`${A}canary-weight`]: '50' }).request({ url: 'http://foo/info' });
      expect(texts(r)).toMatch(/no header or cookie decides; weight 50 of 100, the seeded draw picks/);
    });
    test('"should route requests split between mainline and canary if canary weight is 100 and weight total is 200"', () => {
      const s = share(canaryCluster({ [`${A}canary-weight`]: '100', [`${A}canary-weight-total`]: '200' }), 400);
      expect(s).toBeGreaterThan(0.4);
      expect(s).toBeLessThan(0.6);
    });
    test('the same seed gives the same answers', () => {
      const run = () => Array.from({ length: 30 }, () => canaryCluster({ [`${A}canary-weight`]: '30' })).map((c) => c.request({ url: 'http://foo/info' }).service);
      expect(run()).toEqual(run());
    });
  });

  test('"should return 404 status for requests to the canary if no matching ingress is found"; the canary is reported', () => {
    const c = cluster([...app('canary'), single('foo-canary', 'foo', '/info', 'canary', { ...CANARY, [`${A}canary-by-header`]: 'CanaryByHeader' })]);
    // The e2e client sends to the controller's address with Host: foo.
    expect(c.request({ url: `http://${c.ingressControllerAddress}/info`, headers: { Host: 'foo', CanaryByHeader: 'always' } }).status).toBe(404);
    expect(c.diagnostics.filter((d) => d.code === 'INGRESS_CANARY_WITHOUT_MAIN')).toEqual([
      expect.objectContaining({ severity: 'warning', object: 'Ingress/web/foo-canary', message: expect.stringContaining('no non-canary Ingress') }),
    ]);
  });

  test('"should not use canary with domain as a server": a canary whose host no other Ingress has is ignored and reported', () => {
    const c = cluster([...app('httpbun'), ...app('canary'),
      single('foo-canary', 'foo', '/info', 'canary', { ...CANARY, [`${A}canary-by-header`]: 'CanaryByHeader' }),
      single('bar', 'bar', '/info', 'httpbun')]);
    // The e2e client sends to the controller's address with Host: foo.
    expect(c.request({ url: `http://${c.ingressControllerAddress}/info`, headers: { Host: 'foo', CanaryByHeader: 'always' } }).status).toBe(404);
    expect(c.diagnostics.find((d) => d.code === 'INGRESS_CANARY_WITHOUT_MAIN')?.message).toMatch(/no non-canary Ingress defines host foo/);
  });

  test('"does not crash when canary ingress has multiple paths to the same non-matching backend": paths without a main location are reported', () => {
    const canary = ingress('web', 'foo-canary', {
      className: 'nginx',
      annotations: { ...CANARY, [`${A}canary-by-header`]: 'CanaryByHeader' },
      rules: [{ host: 'foo', paths: [{ path: '/foo', pathType: 'Prefix', service: 'canary', port: 80 }, { path: '/bar', pathType: 'Prefix', service: 'canary', port: 80 }] }],
    });
    const c = cluster([...app('httpbun'), ...app('canary'), canary, single('foo', 'foo', '/info', 'httpbun')]);
    expect(c.request({ url: 'http://foo/info', headers: { CanaryByHeader: 'always' } }).service).toBe('web/httpbun');
    expect(c.diagnostics.filter((d) => d.code === 'INGRESS_CANARY_WITHOUT_MAIN').map((d) => d.message)).toEqual([
      expect.stringContaining('path /foo (Prefix) on host foo'), expect.stringContaining('path /bar (Prefix) on host foo'),
    ]);
  });

  test('controller.go mergeAlternativeBackends: a canary path of another pathType does not merge', () => {
    const canary = ingress('web', 'foo-canary', {
      className: 'nginx',
      annotations: { ...CANARY, [`${A}canary-weight`]: '100' },
      rules: [{ host: 'foo', paths: [{ path: '/info', pathType: 'Exact', service: 'canary', port: 80 }] }],
    });
    const c = cluster([...app('httpbun'), ...app('canary'), canary, single('foo', 'foo', '/info', 'httpbun')]);
    expect(c.request({ url: 'http://foo/info' }).service).toBe('web/httpbun');
  });

  describe('"canary affinity behavior"', () => {
    const MAIN = { [`${A}affinity`]: 'cookie', [`${A}session-cookie-name`]: 'aff' };
    const FORCE = { [`${A}canary-by-header`]: 'ForceCanary', [`${A}canary-by-header-value`]: 'yes' };

    test.each([['default', {}], ['explicit sticky', { [`${A}affinity-canary-behavior`]: 'sticky' }]])(
      '"always routes traffic to canary if first request was affinitized to canary (%s behavior)"', (_name, behavior) => {
        const c = canaryCluster({ ...FORCE, [`${A}canary-weight`]: '1', ...behavior }, MAIN);
        const forced = c.request({ url: 'http://foo/info', headers: { ForceCanary: 'yes' } });
        expect(forced).toMatchObject({ service: 'web/canary', canary: true });
        const cookie = cookieOf(forced);
        for (let i = 0; i < 30; i++) {
          const r = c.request({ url: 'http://foo/info', headers: { Cookie: cookie } });
          expect(r).toMatchObject({ service: 'web/canary', pod: forced.pod, canary: true });
        }
        expect(texts(c.request({ url: 'http://foo/info', headers: { Cookie: cookie } }))).toMatch(/cookie aff pins the request to web\/canary/);
      });

    test('a cookie from the mainline keeps the request on the mainline even when the header asks for the canary (balancer.lua is_affinitized first)', () => {
      const c = canaryCluster({ ...FORCE, [`${A}canary-weight`]: '0' }, MAIN);
      const main = c.request({ url: 'http://foo/info' });
      expect(main.service).toBe('web/httpbun');
      const r = c.request({ url: 'http://foo/info', headers: { ForceCanary: 'yes', Cookie: cookieOf(main) } });
      expect(r.service).toBe('web/httpbun');
      expect(texts(r)).toMatch(/cookie aff pins the request to the primary backend web\/httpbun/);
    });

    test('"routes traffic to either mainline or canary backend (legacy behavior)": no affinity cookie from the canary', () => {
      const c = canaryCluster({ ...FORCE, [`${A}canary-weight`]: '50', [`${A}affinity-canary-behavior`]: 'legacy' }, MAIN);
      const forced = c.request({ url: 'http://foo/info', headers: { ForceCanary: 'yes' } });
      expect(forced.service).toBe('web/canary');
      expect(forced.setCookies).toBeUndefined();
      const services = new Set(Array.from({ length: 60 }, () => c.request({ url: 'http://foo/info' }).service));
      expect(services).toEqual(new Set(['web/canary', 'web/httpbun']));
    });
  });
});
