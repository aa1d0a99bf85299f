/**
 * The Gateway API conformance suite (kubernetes-sigs/gateway-api v1.6.1, conformance/tests/*.go
 * and their *.yaml) restated as cases against the model's `spec` profile. Each describe names the
 * upstream test (ShortName) and file; [core] tests need only the Gateway, HTTPRoute and
 * ReferenceGrant features, [extended] tests one of the extended features. The manifests are ours,
 * written after the upstream ones; expected answers are the upstream test's.
 */
import {
  APP_NS, caConfigMap, conformanceCluster, gateway, http, https, httpRoute, infra, makeClientPki, NS, referenceGrant, responseHeader, send,
  upstreamHeader, WEB_NS,
} from './gateway-api-fixtures';
import { RequestResult } from '../../src';

const ref = (name: string, port = 8080, extra: any = {}) => ({ name, port, ...extra });
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
const exact = (value: string) => ({ path: { type: 'Exact', value } });
const rule = (matches: any[] | undefined, backend: string, extra: any = {}) =>
  ({ ...(matches ? { matches } : {}), backendRefs: [ref(backend)], ...extra });

function expectBackend(r: RequestResult, service: string): void {
  expect([r.status, r.service]).toEqual([200, service]);
}

describe('[core] HTTPRouteSimpleSameNamespace — conformance/tests/httproute-simple-same-namespace.go', () => {
  const c = conformanceCluster(httpRoute('gateway-conformance-infra-test', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }));
  test('the route is accepted and a request reaches infra-backend-v1', () => {
    expect(c.routeStatus(`${NS}/gateway-conformance-infra-test`)).toEqual([expect.objectContaining({ parent: `${NS}/same-namespace`, accepted: true, resolvedRefs: true })]);
    const r = send(c, 'same-namespace', { path: '/' });
    expectBackend(r, infra('v1'));
    expect(r).toMatchObject({ gateway: `${NS}/same-namespace`, listener: 'http', route: `${NS}/gateway-conformance-infra-test` });
    expect(r.trace.some((h) => h.component === 'gateway' && h.action === 'match')).toBe(true);
  });
});

describe('[core] HTTPRouteMatching — conformance/tests/httproute-matching.go', () => {
  const c = conformanceCluster(httpRoute('matching', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([prefix('/'), { headers: [{ name: 'version', value: 'one' }] }], 'infra-backend-v1'),
      rule([prefix('/v2'), { headers: [{ name: 'version', value: 'two' }] }], 'infra-backend-v2'),
    ],
  }));
  test.each([
    ['/', {}, 'v1'], ['/example', {}, 'v1'], ['/', { Version: 'one' }, 'v1'], ['/v2', {}, 'v2'], ['/v2/example', {}, 'v2'],
    ['/', { Version: 'two' }, 'v2'], ['/v2/', {}, 'v2'], ['/v2example', {}, 'v1'], ['/foo/v2/example', {}, 'v1'],
  ])('%s %j → infra-backend-%s', (path, headers, v) => expectBackend(send(c, 'same-namespace', { path, headers }), infra(v)));
});

describe('[core] HTTPRoutePathMatchOrder — conformance/tests/httproute-path-match-order.go', () => {
  const c = conformanceCluster(httpRoute('path-matching-order', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([exact('/match')], 'infra-backend-v1'), rule([exact('/match/exact')], 'infra-backend-v2'), rule([exact('/match/exact/one')], 'infra-backend-v3'),
      rule([prefix('/match/')], 'infra-backend-v3'), rule([prefix('/match/prefix/')], 'infra-backend-v1'), rule([prefix('/match/prefix/one')], 'infra-backend-v2'),
    ],
  }));
  test.each([
    ['/match/exact/one', 'v3'], ['/match/exact', 'v2'], ['/match', 'v1'], ['/match/prefix/one/any', 'v2'], ['/match/prefix/any', 'v1'], ['/match/any', 'v3'],
  ])('%s → infra-backend-%s', (path, v) => expectBackend(send(c, 'same-namespace', { path }), infra(v)));
});

describe('[core] HTTPExactPathMatching — conformance/tests/httproute-exact-path-matching.go', () => {
  const c = conformanceCluster(httpRoute('exact-matching', {
    parentRefs: [{ name: 'same-namespace' }], rules: [rule([exact('/one')], 'infra-backend-v1'), rule([exact('/two')], 'infra-backend-v2')],
  }));
  test('/one and /two reach their backends', () => {
    expectBackend(send(c, 'same-namespace', { path: '/one' }), infra('v1'));
    expectBackend(send(c, 'same-namespace', { path: '/two' }), infra('v2'));
  });
  test.each(['/', '/one/example', '/two/', '/Two'])('%s → 404', (path) => expect(send(c, 'same-namespace', { path }).status).toBe(404));
});

describe('[core] HTTPRouteHeaderMatching — conformance/tests/httproute-header-matching.go', () => {
  const h = (pairs: Record<string, string>) => ({ headers: Object.entries(pairs).map(([name, value]) => ({ name, value })) });
  const c = conformanceCluster(httpRoute('header-matching', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([h({ version: 'one' })], 'infra-backend-v1'), rule([h({ version: 'two' })], 'infra-backend-v2'),
      rule([h({ version: 'two', color: 'orange' })], 'infra-backend-v1'),
      rule([h({ color: 'blue' }), h({ color: 'green' })], 'infra-backend-v1'), rule([h({ color: 'red' }), h({ color: 'yellow' })], 'infra-backend-v2'),
    ],
  }));
  test.each([
    [{ Version: 'one' }, 'v1'], [{ Version: 'two' }, 'v2'], [{ Version: 'two', Color: 'orange' }, 'v1'], [{ Version: 'two', Color: 'blue' }, 'v2'],
    [{ Color: 'blue' }, 'v1'], [{ Color: 'green' }, 'v1'], [{ Color: 'red' }, 'v2'], [{ Color: 'yellow' }, 'v2'],
  ])('%j → infra-backend-%s', (headers, v) => expectBackend(send(c, 'same-namespace', { headers }), infra(v)));
  test.each([[{ Color: 'orange' }], [{ 'Some-Other-Header': 'one' }], [{ Color: 'purple' }]])('%j → 404', (headers) =>
    expect(send(c, 'same-namespace', { headers }).status).toBe(404));
});

describe('[core] HTTPRouteHostnameIntersection — conformance/tests/httproute-hostname-intersection.go', () => {
  const gw = 'httproute-hostname-intersection';
  const parent = [{ name: gw, namespace: NS }];
  const c = conformanceCluster(
    gateway(gw, [http('listener-1', { hostname: 'very.specific.com' }), http('listener-2', { hostname: '*.wildcard.io' }), http('listener-3', { hostname: '*.anotherwildcard.io' })]),
    httpRoute('specific-host-matches-listener-specific-host', { parentRefs: parent, hostnames: ['non.matching.com', '*.nonmatchingwildcard.io', 'very.specific.com'], rules: [rule([prefix('/s1')], 'infra-backend-v1')] }),
    httpRoute('specific-host-matches-listener-wildcard-host', { parentRefs: parent, hostnames: ['non.matching.com', 'wildcard.io', 'foo.wildcard.io', 'bar.wildcard.io', 'foo.bar.wildcard.io'], rules: [rule([prefix('/s2')], 'infra-backend-v2')] }),
    httpRoute('wildcard-host-matches-listener-specific-host', { parentRefs: parent, hostnames: ['non.matching.com', '*.specific.com'], rules: [rule([prefix('/s3')], 'infra-backend-v3')] }),
    httpRoute('wildcard-host-matches-listener-wildcard-host', { parentRefs: parent, hostnames: ['*.anotherwildcard.io'], rules: [rule([prefix('/s4')], 'infra-backend-v1')] }),
    httpRoute('no-intersecting-hosts', { parentRefs: parent, hostnames: ['specific.but.wrong.com', 'wildcard.io'], rules: [rule([prefix('/s5')], 'infra-backend-v2')] }),
  );
  test.each([
    ['very.specific.com', '/s1', 'v1'], ['very.specific.com:1234', '/s1', 'v1'], ['foo.wildcard.io', '/s2', 'v2'], ['bar.wildcard.io', '/s2', 'v2'],
    ['foo.bar.wildcard.io', '/s2', 'v2'], ['very.specific.com', '/s3', 'v3'], ['foo.anotherwildcard.io', '/s4', 'v1'], ['bar.anotherwildcard.io', '/s4', 'v1'],
    ['foo.bar.anotherwildcard.io', '/s4', 'v1'],
  ])('Host %s%s → infra-backend-%s', (host, path, v) => expectBackend(send(c, gw, { host: host.split(':')[0], headers: { Host: host }, path }), infra(v)));
  test.each([
    ['non.matching.com', '/s1'], ['foo.nonmatchingwildcard.io', '/s1'], ['foo.wildcard.io', '/s1'], ['very.specific.com', '/non-matching-prefix'],
    ['non.matching.com', '/s2'], ['wildcard.io', '/s2'], ['very.specific.com', '/s2'], ['foo.wildcard.io', '/non-matching-prefix'],
    ['non.matching.com', '/s3'], ['foo.specific.com', '/s3'], ['foo.wildcard.io', '/s3'], ['anotherwildcard.io', '/s4'], ['foo.wildcard.io', '/s4'],
    ['very.specific.com', '/s4'], ['specific.but.wrong.com', '/s5'], ['wildcard.io', '/s5'],
  ])('%s%s → 404', (host, path) => expect(send(c, gw, { host, path }).status).toBe(404));
  test('a route with no intersecting hostname is not accepted (NoMatchingListenerHostname) and not counted in attachedRoutes', () => {
    expect(c.routeStatus(`${NS}/no-intersecting-hosts`)).toEqual([expect.objectContaining({ accepted: false, reason: 'NoMatchingListenerHostname' })]);
    expect(c.gatewayStatus(`${NS}/${gw}`).listeners.map((l) => [l.name, l.accepted, l.resolvedRefs, l.attachedRoutes]))
      .toEqual([['listener-1', true, true, 2], ['listener-2', true, true, 1], ['listener-3', true, true, 1]]);
  });
});

