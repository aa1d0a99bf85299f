/**
 * The ingress-nginx profile (kubernetes/ingress-nginx v1.15.1) and admission. Sources restated:
 * - internal/ingress/controller/controller.go: createServers, getBackendServers,
 *   updateServerLocations, extractTLSSecretName, serviceEndpoints;
 * - internal/ingress/controller/store/store.go: sortIngressSlice (creation-time order);
 * - internal/ingress/controller/template/template.go + rootfs/etc/nginx/template/nginx.tmpl:
 *   buildLocation, enforceRegexModifier, buildServerName;
 * - rootfs/etc/nginx/lua/lua_ingress.lua (redirect_to_https) and certificate.lua;
 * - docs/user-guide/ingress-path-matching.md, docs/user-guide/tls.md,
 *   docs/user-guide/nginx-configuration/annotations.md and configmap.md;
 * - kube-apiserver 1.27 plugin/pkg/admission/network/defaultingressclass.
 */
import { controllerOf, ingress, ingressClass, makeCert, send, service, tlsSecret } from './ingress-controller-fixtures';

const NGINX = { profile: 'nginx' };
const texts = (r: { trace: Array<{ text: string }> }) => r.trace.map((h) => h.text).join('\n');

describe('nginx: servers and locations (controller.go createServers/getBackendServers)', () => {
  test('Ingresses naming the same host are merged into one server', () => {
    const ctl = controllerOf([
      service('shop', 'cart', [{ port: 8080 }]),
      service('shop', 'search', [{ port: 8080 }]),
      ingress('shop', 'cart', { rules: [{ host: 'shop.example.com', paths: [{ path: '/cart', pathType: 'Prefix', service: 'cart' }] }] }),
      ingress('shop', 'search', { rules: [{ host: 'shop.example.com', paths: [{ path: '/search', pathType: 'Prefix', service: 'search' }] }] }),
    ], NGINX);
    expect(send(ctl, 'http://shop.example.com/cart/1')).toMatchObject({ status: 200, ingress: 'shop/cart', service: 'shop/cart' });
    expect(send(ctl, 'http://shop.example.com/search?q=x')).toMatchObject({ status: 200, ingress: 'shop/search', upstream: { path: '/search?q=x' } });
  });

  test('the host is chosen first: no fall-through to host-less rules of the catch-all server', () => {
    const ctl = controllerOf([
      service('web', 'api', [{ port: 8080 }]),
      service('web', 'any', [{ port: 8080 }]),
      ingress('web', 'api', { rules: [{ host: 'a.example.com', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }] }),
      ingress('web', 'any', { rules: [{ paths: [{ path: '/', pathType: 'Prefix', service: 'any' }] }] }),
    ], NGINX);
    const miss = send(ctl, 'http://a.example.com/other');
    expect(miss.status).toBe(404);
    expect(miss.service).toBeUndefined();
    expect(texts(miss)).toMatch(/default backend: 404/);
    // An unknown host lands on the catch-all server `_`, where the host-less rule lives.
    expect(send(ctl, 'http://b.example.com/other')).toMatchObject({ status: 200, service: 'web/any' });
  });

  test('duplicate host+path: the oldest Ingress (creationTimestamp) keeps it, and the trace says so', () => {
    const objects = [
      service('web', 'new', [{ port: 8080 }]),
      service('web', 'old', [{ port: 8080 }]),
      ingress('web', 'newer', { creationTimestamp: '2024-05-02T00:00:00Z', rules: [{ host: 'x.test', paths: [{ path: '/', pathType: 'Prefix', service: 'new' }] }] }),
      ingress('web', 'older', { creationTimestamp: '2024-05-01T00:00:00Z', rules: [{ host: 'x.test', paths: [{ path: '/', pathType: 'Prefix', service: 'old' }] }] }),
    ];
    const res = send(controllerOf(objects, NGINX), 'http://x.test/');
    expect(res.ingress).toBe('web/older');
    expect(res.service).toBe('web/old');
    expect(texts(res)).toMatch(/also defined by Ingress web\/newer; ingress-nginx keeps the oldest/);
  });

  test('identical creationTimestamps: namespace/name descending wins (sortIngressSlice)', () => {
    const ts = '2024-05-01T00:00:00Z';
    const res = send(controllerOf([
      service('web', 'a', [{ port: 8080 }]),
      service('web', 'b', [{ port: 8080 }]),
      ingress('web', 'a', { creationTimestamp: ts, rules: [{ host: 'x.test', paths: [{ path: '/', pathType: 'Prefix', service: 'a' }] }] }),
      ingress('web', 'b', { creationTimestamp: ts, rules: [{ host: 'x.test', paths: [{ path: '/', pathType: 'Prefix', service: 'b' }] }] }),
    ], NGINX), 'http://x.test/');
    expect(res.ingress).toBe('web/b');
  });

  test('without timestamps, manifest order is creation order', () => {
    const res = send(controllerOf([
      service('web', 'a', [{ port: 8080 }]),
      service('web', 'b', [{ port: 8080 }]),
      ingress('web', 'b', { rules: [{ host: 'x.test', paths: [{ path: '/x', pathType: 'Exact', service: 'b' }] }] }),
      ingress('web', 'a', { rules: [{ host: 'x.test', paths: [{ path: '/x', pathType: 'Exact', service: 'a' }] }] }),
    ], NGINX), 'http://x.test/x');
    expect(res.ingress).toBe('web/b');
  });

  test('wildcard host covers one label ([\\w-]+), exact server wins', () => {
    const ctl = controllerOf([
      service('web', 'wild', [{ port: 8080 }]),
      service('web', 'www', [{ port: 8080 }]),
      ingress('web', 'wild', { rules: [{ host: '*.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'wild' }] }] }),
      ingress('web', 'www', { rules: [{ host: 'www.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'www' }] }] }),
    ], NGINX);
    expect(send(ctl, 'http://shop.example.com/').service).toBe('web/wild');
    expect(send(ctl, 'http://www.example.com/').service).toBe('web/www');
    expect(send(ctl, 'http://a.b.example.com/').status).toBe(404);
    expect(send(ctl, 'http://example.com/').status).toBe(404);
  });
});

describe('nginx: path matching (docs/user-guide/ingress-path-matching.md, nginx location rules)', () => {
  const ctlFor = (paths: Array<[string, string, string]>, annotations?: Record<string, string>) => controllerOf([
    ...[...new Set(paths.map((p) => p[2]))].map((s) => service('web', s, [{ port: 8080 }])),
    ingress('web', 'paths', { annotations, rules: [{ host: 'x.test', paths: paths.map(([path, pathType, svc]) => ({ path, pathType, service: svc })) }] }),
  ], NGINX);

  test('Prefix /foo becomes location /foo/ plus = /foo: /foo and /foo/x match, /foobar does not', () => {
    const ctl = ctlFor([['/foo', 'Prefix', 'foo']]);
    expect(send(ctl, 'http://x.test/foo').service).toBe('web/foo');
    expect(texts(send(ctl, 'http://x.test/foo'))).toMatch(/location = \/foo \(the Exact twin/);
    expect(send(ctl, 'http://x.test/foo/x').service).toBe('web/foo');
    expect(send(ctl, 'http://x.test/foobar').status).toBe(404);
  });

  test('ImplementationSpecific is Prefix (internal/k8s SetDefaultNGINXPathType): /foo is /foo/ plus its Exact twin, /foobar misses', () => {
    const ctl = ctlFor([['/foo', 'ImplementationSpecific', 'foo']]);
    expect(send(ctl, 'http://x.test/foobar').status).toBe(404);
    expect(send(ctl, 'http://x.test/foo')).toMatchObject({ status: 200, service: 'web/foo' });
    expect(texts(send(ctl, 'http://x.test/foo'))).toMatch(/location = \/foo \(the Exact twin/);
  });

  test('a location ending in / answers 301 with the slash appended to the slash-less URI', () => {
    const ctl = ctlFor([['/api/', 'ImplementationSpecific', 'api'], ['/docs/', 'Prefix', 'docs']]);
    expect(send(ctl, 'http://x.test/api?x=1')).toMatchObject({ status: 301, location: 'http://x.test/api/?x=1' });
    // Unlike the portable specification, Prefix /docs/ does not serve /docs: nginx redirects.
    expect(send(ctl, 'http://x.test/docs')).toMatchObject({ status: 301, location: 'http://x.test/docs/' });
    expect(send(ctl, 'http://x.test/docs/').service).toBe('web/docs');
  });

  test('no 301 when an Exact location covers the slash-less URI', () => {
    const ctl = ctlFor([['/api/', 'ImplementationSpecific', 'api'], ['/api', 'Exact', 'exact']]);
    expect(send(ctl, 'http://x.test/api')).toMatchObject({ status: 200, service: 'web/exact' });
  });

  test('longest prefix wins; prefix matching is case-sensitive', () => {
    const ctl = ctlFor([['/', 'Prefix', 'root'], ['/app', 'ImplementationSpecific', 'app'], ['/app/admin', 'ImplementationSpecific', 'admin']]);
    expect(send(ctl, 'http://x.test/app/admin/users').service).toBe('web/admin');
    expect(send(ctl, 'http://x.test/app/x').service).toBe('web/app');
    expect(send(ctl, 'http://x.test/APP/x').service).toBe('web/root');
  });

  test('use-regex on one Ingress turns every location of the host into a case-insensitive regex', () => {
    const ctl = controllerOf([
      service('web', 'v', [{ port: 8080 }]),
      service('web', 'docs', [{ port: 8080 }]),
      service('web', 'exact', [{ port: 8080 }]),
      ingress('web', 'regex', {
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
        rules: [{ host: 'x.test', paths: [{ path: '/api/v[0-9]+', pathType: 'ImplementationSpecific', service: 'v' }] }],
      }),
      ingress('web', 'plain', {
        rules: [{
          host: 'x.test',
          paths: [{ path: '/Docs', pathType: 'ImplementationSpecific', service: 'docs' }, { path: '/exact', pathType: 'Exact', service: 'exact' }],
        }],
      }),
      ingress('web', 'other-host', { rules: [{ host: 'y.test', paths: [{ path: '/Docs', pathType: 'ImplementationSpecific', service: 'docs' }] }] }),
    ], NGINX);
    expect(send(ctl, 'http://x.test/API/V2/items').service).toBe('web/v');
    expect(send(ctl, 'http://x.test/docs/x').service).toBe('web/docs');
    // Exact locations become ~* "^/exact" too: a prefix regex.
    expect(send(ctl, 'http://x.test/exact/more').service).toBe('web/exact');
    expect(texts(send(ctl, 'http://x.test/docs'))).toMatch(/every location of this server is a case-insensitive regex/);
    // Other hosts keep static, case-sensitive locations.
    expect(send(ctl, 'http://y.test/docs/x').status).toBe(404);
    expect(send(ctl, 'http://y.test/Docs/x').service).toBe('web/docs');
  });

  test('regex locations are tried longest path first', () => {
    const ctl = ctlFor([['/.*', 'ImplementationSpecific', 'any'], ['/api/.*', 'ImplementationSpecific', 'api']], { 'nginx.ingress.kubernetes.io/use-regex': 'true' });
    expect(send(ctl, 'http://x.test/api/x').service).toBe('web/api');
    expect(send(ctl, 'http://x.test/web').service).toBe('web/any');
  });

  test('rewrite-target rewrites the upstream path with captures and keeps the query', () => {
    const ctl = ctlFor([['/something(/|$)(.*)', 'ImplementationSpecific', 'svc']], { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' });
    expect(send(ctl, 'http://x.test/something/new?a=1')).toMatchObject({ status: 200, upstream: { path: '/new?a=1' } });
    expect(send(ctl, 'http://x.test/something')).toMatchObject({ upstream: { path: '/' } });
  });
});

describe('nginx: default backends', () => {
  test('an Ingress with only a defaultBackend takes the catch-all server', () => {
    const ctl = controllerOf([
      service('web', 'fallback', [{ port: 80, targetPort: 8080 }]),
      ingress('web', 'catch-all', { defaultBackend: { service: 'fallback', port: 80 } }),
    ], NGINX);
    expect(send(ctl, 'http://anything.test/x')).toMatchObject({ status: 200, ingress: 'web/catch-all', service: 'web/fallback', targetPort: 8080 });
  });

  test('the oldest rule-less Ingress takes the catch-all; a defaultBackend beside rules does not', () => {
    const ctl = controllerOf([
      service('web', 'first', [{ port: 8080 }]),
      service('web', 'second', [{ port: 8080 }]),
      service('web', 'api', [{ port: 8080 }]),
      ingress('web', 'with-rules', {
        creationTimestamp: '2024-01-01T00:00:00Z',
        defaultBackend: { service: 'api', port: 8080 },
        rules: [{ host: 'a.test', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }],
      }),
      ingress('web', 'second', { creationTimestamp: '2024-01-03T00:00:00Z', defaultBackend: { service: 'second', port: 8080 } }),
      ingress('web', 'first', { creationTimestamp: '2024-01-02T00:00:00Z', defaultBackend: { service: 'first', port: 8080 } }),
    ], NGINX);
    expect(send(ctl, 'http://unknown.test/')).toMatchObject({ status: 200, ingress: 'web/first', service: 'web/first' });
  });

  test('canary Ingresses build no location of their own (controller.go: "marked as Canary, ignoring")', () => {
    const ctl = controllerOf([
      service('web', 'stable', [{ port: 8080 }]),
      service('web', 'canary', [{ port: 8080 }]),
      ingress('web', 'canary', {
        creationTimestamp: '2024-01-01T00:00:00Z',
        annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '0' },
        rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'canary' }] }],
      }),
      ingress('web', 'stable', { creationTimestamp: '2024-01-02T00:00:00Z', rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'stable' }] }] }),
    ], NGINX);
    expect(send(ctl, 'http://a.test/').service).toBe('web/stable');
  });

  test("a rule Ingress's defaultBackend answers its hosts' unmatched paths; without one the controller's 404", () => {
    const ctl = controllerOf([
      service('web', 'api', [{ port: 8080 }]),
      service('web', 'fallback', [{ port: 8080 }]),
      ingress('web', 'with-default', {
        defaultBackend: { service: 'fallback', port: 8080 },
        rules: [{ host: 'a.test', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }],
      }),
      ingress('web', 'without', { rules: [{ host: 'b.test', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }] }),
    ], NGINX);
    expect(send(ctl, 'http://a.test/other').service).toBe('web/fallback');
    expect(send(ctl, 'http://b.test/other')).toMatchObject({ status: 404 });
    expect(send(ctl, 'http://b.test/other').service).toBeUndefined();
  });
});

describe('nginx: TLS and HTTPS redirects (lua_ingress.lua, certificate.lua, docs/user-guide/tls.md)', () => {
  const pemA = makeCert('a.test', ['a.test']);
  const pemWild = makeCert('*.w.test', ['*.w.test']);
  const base = [
    service('web', 'app', [{ port: 8080 }]),
    tlsSecret('web', 'a-tls', pemA),
    tlsSecret('web', 'wild-tls', pemWild),
  ];
  const app = (host: string) => ({ host, paths: [{ path: '/', pathType: 'Prefix', service: 'app' }] });

  test('a host of an Ingress with a tls section: HTTP gets 308 to https, trailing slash dropped', () => {
    const ctl = controllerOf([...base, ingress('web', 'a', { tls: [{ hosts: ['a.test'], secretName: 'a-tls' }], rules: [app('a.test')] })], NGINX);
    expect(send(ctl, 'http://a.test/path/?q=1')).toMatchObject({ status: 308, location: 'https://a.test/path/?q=1' });
    expect(send(ctl, 'http://a.test/path/')).toMatchObject({ status: 308, location: 'https://a.test/path' });
    expect(send(ctl, 'http://a.test/')).toMatchObject({ status: 308, location: 'https://a.test' });
    expect(send(ctl, 'http://a.test:8080/x', { host: 'a.test:8080' })).toMatchObject({ location: 'https://a.test/x' });
    const https = send(ctl, 'https://a.test/path');
    expect(https).toMatchObject({ status: 200, tlsSecret: 'web/a-tls', tlsHostnameVerified: true, service: 'web/app' });
  });

  test('annotations and ConfigMap override the redirect', () => {
    const tls = [{ hosts: ['a.test'], secretName: 'a-tls' }];
    const off = controllerOf([...base, ingress('web', 'a', { tls, rules: [app('a.test')], annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } })], NGINX);
    expect(send(off, 'http://a.test/x').status).toBe(200);
    const configMapOff = controllerOf([...base, ingress('web', 'a', { tls, rules: [app('a.test')] })], { profile: 'nginx', sslRedirect: false });
    expect(send(configMapOff, 'http://a.test/x').status).toBe(200);
    const reOn = controllerOf([...base, ingress('web', 'a', { tls, rules: [app('a.test')], annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } })],
      { profile: 'nginx', sslRedirect: false });
    expect(send(reOn, 'http://a.test/x').status).toBe(308);
    const keepSlash = controllerOf([...base, ingress('web', 'a', { tls, rules: [app('a.test')], annotations: { 'nginx.ingress.kubernetes.io/preserve-trailing-slash': 'true' } })], NGINX);
    expect(send(keepSlash, 'http://a.test/x/').location).toBe('https://a.test/x/');
    const forced = controllerOf([...base, ingress('web', 'plain', { rules: [app('p.test')], annotations: { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' } })], NGINX);
    expect(send(forced, 'http://p.test/x')).toMatchObject({ status: 308, location: 'https://p.test/x' });
  });

  test('no tls section: no redirect, and HTTPS presents the default certificate', () => {
    const ctl = controllerOf([...base, ingress('web', 'plain', { rules: [app('p.test')] })], NGINX);
    expect(send(ctl, 'http://p.test/').status).toBe(200);
    expect(send(ctl, 'https://p.test/')).toMatchObject({ status: 200, tlsSecret: '@default', tlsHostnameVerified: false });
  });

  test('certificate chosen by SNI, route by Host', () => {
    const ctl = controllerOf([
      ...base,
      service('web', 'other', [{ port: 8080 }]),
      ingress('web', 'a', { tls: [{ hosts: ['a.test'], secretName: 'a-tls' }], rules: [app('a.test')] }),
      ingress('web', 'b', { rules: [{ host: 'b.test', paths: [{ path: '/', pathType: 'Prefix', service: 'other' }] }] }),
    ], NGINX);
    const res = send(ctl, 'https://a.test/', { host: 'b.test' });
    expect(res).toMatchObject({ tlsSecret: 'web/a-tls', tlsHostnameVerified: true, service: 'web/other', ingress: 'web/b' });
    expect(send(ctl, 'https://a.test/', { sni: null })).toMatchObject({ tlsSecret: '@default', tlsHostnameVerified: false, service: 'web/app' });
  });

  test('missing Secret or a certificate that does not cover the host → default certificate, still redirected', () => {
    const ctl = controllerOf([
      ...base,
      ingress('web', 'missing', { tls: [{ hosts: ['m.test'], secretName: 'nope' }], rules: [app('m.test')] }),
      ingress('web', 'wrong', { tls: [{ hosts: ['x.test'], secretName: 'a-tls' }], rules: [app('x.test')] }),
    ], NGINX);
    const missing = send(ctl, 'https://m.test/');
    expect(missing).toMatchObject({ status: 200, tlsSecret: '@default', tlsHostnameVerified: false });
    expect(texts(missing)).toMatch(/Secret web\/nope not found: default certificate/);
    const wrong = send(ctl, 'https://x.test/');
    expect(wrong).toMatchObject({ tlsSecret: '@default', tlsHostnameVerified: false });
    expect(texts(wrong)).toMatch(/does not cover x\.test/);
    expect(send(ctl, 'http://m.test/').status).toBe(308);
  });

  test('every host of an Ingress with a tls section redirects, even one its tls entries do not list', () => {
    const ctl = controllerOf([...base, ingress('web', 'ab', { tls: [{ hosts: ['a.test'], secretName: 'a-tls' }], rules: [app('a.test'), app('b.test')] })], NGINX);
    expect(send(ctl, 'http://b.test/x')).toMatchObject({ status: 308, location: 'https://b.test/x' });
    expect(send(ctl, 'https://b.test/x')).toMatchObject({ status: 200, tlsSecret: '@default', tlsHostnameVerified: false });
  });

  test('a tls entry without the host still applies when its certificate covers the host (extractTLSSecretName)', () => {
    const ctl = controllerOf([...base, ingress('web', 'w', { tls: [{ secretName: 'wild-tls' }], rules: [app('shop.w.test')] })], NGINX);
    expect(send(ctl, 'https://shop.w.test/')).toMatchObject({ tlsSecret: 'web/wild-tls', tlsHostnameVerified: true });
  });

  test('a wildcard server certificate serves one-label SNI names (certificate.lua)', () => {
    const ctl = controllerOf([...base, ingress('web', 'w', { tls: [{ hosts: ['*.w.test'], secretName: 'wild-tls' }], rules: [app('*.w.test')] })], NGINX);
    expect(send(ctl, 'https://api.w.test/')).toMatchObject({ tlsSecret: 'web/wild-tls', tlsHostnameVerified: true, service: 'web/app' });
    expect(send(ctl, 'http://api.w.test/').status).toBe(308);
  });

  test('--default-ssl-certificate replaces the fake certificate', () => {
    const ctl = controllerOf([...base, ingress('web', 'plain', { rules: [app('a.test')] })], { profile: 'nginx', defaultSslCertificate: 'web/a-tls' });
    expect(send(ctl, 'https://a.test/')).toMatchObject({ tlsSecret: '@default', tlsHostnameVerified: true });
  });

  test('a Secret whose key does not match its certificate is unusable', () => {
    const bad = tlsSecret('web', 'bad', { crt: pemA.crt, key: pemWild.key });
    const ctl = controllerOf([...base, bad, ingress('web', 'a', { tls: [{ hosts: ['a.test'], secretName: 'bad' }], rules: [app('a.test')] })], NGINX);
    const res = send(ctl, 'https://a.test/');
    expect(res.tlsSecret).toBe('@default');
    expect(texts(res)).toMatch(/tls\.key does not belong to the certificate/);
  });
});

describe('nginx: other annotations (annotations.md)', () => {
  const one = (annotations: Record<string, string>) => controllerOf([
    service('web', 'app', [{ port: 8080 }]),
    ingress('web', 'a', { annotations, rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app' }] }] }),
  ], NGINX);

  test('app-root redirects / with 302', () => {
    const res = send(one({ 'nginx.ingress.kubernetes.io/app-root': '/app1' }), 'http://a.test/');
    expect(res).toMatchObject({ status: 302, location: 'http://a.test/app1' });
  });

  test('permanent-redirect (with its code) and temporal-redirect', () => {
    expect(send(one({ 'nginx.ingress.kubernetes.io/permanent-redirect': 'https://new.test' }), 'http://a.test/x'))
      .toMatchObject({ status: 301, location: 'https://new.test' });
    expect(send(one({ 'nginx.ingress.kubernetes.io/permanent-redirect': 'https://new.test', 'nginx.ingress.kubernetes.io/permanent-redirect-code': '308' }), 'http://a.test/x').status)
      .toBe(308);
    expect(send(one({ 'nginx.ingress.kubernetes.io/temporal-redirect': 'https://tmp.test' }), 'http://a.test/x'))
      .toMatchObject({ status: 302, location: 'https://tmp.test' });
  });

  test('upstream-vhost sets the Host the pod receives; otherwise the client Host passes through', () => {
    expect(send(one({ 'nginx.ingress.kubernetes.io/upstream-vhost': 'internal.svc' }), 'http://a.test/x').upstream?.host).toBe('internal.svc');
    expect(send(one({}), 'http://a.test:8080/x', { host: 'a.test:8080' }).upstream).toEqual({ method: 'GET', host: 'a.test:8080', path: '/x' });
  });

  test('a non-boolean value is ignored with a trace note', () => {
    const res = send(one({ 'nginx.ingress.kubernetes.io/use-regex': 'yes' }), 'http://a.test/x');
    expect(res.status).toBe(200);
    expect(texts(res)).toMatch(/use-regex: "yes" is not a boolean/);
  });
});

describe('nginx: upstreams (serviceEndpoints)', () => {
  const withBackend = (port: number | string, extra: any[] = [], noEndpoints: string[] = []) => controllerOf([
    ...extra,
    ingress('web', 'a', { rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port }] }] }),
  ], NGINX, noEndpoints);

  test('missing Service → 503', () => {
    const res = send(withBackend(8080), 'http://a.test/');
    expect(res).toMatchObject({ status: 503, ingress: 'web/a', service: 'web/app' });
    expect(texts(res)).toMatch(/Service web\/app does not exist/);
  });

  test('no ready endpoint → 503', () => {
    const res = send(withBackend(8080, [service('web', 'app', [{ port: 8080 }])], ['web/app']), 'http://a.test/');
    expect(res).toMatchObject({ status: 503, servicePort: 8080 });
    expect(texts(res)).toMatch(/no ready endpoint/);
  });

  test('a named port resolves to the Service port; an unknown name → 503', () => {
    const svc = service('web', 'app', [{ port: 80, name: 'http', targetPort: 8080 }]);
    expect(send(withBackend('http', [svc]), 'http://a.test/')).toMatchObject({ status: 200, servicePort: 80, servicePortName: 'http', targetPort: 8080 });
    expect(send(withBackend('grpc', [svc]), 'http://a.test/').status).toBe(503);
  });

  test('ingress-nginx also accepts a port number equal to the targetPort', () => {
    const svc = service('web', 'app', [{ port: 80, name: 'http', targetPort: 8080 }]);
    expect(send(withBackend(8080, [svc]), 'http://a.test/')).toMatchObject({ status: 200, servicePort: 80 });
    expect(send(controllerOf([svc, ingress('web', 'a', { rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 8080 }] }] })],
      { profile: 'portable' }), 'http://a.test/').status).toBe(503);
  });

  test('endpoints take turns (round robin), straight to the pods', () => {
    const ctl = withBackend(8080, [service('web', 'app', [{ port: 8080 }])]);
    const pods = [1, 2, 3].map(() => send(ctl, 'http://a.test/').pod);
    expect(pods).toEqual(['web/app-0', 'web/app-1', 'web/app-0']);
    expect(texts(send(ctl, 'http://a.test/'))).toMatch(/straight to the pod, not via the ClusterIP/);
  });
});

