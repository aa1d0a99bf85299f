/**
 * Portable Ingress semantics, restated from:
 * - Kubernetes docs, "Ingress" → "Examples" table of path matching
 *   (https://kubernetes.io/docs/concepts/services-networking/ingress/#examples);
 * - kubernetes-sigs/ingress-controller-conformance features/path_rules.feature,
 *   features/host_rules.feature and features/default_backend.feature.
 */
import { controllerOf, ingress, makeCert, send, service, tlsSecret } from '../dataplane/ingress-controller-fixtures';

const PORTABLE = { profile: 'portable' };

describe('docs "Ingress" path matching examples table', () => {
  // [kind, paths (path:type), request path, service that must answer or undefined for no match]
  const table: Array<[string, Array<[string, string]>, string, string | undefined]> = [
    ['Prefix /, all paths', [['/', 'Prefix']], '/anything/at/all', '/'],
    ['Exact /foo matches /foo', [['/foo', 'Exact']], '/foo', '/foo'],
    ['Exact /foo does not match /bar', [['/foo', 'Exact']], '/bar', undefined],
    ['Exact /foo does not match /foo/', [['/foo', 'Exact']], '/foo/', undefined],
    ['Exact /foo/ does not match /foo', [['/foo/', 'Exact']], '/foo', undefined],
    ['Prefix /foo matches /foo', [['/foo', 'Prefix']], '/foo', '/foo'],
    ['Prefix /foo matches /foo/', [['/foo', 'Prefix']], '/foo/', '/foo'],
    ['Prefix /foo/ matches /foo', [['/foo/', 'Prefix']], '/foo', '/foo/'],
    ['Prefix /foo/ matches /foo/', [['/foo/', 'Prefix']], '/foo/', '/foo/'],
    ['Prefix /aaa/bb does not match /aaa/bbb', [['/aaa/bb', 'Prefix']], '/aaa/bbb', undefined],
    ['Prefix /aaa/bbb matches /aaa/bbb', [['/aaa/bbb', 'Prefix']], '/aaa/bbb', '/aaa/bbb'],
    ['Prefix /aaa/bbb/ matches /aaa/bbb (ignores trailing slash)', [['/aaa/bbb/', 'Prefix']], '/aaa/bbb', '/aaa/bbb/'],
    ['Prefix /aaa/bbb matches /aaa/bbb/ (matches trailing slash)', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/', '/aaa/bbb'],
    ['Prefix /aaa/bbb matches /aaa/bbb/ccc (subpath)', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/ccc', '/aaa/bbb'],
    ['Prefix /aaa/bbb does not match /aaa/bbbxyz (not a string prefix)', [['/aaa/bbb', 'Prefix']], '/aaa/bbbxyz', undefined],
    ['Prefix /, /aaa: /aaa/ccc matches /aaa', [['/', 'Prefix'], ['/aaa', 'Prefix']], '/aaa/ccc', '/aaa'],
    ['Prefix /, /aaa, /aaa/bbb: /aaa/bbb matches /aaa/bbb', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/aaa/bbb', '/aaa/bbb'],
    ['Prefix /, /aaa, /aaa/bbb: /ccc matches /', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/ccc', '/'],
    ['Prefix /aaa: /ccc uses the default backend', [['/aaa', 'Prefix']], '/ccc', undefined],
    ['Mixed /foo Prefix and /foo Exact: /foo prefers Exact', [['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo', '/foo:Exact'],
  ];

  test.each(table)('%s', (_name, paths, request, expected) => {
    const svcName = (p: string, t: string) => `svc${p.replace(/\//g, '-')}-${t.toLowerCase()}`;
    const objects = [
      ...paths.map(([p, t]) => service('web', svcName(p, t), [{ port: 8080 }])),
      ingress('web', 'paths', { rules: [{ host: 'example.com', paths: paths.map(([p, t]) => ({ path: p, pathType: t, service: svcName(p, t) })) }] }),
    ];
    const res = send(controllerOf(objects, PORTABLE), `http://example.com${request}`);
    if (expected === undefined) {
      expect(res.status).toBe(404);
      expect(res.service).toBeUndefined();
    } else {
      const [p, t] = expected.includes(':') ? expected.split(':') : [expected, paths.find(([pp]) => pp === expected)![1]];
      expect(res.status).toBe(200);
      expect(res.service).toBe(`web/${svcName(p, t)}`);
      expect(res.upstream?.path).toBe(request);
    }
  });

  test('ImplementationSpecific is matched like Prefix in the portable profile (documented model choice)', () => {
    const ctl = controllerOf([
      service('web', 'api', [{ port: 8080 }]),
      ingress('web', 'is', { rules: [{ host: 'example.com', paths: [{ path: '/api/', pathType: 'ImplementationSpecific', service: 'api' }] }] }),
    ], PORTABLE);
    expect(send(ctl, 'http://example.com/api').service).toBe('web/api');
    expect(send(ctl, 'http://example.com/api/x').service).toBe('web/api');
    expect(send(ctl, 'http://example.com/apix').status).toBe(404);
  });
});

describe('ingress-controller-conformance features/path_rules.feature', () => {
  const objects = [
    ...['foo-exact', 'foo-prefix', 'aaa-slash-bbb-prefix', 'aaa-prefix', 'aaa-slash-bbb-slash-prefix', 'foo-slash-exact']
      .map((s) => service('conf', s, [{ port: 8080 }])),
    ingress('conf', 'path-rules', {
      rules: [
        { host: 'exact-path-rules', paths: [{ path: '/foo', pathType: 'Exact', service: 'foo-exact' }] },
        {
          host: 'prefix-path-rules',
          paths: [
            { path: '/foo', pathType: 'Prefix', service: 'foo-prefix' },
            { path: '/aaa/bbb', pathType: 'Prefix', service: 'aaa-slash-bbb-prefix' },
            { path: '/aaa', pathType: 'Prefix', service: 'aaa-prefix' },
          ],
        },
        {
          host: 'mixed-path-rules',
          paths: [
            { path: '/foo', pathType: 'Prefix', service: 'foo-prefix' },
            { path: '/foo', pathType: 'Exact', service: 'foo-exact' },
          ],
        },
        {
          host: 'trailing-slash-path-rules',
          paths: [
            { path: '/aaa/bbb/', pathType: 'Prefix', service: 'aaa-slash-bbb-slash-prefix' },
            { path: '/foo/', pathType: 'Exact', service: 'foo-slash-exact' },
          ],
        },
      ],
    }),
  ];
  const ctl = controllerOf(objects, PORTABLE);

  test.each([
    ['http://exact-path-rules/foo', 200, 'foo-exact'],
    ['http://exact-path-rules/foo/', 404, undefined],
    ['http://exact-path-rules/FOO', 404, undefined],
    ['http://exact-path-rules/bar', 404, undefined],
    ['http://prefix-path-rules/foo', 200, 'foo-prefix'],
    ['http://prefix-path-rules/foo/', 200, 'foo-prefix'],
    ['http://prefix-path-rules/FOO', 404, undefined],
    ['http://prefix-path-rules/aaa/bbb', 200, 'aaa-slash-bbb-prefix'],
    ['http://prefix-path-rules/aaa/bbb/ccc', 200, 'aaa-slash-bbb-prefix'],
    ['http://prefix-path-rules/aaa/ccc', 200, 'aaa-prefix'],
    ['http://prefix-path-rules/aaaccc', 404, undefined],
    ['http://mixed-path-rules/foo', 200, 'foo-exact'],
    ['http://trailing-slash-path-rules/aaa/bbb', 200, 'aaa-slash-bbb-slash-prefix'],
    ['http://trailing-slash-path-rules/aaa/bbb/', 200, 'aaa-slash-bbb-slash-prefix'],
    ['http://trailing-slash-path-rules/foo', 404, undefined],
  ])('GET %s → %d %s', (url, status, svc) => {
    const res = send(ctl, url);
    expect(res.status).toBe(status);
    expect(res.service).toBe(svc ? `conf/${svc}` : undefined);
    if (svc) expect(res.upstream?.path).toBe(new URL(url).pathname);
  });
});

describe('ingress-controller-conformance features/host_rules.feature', () => {
  const pem = makeCert('foo.bar.com', ['foo.bar.com']);
  const objects = [
    service('conf', 'wildcard-foo-com', [{ port: 8080 }]),
    service('conf', 'foo-bar-com', [{ port: 80, name: 'http', targetPort: 8080 }]),
    tlsSecret('conf', 'conformance-tls', pem),
    ingress('conf', 'host-rules', {
      tls: [{ hosts: ['foo.bar.com'], secretName: 'conformance-tls' }],
      rules: [
        { host: '*.foo.com', paths: [{ path: '/', pathType: 'Prefix', service: 'wildcard-foo-com' }] },
        { host: 'foo.bar.com', paths: [{ path: '/', pathType: 'Prefix', service: 'foo-bar-com', port: 'http' }] },
      ],
    }),
  ];
  const ctl = controllerOf(objects, PORTABLE);

  test('TLS traffic to foo.bar.com verifies the hostname and reaches foo-bar-com', () => {
    const res = send(ctl, 'https://foo.bar.com');
    expect(res.tlsSecret).toBe('conf/conformance-tls');
    expect(res.tlsHostnameVerified).toBe(true);
    expect(res.status).toBe(200);
    expect(res.service).toBe('conf/foo-bar-com');
    expect(res.servicePort).toBe(80);
    expect(res.servicePortName).toBe('http');
    expect(res.upstream?.host).toBe('foo.bar.com');
  });

  test('plain HTTP to foo.bar.com is served too (no redirect in the specification)', () => {
    const res = send(ctl, 'http://foo.bar.com');
    expect(res.status).toBe(200);
    expect(res.service).toBe('conf/foo-bar-com');
  });

  test.each([
    ['http://subdomain.bar.com', 404, undefined, 'host does not match'],
    ['http://bar.foo.com', 200, 'wildcard-foo-com', 'wildcard matches one label'],
    ['http://baz.bar.foo.com', 404, undefined, 'wildcard covers only a single label'],
    ['http://foo.com', 404, undefined, 'wildcard needs one label'],
  ])('%s → %d (%s)', (url, status, svc) => {
    const res = send(ctl, url);
    expect(res.status).toBe(status);
    expect(res.service).toBe(svc ? `conf/${svc}` : undefined);
  });

  test('Host is matched case-insensitively and without its port', () => {
    const res = send(ctl, 'http://203.0.113.10/', { host: 'FOO.Bar.COM:8080' });
    expect(res.service).toBe('conf/foo-bar-com');
    expect(res.upstream?.host).toBe('FOO.Bar.COM:8080');
  });

  test('an exact host beats a wildcard that also covers it', () => {
    const c = controllerOf([
      service('conf', 'exact', [{ port: 8080 }]),
      service('conf', 'wild', [{ port: 8080 }]),
      ingress('conf', 'a', { rules: [{ host: '*.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'wild' }] }] }),
      ingress('conf', 'b', { rules: [{ host: 'www.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'exact' }] }] }),
    ], PORTABLE);
    expect(send(c, 'http://www.example.com/').service).toBe('conf/exact');
    expect(send(c, 'http://shop.example.com/').service).toBe('conf/wild');
  });

  test('an SNI with no certificate gets the default certificate, which does not verify', () => {
    const res = send(ctl, 'https://bar.foo.com/');
    expect(res.tlsSecret).toBe('@default');
    expect(res.tlsHostnameVerified).toBe(false);
    expect(res.service).toBe('conf/wildcard-foo-com');
  });
});

describe('ingress-controller-conformance features/default_backend.feature', () => {
  const ctl = controllerOf([
    service('conf', 'echo-service', [{ port: 8080 }]),
    ingress('conf', 'default-backend', { defaultBackend: { service: 'echo-service', port: 8080 } }),
  ], PORTABLE);

  test.each([
    ['GET', 'my-host', ''],
    ['GET', 'my-host', 'sub-path'],
    ['POST', 'some-host', ''],
    ['PUT', '', 'resource'],
    ['DELETE', 'some-host', 'resource'],
    ['PATCH', 'my-host', 'resource'],
  ])('%s http://%s/%s goes to echo-service with method and path unchanged', (method, host, path) => {
    const res = send(ctl, `http://198.51.100.1/${path}`, { method, host });
    expect(res.status).toBe(200);
    expect(res.service).toBe('conf/echo-service');
    expect(res.ingress).toBe('conf/default-backend');
    expect(res.upstream).toEqual({ method, host, path: `/${path}` });
  });

  test('with rules, the Ingress default backend takes what no rule matches', () => {
    const c = controllerOf([
      service('conf', 'echo-service', [{ port: 8080 }]),
      service('conf', 'api', [{ port: 8080 }]),
      ingress('conf', 'mixed', {
        defaultBackend: { service: 'echo-service', port: 8080 },
        rules: [{ host: 'example.com', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }],
      }),
    ], PORTABLE);
    expect(send(c, 'http://example.com/api/x').service).toBe('conf/api');
    expect(send(c, 'http://example.com/other').service).toBe('conf/echo-service');
    expect(send(c, 'http://elsewhere.test/').service).toBe('conf/echo-service');
  });

  test('no rule and no default backend: 404 from the controller', () => {
    const c = controllerOf([
      service('conf', 'api', [{ port: 8080 }]),
      ingress('conf', 'only-api', { rules: [{ host: 'example.com', paths: [{ path: '/api', pathType: 'Prefix', service: 'api' }] }] }),
    ], PORTABLE);
    const res = send(c, 'http://example.com/');
    expect(res.status).toBe(404);
    expect(res.trace.map((h) => h.text).join('\n')).toMatch(/no Ingress has a defaultBackend/);
  });
});