describe('[core] HTTPRouteListenerHostnameMatching — conformance/tests/httproute-listener-hostname-matching.go', () => {
  const gw = 'httproute-listener-hostname-matching';
  const p = (section: string) => ({ name: gw, namespace: NS, sectionName: section });
  const c = conformanceCluster(
    gateway(gw, [http('listener-1', { hostname: 'bar.com' }), http('listener-2', { hostname: 'foo.bar.com' }), http('listener-3', { hostname: '*.bar.com' }), http('listener-4', { hostname: '*.foo.com' })]),
    httpRoute('backend-v1', { parentRefs: [p('listener-1')], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    httpRoute('backend-v2', { parentRefs: [p('listener-2')], rules: [{ backendRefs: [ref('infra-backend-v2')] }] }),
    httpRoute('backend-v3', { parentRefs: [p('listener-3'), p('listener-4')], rules: [{ backendRefs: [ref('infra-backend-v3')] }] }),
  );
  test.each([
    ['bar.com', 'v1'], ['foo.bar.com', 'v2'], ['baz.bar.com', 'v3'], ['boo.bar.com', 'v3'], ['multiple.prefixes.bar.com', 'v3'], ['multiple.prefixes.foo.com', 'v3'],
  ])('%s → infra-backend-%s', (host, v) => expectBackend(send(c, gw, { host }), infra(v)));
  test.each(['foo.com', 'no.matching.host'])('%s → 404', (host) => expect(send(c, gw, { host }).status).toBe(404));
});

describe('[core] HTTPRouteMatchingAcrossRoutes — conformance/tests/httproute-matching-across-routes.go', () => {
  const c = conformanceCluster(
    httpRoute('matching-part1', { parentRefs: [{ name: 'same-namespace' }], hostnames: ['example.com', 'example.net'], rules: [rule([prefix('/'), { headers: [{ name: 'version', value: 'one' }] }], 'infra-backend-v1')] }),
    httpRoute('matching-part2', { parentRefs: [{ name: 'same-namespace' }], hostnames: ['example.com'], rules: [rule([prefix('/v2'), { headers: [{ name: 'version', value: 'two' }] }], 'infra-backend-v2')] }),
  );
  test.each([
    ['example.com', '/', {}, 'v1'], ['example.com', '/example', {}, 'v1'], ['example.net', '/example', {}, 'v1'], ['example.com', '/example', { Version: 'one' }, 'v1'],
    ['example.com', '/v2', {}, 'v2'], ['example.net', '/v2', {}, 'v1'], ['example.com', '/v2/example', {}, 'v2'], ['example.com', '/', { Version: 'two' }, 'v2'],
  ])('%s%s %j → infra-backend-%s', (host, path, headers, v) => expectBackend(send(c, 'same-namespace', { host, path, headers }), infra(v)));
});

describe('[core] HTTPRouteCrossNamespace — conformance/tests/httproute-cross-namespace.go', () => {
  const c = conformanceCluster(httpRoute('cross-namespace', { parentRefs: [{ name: 'backend-namespaces', namespace: NS }], rules: [{ backendRefs: [ref('web-backend')] }] }, WEB_NS));
  test('a route in a labelled namespace attaches through allowedRoutes Selector and reaches its own Service', () => {
    expect(c.routeStatus(`${WEB_NS}/cross-namespace`)).toEqual([expect.objectContaining({ accepted: true, resolvedRefs: true })]);
    expectBackend(send(c, 'backend-namespaces'), `${WEB_NS}/web-backend`);
  });
});

describe('[core] HTTPRouteReferenceGrant — conformance/tests/httproute-reference-grant.go', () => {
  const route = httpRoute('reference-grant', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('web-backend', 8080, { namespace: WEB_NS })] }] });
  const grant = referenceGrant('reference-grant', WEB_NS, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }], [{ group: '', kind: 'Service', name: 'web-backend' }]);
  test('with the ReferenceGrant the cross-namespace backend is reached', () => expectBackend(send(conformanceCluster(route, grant), 'same-namespace'), `${WEB_NS}/web-backend`));
  test('without it (deleted) the request gets 500', () => expect(send(conformanceCluster(route), 'same-namespace').status).toBe(500));
});

describe('[core] HTTPRouteInvalidReferenceGrant — conformance/tests/httproute-invalid-reference-grant.go', () => {
  const from = (o: any = {}) => [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS, ...o }];
  const to = (o: any = {}) => [{ group: '', kind: 'Service', name: 'web-backend', ...o }];
  const c = conformanceCluster(
    referenceGrant('reference-grant-wrong-namespace', NS, from(), to()),
    referenceGrant('reference-grant-wrong-from-group', WEB_NS, from({ group: 'not-the-group-youre-looking-for' }), to()),
    referenceGrant('reference-grant-wrong-from-kind', WEB_NS, from({ kind: 'Gateway' }), to()),
    referenceGrant('reference-grant-wrong-from-namespace', WEB_NS, from({ namespace: 'not-the-namespace-youre-looking-for' }), to()),
    referenceGrant('reference-grant-wrong-to-group', WEB_NS, from(), to({ group: 'not-the-group-youre-looking-for' })),
    referenceGrant('reference-grant-wrong-to-kind', WEB_NS, from(), to({ kind: 'Secret' })),
    referenceGrant('reference-grant-wrong-to-name', WEB_NS, from(), to({ kind: 'Secret', name: 'not-the-service-youre-looking-for' })),
    httpRoute('reference-grant', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('web-backend', 8080, { namespace: WEB_NS })] }] }),
  );
  test('no grant covers the Service: ResolvedRefs False RefNotPermitted, and 500', () => {
    expect(c.routeStatus(`${NS}/reference-grant`)).toEqual([expect.objectContaining({ accepted: true, resolvedRefs: false, reason: 'RefNotPermitted' })]);
    expect(send(c, 'same-namespace').status).toBe(500);
  });
});

describe('[core] HTTPRoutePartiallyInvalidViaInvalidReferenceGrant — conformance/tests/httproute-partially-invalid-via-invalid-reference-grant.go', () => {
  const c = conformanceCluster(
    referenceGrant('invalid-reference-grant', APP_NS, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }], [{ group: '', kind: 'Service', name: 'app-backend-v1' }]),
    httpRoute('invalid-reference-grant', {
      parentRefs: [{ name: 'same-namespace' }],
      rules: [{ matches: [prefix('/v2')], backendRefs: [ref('app-backend-v2', 8080, { namespace: APP_NS })] }, { backendRefs: [ref('app-backend-v1', 8080, { namespace: APP_NS })] }],
    }),
  );
  test('RefNotPermitted; the rule with the ungranted backend answers 500, the other still routes', () => {
    expect(c.routeStatus(`${NS}/invalid-reference-grant`)).toEqual([expect.objectContaining({ resolvedRefs: false, reason: 'RefNotPermitted' })]);
    expect(send(c, 'same-namespace', { path: '/v2' }).status).toBe(500);
    expectBackend(send(c, 'same-namespace', { path: '/' }), `${APP_NS}/app-backend-v1`);
  });
});

describe('[core] HTTPRouteInvalidCrossNamespaceBackendRef — conformance/tests/httproute-invalid-cross-namespace-backend-ref.go', () => {
  const c = conformanceCluster(httpRoute('invalid-cross-namespace-backend-ref', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('web-backend', 8080, { namespace: WEB_NS })] }] }));
  test('ResolvedRefs False RefNotPermitted; 500', () => {
    expect(c.routeStatus(`${NS}/invalid-cross-namespace-backend-ref`)[0]).toMatchObject({ resolvedRefs: false, reason: 'RefNotPermitted' });
    expect(send(c, 'same-namespace').status).toBe(500);
  });
});

describe('[core] HTTPRouteInvalidCrossNamespaceParentRef — conformance/tests/httproute-invalid-cross-namespace-parent-ref.go', () => {
  const c = conformanceCluster(httpRoute('invalid-cross-namespace-parent-ref', { parentRefs: [{ name: 'same-namespace', namespace: NS }], rules: [{ backendRefs: [ref('web-backend')] }] }, WEB_NS));
  test('Accepted False NotAllowedByListeners; the listener counts no route', () => {
    expect(c.routeStatus(`${WEB_NS}/invalid-cross-namespace-parent-ref`)[0]).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners' });
    expect(c.gatewayStatus(`${NS}/same-namespace`).listeners[0].attachedRoutes).toBe(0);
  });
});

describe('[core] HTTPRouteInvalidNonExistentBackendRef — conformance/tests/httproute-invalid-nonexistent-backendref.go', () => {
  const c = conformanceCluster(httpRoute('invalid-nonexistent-backend-ref', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('nonexistent')] }] }));
  test('ResolvedRefs False BackendNotFound; 500', () => {
    expect(c.routeStatus(`${NS}/invalid-nonexistent-backend-ref`)[0]).toMatchObject({ accepted: true, resolvedRefs: false, reason: 'BackendNotFound' });
    expect(send(c, 'same-namespace').status).toBe(500);
  });
});

describe('[core] HTTPRouteInvalidBackendRefUnknownKind — conformance/tests/httproute-invalid-backendref-unknown-kind.go', () => {
  const c = conformanceCluster(httpRoute('invalid-backend-ref-unknown-kind', {
    parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('infra-backend-v1', 8080, { group: 'unknownkind.example.com', kind: 'NonExistent' })] }],
  }));
  test('ResolvedRefs False InvalidKind; 500', () => {
    expect(c.routeStatus(`${NS}/invalid-backend-ref-unknown-kind`)[0]).toMatchObject({ resolvedRefs: false, reason: 'InvalidKind' });
    expect(send(c, 'same-namespace', { path: '/v2' }).status).toBe(500);
  });
});

describe('[core] HTTPRouteInvalidParentRefNotMatchingSectionName — conformance/tests/httproute-invalid-parentref-not-matching-section-name.go', () => {
  const c = conformanceCluster(httpRoute('httproute-listener-not-matching-section-name', {
    parentRefs: [{ name: 'same-namespace', port: 80, sectionName: 'http1' }], rules: [{ backendRefs: [ref('infra-backend-v1', 8080, { kind: 'Service' })] }],
  }));
  test('Accepted False NoMatchingParent', () => {
    expect(c.routeStatus(`${NS}/httproute-listener-not-matching-section-name`)[0]).toMatchObject({ accepted: false, reason: 'NoMatchingParent', sectionName: 'http1' });
  });
});

describe('[core] HTTPRouteNoBackendRefs — conformance/tests/httproute-omitted-backendrefs.go', () => {
  const c = conformanceCluster(httpRoute('omitted-backendrefs', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [rule([prefix('/forward')], 'infra-backend-v1'), { matches: [prefix('/omitted-no-forward')] }, { matches: [prefix('/empty-no-forward')], backendRefs: [] }],
  }));
  test('a rule without backendRefs answers 500', () => {
    expectBackend(send(c, 'same-namespace', { path: '/forward' }), infra('v1'));
    expect(send(c, 'same-namespace', { path: '/omitted-no-forward' }).status).toBe(500);
    expect(send(c, 'same-namespace', { path: '/empty-no-forward' }).status).toBe(500);
  });
});

describe('[core] HTTPRouteMultipleGateways — conformance/tests/httproute-multiple-gateways.go', () => {
  const c = conformanceCluster(
    httpRoute('multiple-gateways-shared-route', { parentRefs: [{ name: 'same-namespace' }, { name: 'all-namespaces' }], rules: [rule([prefix('/shared')], 'infra-backend-v1')] }),
    httpRoute('same-namespace-dedicated-route', { parentRefs: [{ name: 'same-namespace' }], rules: [rule([prefix('/')], 'infra-backend-v2')] }),
    httpRoute('all-namespaces-dedicated-route', { parentRefs: [{ name: 'all-namespaces' }], rules: [rule([prefix('/')], 'infra-backend-v3')] }),
  );
  test('a shared route serves both Gateways; each Gateway keeps its dedicated route', () => {
    expectBackend(send(c, 'same-namespace', { path: '/shared' }), infra('v1'));
    expectBackend(send(c, 'same-namespace', { path: '/' }), infra('v2'));
    expectBackend(send(c, 'all-namespaces', { path: '/shared' }), infra('v1'));
    expectBackend(send(c, 'all-namespaces', { path: '/' }), infra('v3'));
  });
});

describe('[core] HTTPRouteWeight — conformance/tests/httproute-weight.go', () => {
  const c = conformanceCluster(httpRoute('weighted-backends', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [{ backendRefs: [ref('infra-backend-v1', 8080, { weight: 70 }), ref('infra-backend-v2', 8080, { weight: 30 }), ref('infra-backend-v3', 8080, { weight: 0 })] }],
  }));
  test('traffic splits 70/30/0 within the suite tolerance (seeded pick)', () => {
    const counts: Record<string, number> = {};
    const n = 1000;
    for (let i = 0; i < n; i++) {
      const r = send(c, 'same-namespace');
      expect(r.status).toBe(200);
      counts[r.service!] = (counts[r.service!] ?? 0) + 1;
    }
    expect(Math.abs(counts[infra('v1')] / n - 0.7)).toBeLessThan(0.05);
    expect(Math.abs(counts[infra('v2')] / n - 0.3)).toBeLessThan(0.05);
    expect(counts[infra('v3')]).toBeUndefined();
  });
});