describe('admission: which Ingresses the controller serves', () => {
  const rule = [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app' }] }];
  const statusOf = (objects: any[], key: string, options = {}) => controllerOf(objects, options).ingressStatus(key);

  test('no IngressClass in the manifests: every Ingress is served, and the trace of the status says why', () => {
    const st = statusOf([ingress('web', 'a', { className: 'whatever', rules: rule })], 'web/a', NGINX);
    expect(st).toMatchObject({ admitted: true, controller: 'k8s.io/ingress-nginx' });
    expect(st.reason).toMatch(/no IngressClass in the manifests/);
  });

  test('ingressClassName must name a class of this controller', () => {
    const objects = [
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      ingressClass('traefik', 'traefik.io/ingress-controller'),
      ingress('web', 'mine', { className: 'nginx', rules: rule }),
      ingress('web', 'theirs', { className: 'traefik', rules: rule }),
      ingress('web', 'ghost', { className: 'nope', rules: rule }),
    ];
    expect(statusOf(objects, 'web/mine')).toMatchObject({ admitted: true, controller: 'k8s.io/ingress-nginx' });
    expect(statusOf(objects, 'web/theirs')).toMatchObject({ admitted: false, reason: expect.stringMatching(/belongs to controller traefik.io/) });
    expect(statusOf(objects, 'web/ghost')).toMatchObject({ admitted: false, reason: 'IngressClass nope does not exist' });
    expect(statusOf(objects, 'web/missing').admitted).toBe(false);
  });

  test('a class-less Ingress gets the default IngressClass; two defaults make the API server reject it (1.27)', () => {
    const oneDefault = [ingressClass('nginx', 'k8s.io/ingress-nginx', true), ingress('web', 'a', { rules: rule })];
    expect(statusOf(oneDefault, 'web/a')).toMatchObject({ admitted: true, reason: expect.stringMatching(/default IngressClass nginx/) });
    const twoDefaults = [...oneDefault, ingressClass('other', 'k8s.io/ingress-nginx', true)];
    expect(statusOf(twoDefaults, 'web/a')).toMatchObject({ admitted: false, reason: expect.stringMatching(/^2 default IngressClasses were found, only 1 allowed/) });
  });

  test('legacy annotation and watchIngressWithoutClass', () => {
    const objects = [
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      ingress('web', 'annotated', { annotations: { 'kubernetes.io/ingress.class': 'nginx' }, rules: rule }),
      ingress('web', 'other', { annotations: { 'kubernetes.io/ingress.class': 'gce' }, rules: rule }),
      ingress('web', 'bare', { rules: rule }),
    ];
    expect(statusOf(objects, 'web/annotated').admitted).toBe(true);
    expect(statusOf(objects, 'web/other').admitted).toBe(false);
    expect(statusOf(objects, 'web/bare').admitted).toBe(false);
    expect(statusOf(objects, 'web/bare', { watchIngressWithoutClass: true }).admitted).toBe(true);
  });

  test('an Ingress that is not served does not route', () => {
    const ctl = controllerOf([
      service('web', 'app', [{ port: 8080 }]),
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      ingress('web', 'theirs', { className: 'other', rules: rule }),
    ]);
    expect(send(ctl, 'http://a.test/').status).toBe(404);
    expect(ctl.servesHost('a.test')).toBe(false);
  });
});

describe('profile choice', () => {
  test.each([
    [[ingressClass('nginx', 'k8s.io/ingress-nginx')], {}, 'nginx'],
    [[ingressClass('nginx', 'example.com/other')], {}, 'nginx'],
    [[ingressClass('public', 'example.com/other')], {}, 'portable'],
    [[ingress('web', 'a', { className: 'nginx', defaultBackend: { service: 'x', port: 80 } })], {}, 'nginx'],
    [[], {}, 'portable'],
    [[ingressClass('public', 'example.com/other')], { controllerName: 'k8s.io/ingress-nginx' }, 'nginx'],
    [[ingressClass('nginx', 'k8s.io/ingress-nginx')], { profile: 'portable' }, 'portable'],
  ])('%j with %j → %s', (objects, options, profile) => {
    expect(controllerOf(objects, options).profile).toBe(profile);
  });

  test('an unknown profile is rejected with the option name and the allowed values', () => {
    expect(() => controllerOf([], { profile: 'traefik' })).toThrow('ingressController.profile: Unsupported value: "traefik": supported values: "nginx", "portable"');
  });
});
