import { Cluster, Diagnostic } from '../../src';
import { baseManifests, CONTROLLER, gateway, http, httpRoute, NS, WEB_NS } from '../conformance/gateway-api-fixtures';

const cluster = (...extra: any[]) => Cluster.fromManifests([...baseManifests(), ...extra], { gatewayController: { controllerName: CONTROLLER }, now: new Date('2026-12-01T00:00:00Z') });
const gatewayFindings = (c: Cluster) => c.diagnostics.filter((d) => /^(GATEWAY|HTTPROUTE)_/.test(d.code));
const pick = (d: Diagnostic) => [d.code, d.object, d.field];

describe('Gateway API checks', () => {
  test('the conformance base setup has no Gateway API finding', () => expect(gatewayFindings(cluster())).toEqual([]));

  test('a Gateway of an unknown class is not accepted', () => {
    const g = gateway('orphan', [http()]);
    g.spec.gatewayClassName = 'nope';
    expect(gatewayFindings(cluster(g)).map(pick)).toEqual([['GATEWAY_NOT_ACCEPTED', `Gateway/${NS}/orphan`, 'spec.gatewayClassName']]);
  });

  test('listener problems: unsupported protocol, conflicting protocols on one port, missing certificate', () => {
    const g = gateway('broken', [
      { name: 'tcp', port: 9000, protocol: 'TCP' },
      http('a', { port: 8443 }),
      { name: 'b', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'tls-validity-checks-certificate' }] } },
      { name: 'c', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'missing' }] } },
    ]);
    expect(gatewayFindings(cluster(g)).map(pick)).toEqual([
      ['GATEWAY_LISTENER_INVALID', `Gateway/${NS}/broken`, 'spec.listeners[0]'],
      ['GATEWAY_LISTENER_CONFLICTED', `Gateway/${NS}/broken`, 'spec.listeners[1]'],
      ['GATEWAY_LISTENER_CONFLICTED', `Gateway/${NS}/broken`, 'spec.listeners[2]'],
      ['GATEWAY_CERTIFICATE_INVALID', `Gateway/${NS}/broken`, 'spec.listeners[3].tls.certificateRefs[0]'],
    ]);
  });

  test('route problems: not allowed, no intersecting hostname, reference not permitted, backend not found, unreachable match', () => {
    const found = gatewayFindings(cluster(
      httpRoute('foreign', { parentRefs: [{ name: 'same-namespace', namespace: NS }], rules: [{ backendRefs: [{ name: 'web-backend', port: 8080 }] }] }, WEB_NS),
      gateway('named', [http('http', { hostname: 'a.example.com' })]),
      httpRoute('elsewhere', { parentRefs: [{ name: 'named' }], hostnames: ['b.example.com'], rules: [{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] }),
      httpRoute('cross', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [{ name: 'web-backend', namespace: WEB_NS, port: 8080 }] }] }),
      httpRoute('missing', { parentRefs: [{ name: 'same-namespace' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/m' } }], backendRefs: [{ name: 'nope', port: 8080 }] }] }),
      httpRoute('twice', {
        parentRefs: [{ name: 'same-namespace' }],
        rules: [
          { matches: [{ path: { type: 'Exact', value: '/dup' } }], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] },
          { matches: [{ path: { type: 'Exact', value: '/dup' } }], backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] },
        ],
      }),
    ));
    expect(found.map(pick)).toEqual([
      ['HTTPROUTE_REF_NOT_PERMITTED', `HTTPRoute/${NS}/cross`, 'spec.rules'],
      ['HTTPROUTE_HOSTNAME_NO_LISTENER', `HTTPRoute/${NS}/elsewhere`, 'spec.hostnames'],
      ['HTTPROUTE_BACKEND_NOT_FOUND', `HTTPRoute/${NS}/missing`, 'spec.rules'],
      ['HTTPROUTE_NOT_ACCEPTED', `HTTPRoute/${WEB_NS}/foreign`, 'spec.parentRefs[0]'],
      ['HTTPROUTE_MATCH_UNREACHABLE', `HTTPRoute/${NS}/twice`, 'spec.rules[1].matches[0]'],
    ]);
    expect(found.every((d) => d.hint)).toBe(true);
  });
});

describe('Gateway listener certificates', () => {
  const { makeCert, tlsSecret } = jest.requireActual('../dataplane/ingress-controller-fixtures');
  test('a listener hostname its certificate does not cover', () => {
    const g = gateway('tls', [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'shop.example.net', tls: { certificateRefs: [{ name: 'other' }] } }]);
    // Judged a day from now: the test certificate is valid from the moment it was made.
    const c = Cluster.fromManifests([...baseManifests(), g, tlsSecret(NS, 'other', makeCert('other.example.org', ['other.example.org']))],
      { gatewayController: { controllerName: CONTROLLER }, now: new Date(Date.now() + 24 * 3600 * 1000) });
    const all = c.diagnostics.filter((d) => d.object === `Gateway/${NS}/tls`);
    expect(all.map(pick)).toEqual([['TLS_HOST_NOT_COVERED', `Gateway/${NS}/tls`, 'spec.listeners[0].hostname']]);
  });

  test('an expired listener certificate, judged at ClusterOptions.now', () => {
    const g = gateway('tls', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'shop' }] } }]);
    const late = Cluster.fromManifests([...baseManifests(), g, tlsSecret(NS, 'shop', makeCert('shop.example.org', ['shop.example.org']))],
      { gatewayController: { controllerName: CONTROLLER }, now: new Date('2099-01-01T00:00:00Z') });
    expect(late.diagnostics.filter((d) => d.object === `Gateway/${NS}/tls`).map(pick))
      .toEqual([['TLS_CERT_EXPIRED', `Gateway/${NS}/tls`, 'spec.listeners[0].tls.certificateRefs[0]']]);
  });
});