describe('[core] HTTPRouteRequestHeaderModifier — conformance/tests/httproute-request-header-modifier.go', () => {
  const mod = (path: string, m: any) => ({ matches: [prefix(path)], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: m }], backendRefs: [ref('infra-backend-v1')] });
  const c = conformanceCluster(httpRoute('request-header-modifier', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      mod('/set', { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] }),
      mod('/add', { add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] }),
      mod('/remove', { remove: ['X-Header-Remove'] }),
      mod('/multiple', {
        set: [{ name: 'X-Header-Set-1', value: 'header-set-1' }, { name: 'X-Header-Set-2', value: 'header-set-2' }],
        add: [{ name: 'X-Header-Add-1', value: 'header-add-1' }, { name: 'X-Header-Add-2', value: 'header-add-2' }, { name: 'X-Header-Add-3', value: 'header-add-3' }],
        remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
      }),
      mod('/case-insensitivity', { set: [{ name: 'X-Header-Set', value: 'header-set' }], add: [{ name: 'X-Header-Add', value: 'header-add' }], remove: ['X-Header-Remove'] }),
    ],
  }));
  const go = (path: string, headers: Record<string, string>) => send(c, 'same-namespace', { path, headers });
  test('set writes or overwrites', () => {
    expect(upstreamHeader(go('/set', { 'Some-Other-Header': 'val' }), 'X-Header-Set')).toBe('set-overwrites-values');
    const r = go('/set', { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' });
    expect([upstreamHeader(r, 'X-Header-Set'), upstreamHeader(r, 'Some-Other-Header')]).toEqual(['set-overwrites-values', 'val']);
  });
  test('add appends with a comma', () => {
    expect(upstreamHeader(go('/add', { 'Some-Other-Header': 'val' }), 'X-Header-Add')).toBe('add-appends-values');
    expect(upstreamHeader(go('/add', { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' }), 'X-Header-Add')).toBe('some-other-value,add-appends-values');
  });
  test('remove drops the header', () => expect(upstreamHeader(go('/remove', { 'X-Header-Remove': 'val' }), 'X-Header-Remove')).toBeUndefined());
  test('multiple modifications at once', () => {
    const r = go('/multiple', { 'Another-Header': 'another-header-val', 'X-Header-Remove-1': 'val', 'X-Header-Remove-2': 'val', 'X-Header-Add-2': 'add-val-2' });
    expect(['Another-Header', 'X-Header-Set-1', 'X-Header-Set-2', 'X-Header-Add-1', 'X-Header-Add-2', 'X-Header-Add-3', 'X-Header-Remove-1', 'X-Header-Remove-2'].map((h) => upstreamHeader(r, h)))
      .toEqual(['another-header-val', 'header-set-1', 'header-set-2', 'header-add-1', 'add-val-2,header-add-2', 'header-add-3', undefined, undefined]);
  });
  test('header names compare case-insensitively', () => {
    const r = go('/case-insensitivity', { 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' });
    expect(['X-Header-Set', 'X-Header-Add', 'X-Header-Remove', 'Another-Header'].map((h) => upstreamHeader(r, h)))
      .toEqual(['header-set', 'original-val-add,header-add', undefined, 'another-header-val']);
  });
});

describe('[core] HTTPRouteRedirectHostAndStatus — conformance/tests/httproute-redirect-host-and-status.go', () => {
  const c = conformanceCluster(httpRoute('redirect-host-and-status', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      { matches: [prefix('/hostname-redirect')], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.org' } }] },
      { matches: [prefix('/host-and-status')], filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 301, hostname: 'example.org' } }] },
    ],
  }));
  test('302 by default, 301 when asked; the path is kept', () => {
    expect(send(c, 'same-namespace', { path: '/hostname-redirect' })).toMatchObject({ status: 302, location: 'http://example.org/hostname-redirect' });
    expect(send(c, 'same-namespace', { path: '/host-and-status' })).toMatchObject({ status: 301, location: 'http://example.org/host-and-status' });
  });
});

describe('[core] HTTPRouteServiceTypes — conformance/tests/httproute-service-types.go (the headless Service part)', () => {
  const c = conformanceCluster(
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless', namespace: NS }, spec: { clusterIP: 'None', selector: { app: 'infra-backend-v1' }, ports: [{ name: 'first-port', protocol: 'TCP', port: 8080, targetPort: 3000 }] } },
    httpRoute('service-types', { parentRefs: [{ name: 'same-namespace' }], rules: [rule([exact('/headless')], 'headless')] }),
  );
  test('a headless Service backend reaches a pod of infra-backend-v1', () => {
    const r = send(c, 'same-namespace', { path: '/headless' });
    expect(r.status).toBe(200);
    expect(r.pod).toMatch(new RegExp(`^${NS}/infra-backend-v1-`));
  });
});

describe('[core] GatewayWithAttachedRoutes — conformance/tests/gateway-with-attached-routes.go', () => {
  const selector = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': NS } } }, kinds: [{ kind: 'HTTPRoute' }] };
  const c = conformanceCluster(
    gateway('gateway-with-one-attached-route', [http('http', { allowedRoutes: selector })]),
    httpRoute('http-route-1', { parentRefs: [{ kind: 'Gateway', name: 'gateway-with-one-attached-route' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    gateway('gateway-with-two-attached-routes', [http('http', { hostname: 'foo.example.com', allowedRoutes: selector })]),
    httpRoute('http-route-2', { parentRefs: [{ kind: 'Gateway', name: 'gateway-with-two-attached-routes' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    httpRoute('http-route-3', { parentRefs: [{ kind: 'Gateway', name: 'gateway-with-two-attached-routes' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    httpRoute('http-route-not-accepted', { hostnames: ['not-accepted.test.com'], parentRefs: [{ kind: 'Gateway', name: 'gateway-with-two-attached-routes' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
  );
  test('attachedRoutes counts accepted routes only', () => {
    expect(c.gatewayStatus(`${NS}/gateway-with-one-attached-route`).listeners[0]).toMatchObject({ name: 'http', accepted: true, resolvedRefs: true, attachedRoutes: 1 });
    expect(c.gatewayStatus(`${NS}/gateway-with-two-attached-routes`).listeners[0]).toMatchObject({ accepted: true, resolvedRefs: true, attachedRoutes: 2 });
    expect(c.routeStatus(`${NS}/http-route-not-accepted`)[0]).toMatchObject({ accepted: false, reason: 'NoMatchingListenerHostname' });
  });
});

describe('[core] GatewayInvalidRouteKind — conformance/tests/gateway-invalid-route-kind.go', () => {
  const c = conformanceCluster(
    gateway('gateway-only-invalid-route-kind', [http('http', { allowedRoutes: { kinds: [{ kind: 'InvalidRoute' }], namespaces: { from: 'All' } } })]),
    gateway('gateway-supported-and-invalid-route-kind', [http('http', { allowedRoutes: { kinds: [{ kind: 'InvalidRoute' }, { kind: 'HTTPRoute' }], namespaces: { from: 'All' } } })]),
  );
  test.each(['gateway-only-invalid-route-kind', 'gateway-supported-and-invalid-route-kind'])('%s: listener ResolvedRefs False InvalidRouteKinds', (gw) => {
    expect(c.gatewayStatus(`${NS}/${gw}`).listeners[0]).toMatchObject({ name: 'http', resolvedRefs: false, reason: 'InvalidRouteKinds', attachedRoutes: 0 });
  });
});

describe('[core] GatewayListenerUnsupportedProtocol — conformance/tests/gateway-invalid-listeners-unsupported-protocol.go', () => {
  const c = conformanceCluster(
    gateway('gateway-only-unsupported-protocols', [{ name: 'invalid', port: 80, protocol: 'example.com/invalid' }]),
    gateway('gateway-supported-and-unsupported-protocols', [http('http', { port: 8080 }), { name: 'invalid', port: 80, protocol: 'example.com/invalid' }]),
  );
  test('only unsupported listeners: Gateway Accepted False ListenersNotValid; listener Accepted False UnsupportedProtocol', () => {
    const s = c.gatewayStatus(`${NS}/gateway-only-unsupported-protocols`);
    expect(s).toMatchObject({ accepted: false, reason: 'ListenersNotValid' });
    expect(s.listeners[0]).toMatchObject({ name: 'invalid', accepted: false, reason: 'UnsupportedProtocol', attachedRoutes: 0 });
  });
  test('mixed: Gateway Accepted True ListenersNotValid; the HTTP listener is Accepted', () => {
    const s = c.gatewayStatus(`${NS}/gateway-supported-and-unsupported-protocols`);
    expect(s).toMatchObject({ accepted: true, reason: 'ListenersNotValid' });
    expect(s.listeners.map((l) => [l.name, l.accepted, l.reason])).toEqual([['http', true, 'Accepted'], ['invalid', false, 'UnsupportedProtocol']]);
  });
});

describe('[core] GatewayInvalidTLSConfiguration — conformance/tests/gateway-invalid-tls-configuration.go', () => {
  const listener = (certificateRef: any) => [{ name: 'https', port: 443, protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'All' } }, tls: { certificateRefs: [certificateRef] } }];
  const c = conformanceCluster(
    gateway('gateway-certificate-nonexistent-secret', listener({ group: '', kind: 'Secret', name: 'nonexistent-certificate' })),
    gateway('gateway-certificate-unsupported-group', listener({ group: 'wrong.group.company.io', kind: 'Secret', name: 'tls-validity-checks-certificate' })),
    gateway('gateway-certificate-unsupported-kind', listener({ group: '', kind: 'WrongKind', name: 'tls-validity-checks-certificate' })),
    gateway('gateway-certificate-malformed-secret', listener({ group: '', kind: 'Secret', name: 'malformed-certificate' })),
    { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'malformed-certificate', namespace: NS }, data: { 'tls.crt': Buffer.from('Rm9vCg==').toString('base64'), 'tls.key': Buffer.from('QmFyCg==').toString('base64') } },
  );
  test.each(['gateway-certificate-nonexistent-secret', 'gateway-certificate-unsupported-group', 'gateway-certificate-unsupported-kind', 'gateway-certificate-malformed-secret'])(
    '%s: listener ResolvedRefs False InvalidCertificateRef', (gw) => {
      expect(c.gatewayStatus(`${NS}/${gw}`).listeners[0]).toMatchObject({ name: 'https', resolvedRefs: false, reason: 'InvalidCertificateRef', attachedRoutes: 0, programmed: false });
    });
});

describe('[core] GatewaySecretReferenceGrant* — conformance/tests/gateway-secret-{missing,invalid,reference-grant-all-in-namespace,reference-grant-specific}-reference-grant.go', () => {
  const SECRET_NS = 'gateway-conformance-secret';
  const gw = gateway('gateway-secret-reference-grant', [{
    name: 'https',
    port: 443,
    protocol: 'HTTPS',
    allowedRoutes: { namespaces: { from: 'All' } },
    tls: { certificateRefs: [{ group: '', kind: 'Secret', name: 'certificate', namespace: SECRET_NS }] },
  }]);
  const { makeCert, tlsSecret } = jest.requireActual('../dataplane/ingress-controller-fixtures');
  const secret = tlsSecret(SECRET_NS, 'certificate', makeCert('secret', ['secret.example.com']));
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SECRET_NS } };
  const grant = (to: any) => referenceGrant('reference-grant', SECRET_NS, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: NS }], [to]);
  const listener = (...extra: any[]) => conformanceCluster(ns, secret, gw, ...extra).gatewayStatus(`${NS}/gateway-secret-reference-grant`).listeners[0];
  test('missing ReferenceGrant: ResolvedRefs False RefNotPermitted', () => expect(listener()).toMatchObject({ resolvedRefs: false, reason: 'RefNotPermitted' }));
  test('a grant for another Secret name: RefNotPermitted', () => expect(listener(grant({ group: '', kind: 'Secret', name: 'not-the-certificate' }))).toMatchObject({ resolvedRefs: false, reason: 'RefNotPermitted' }));
  test('a grant for every Secret of the namespace: resolved', () => expect(listener(grant({ group: '', kind: 'Secret' }))).toMatchObject({ resolvedRefs: true, programmed: true }));
  test('a grant for this Secret: resolved', () => expect(listener(grant({ group: '', kind: 'Secret', name: 'certificate' }))).toMatchObject({ resolvedRefs: true, programmed: true }));
});

describe('[core] GatewayInvalidParametersRef — conformance/tests/gateway-invalid-parameters-ref.go', () => {
  const c = conformanceCluster(gateway('gateway-invalid-parameters-ref', [http()], { infrastructure: { parametersRef: { group: 'invalid.io', kind: 'InvalidParameters', name: 'invalid' } } }));
  test('Gateway Accepted False InvalidParameters', () => expect(c.gatewayStatus(`${NS}/gateway-invalid-parameters-ref`)).toMatchObject({ accepted: false, reason: 'InvalidParameters' }));
});

describe('[core] HTTPRouteHTTPSListener — conformance/tests/httproute-https-listener.go', () => {
  const gw = 'same-namespace-with-https-listener';
  const c = conformanceCluster(
    httpRoute('httproute-https-test', { parentRefs: [{ name: gw }], hostnames: ['example.org'], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    httpRoute('httproute-https-test-no-hostname', { parentRefs: [{ name: gw, sectionName: 'https-with-hostname' }], rules: [{ backendRefs: [ref('infra-backend-v2')] }] }),
  );
  const go = (host: string) => send(c, gw, { scheme: 'https', host, sni: host });
  test('example.org is served over TLS with the listener certificate', () => {
    const r = go('example.org');
    expectBackend(r, infra('v1'));
    expect(r).toMatchObject({ tlsSecret: `${NS}/tls-validity-checks-certificate`, tlsHostnameVerified: true, listener: 'https' });
  });
  test('second-example.org is served by the route attached to its listener', () => expectBackend(go('second-example.org'), infra('v2')));
  test('unknown.example.org: 404', () => expect(go('unknown.example.org').status).toBe(404));
});

// Extended features.

describe('[extended] HTTPRouteQueryParamMatching — conformance/tests/httproute-query-param-matching.go', () => {
  const q = (pairs: Record<string, string>, extra: any = {}) =>
    ({ queryParams: Object.entries(pairs).map(([name, value]) => ({ name, value })), ...extra });
  const c = conformanceCluster(httpRoute('query-param-matching', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([q({ animal: 'whale' })], 'infra-backend-v1'), rule([q({ animal: 'dolphin' })], 'infra-backend-v2'),
      rule([q({ animal: 'dolphin', color: 'blue' }), q({ ANIMAL: 'Whale' })], 'infra-backend-v3'),
      rule([q({ animal: 'whale' }, prefix('/path1'))], 'infra-backend-v1'),
      rule([q({ animal: 'whale' }, { headers: [{ name: 'version', value: 'one' }] })], 'infra-backend-v2'),
      rule([q({ animal: 'whale' }, { ...prefix('/path2'), headers: [{ name: 'version', value: 'two' }] })], 'infra-backend-v3'),
      rule([q({ animal: 'shark' }, prefix('/path3')), q({ animal: 'kraken' }, { ...prefix('/path4'), headers: [{ name: 'version', value: 'three' }] })], 'infra-backend-v1'),
    ],
  }));
  test.each([
    ['/?animal=whale', {}, 'v1'], ['/?animal=dolphin', {}, 'v2'], ['/?animal=dolphin&color=blue', {}, 'v3'], ['/?ANIMAL=Whale', {}, 'v3'],
    ['/?animal=whale&otherparam=irrelevant', {}, 'v1'], ['/?animal=dolphin&color=yellow', {}, 'v2'], ['/path1?animal=whale', {}, 'v1'],
    ['/?animal=whale', { version: 'one' }, 'v2'], ['/path2?animal=whale', { version: 'two' }, 'v3'], ['/path3?animal=shark', {}, 'v1'],
    ['/path4?animal=kraken', { version: 'three' }, 'v1'],
  ])('%s %j → infra-backend-%s', (path, headers, v) => expectBackend(send(c, 'same-namespace', { path, headers }), infra(v)));
  test.each(['/?color=blue', '/?animal=dog', '/?animal=whaledolphin', '/', '/?animal=shark'])('%s → 404', (path) => expect(send(c, 'same-namespace', { path }).status).toBe(404));
});

describe('[extended] HTTPRouteMethodMatching — conformance/tests/httproute-method-matching.go', () => {
  const m = (method: string, extra: any = {}) => ({ method, ...extra });
  const c = conformanceCluster(httpRoute('method-matching', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([m('POST')], 'infra-backend-v1'), rule([m('GET')], 'infra-backend-v2'),
      rule([m('GET', prefix('/path1'))], 'infra-backend-v1'), rule([m('PUT', { headers: [{ name: 'version', value: 'one' }] })], 'infra-backend-v2'),
      rule([m('POST', { ...prefix('/path2'), headers: [{ name: 'version', value: 'two' }] })], 'infra-backend-v3'),
      rule([m('PATCH', prefix('/path3')), m('DELETE', { ...prefix('/path4'), headers: [{ name: 'version', value: 'three' }] })], 'infra-backend-v1'),
      rule([prefix('/path5')], 'infra-backend-v1'), rule([m('PATCH')], 'infra-backend-v2'), rule([{ headers: [{ name: 'version', value: 'four' }] }], 'infra-backend-v3'),
    ],
  }));
  test.each([
    ['POST', '/', {}, 'v1'], ['GET', '/', {}, 'v2'], ['GET', '/path1', {}, 'v1'], ['PUT', '/', { version: 'one' }, 'v2'], ['POST', '/path2', { version: 'two' }, 'v3'],
    ['PATCH', '/path3', {}, 'v1'], ['DELETE', '/path4', { version: 'three' }, 'v1'], ['PATCH', '/path5', {}, 'v1'], ['PATCH', '/', { version: 'four' }, 'v2'],
  ])('%s %s %j → infra-backend-%s', (method, path, headers, v) => expectBackend(send(c, 'same-namespace', { method, path, headers }), infra(v)));
  test.each([['HEAD', '/'], ['PUT', '/'], ['DELETE', '/path4']])('%s %s → 404', (method, path) => expect(send(c, 'same-namespace', { method, path }).status).toBe(404));
});

describe('[extended] HTTPRoutePathRedirect — conformance/tests/httproute-redirect-path.go', () => {
  const redirect = (path: string, r: any) => ({ matches: [prefix(path)], filters: [{ type: 'RequestRedirect', requestRedirect: r }] });
  const c = conformanceCluster(httpRoute('redirect-path', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      redirect('/original-prefix', { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/replacement-prefix' } }),
      redirect('/full', { path: { type: 'ReplaceFullPath', replaceFullPath: '/full-path-replacement' } }),
      redirect('/path-and-host', { hostname: 'example.org', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/replacement-prefix' } }),
      redirect('/path-and-status', { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/replacement-prefix' }, statusCode: 301 }),
      redirect('/full-path-and-host', { hostname: 'example.org', path: { type: 'ReplaceFullPath', replaceFullPath: '/replacement-full' } }),
      redirect('/full-path-and-status', { path: { type: 'ReplaceFullPath', replaceFullPath: '/replacement-full' }, statusCode: 301 }),
    ],
  }));
  test.each([
    ['/original-prefix/lemon', 302, 'host', '/replacement-prefix/lemon'], ['/full/path/original', 302, 'host', '/full-path-replacement'],
    ['/path-and-host', 302, 'example.org', '/replacement-prefix'], ['/path-and-status', 301, 'host', '/replacement-prefix'],
    ['/full-path-and-host', 302, 'example.org', '/replacement-full'], ['/full-path-and-status', 301, 'host', '/replacement-full'],
  ])('%s → %d to %s%s', (path, status, host, to) => {
    const r = send(c, 'same-namespace', { path, host: 'redirect.example' });
    expect([r.status, r.location]).toEqual([status, `http://${host === 'host' ? 'redirect.example' : host}${to}`]);
  });
});

describe('[extended] HTTPRoutePortRedirect — conformance/tests/httproute-redirect-port.go', () => {
  const redirect = (path: string, r: any) => ({ matches: [prefix(path)], filters: [{ type: 'RequestRedirect', requestRedirect: r }] });
  const c = conformanceCluster(httpRoute('redirect-port', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      redirect('/port', { port: 8083 }), redirect('/port-and-host', { hostname: 'example.org', port: 8083 }),
      redirect('/port-and-status', { port: 8083, statusCode: 301 }), redirect('/port-and-host-and-status', { port: 8083, hostname: 'example.org', statusCode: 302 }),
    ],
  }));
  test.each([
    ['/port', 302, 'redirect.example:8083'], ['/port-and-host', 302, 'example.org:8083'], ['/port-and-status', 301, 'redirect.example:8083'], ['/port-and-host-and-status', 302, 'example.org:8083'],
  ])('%s → %d to %s', (path, status, authority) => {
    const r = send(c, 'same-namespace', { path, host: 'redirect.example' });
    expect([r.status, r.location]).toEqual([status, `http://${authority}${path}`]);
  });
});

describe('[extended] HTTPRouteSchemeRedirect — conformance/tests/httproute-redirect-scheme.go', () => {
  const redirect = (path: string, r: any) => ({ matches: [prefix(path)], filters: [{ type: 'RequestRedirect', requestRedirect: r }] });
  const c = conformanceCluster(httpRoute('redirect-scheme', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      redirect('/scheme', { scheme: 'https' }), redirect('/scheme-and-host', { hostname: 'example.org', scheme: 'https' }),
      redirect('/scheme-and-status', { scheme: 'https', statusCode: 301 }), redirect('/scheme-and-host-and-status', { scheme: 'https', statusCode: 302, hostname: 'example.org' }),
    ],
  }));
  test.each([
    ['/scheme', 302, 'redirect.example'], ['/scheme-and-host', 302, 'example.org'], ['/scheme-and-status', 301, 'redirect.example'], ['/scheme-and-host-and-status', 302, 'example.org'],
  ])('%s → %d to https://%s (the well-known port is left out)', (path, status, host) => {
    const r = send(c, 'same-namespace', { path, host: 'redirect.example' });
    expect([r.status, r.location]).toEqual([status, `https://${host}${path}`]);
  });
});

describe('[extended] HTTPRouteRedirectPortAndScheme — conformance/tests/httproute-redirect-port-and-scheme.go', () => {
  const redirect = (path: string, r: any) => ({ matches: [prefix(path)], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.org', ...r } }] });
  const c = conformanceCluster(
    gateway('same-namespace-with-http-listener-on-8080', [http('http', { port: 8080 })]),
    httpRoute('http-route-for-listener-on-port-80', {
      parentRefs: [{ name: 'same-namespace' }],
      rules: [
        redirect('/scheme-nil-and-port-nil', {}), redirect('/scheme-nil-and-port-80', { port: 80 }), redirect('/scheme-nil-and-port-8080', { port: 8080 }),
        redirect('/scheme-https-and-port-nil', { scheme: 'https' }), redirect('/scheme-https-and-port-443', { scheme: 'https', port: 443 }),
        redirect('/scheme-https-and-port-8443', { scheme: 'https', port: 8443 }),
      ],
    }),
    httpRoute('http-route-for-listener-on-port-8080', {
      parentRefs: [{ name: 'same-namespace-with-http-listener-on-8080' }],
      rules: [redirect('/scheme-nil-and-port-nil', {}), redirect('/scheme-nil-and-port-80', { port: 80 }), redirect('/scheme-https-and-port-nil', { scheme: 'https' })],
    }),
  );
  test.each([
    ['same-namespace', 80, '/scheme-nil-and-port-nil', 'http://example.org'], ['same-namespace', 80, '/scheme-nil-and-port-80', 'http://example.org'],
    ['same-namespace', 80, '/scheme-nil-and-port-8080', 'http://example.org:8080'], ['same-namespace', 80, '/scheme-https-and-port-nil', 'https://example.org'],
    ['same-namespace', 80, '/scheme-https-and-port-443', 'https://example.org'], ['same-namespace', 80, '/scheme-https-and-port-8443', 'https://example.org:8443'],
    ['same-namespace-with-http-listener-on-8080', 8080, '/scheme-nil-and-port-nil', 'http://example.org:8080'],
    ['same-namespace-with-http-listener-on-8080', 8080, '/scheme-nil-and-port-80', 'http://example.org'],
    ['same-namespace-with-http-listener-on-8080', 8080, '/scheme-https-and-port-nil', 'https://example.org'],
  ])('%s:%d %s → 302 to %s', (gw, port, path, to) => {
    const r = send(c, gw, { path, port });
    expect([r.status, r.location]).toEqual([302, `${to}${path}`]);
  });
});

describe('[extended] HTTPRouteHostRewrite — conformance/tests/httproute-rewrite-host.go', () => {
  const c = conformanceCluster(httpRoute('rewrite-host', {
    parentRefs: [{ name: 'same-namespace' }],
    hostnames: ['rewrite.example'],
    rules: [
      { matches: [prefix('/one')], filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'one.example.org' } }], backendRefs: [ref('infra-backend-v1')] },
      { filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'example.org' } }], backendRefs: [ref('infra-backend-v2')] },
      {
        matches: [prefix('/rewrite-host-and-modify-headers')],
        filters: [
          { type: 'URLRewrite', urlRewrite: { hostname: 'test.example.org' } },
          { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }], add: [{ name: 'X-Header-Add', value: 'header-val-1' }, { name: 'X-Header-Add-Append', value: 'header-val-2' }], remove: ['X-Header-Remove'] } },
        ],
        backendRefs: [ref('infra-backend-v2')],
      },
    ],
  }));
  test('the backend receives the rewritten Host', () => {
    const one = send(c, 'same-namespace', { host: 'rewrite.example', path: '/one' });
    expectBackend(one, infra('v1'));
    expect(one.upstream).toMatchObject({ host: 'one.example.org', path: '/one' });
    expect(send(c, 'same-namespace', { host: 'rewrite.example', path: '/two' }).upstream).toMatchObject({ host: 'example.org', path: '/two' });
  });
  test('host rewrite with header changes', () => {
    const r = send(c, 'same-namespace', { host: 'rewrite.example', path: '/rewrite-host-and-modify-headers', headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' } });
    expect(r.upstream?.host).toBe('test.example.org');
    expect(['X-Header-Add', 'X-Header-Add-Append', 'X-Header-Set', 'X-Header-Remove'].map((h) => upstreamHeader(r, h)))
      .toEqual(['header-val-1', 'append-val-1,header-val-2', 'set-overwrites-values', undefined]);
  });
});

describe('[extended] HTTPRoutePathRewrite — conformance/tests/httproute-rewrite-path.go', () => {
  const rw = (path: string, p: any, extra: any[] = []) => ({ matches: [prefix(path)], filters: [{ type: 'URLRewrite', urlRewrite: { path: p } }, ...extra], backendRefs: [ref('infra-backend-v1')] });
  const c = conformanceCluster(httpRoute('rewrite-path', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rw('/prefix/one', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/one' }), rw('/strip-prefix', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' }),
      rw('/full/one', { type: 'ReplaceFullPath', replaceFullPath: '/one' }),
      rw('/full/rewrite-path-and-modify-headers', { type: 'ReplaceFullPath', replaceFullPath: '/test' }),
      rw('/prefix/rewrite-path-and-modify-headers', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/prefix' }),
    ],
  }));
  test.each([
    ['/prefix/one/two', '/one/two'], ['/strip-prefix/three', '/three'], ['/strip-prefix', '/'], ['/full/one/two', '/one'],
    ['/full/rewrite-path-and-modify-headers/test', '/test'], ['/prefix/rewrite-path-and-modify-headers/one', '/prefix/one'],
  ])('%s → the backend receives %s', (path, upstream) => expect(send(c, 'same-namespace', { path }).upstream?.path).toBe(upstream));
});

describe('[extended] HTTPRouteRequestMirror — conformance/tests/httproute-request-mirror.go', () => {
  const c = conformanceCluster(httpRoute('request-mirror', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      { matches: [prefix('/mirror')], filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('infra-backend-v2') } }], backendRefs: [ref('infra-backend-v1')] },
      {
        matches: [prefix('/mirror-and-modify-headers')],
        filters: [
          { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }], add: [{ name: 'X-Header-Add', value: 'header-val-1' }], remove: ['X-Header-Remove'] } },
          { type: 'RequestMirror', requestMirror: { backendRef: ref('infra-backend-v2') } },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
    ],
  }));
  test('the request reaches infra-backend-v1 and a copy goes to infra-backend-v2', () => {
    const r = send(c, 'same-namespace', { path: '/mirror' });
    expectBackend(r, infra('v1'));
    expect(r.mirroredTo).toEqual([infra('v2')]);
  });
  test('mirror after header changes', () => {
    const r = send(c, 'same-namespace', { path: '/mirror-and-modify-headers', headers: { 'X-Header-Remove': 'remove-val' } });
    expect([r.service, r.mirroredTo, upstreamHeader(r, 'X-Header-Set'), upstreamHeader(r, 'X-Header-Remove')]).toEqual([infra('v1'), [infra('v2')], 'set-overwrites-values', undefined]);
  });
});

