/**
 * ingress-nginx v1.15.1 (kubernetes/ingress-nginx, tag controller-v1.15.1) restated: the
 * behaviours that surprise migrations (Kubernetes blog, 2026-02-27, "Before You Migrate: Five
 * Surprising Ingress-NGINX Behaviors"), each case citing the controller source or e2e test it
 * follows. nginx's own part of these answers (location lookup, the trailing-slash 301, server
 * and certificate choice) is also checked against a real nginx in test/real/.
 */
import { controllerOf, ingress, send, service } from '../dataplane/ingress-controller-fixtures';

const NGINX = { profile: 'nginx', sslRedirect: false };
const texts = (r: { trace: Array<{ text: string }> }) => r.trace.map((h) => h.text).join('\n');
const svc = (name: string) => service('web', name, [{ port: 8080 }, { port: 9090, name: 'metrics' }]);
const rule = (host: string, paths: Array<[string, string | undefined, string]>) => ({
  host,
  paths: paths.map(([path, pathType, s]) => ({ path, pathType: pathType as string, service: s })),
});
const ts = (day: number) => `2024-01-0${day}T00:00:00Z`;

describe('pathType: ImplementationSpecific and a missing pathType are Prefix', () => {
  // internal/k8s/main.go SetDefaultNGINXPathType (called by store.go toIngress and syncIngress and
  // controller.go CheckIngress): a nil or ImplementationSpecific pathType becomes Prefix before
  // the locations are built, so location.go updateServerLocations normalises it like any Prefix.
  test.each([['ImplementationSpecific'], [undefined]])('pathType %s: /aaa is `location "/aaa/"` plus `= "/aaa"`; /aaaccc misses (e2e pathtype_prefix.go "should return 404 when prefix /aaa does not match request /aaaccc")', (pathType) => {
    const ctl = controllerOf([svc('a'), ingress('web', 'p', { rules: [rule('prefix.path', [['/aaa', pathType, 'a']])] })], NGINX);
    expect(send(ctl, 'http://prefix.path/aaa')).toMatchObject({ status: 200, service: 'web/a' });
    expect(texts(send(ctl, 'http://prefix.path/aaa'))).toMatch(/location = \/aaa \(the Exact twin/);
    if (pathType) expect(texts(send(ctl, 'http://prefix.path/aaa/x'))).toMatch(/pathType ImplementationSpecific of \/aaa is Prefix in ingress-nginx/);
    expect(send(ctl, 'http://prefix.path/aaa/')).toMatchObject({ status: 200, service: 'web/a' });
    expect(send(ctl, 'http://prefix.path/aaa/cccc')).toMatchObject({ status: 200, service: 'web/a' });
    expect(send(ctl, 'http://prefix.path/aaacccc')).toMatchObject({ status: 404 });
  });

  test('an ImplementationSpecific `/` is the server\'s `location "/"` (Prefix), replacing the default backend', () => {
    // controller.go createServers gives every server a root location of pathType Prefix;
    // getBackendServers merges a same-path same-type path into it.
    const ctl = controllerOf([svc('root'), ingress('web', 'r', { rules: [rule('x.test', [['/', 'ImplementationSpecific', 'root']])] })], NGINX);
    expect(send(ctl, 'http://x.test/anything')).toMatchObject({ status: 200, service: 'web/root' });
  });

  test('with use-regex the path stays as written: no `/` appended, no Exact twin (location.go: "locations with rewrite or using regular expressions are not modified")', () => {
    const ctl = controllerOf([svc('id'), ingress('web', 'r', {
      annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
      rules: [rule('x.test', [['/id/[0-9]+', 'ImplementationSpecific', 'id']])],
    })], NGINX);
    expect(send(ctl, 'http://x.test/id/123')).toMatchObject({ status: 200, service: 'web/id' });
    // A prefix regex: anything after the digits still matches (e2e pathtype_prefix.go "ignoring non-digits characters at end of string").
    expect(send(ctl, 'http://x.test/id/123abc')).toMatchObject({ status: 200, service: 'web/id' });
    expect(send(ctl, 'http://x.test/id/abc').status).toBe(404);
    expect(texts(send(ctl, 'http://x.test/id/1'))).toMatch(/location ~\* "\^\/id\/\[0-9\]\+"/);
  });
});

describe('a path ending in / answers the slash-less request with nginx\'s 301', () => {
  // nginx ngx_http_proxy_pass sets auto_redirect on a location whose name ends in `/`; ngx_http_core_find_static_location
  // answers a URI one slash shorter with 301 to the location name (query kept); controller.go getConfiguration quotes the
  // nginx documentation of it. nginx.tmpl sets port_in_redirect/server_name_in_redirect off: the Host header's name, no port.
  test.each([['Prefix'], ['Exact'], ['ImplementationSpecific']])('%s /docs/: GET /docs?x=1 → 301 http://x.test/docs/?x=1', (pathType) => {
    const ctl = controllerOf([svc('docs'), ingress('web', 'd', { rules: [rule('x.test', [['/docs/', pathType, 'docs']])] })], NGINX);
    expect(send(ctl, 'http://x.test/docs?x=1')).toMatchObject({ status: 301, location: 'http://x.test/docs/?x=1' });
    expect(send(ctl, 'https://X.test:8443/docs')).toMatchObject({ status: 301, location: 'https://x.test/docs/' });
    expect(send(ctl, 'http://x.test/docs/')).toMatchObject({ status: 200, service: 'web/docs' });
  });

  test('no 301 when the slash-less path is a location of its own (e2e pathtype_exact.go: `= "/exact"` beside `"/exact/"`)', () => {
    const ctl = controllerOf([svc('exact'), svc('prefix'), ingress('web', 'e', {
      rules: [rule('exact.path', [['/exact', 'Exact', 'exact'], ['/exact/', 'Prefix', 'prefix']])],
    })], NGINX);
    expect(send(ctl, 'http://exact.path/exact')).toMatchObject({ status: 200, service: 'web/exact' });
    expect(send(ctl, 'http://exact.path/exact/suffix')).toMatchObject({ status: 200, service: 'web/prefix' });
  });
});

describe('use-regex or rewrite-target on any Ingress of a host: every location of the host is `~*`', () => {
  // template.go enforceRegexModifier over the server's (normalised) locations and buildLocation `~* "^<path>"`.
  test('e2e annotations/rewrite.go "should use ~* location modifier if regex annotation is present"', () => {
    const ctl = controllerOf([svc('plain'), svc('regex'),
      ingress('web', 'foo', { creationTimestamp: ts(1), rules: [rule('rewrite.bar.com', [['/foo', 'Prefix', 'plain']])] }),
      ingress('web', 'regex', {
        creationTimestamp: ts(2),
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true', 'nginx.ingress.kubernetes.io/rewrite-target': '/new/backend' },
        rules: [rule('rewrite.bar.com', [['/foo.+', 'Prefix', 'regex']])],
      })], NGINX);
    expect(send(ctl, 'http://rewrite.bar.com/foo')).toMatchObject({ status: 200, service: 'web/plain', upstream: { path: '/foo' } });
    expect(send(ctl, 'http://rewrite.bar.com/foo/bar')).toMatchObject({ status: 200, service: 'web/regex', upstream: { path: '/new/backend' } });
  });

  test('e2e annotations/rewrite.go "should fail to use longest match for documented warning": the longer regex is tried first', () => {
    const ctl = controllerOf([svc('plain'), svc('regex'),
      ingress('web', 'foo', { creationTimestamp: ts(1), rules: [rule('rewrite.bar.com', [['/foo/bar/bar', 'Prefix', 'plain']])] }),
      ingress('web', 'regex', {
        creationTimestamp: ts(2),
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true', 'nginx.ingress.kubernetes.io/rewrite-target': '/new/backend' },
        rules: [rule('rewrite.bar.com', [['/foo/bar/[a-z]{3}', 'Prefix', 'regex']])],
      })], NGINX);
    expect(send(ctl, 'http://rewrite.bar.com/foo/bar/bar')).toMatchObject({ service: 'web/regex', upstream: { path: '/new/backend' } });
  });

  test('e2e annotations/rewrite.go "should use correct longest path match": rewrite-target on `/` makes the other Ingress\'s path a regex too', () => {
    const ctl = controllerOf([svc('lego'), svc('index'),
      ingress('web', 'kube-lego', { creationTimestamp: ts(1), rules: [rule('rewrite.bar.com', [['/.well-known/acme/challenge', 'Prefix', 'lego']])] }),
      ingress('web', 'rewrite-index', { creationTimestamp: ts(2), annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/new/backend' }, rules: [rule('rewrite.bar.com', [['/', 'Prefix', 'index']])] })], NGINX);
    const res = send(ctl, 'http://rewrite.bar.com/.well-known/acme/challenge');
    expect(res).toMatchObject({ service: 'web/lego', upstream: { path: '/.well-known/acme/challenge' } });
    expect(texts(res)).toMatch(/location ~\* "\^\/\.well-known\/acme\/challenge"/);
    expect(send(ctl, 'http://rewrite.bar.com/Other')).toMatchObject({ service: 'web/index', upstream: { path: '/new/backend' } });
  });

  test('the order is getBackendServers\' sort of the paths as written, then updateServerLocations inserts the twins in place', () => {
    // Sorted: "/a.c/" (5 chars) before "/abc" (4); normalising /abc afterwards gives ~* "^/abc/" and ~* "^/abc" after ~* "^/a.c/".
    // (Sorting after normalising would put ~* "^/abc/" first, since "/abc/" > "/a.c/".)
    const ctl = controllerOf([svc('plain'), svc('regex'),
      ingress('web', 'plain', { creationTimestamp: ts(1), rules: [rule('x.test', [['/abc', 'Prefix', 'plain']])] }),
      ingress('web', 'regex', { creationTimestamp: ts(2), annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' }, rules: [rule('x.test', [['/a.c/', 'ImplementationSpecific', 'regex']])] })], NGINX);
    expect(send(ctl, 'http://x.test/abc/x')).toMatchObject({ service: 'web/regex' });
    expect(send(ctl, 'http://x.test/ABC')).toMatchObject({ service: 'web/plain' });
  });

  test('a rewrite-target equal to a Prefix path still switches the host to regex: the template compares it with the normalised `/foo/`', () => {
    // location.go needsRewrite sees "/foo" == target and normalises; template.go enforceRegexModifier and buildProxyPass then see
    // "/foo/" != "/foo": every location is ~*, and ~* "^/foo/" rewrites the whole URI to the target.
    const ctl = controllerOf([svc('foo'), svc('other'),
      ingress('web', 'foo', { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/foo' }, rules: [rule('x.test', [['/foo', 'Prefix', 'foo']])] }),
      ingress('web', 'other', { rules: [rule('x.test', [['/Other', 'Prefix', 'other']])] })], NGINX);
    expect(send(ctl, 'http://x.test/foo/bar?q=1')).toMatchObject({ service: 'web/foo', upstream: { path: '/foo?q=1' } });
    expect(send(ctl, 'http://x.test/FOO')).toMatchObject({ service: 'web/foo', upstream: { path: '/FOO' } });
    expect(send(ctl, 'http://x.test/other/x')).toMatchObject({ service: 'web/other' });
  });
});

test('in regex mode a plain path is a PCRE regex: `/c++` is a possessive quantifier (nginx.tmpl does not escape paths), `/v1.0` matches /v1x0', () => {
  const ctl = controllerOf([svc('cpp'), svc('v1'), svc('regex'),
    ingress('web', 'plain', { rules: [rule('x.test', [['/c++', 'Prefix', 'cpp'], ['/v1.0', 'Prefix', 'v1']])] }),
    ingress('web', 'regex', { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' }, rules: [rule('x.test', [['/r.*', 'Prefix', 'regex']])] })], NGINX);
  expect(send(ctl, 'http://x.test/ccc/x').service).toBe('web/cpp');
  expect(send(ctl, 'http://x.test/v1x0/x').service).toBe('web/v1');
});

describe('Exact and Prefix locations of one path string over several Ingresses', () => {
  // controller.go getBackendServers: "Same paths but different types are allowed"; location.go updateServerLocations adds no
  // Exact twin where an Exact location of the path exists.
  test('e2e pathtype_mixed.go "should choose the correct location": Exact / and Prefix /, Exact /foo and Prefix /foo', () => {
    const ctl = controllerOf([svc('exact-root'), svc('prefix-root'), svc('exact-foo'), svc('prefix-foo'),
      ingress('web', 'exact-root', { creationTimestamp: ts(1), rules: [rule('mixed.path', [['/', 'Exact', 'exact-root']])] }),
      ingress('web', 'prefix-root', { creationTimestamp: ts(2), rules: [rule('mixed.path', [['/', 'Prefix', 'prefix-root']])] }),
      ingress('web', 'exact-foo', { creationTimestamp: ts(3), rules: [rule('mixed.path', [['/foo', 'Exact', 'exact-foo']])] }),
      ingress('web', 'prefix-foo', { creationTimestamp: ts(4), rules: [rule('mixed.path', [['/foo', 'Prefix', 'prefix-foo']])] })], NGINX);
    expect(send(ctl, 'http://mixed.path/').service).toBe('web/exact-root');
    expect(send(ctl, 'http://mixed.path/bar').service).toBe('web/prefix-root');
    expect(send(ctl, 'http://mixed.path/foo').service).toBe('web/exact-foo');
    expect(send(ctl, 'http://mixed.path/foo/bar').service).toBe('web/prefix-foo');
    expect(send(ctl, 'http://mixed.path/foobar').service).toBe('web/prefix-root');
  });

  test('the Prefix Ingress created first: the later Exact path still takes the exact URI (no twin is added for the Prefix)', () => {
    const ctl = controllerOf([svc('prefix'), svc('exact'),
      ingress('web', 'prefix', { creationTimestamp: ts(1), rules: [rule('x.test', [['/api', 'Prefix', 'prefix']])] }),
      ingress('web', 'exact', { creationTimestamp: ts(2), rules: [rule('x.test', [['/api', 'Exact', 'exact']])] })], NGINX);
    expect(send(ctl, 'http://x.test/api').service).toBe('web/exact');
    expect(send(ctl, 'http://x.test/api/').service).toBe('web/prefix');
  });

  test('a path merges only into the first location of its path string: after an Exact one, a second Prefix /x is a new location (the loop breaks on a type mismatch)', () => {
    const ctl = controllerOf([svc('exact'), svc('first'), svc('second'),
      ingress('web', 'exact', { creationTimestamp: ts(1), rules: [rule('x.test', [['/x', 'Exact', 'exact'], ['/x', 'Prefix', 'first']])] }),
      ingress('web', 'second', { creationTimestamp: ts(2), rules: [rule('x.test', [['/x', 'Prefix', 'second']])] })], NGINX);
    // Both Prefix /x render as location "/x/": nginx refuses the duplicate, the configuration without the later Ingress stays.
    const res = send(ctl, 'http://x.test/x/y');
    expect(res.service).toBe('web/first');
    expect(texts(res)).toMatch(/Ingress web\/second path \/x \(location \/x\/\) renders to this same location: nginx refuses duplicate locations/);
  });

  test('Prefix /api and Prefix /api/ in two Ingresses are one nginx location "/api/": the Ingress created first keeps it', () => {
    for (const [older, newer] of [['/api', '/api/'], ['/api/', '/api']]) {
      const ctl = controllerOf([svc('old'), svc('new'),
        ingress('web', 'old', { creationTimestamp: ts(1), rules: [rule('x.test', [[older, 'Prefix', 'old']])] }),
        ingress('web', 'new', { creationTimestamp: ts(2), rules: [rule('x.test', [[newer, 'Prefix', 'new']])] })], NGINX);
      expect(send(ctl, 'http://x.test/api/v1').service).toBe('web/old');
      expect(send(ctl, 'http://x.test/api/').service).toBe('web/old');
      expect(ctl.locate('x.test', '/api/v1')).toMatchObject({ ingress: 'web/old', path: older, shadowed: ['web/new'] });
    }
  });
});

describe('duplicate locations in regex mode', () => {
  test('with use-regex on the host, Prefix /api and /api/ are two `~*` locations nginx accepts: "/api/" sorts first and takes /api/x from the older Ingress', () => {
    const ctl = controllerOf([svc('old'), svc('new'), svc('regex'),
      ingress('web', 'old', { creationTimestamp: ts(1), rules: [rule('x.test', [['/api', 'Prefix', 'old']])] }),
      ingress('web', 'new', { creationTimestamp: ts(2), rules: [rule('x.test', [['/api/', 'Prefix', 'new']])] }),
      ingress('web', 'regex', { creationTimestamp: ts(3), annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' }, rules: [rule('x.test', [['/r.*', 'Prefix', 'regex']])] })], NGINX);
    expect(send(ctl, 'http://x.test/api/x').service).toBe('web/new');
    expect(send(ctl, 'http://x.test/API').service).toBe('web/old');
  });
});

describe('default backends', () => {
  // controller.go createServers: an Ingress's spec.defaultBackend becomes the root location of the servers it creates (the
  // first Ingress naming a host creates it); only a rule-less Ingress's takes the catch-all server `_`.
  const objects = [svc('api'), svc('own'), svc('late'),
    ingress('web', 'with-rules', { creationTimestamp: ts(1), defaultBackend: { service: 'own', port: 8080 }, rules: [rule('a.test', [['/api', 'Prefix', 'api']])] }),
    ingress('web', 'later', { creationTimestamp: ts(2), defaultBackend: { service: 'late', port: 8080 }, rules: [rule('a.test', [['/more', 'Prefix', 'api']]), rule('b.test', [['/b', 'Prefix', 'api']])] })];

  test('an Ingress with rules: its defaultBackend answers its own hosts\' unmatched paths', () => {
    const ctl = controllerOf(objects, NGINX);
    expect(send(ctl, 'http://a.test/unmatched')).toMatchObject({ status: 200, service: 'web/own', ingress: 'web/with-rules' });
    expect(send(ctl, 'http://b.test/unmatched')).toMatchObject({ status: 200, service: 'web/late', ingress: 'web/later' });
  });

  test('not other hosts (the catch-all server keeps the controller\'s default backend), and not a host another Ingress created first', () => {
    const ctl = controllerOf(objects, NGINX);
    const other = send(ctl, 'http://c.test/x');
    expect(other.status).toBe(404);
    expect(other.service).toBeUndefined();
    // a.test was created by with-rules: the later Ingress's defaultBackend does not answer there.
    expect(send(ctl, 'http://a.test/unmatched').service).toBe('web/own');
  });

  test('e2e servicebackend/service_backend.go "should return 503 when backend service does not exist": the answer names the port the backend asked for', () => {
    // controller.go createUpstreams names the upstream <namespace>-<service>-<port as asked> (upstreamName) whether or not the
    // Service exists; the balancer answers 503 for it.
    const ctl = controllerOf([
      ingress('web', 'gone', { rules: [{ host: 'nonexistent.svc.com', paths: [{ path: '/', pathType: 'Prefix', service: 'missing', port: 8081 }, { path: '/named', pathType: 'Prefix', service: 'missing', port: 'http' }] }] }),
    ], NGINX);
    expect(send(ctl, 'http://nonexistent.svc.com/')).toMatchObject({ status: 503, service: 'web/missing', servicePort: 8081 });
    expect(send(ctl, 'http://nonexistent.svc.com/named/x')).toMatchObject({ status: 503, service: 'web/missing', servicePortName: 'http' });
  });
});

describe('app-root', () => {
  test('nginx.tmpl renders app-root as a server-level `if ($uri = /)`: it answers / even where another Ingress owns `location /`', () => {
    const ctl = controllerOf([svc('root'), svc('app'),
      ingress('web', 'root', { creationTimestamp: ts(1), rules: [rule('x.test', [['/', 'Prefix', 'root']])] }),
      ingress('web', 'app', { creationTimestamp: ts(2), annotations: { 'nginx.ingress.kubernetes.io/app-root': '/app1' }, rules: [rule('x.test', [['/app1', 'Prefix', 'app']])] })], NGINX);
    expect(send(ctl, 'http://x.test/?a=1')).toMatchObject({ status: 302, location: 'http://x.test/app1' });
    expect(send(ctl, 'http://x.test/other')).toMatchObject({ status: 200, service: 'web/root' });
  });
});

describe('nginx\'s URI normalisation before the location lookup (checked against a real nginx in test/real/)', () => {
  // nginx ngx_http_parse_complex_uri: %XX decoded, `.`/`..` resolved, slashes merged (merge_slashes on; nginx.tmpl keeps the
  // default); an invalid escape or a `..` above the root is 400. The upstream still gets the request URI as sent.
  const ctl = controllerOf([svc('foo'), ingress('web', 'f', { rules: [rule('x.test', [['/foo', 'Prefix', 'foo']])] })], NGINX);
  const raw = (path: string) => ctl.route({ scheme: 'http', host: 'x.test', path, query: '', method: 'GET' });

  test.each([['//foo/x'], ['/fo%6F/x'], ['/x/%2e%2e/foo/x'], ['/foo/./x']])('%s is matched as /foo/x and proxied as sent', (path) => {
    expect(raw(path)).toMatchObject({ status: 200, service: 'web/foo', upstream: { path } });
  });

  test('a rewrite works on the normalised path, and proxy_pass sends the new path escaped (ngx_escape_uri NGX_ESCAPE_URI)', () => {
    const rw = controllerOf([svc('rw'), ingress('web', 'rw', {
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
      rules: [rule('x.test', [['/something(/|$)(.*)', 'ImplementationSpecific', 'rw']])],
    })], NGINX);
    const send2 = (path: string) => rw.route({ scheme: 'http', host: 'x.test', path, query: '?a=1', method: 'GET' });
    expect(send2('/something%2Fcaf%C3%A9')).toMatchObject({ status: 200, upstream: { path: '/caf%C3%A9?a=1' } });
    expect(send2('/something/100%25 x%3F')).toMatchObject({ upstream: { path: '/100%25%20x%3F?a=1' } });
  });

  test.each([['/%2e%2e/foo'], ['/fo%zz'], ['/foo/%']])('%s is a 400', (path) => {
    expect(raw(path)).toMatchObject({ status: 400 });
    expect(raw(path).service).toBeUndefined();
  });
});