describe('[extended] HTTPRouteRequestMultipleMirrors — conformance/tests/httproute-request-multiple-mirrors.go', () => {
  const mirror = (name: string) => ({ type: 'RequestMirror', requestMirror: { backendRef: ref(name) } });
  const c = conformanceCluster(httpRoute('request-multiple-mirrors', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [{ matches: [prefix('/multi-mirror')], filters: [mirror('infra-backend-v2'), mirror('infra-backend-v3')], backendRefs: [ref('infra-backend-v1')] }],
  }));
  test('copies go to every mirror', () => expect(send(c, 'same-namespace', { path: '/multi-mirror' }).mirroredTo).toEqual([infra('v2'), infra('v3')]));
});

describe('[extended] HTTPRouteBackendRequestHeaderModification — conformance/tests/httproute-request-header-modifier-backend.yaml', () => {
  const c = conformanceCluster(httpRoute('request-header-modifier-backend', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [{
      matches: [prefix('/backend')],
      backendRefs: [{ ...ref('infra-backend-v1'), filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }], add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] } }] }],
    }],
  }));
  test('the backendRef filter changes the headers the backend receives', () => {
    const r = send(c, 'same-namespace', { path: '/backend', headers: { 'X-Header-Set': 'old', 'X-Header-Add': 'old' } });
    expect([upstreamHeader(r, 'X-Header-Set'), upstreamHeader(r, 'X-Header-Add')]).toEqual(['set-overwrites-values', 'old,add-appends-values']);
  });
});

describe('[extended] HTTPRouteListenerPortMatching / ParentRefPort — conformance/tests/httproute-listener-port-matching.go, httproute-invalid-parentref-section-name-not-matching-port.go', () => {
  const gw = 'httproute-listener-port-matching';
  const c = conformanceCluster(
    gateway(gw, [http('http-80'), http('http-8080', { port: 8080 }), http('http-8090', { port: 8090 })]),
    httpRoute('port-80', { parentRefs: [{ name: gw, port: 80 }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    httpRoute('port-8080', { parentRefs: [{ name: gw, port: 8080 }], rules: [{ backendRefs: [ref('infra-backend-v2')] }] }),
    httpRoute('section-not-matching-port', { parentRefs: [{ name: gw, sectionName: 'http-80', port: 8080 }], rules: [{ backendRefs: [ref('infra-backend-v3')] }] }),
  );
  test('each port serves the route whose parentRef names it; a port with no route answers 404', () => {
    expectBackend(send(c, gw, { port: 80 }), infra('v1'));
    expectBackend(send(c, gw, { port: 8080 }), infra('v2'));
    expect(send(c, gw, { port: 8090 }).status).toBe(404);
  });
  test('sectionName and port that name different listeners: NoMatchingParent', () =>
    expect(c.routeStatus(`${NS}/section-not-matching-port`)[0]).toMatchObject({ accepted: false, reason: 'NoMatchingParent' }));
});

describe('[extended] GatewayHTTPListenerIsolation — conformance/tests/gateway-http-listener-isolation.go', () => {
  const gw = 'http-listener-isolation';
  const p = (s: string) => [{ name: gw, sectionName: s }];
  const c = conformanceCluster(
    gateway(gw, [http('empty-hostname'), http('wildcard-example-com', { hostname: '*.example.com' }), http('wildcard-foo-example-com', { hostname: '*.foo.example.com' }), http('abc-foo-example-com', { hostname: 'abc.foo.example.com' })]),
    httpRoute('attaches-to-empty-hostname', { parentRefs: p('empty-hostname'), rules: [rule([prefix('/empty-hostname')], 'infra-backend-v1')] }),
    httpRoute('attaches-to-wildcard-example-com', { parentRefs: p('wildcard-example-com'), rules: [rule([prefix('/wildcard-example-com')], 'infra-backend-v1')] }),
    httpRoute('attaches-to-wildcard-foo-example-com', { parentRefs: p('wildcard-foo-example-com'), rules: [rule([prefix('/wildcard-foo-example-com')], 'infra-backend-v1')] }),
    httpRoute('attaches-to-abc-foo-example-com', { parentRefs: p('abc-foo-example-com'), rules: [rule([prefix('/abc-foo-example-com')], 'infra-backend-v1')] }),
  );
  const listeners: Array<[string, string]> = [['bar.com', 'empty-hostname'], ['bar.example.com', 'wildcard-example-com'], ['bar.foo.example.com', 'wildcard-foo-example-com'], ['abc.foo.example.com', 'abc-foo-example-com']];
  test.each(listeners)('%s is served only by the routes of listener %s', (host, own) => {
    for (const [, other] of listeners) {
      const r = send(c, gw, { host, path: `/${other}` });
      expect([other, r.status]).toEqual([other, other === own ? 200 : 404]);
    }
  });
});

describe('[extended] HTTPRouteNamedRouteRule — conformance/tests/httproute-named-rule.go', () => {
  const c = conformanceCluster(httpRoute('named-rule', {
    parentRefs: [{ name: 'same-namespace' }], rules: [{ name: 'named-rule', matches: [prefix('/named')], backendRefs: [ref('infra-backend-v1')] }, rule([prefix('/unnamed')], 'infra-backend-v2')],
  }));
  test('named and unnamed rules both route', () => {
    expectBackend(send(c, 'same-namespace', { path: '/named' }), infra('v1'));
    expectBackend(send(c, 'same-namespace', { path: '/unnamed' }), infra('v2'));
  });
});

describe('[extended] GatewayHTTPSListenerDetectMisdirectedRequests — conformance/tests/httproute-https-listener-detect-misdirected-requests.go', () => {
  const gw = 'same-namespace-with-https-listener';
  const c = conformanceCluster(
    httpRoute('https-any', { parentRefs: [{ name: gw, sectionName: 'https' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
    httpRoute('https-second', { parentRefs: [{ name: gw, sectionName: 'https-with-hostname' }], rules: [{ backendRefs: [ref('infra-backend-v2')] }] }),
  );
  test('a Host that selects another listener than the SNI did: 421', () => {
    expect(send(c, gw, { scheme: 'https', host: 'second-example.org', sni: 'example.org' }).status).toBe(421);
    expectBackend(send(c, gw, { scheme: 'https', host: 'second-example.org', sni: 'second-example.org' }), infra('v2'));
  });
});

describe('[core] GatewayModifyListeners — conformance/tests/gateway-modify-listeners.go (before and after the patch, as two clusters)', () => {
  const httpsListener = https('https', { hostname: 'secure.test.com', allowedRoutes: { namespaces: { from: 'All' } } });
  const httpListener = http('http', { hostname: 'data.test.com', allowedRoutes: { namespaces: { from: 'All' } } });
  const routeTo = (name: string, gw: string) => httpRoute(name, { parentRefs: [{ kind: 'Gateway', name: gw, namespace: NS }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] });
  const listeners = (c: ReturnType<typeof conformanceCluster>, gw: string) =>
    c.gatewayStatus(`${NS}/${gw}`).listeners.map((l) => [l.name, l.accepted, l.resolvedRefs, l.attachedRoutes]);
  test('adding a listener: both listeners are accepted and carry the route', () => {
    expect(listeners(conformanceCluster(gateway('gateway-add-listener', [httpsListener]), routeTo('http-route-1', 'gateway-add-listener')), 'gateway-add-listener'))
      .toEqual([['https', true, true, 1]]);
    expect(listeners(conformanceCluster(gateway('gateway-add-listener', [httpsListener, httpListener]), routeTo('http-route-1', 'gateway-add-listener')), 'gateway-add-listener'))
      .toEqual([['https', true, true, 1], ['http', true, true, 1]]);
  });
  test('removing a listener: the remaining one keeps the route', () => {
    const removed = conformanceCluster(gateway('gateway-remove-listener', [httpsListener]), routeTo('http-route-2', 'gateway-remove-listener'));
    expect(listeners(removed, 'gateway-remove-listener')).toEqual([['https', true, true, 1]]);
  });
});

describe('[core] GatewayObservedGenerationBump, HTTPRouteObservedGenerationBump — conformance/tests/{gateway,httproute}-observed-generation-bump.go', () => {
  const withGeneration = (o: any, generation: number) => ({ ...o, metadata: { ...o.metadata, generation } });
  const gw = gateway('gateway-observed-generation-bump', [http('http', { allowedRoutes: { namespaces: { from: 'All' } } })]);
  const route = httpRoute('observed-generation-bump', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] });
  test('the conditions describe the generation of the spec they were computed from', () => {
    const before = conformanceCluster(gw, route);
    expect(before.gatewayStatus(`${NS}/gateway-observed-generation-bump`).observedGeneration).toBe(1);
    expect(before.routeStatus(`${NS}/observed-generation-bump`)[0].observedGeneration).toBe(1);
    const after = conformanceCluster(
      withGeneration({ ...gw, spec: { ...gw.spec, listeners: [...gw.spec.listeners, http('alternate', { port: 8080 })] } }, 2),
      withGeneration({ ...route, spec: { ...route.spec, rules: [{ backendRefs: [ref('infra-backend-v2')] }] } }, 2),
    );
    expect(after.gatewayStatus(`${NS}/gateway-observed-generation-bump`)).toMatchObject({ observedGeneration: 2, accepted: true });
    expect(after.routeStatus(`${NS}/observed-generation-bump`)[0]).toMatchObject({ observedGeneration: 2, accepted: true });
    expectBackend(send(after, 'same-namespace'), infra('v2'));
  });
});

describe('[extended] HTTPRoute303Redirect, HTTPRoute307Redirect, HTTPRoute308Redirect — conformance/tests/httproute-30{3,7,8}-redirect.go', () => {
  const c = conformanceCluster(httpRoute('redirects', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [[303, '/see-other'], [307, '/temporary-redirect'], [308, '/permanent-redirect']].map(([statusCode, path]) =>
      ({ matches: [prefix(path as string)], filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode } }] })),
  }));
  test.each([[303, '/see-other'], [307, '/temporary-redirect'], [308, '/permanent-redirect']])('%d for %s, to the same URL', (status, path) => {
    const r = send(c, 'same-namespace', { host: 'redirect.example', path });
    expect([r.status, r.location]).toEqual([status, `http://redirect.example${path}`]);
  });
});

describe('[extended] HTTPRouteInvalidParentRefNotMatchingListenerPort — conformance/tests/httproute-invalid-parentref-not-matching-listener-port.go', () => {
  const c = conformanceCluster(httpRoute('httproute-listener-not-matching-route-port', {
    parentRefs: [{ name: 'same-namespace', namespace: NS, port: 81 }], rules: [{ backendRefs: [ref('infra-backend-v1', 8080, { kind: 'Service' })] }],
  }));
  test('Accepted False NoMatchingParent', () =>
    expect(c.routeStatus(`${NS}/httproute-listener-not-matching-route-port`)[0]).toMatchObject({ accepted: false, reason: 'NoMatchingParent', port: 81 }));
});

describe('[extended] HTTPRouteRequestHeaderModifierBackendWeights — conformance/tests/httproute-request-header-modifier-backend-weights.go', () => {
  const backend = (name: string) => ({ ...ref(name, 8080, { weight: 10 }), filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Backend', value: name }] } }] });
  const c = conformanceCluster(httpRoute('request-header-modifier-backend-weights', {
    parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [backend('infra-backend-v1'), backend('infra-backend-v2')] }],
  }));
  test('each request carries the Backend header of the backend it was sent to, and both backends are used', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = send(c, 'same-namespace');
      const header = upstreamHeader(r, 'Backend')!;
      expect(r.pod!.startsWith(`${NS}/${header}`)).toBe(true);
      seen.add(header);
    }
    expect([...seen].sort()).toEqual(['infra-backend-v1', 'infra-backend-v2']);
  });
});

describe('[extended] HTTPRouteRequestPercentageMirror — conformance/tests/httproute-request-percentage-mirror.go', () => {
  const mirror = (extra: any) => ({ type: 'RequestMirror', requestMirror: { backendRef: { ...ref('infra-backend-v2'), namespace: NS }, ...extra } });
  const c = conformanceCluster(httpRoute('request-percentage-mirror', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      { matches: [prefix('/percent-mirror')], filters: [mirror({ percent: 20 })], backendRefs: [ref('infra-backend-v1')] },
      { matches: [prefix('/percent-mirror-fraction')], filters: [mirror({ fraction: { numerator: 25, denominator: 50 } })], backendRefs: [ref('infra-backend-v1')] },
    ],
  }));
  test.each([['/percent-mirror', 0.2], ['/percent-mirror-fraction', 0.5]])('%s mirrors about %d of the requests to infra-backend-v2 (seeded)', (path, share) => {
    let mirrored = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const r = send(c, 'same-namespace', { path });
      expectBackend(r, infra('v1'));
      if (r.mirroredTo) {
        expect(r.mirroredTo).toEqual([infra('v2')]);
        mirrored++;
      }
    }
    expect(Math.abs(mirrored / n - share)).toBeLessThan(0.05);
  });
});

describe('[extended] GatewayStaticAddresses — conformance/tests/gateway-static-addresses.go', () => {
  const gw = (addresses: any[]) => conformanceCluster(gateway('gateway-static-addresses', [http('http', { port: 8080 })], { addresses }))
    .gatewayStatus(`${NS}/gateway-static-addresses`);
  const usable = '172.18.255.200';
  const unusable = '203.0.113.50';
  test('an address type the controller does not support: Accepted False UnsupportedAddress', () =>
    expect(gw([{ type: 'test/fake-invalid-type', value: 'fake address teehee!' }, { value: unusable }, { value: usable }])).toMatchObject({ accepted: false, reason: 'UnsupportedAddress' }));
  test('an unusable address: Accepted True, Programmed False AddressNotUsable', () =>
    expect(gw([{ value: unusable }, { value: usable }])).toMatchObject({ accepted: true, programmed: false, programmedReason: 'AddressNotUsable' }));
  test('only the usable address: programmed with it, and it answers', () => {
    expect(gw([{ value: usable }])).toMatchObject({ accepted: true, programmed: true, address: usable });
    const c = conformanceCluster(gateway('gateway-static-addresses', [http('http', { port: 8080 })], { addresses: [{ value: usable }] }),
      httpRoute('r', { parentRefs: [{ name: 'gateway-static-addresses' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }));
    expectBackend(c.request({ url: `http://${usable}:8080/` }), infra('v1'));
  });
});

describe('[extended] GatewayOptionalAddressValue — conformance/tests/gateway-optional-address-value.go', () => {
  test('an IPAddress entry without value gets an address assigned', () => {
    const c = conformanceCluster(gateway('gateway-without-address-value', [http('http', { port: 8080 })], { addresses: [{ type: 'IPAddress' }] }));
    expect(c.gatewayStatus(`${NS}/gateway-without-address-value`)).toMatchObject({ accepted: true, programmed: true, address: expect.stringMatching(/^172\.18\.255\./) });
  });
});

describe('[extended] GatewayWithAttachedRoutesWithPort8080 — conformance/tests/gateway-with-attached-routes.go, gateway-with-attached-routes-with-port-8080.yaml', () => {
  const all = { kinds: [{ kind: 'HTTPRoute' }], namespaces: { from: 'All' } };
  const gw = 'gateway-with-two-listeners-and-one-attached-route';
  const c = conformanceCluster(
    gateway(gw, [http('http-unattached', { port: 8080, allowedRoutes: all }), http('http', { allowedRoutes: all })]),
    httpRoute('http-route-4-port-8080', { parentRefs: [{ kind: 'Gateway', name: gw, namespace: NS, sectionName: 'http' }], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
  );
  test('only the listener the route names counts it; the 8080 listener is accepted with none', () => {
    expect(c.gatewayStatus(`${NS}/${gw}`).listeners.map((l) => [l.name, l.port, l.accepted, l.resolvedRefs, l.attachedRoutes]))
      .toEqual([['http-unattached', 8080, true, true, 0], ['http', 80, true, true, 1]]);
    expectBackend(send(c, gw, { port: 80 }), infra('v1'));
    expect(send(c, gw, { port: 8080 }).status).toBe(404);
  });
});

describe('[core] GatewayClassObservedGenerationBump — conformance/tests/gatewayclass-observed-generation-bump.go', () => {
  const cls = (generation: number, description: string) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'gatewayclass-observed-generation-bump', generation },
    spec: { controllerName: 'example.com/gateway-controller', description },
  });
  test('the Accepted condition describes the current generation', () => {
    expect(conformanceCluster(cls(1, 'old')).gatewayClassStatus('gatewayclass-observed-generation-bump')).toEqual({ accepted: true, reason: 'Accepted', observedGeneration: 1 });
    expect(conformanceCluster(cls(2, 'new')).gatewayClassStatus('gatewayclass-observed-generation-bump')).toEqual({ accepted: true, reason: 'Accepted', observedGeneration: 2 });
  });
});

describe('[extended] HTTPRouteResponseHeaderModifier — conformance/tests/httproute-response-header-modifier.go', () => {
  const modifier = (path: string, responseHeaderModifier: any, extra: any[] = []) => rule([prefix(path)], 'infra-backend-v1', {
    filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier }, ...extra],
  });
  const c = conformanceCluster(httpRoute('response-header-modifier', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      modifier('/set', { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] }),
      modifier('/add', { add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] }),
      modifier('/remove', { remove: ['X-Header-Remove'] }),
      modifier('/multiple', {
        set: [{ name: 'X-Header-Set-1', value: 'header-set-1' }, { name: 'X-Header-Set-2', value: 'header-set-2' }],
        add: [{ name: 'X-Header-Add-1', value: 'header-add-1' }, { name: 'X-Header-Add-2', value: 'header-add-2' }, { name: 'X-Header-Add-3', value: 'header-add-3' }],
        remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
      }),
      modifier('/case-insensitivity', {
        set: [{ name: 'X-Header-Set', value: 'header-set' }],
        add: [
          { name: 'X-Header-Add', value: 'header-add' }, { name: 'x-lowercase-add', value: 'lowercase-add' },
          { name: 'x-Mixedcase-ADD-1', value: 'mixedcase-add-1' }, { name: 'X-mixeDcase-add-2', value: 'mixedcase-add-2' }, { name: 'X-UPPERCASE-ADD', value: 'uppercase-add' },
        ],
        remove: ['X-Header-Remove'],
      }),
      modifier('/response-and-request-header-modifiers', {
        set: [{ name: 'X-Header-Set-1', value: 'header-set-1' }, { name: 'X-Header-Set-2', value: 'header-set-2' }],
        add: [{ name: 'X-Header-Add-1', value: 'header-add-1' }, { name: 'X-Header-Add-2', value: 'header-add-2' }],
        remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
      }, [{
        type: 'RequestHeaderModifier',
        requestHeaderModifier: {
          set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }],
          add: [{ name: 'X-Header-Add', value: 'header-val-1' }, { name: 'X-Header-Add-Append', value: 'header-val-2' }],
          remove: ['X-Header-Remove'],
        },
      }]),
    ],
  }));
  const go = (path: string, responseHeaders: Record<string, string>, headers?: Record<string, string>) =>
    send(c, 'same-namespace', { path, backend: { responseHeaders }, ...(headers ? { headers } : {}) });
  const expectHeaders = (r: RequestResult, present: Record<string, string>, absent: string[] = []) => {
    expectBackend(r, infra('v1'));
    for (const [name, value] of Object.entries(present)) expect([name, responseHeader(r, name)]).toEqual([name, value]);
    for (const name of absent) expect([name, responseHeader(r, name)]).toEqual([name, undefined]);
  };
  test('set writes a header the backend did not send, and overwrites one it did', () => {
    expectHeaders(go('/set', { 'Some-Other-Header': 'val' }), { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' });
    expectHeaders(go('/set', { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' }), { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' });
  });
  test('add writes a new header, and appends to one the backend sent with a comma', () => {
    expectHeaders(go('/add', { 'Some-Other-Header': 'val' }), { 'Some-Other-Header': 'val', 'X-Header-Add': 'add-appends-values' });
    expectHeaders(go('/add', { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' }), { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value,add-appends-values' });
  });
  test('remove drops a header the backend sent', () => expectHeaders(go('/remove', { 'X-Header-Remove': 'val' }), {}, ['X-Header-Remove']));
  test('multiple changes at once', () => expectHeaders(go('/multiple', {
    'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val', 'X-Header-Remove-1': 'val',
  }), {
    'X-Header-Set-1': 'header-set-1',
    'X-Header-Set-2': 'header-set-2',
    'X-Header-Add-1': 'header-add-1',
    'X-Header-Add-2': 'add-val-2,header-add-2',
    'X-Header-Add-3': 'header-add-3',
    'Another-Header': 'another-header-val',
  }, ['X-Header-Remove-1', 'X-Header-Remove-2']));
  test('header names compare case-insensitively', () => expectHeaders(go('/case-insensitivity', {
    'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val',
  }), {
    'X-Header-Set': 'header-set',
    'X-Header-Add': 'original-val-add,header-add',
    'X-Lowercase-Add': 'lowercase-add',
    'X-Mixedcase-Add-1': 'mixedcase-add-1',
    'X-Mixedcase-Add-2': 'mixedcase-add-2',
    'X-Uppercase-Add': 'uppercase-add',
    'Another-Header': 'another-header-val',
  }, ['x-header-remove', 'X-Header-Remove']));
  test('response and request header changes on one rule', () => {
    const r = go('/response-and-request-header-modifiers', {
      'X-Header-Set-2': 'set-val-2',
      'X-Header-Add-2': 'add-val-2',
      'X-Header-Remove-2': 'remove-val-2',
      'Another-Header': 'another-header-val',
      'X-Header-Remove-1': 'remove-val-1',
      'X-Header-Echo': 'echo',
    }, { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1', 'X-Header-Echo': 'echo' });
    expectHeaders(r, {
      'X-Header-Set-1': 'header-set-1',
      'X-Header-Set-2': 'header-set-2',
      'X-Header-Add-1': 'header-add-1',
      'X-Header-Add-2': 'add-val-2,header-add-2',
      'Another-Header': 'another-header-val',
      'X-Header-Echo': 'echo',
    }, ['X-Header-Remove-1', 'X-Header-Remove-2']);
    expect(['X-Header-Add', 'X-Header-Set', 'X-Header-Add-Append', 'X-Header-Echo', 'X-Header-Remove'].map((n) => upstreamHeader(r, n)))
      .toEqual(['header-val-1', 'set-overwrites-values', 'append-val-1,header-val-2', 'echo', undefined]);
    expect(r.trace.filter((h) => h.component === 'gateway' && h.action === 'response-headers')).toHaveLength(1);
  });
});

describe('[extended] HTTPRouteTimeoutRequest — conformance/tests/httproute-timeout-request.go', () => {
  const c = conformanceCluster(httpRoute('request-timeout', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([prefix('/request-timeout')], 'infra-backend-v1', { timeouts: { request: '500ms' } }),
      rule([prefix('/disable-request-timeout')], 'infra-backend-v1', { timeouts: { request: '0s' } }),
    ],
  }));
  test('a quick answer is 200; a backend taking 1s outlives the 500ms request timeout: 504; 0s disables the timeout', () => {
    expect(send(c, 'same-namespace', { path: '/request-timeout' }).status).toBe(200);
    const slow = send(c, 'same-namespace', { path: '/request-timeout', backend: { delayMs: 1000 } });
    expect(slow.status).toBe(504);
    expect(slow.trace.some((h) => h.action === 'timeout' && h.text.includes('request timeout of 500ms'))).toBe(true);
    expect(send(c, 'same-namespace', { path: '/disable-request-timeout', backend: { delayMs: 1000 } }).status).toBe(200);
  });
});

describe('[extended] HTTPRouteTimeoutBackendRequest — conformance/tests/httproute-timeout-backend-request.go', () => {
  const c = conformanceCluster(httpRoute('backend-request-timeout', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [
      rule([prefix('/backend-timeout')], 'infra-backend-v1', { timeouts: { backendRequest: '500ms' } }),
      rule([prefix('/disable-backend-timeout')], 'infra-backend-v1', { timeouts: { backendRequest: '0s' } }),
    ],
  }));
  test('a quick answer is 200; a backend taking 1s outlives the 500ms backend request timeout: 504; 0s disables the timeout', () => {
    expect(send(c, 'same-namespace', { path: '/backend-timeout' }).status).toBe(200);
    const slow = send(c, 'same-namespace', { path: '/backend-timeout', backend: { delayMs: 1000 } });
    expect(slow.status).toBe(504);
    expect(slow.trace.some((h) => h.action === 'timeout' && h.text.includes('backend request timeout of 500ms'))).toBe(true);
    expect(send(c, 'same-namespace', { path: '/disable-backend-timeout', backend: { delayMs: 1000 } }).status).toBe(200);
  });
});

describe('[extended] HTTPRouteBackendProtocolH2C — conformance/tests/httproute-backend-protocol-h2c.go', () => {
  const c = conformanceCluster(httpRoute('backend-protocol-h2c', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('infra-backend-v1', 8081)] }] }));
  test('an HTTP/2 prior-knowledge request reaches the h2c port of infra-backend-v1, spoken to over HTTP/2', () => {
    const r = send(c, 'same-namespace', { path: '/', protocol: 'HTTP/2' });
    expectBackend(r, infra('v1'));
    expect([r.servicePort, r.targetPort, r.upstream?.protocol]).toEqual([8081, 3001, 'HTTP/2']);
  });
});

describe('[extended] HTTPRouteBackendProtocolWebSocket — conformance/tests/httproute-backend-protocol-websocket.go', () => {
  const c = conformanceCluster(httpRoute('backend-protocol-ws', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [ref('infra-backend-v1', 8082)] }] }));
  test('a WebSocket upgrade to /ws reaches the ws port of infra-backend-v1 and is switched', () => {
    const r = send(c, 'same-namespace', { path: '/ws', protocol: 'WebSocket' });
    expect([r.status, r.service, r.servicePort, r.upstream?.protocol]).toEqual([101, infra('v1'), 8082, 'WebSocket']);
  });
});

describe('[extended] HTTPRouteCORS — conformance/tests/httproute-cors.go', () => {
  const cors = (path: string, policy: any) => rule([prefix(path)], 'infra-backend-v1', { filters: [{ type: 'CORS', cors: policy }] });
  const c = conformanceCluster(
    httpRoute('cors-multiple-origins-methods-headers', {
      parentRefs: [{ name: 'same-namespace' }],
      rules: [cors('/cors-1', {
        allowOrigins: ['https://www.foo.com', 'https://*.bar.com'],
        allowMethods: ['GET', 'OPTIONS'],
        allowHeaders: ['x-header-1', 'x-header-2'],
        exposeHeaders: ['x-header-3', 'x-header-4'],
        allowCredentials: true,
        maxAge: 3600,
      })],
    }),
    httpRoute('cors-wildcard-methods', { parentRefs: [{ name: 'same-namespace' }], rules: [cors('/cors-2', { allowOrigins: ['https://www.foo.com'], allowMethods: ['*'] })] }),
    httpRoute('cors-wildcard-origin', {
      parentRefs: [{ name: 'same-namespace' }], rules: [cors('/cors-wildcard-origin', { allowOrigins: ['*'], allowMethods: ['PUT'], allowCredentials: false })],
    }),
    httpRoute('cors-wildcard-methods-headers', {
      parentRefs: [{ name: 'same-namespace' }],
      rules: [
        cors('/cors-wildcard-methods-headers', { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials: true }),
        cors('/cors-wildcard-methods-headers-unauth', { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials: false }),
      ],
    }),
  );
  const go = (method: string, path: string, headers: Record<string, string>) => send(c, 'same-namespace', { method, path, headers });
  const preflight = (path: string, origin: string, requestMethod: string, requestHeaders?: string) => go('OPTIONS', path, {
    'Origin': origin, 'access-control-request-method': requestMethod, ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}),
  });
  /** The suite compares these headers ignoring whitespace, and accepts the listed values in any order. */
  const list = (r: RequestResult, name: string) => responseHeader(r, name)?.replace(/\s/g, '').split(',').sort();
  const expectOk = (r: RequestResult) => expect([200, 204]).toContain(r.status);

  test.each(['https://www.foo.com', 'https://www.bar.com', 'https://xpto.www.bar.com'])('preflight from %s (exact, wildcard, wildcard over several labels) is allowed', (origin) => {
    const r = preflight('/cors-1', origin, 'GET', 'x-header-1, x-header-2');
    expectOk(r);
    expect(responseHeader(r, 'access-control-allow-origin')).toBe(origin);
    expect(list(r, 'access-control-allow-methods')).toEqual(['GET', 'OPTIONS']);
    expect(list(r, 'access-control-allow-headers')).toEqual(['x-header-1', 'x-header-2']);
    expect(list(r, 'access-control-expose-headers')).toEqual(['x-header-3', 'x-header-4']);
    expect([responseHeader(r, 'access-control-max-age'), responseHeader(r, 'access-control-allow-credentials')]).toEqual(['3600', 'true']);
    expect(r.service).toBeUndefined();
  });
  test('preflight from a non-matching origin gets no access-control-allow-origin', () => {
    const r = preflight('/cors-1', 'https://foobar.com', 'GET');
    expect([200, 204, 403]).toContain(r.status);
    expect(responseHeader(r, 'access-control-allow-origin')).toBeUndefined();
  });
  test.each(['https://www.foo.com', 'https://www.bar.com'])('a simple request from %s reaches the backend and is allowed', (origin) => {
    const r = go('GET', '/cors-1', { 'Origin': origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-header-1, x-header-2' });
    expectBackend(r, infra('v1'));
    expect(responseHeader(r, 'access-control-allow-origin')).toBe(origin);
  });
  test('a simple request from a non-matching origin gets no access-control-allow-origin', () => {
    const r = go('GET', '/cors-1', { 'Origin': 'https://foobar.com', 'access-control-request-method': 'GET' });
    expect(r.status).toBe(200);
    expect(responseHeader(r, 'access-control-allow-origin')).toBeUndefined();
  });
  test('allowMethods * allows a POST preflight, without credentials', () => {
    const r = preflight('/cors-2', 'https://www.foo.com', 'POST');
    expectOk(r);
    expect(['POST', '*']).toContain(responseHeader(r, 'access-control-allow-methods'));
    expect(responseHeader(r, 'access-control-allow-origin')).toBe('https://www.foo.com');
    expect(responseHeader(r, 'Access-Control-Allow-Credentials')).toBeUndefined();
  });
  test.each(['https://foobar.com', 'https://foobar.com:12345'])('allowOrigins * allows a preflight from %s', (origin) => {
    const r = preflight('/cors-wildcard-origin', origin, 'PUT');
    expectOk(r);
    expect([origin, '*']).toContain(responseHeader(r, 'access-control-allow-origin'));
    expect(responseHeader(r, 'access-control-allow-methods')).toBe('PUT');
    expect(responseHeader(r, 'Access-Control-Allow-Credentials')).toBeUndefined();
  });
  test.each(['https://foobar.com:12345', 'https://foobar.com'])('allowOrigins * allows a PUT from %s', (origin) => {
    const r = go('PUT', '/cors-wildcard-origin', { Origin: origin });
    expect(r.status).toBe(200);
    expect([origin, '*']).toContain(responseHeader(r, 'access-control-allow-origin'));
    expect(responseHeader(r, 'Access-Control-Allow-Credentials')).toBeUndefined();
  });
  test('wildcards with allowCredentials: the preflight echoes origin, method and headers, never *', () => {
    const r = preflight('/cors-wildcard-methods-headers', 'https://other.foo.com', 'PUT', 'x-header-1, x-header-2');
    expectOk(r);
    expect([responseHeader(r, 'access-control-allow-origin'), responseHeader(r, 'access-control-allow-methods'), responseHeader(r, 'access-control-allow-credentials')])
      .toEqual(['https://other.foo.com', 'PUT', 'true']);
    expect(list(r, 'access-control-allow-headers')).toEqual(['x-header-1', 'x-header-2']);
  });
  test('wildcards without allowCredentials: allowed, and no access-control-allow-credentials', () => {
    const r = preflight('/cors-wildcard-methods-headers-unauth', 'https://other.foo.com', 'PUT', 'x-header-1, x-header-2');
    expectOk(r);
    expect(['https://other.foo.com', '*']).toContain(responseHeader(r, 'access-control-allow-origin'));
    expect(['PUT', '*']).toContain(responseHeader(r, 'access-control-allow-methods'));
    expect([['x-header-1', 'x-header-2'], ['*']]).toContainEqual(list(r, 'access-control-allow-headers'));
    expect(responseHeader(r, 'access-control-allow-credentials')).toBeUndefined();
  });
  test('a request with credentials allowed gets access-control-allow-credentials: true; without, none', () => {
    const auth = go('GET', '/cors-wildcard-methods-headers', { Origin: 'https://other.foo.com' });
    expect([auth.status, responseHeader(auth, 'access-control-allow-origin'), responseHeader(auth, 'access-control-allow-credentials')]).toEqual([200, 'https://other.foo.com', 'true']);
    const unauth = go('GET', '/cors-wildcard-methods-headers-unauth', { Origin: 'https://other.foo.com' });
    expect(unauth.status).toBe(200);
    expect(['https://other.foo.com', '*']).toContain(responseHeader(unauth, 'access-control-allow-origin'));
    expect(responseHeader(unauth, 'access-control-allow-credentials')).toBeUndefined();
  });
});

/** The suite's tls-validity-checks-{,per-port-}ca-certificate ConfigMaps and the client certificates they issued. */
const defaultPki = makeClientPki('tls-validity-checks');
const perPortPki = makeClientPki('tls-validity-checks-per-port');
const caMaps = [
  caConfigMap('tls-validity-checks-ca-certificate', defaultPki.caCrt),
  caConfigMap('tls-validity-checks-per-port-ca-certificate', perPortPki.caCrt),
];
const caRef = (name: string, extra: any = {}) => ({ kind: 'ConfigMap', group: '', name, ...extra });
const frontendGateway = (name: string, mode?: string) => gateway(name, [
  https('https'),
  https('https-with-hostname', { port: 8443, hostname: 'second-example.org' }),
], {
  tls: {
    frontend: {
      default: { validation: { ...(mode ? { mode } : {}), caCertificateRefs: [caRef('tls-validity-checks-ca-certificate')] } },
      perPort: [{ port: 8443, tls: { validation: { ...(mode ? { mode } : {}), caCertificateRefs: [caRef('tls-validity-checks-per-port-ca-certificate')] } } }],
    },
  },
});
const frontendRoutes = (gw: string, prefixName: string) => [
  httpRoute(prefixName, { parentRefs: [{ name: gw }], hostnames: ['example.org'], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }),
  httpRoute(`${prefixName}-no-hostname`, { parentRefs: [{ name: gw, sectionName: 'https-with-hostname' }], rules: [{ backendRefs: [ref('infra-backend-v2')] }] }),
];
const tlsSend = (c: ReturnType<typeof conformanceCluster>, gw: string, host: string, port: number, clientCertificate?: string) =>
  send(c, gw, { scheme: 'https', host, port, sni: host, ...(clientCertificate ? { clientCertificate } : {}) });

describe('[extended] GatewayFrontendClientCertificateValidation — conformance/tests/gateway-with-clientcertificate-validation.go', () => {
  const c = conformanceCluster(frontendGateway('client-validation-default'), ...caMaps, ...frontendRoutes('client-validation-default', 'client-certificate-validation-https-test'));
  test('the routes are accepted with resolved references', () => {
    for (const name of ['client-certificate-validation-https-test', 'client-certificate-validation-https-test-no-hostname']) {
      expect(c.routeStatus(`${NS}/${name}`)).toEqual([expect.objectContaining({ accepted: true, resolvedRefs: true })]);
    }
  });
  test('default configuration (port 443): the client certificate its CA issued passes; the per-port one fails the handshake', () => {
    const ok = tlsSend(c, 'client-validation-default', 'example.org', 443, defaultPki.clientCrt);
    expectBackend(ok, infra('v1'));
    expect(ok.clientCertificateVerified).toBe(true);
    const refused = tlsSend(c, 'client-validation-default', 'example.org', 443, perPortPki.clientCrt);
    expect([refused.status, refused.error]).toEqual([0, 'TLS handshake failed']);
  });
  test('per-port configuration (port 8443): the per-port client certificate passes; the default one fails', () => {
    expectBackend(tlsSend(c, 'client-validation-default', 'second-example.org', 8443, perPortPki.clientCrt), infra('v2'));
    expect(tlsSend(c, 'client-validation-default', 'second-example.org', 8443, defaultPki.clientCrt).error).toBe('TLS handshake failed');
  });
  test('the Gateway is not in insecure frontend validation mode', () => expect(c.gatewayStatus(`${NS}/client-validation-default`).insecureFrontendValidationMode).toBeUndefined());
});

describe('[extended] GatewayFrontendClientCertificateValidationInsecureFallback — conformance/tests/gateway-with-clientcertificate-validation-insecure-fallback.go', () => {
  const gw = 'client-validation-insecure-fallback';
  const c = conformanceCluster(frontendGateway(gw, 'AllowInsecureFallback'), ...caMaps, ...frontendRoutes(gw, 'client-cert-validation-insecure-fallback-test'));
  test('the Gateway has InsecureFrontendValidationMode True (ConfigurationChanged)', () => expect(c.gatewayStatus(`${NS}/${gw}`).insecureFrontendValidationMode).toBe(true));
  test.each([
    ['example.org', 443, 'v1', defaultPki.clientCrt, true], ['example.org', 443, 'v1', perPortPki.clientCrt, false], ['example.org', 443, 'v1', undefined, false],
    ['second-example.org', 8443, 'v2', perPortPki.clientCrt, true], ['second-example.org', 8443, 'v2', defaultPki.clientCrt, false], ['second-example.org', 8443, 'v2', undefined, false],
  ])('%s:%d reaches infra-backend-%s with a matching, non-matching or no client certificate', (host, port, v, cert, verified) => {
    const r = tlsSend(c, gw, host as string, port as number, cert as string | undefined);
    expectBackend(r, infra(v as string));
    expect(r.clientCertificateVerified).toBe(verified);
  });
});

describe('[extended] GatewayInvalidFrontendClientCertificateValidation — conformance/tests/gateway-with-invalid-clientcertificate-validation.go', () => {
  const listener = (name: string, port: number, hostname: string) => https(name, { port, hostname });
  const c = conformanceCluster(...caMaps, caConfigMap('web-backend-cm', defaultPki.caCrt, WEB_NS), gateway('gateway-with-invalid-client-cert-validation', [
    https('https'), listener('https-unresolved', 7443, 'first-example.org'), listener('https-invalid-kind', 8443, 'second-example.org'),
    listener('https-grant-missing', 6443, 'fourth-example.org'),
  ], {
    tls: {
      frontend: {
        default: { validation: { caCertificateRefs: [caRef('tls-validity-checks-ca-certificate')] } },
        perPort: [
          { port: 7443, tls: { validation: { caCertificateRefs: [caRef('non-exisitng-cm')] } } },
          { port: 8443, tls: { validation: { caCertificateRefs: [{ kind: 'Service', group: '', name: 'infra-backend-v2' }] } } },
          { port: 6443, tls: { validation: { caCertificateRefs: [caRef('web-backend-cm', { namespace: WEB_NS })] } } },
        ],
      },
    },
  }));
  const status = (name: string) => c.gatewayStatus(`${NS}/gateway-with-invalid-client-cert-validation`).listeners.find((l) => l.name === name)!;
  test('the valid default configuration: ResolvedRefs, Accepted and Programmed True', () => expect(status('https')).toMatchObject({ resolvedRefs: true, accepted: true, programmed: true }));
  test.each([
    ['https-unresolved', 'InvalidCACertificateRef'], ['https-invalid-kind', 'InvalidCACertificateKind'], ['https-grant-missing', 'RefNotPermitted'],
  ])('%s: ResolvedRefs False %s, Accepted False NoValidCACertificate, Programmed False', (name, reason) => {
    expect(status(name)).toMatchObject({ resolvedRefs: false, reason, accepted: false, acceptedReason: 'NoValidCACertificate', programmed: false });
  });
});

describe('[extended] GatewayFrontendInvalidDefaultClientCertificateValidation — conformance/tests/gateway-invalid-default-frontend-client-certificate-validation.go', () => {
  const gw = 'invalid-default-client-validation-config';
  const c = conformanceCluster(...caMaps, gateway(gw, [https('https'), http('http', { allowedRoutes: { namespaces: { from: 'Same' } } })], {
    tls: {
      frontend: {
        default: { validation: { caCertificateRefs: [caRef('does-not-exist')] } },
        perPort: [{ port: 80, tls: { validation: { caCertificateRefs: [caRef('tls-validity-checks-per-port-ca-certificate')] } } }],
      },
    },
  }), httpRoute(gw, { parentRefs: [{ name: gw }], hostnames: ['example.org'], rules: [{ backendRefs: [ref('infra-backend-v1')] }] }));
  const status = (name: string) => c.gatewayStatus(`${NS}/${gw}`).listeners.find((l) => l.name === name)!;
  test('the HTTP listener is untouched and serves the route', () => {
    expect(status('http')).toMatchObject({ resolvedRefs: true, accepted: true, programmed: true });
    expectBackend(send(c, gw, { host: 'example.org', port: 80 }), infra('v1'));
  });
  test('the HTTPS listener: ResolvedRefs False InvalidCACertificateRef, Accepted False NoValidCACertificate, not programmed; a TLS request fails', () => {
    expect(status('https')).toMatchObject({ resolvedRefs: false, reason: 'InvalidCACertificateRef', accepted: false, acceptedReason: 'NoValidCACertificate', programmed: false });
    const r = tlsSend(c, gw, 'example.org', 443);
    expect(r.status).toBe(0);
    expect(r.error).toBeDefined();
  });
});
