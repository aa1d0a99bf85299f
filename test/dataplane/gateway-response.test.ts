// The Gateway model's response side and connection-level checks beyond the conformance cases:
// filter order on responses, appProtocol kubernetes.io/wss, request-option errors, client
// certificate validity dates, partly resolved CA references and cross-namespace CA bundles.
import { Cluster } from '../../src';
import {
  baseManifests, caConfigMap, conformanceCluster, CONTROLLER, gateway, https, httpRoute, infra, makeClientPki, NS, referenceGrant, responseHeader,
  send, WEB_NS,
} from '../conformance/gateway-api-fixtures';

const route = (rules: any[], name = 'r') => httpRoute(name, { parentRefs: [{ name: 'same-namespace' }], rules });

describe('response headers', () => {
  test('a backendRef ResponseHeaderModifier changes the answer before the rule-level one; backend headers pass through', () => {
    const c = conformanceCluster(route([{
      filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'X-Layer', value: 'rule' }], add: [{ name: 'X-Trail', value: 'rule' }] } }],
      backendRefs: [{
        name: 'infra-backend-v1',
        port: 8080,
        filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'X-Layer', value: 'backend' }], add: [{ name: 'X-Trail', value: 'backend' }] } }],
      }],
    }]));
    const r = send(c, 'same-namespace', { backend: { responseHeaders: { 'X-Trail': 'pod', 'X-Kept': 'yes' } } });
    expect([responseHeader(r, 'X-Layer'), responseHeader(r, 'X-Trail'), responseHeader(r, 'X-Kept')]).toEqual(['rule', 'pod,backend,rule', 'yes']);
  });

  test('a Gateway answer reports the response headers (none known: empty) and the upstream protocol; HTTP/2 from the client still reaches an HTTP/1.1 port as HTTP/1.1', () => {
    const r = send(conformanceCluster(route([{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }])), 'same-namespace', { protocol: 'HTTP/2' });
    expect([r.status, r.responseHeaders, r.upstream?.protocol]).toEqual([200, {}, 'HTTP/1.1']);
  });

  test('a CORS preflight on a rule is answered by the Gateway, not the backend', () => {
    const c = conformanceCluster(route([{ filters: [{ type: 'CORS', cors: { allowOrigins: ['https://app.example'] } }], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }]));
    const r = send(c, 'same-namespace', { method: 'OPTIONS', headers: { 'Origin': 'https://app.example', 'Access-Control-Request-Method': 'GET' } });
    expect([r.status, r.service, responseHeader(r, 'Access-Control-Allow-Origin'), responseHeader(r, 'Access-Control-Max-Age')]).toEqual([204, undefined, 'https://app.example', '5']);
    expect(r.trace.find((h) => h.action === 'cors')?.text).toContain('preflight from origin https://app.example');
    // An origin with another port is another origin.
    const other = send(c, 'same-namespace', { method: 'OPTIONS', headers: { 'Origin': 'https://app.example:8443', 'Access-Control-Request-Method': 'GET' } });
    expect(responseHeader(other, 'Access-Control-Allow-Origin')).toBeUndefined();
  });
});

describe('backend protocols and timeouts', () => {
  test('appProtocol kubernetes.io/wss needs TLS to the backend: ResolvedRefs False UnsupportedProtocol, and 500', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'wss', namespace: NS }, spec: { selector: { app: 'infra-backend-v1' }, ports: [{ port: 8443, appProtocol: 'kubernetes.io/wss' }] } };
    const c = conformanceCluster(svc, route([{ backendRefs: [{ name: 'wss', port: 8443 }] }]));
    expect(c.routeStatus(`${NS}/r`)).toEqual([expect.objectContaining({ accepted: true, resolvedRefs: false, reason: 'UnsupportedProtocol' })]);
    expect(send(c, 'same-namespace').status).toBe(500);
  });

  test('a backend within both timeouts answers; the shorter backendRequest timeout decides first', () => {
    const c = conformanceCluster(route([{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }], timeouts: { request: '2s', backendRequest: '1s' } }]));
    expect(send(c, 'same-namespace', { backend: { delayMs: 1000 } }).status).toBe(200);
    const slow = send(c, 'same-namespace', { backend: { delayMs: 1500 } });
    expect(slow.status).toBe(504);
    expect(slow.trace.find((h) => h.action === 'timeout')?.text).toContain('backend request timeout of 1000ms');
  });

  test('rules[].retry is experimental: the standard CRD prunes it and the trace says so', () => {
    const c = conformanceCluster(route([{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }], retry: { codes: [500], attempts: 2 } }]));
    expect(send(c, 'same-namespace').trace.find((h) => h.action === 'retry')?.text).toContain('prunes it');
  });

  test('bad request options are refused naming the option', () => {
    const c = conformanceCluster(route([{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }]));
    expect(() => send(c, 'same-namespace', { protocol: 'h3' })).toThrow('request: protocol must be one of HTTP/1.1, HTTP/2, WebSocket, got "h3"');
    expect(() => send(c, 'same-namespace', { backend: { delayMs: -1 } })).toThrow('request: backend.delayMs must be a number of milliseconds, 0 or more, got -1');
    // Also where no Gateway reads them: a request to a node port or a pod.
    expect(() => c.request({ url: 'http://10.0.0.1/', protocol: 'h3' })).toThrow('request: protocol must be one of HTTP/1.1, HTTP/2, WebSocket, got "h3"');
    expect(() => c.request({ url: 'http://web.default/', from: { pod: c.pods[0].name }, backend: { delayMs: Number.NaN } })).toThrow(/^request: backend\.delayMs /);
  });
});

describe('client certificate validation', () => {
  const pki = makeClientPki('edge');
  const other = makeClientPki('other');
  const withFrontend = (refs: any[], ...extra: any[]) => conformanceCluster(
    gateway('mtls', [https('https')], { tls: { frontend: { default: { validation: { caCertificateRefs: refs } } } } }),
    httpRoute('r', { parentRefs: [{ name: 'mtls' }], rules: [{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] }),
    ...extra,
  );
  const tls = (c: Cluster, clientCertificate?: string) => send(c, 'mtls', { scheme: 'https', host: 'example.org', sni: 'example.org', ...(clientCertificate ? { clientCertificate } : {}) });
  const listener = (c: Cluster) => c.gatewayStatus(`${NS}/mtls`).listeners[0];

  test('one of two CA references unresolved: ResolvedRefs False, still Accepted and serving with the other', () => {
    const c = withFrontend([{ group: '', kind: 'ConfigMap', name: 'missing' }, { group: '', kind: 'ConfigMap', name: 'edge-ca' }], caConfigMap('edge-ca', pki.caCrt));
    expect(listener(c)).toMatchObject({ resolvedRefs: false, reason: 'InvalidCACertificateRef', accepted: true, programmed: true });
    expect(listener(c).acceptedReason).toBeUndefined();
    const r = tls(c, pki.clientCrt);
    expect([r.status, r.service, r.clientCertificateVerified]).toEqual([200, infra('v1'), true]);
    expect(r.trace.find((h) => h.action === 'client-certificate')?.text).toContain(`issued by ConfigMap ${NS}/edge-ca`);
  });

  test('no certificate, or one another CA issued: the handshake fails and the trace says why', () => {
    const c = withFrontend([{ group: '', kind: 'ConfigMap', name: 'edge-ca' }], caConfigMap('edge-ca', pki.caCrt));
    expect(tls(c).trace.find((h) => h.action === 'reject')?.text).toContain('the client sends no certificate');
    const wrong = tls(c, other.clientCrt);
    expect([wrong.status, wrong.error]).toEqual([0, 'TLS handshake failed']);
    expect(wrong.trace.find((h) => h.action === 'reject')?.text).toContain('was not issued by a trusted CA');
  });

  test('a CA bundle in another namespace needs a ReferenceGrant for Gateways; a ConfigMap without ca.crt does not resolve', () => {
    const ref = [{ group: '', kind: 'ConfigMap', name: 'edge-ca', namespace: WEB_NS }];
    const grant = referenceGrant('ca', WEB_NS, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: NS }], [{ group: '', kind: 'ConfigMap' }]);
    expect(listener(withFrontend(ref, caConfigMap('edge-ca', pki.caCrt, WEB_NS)))).toMatchObject({ reason: 'RefNotPermitted', acceptedReason: 'NoValidCACertificate' });
    const granted = withFrontend(ref, caConfigMap('edge-ca', pki.caCrt, WEB_NS), grant);
    expect(listener(granted)).toMatchObject({ resolvedRefs: true, accepted: true });
    expect(tls(granted, pki.clientCrt).status).toBe(200);
    const empty = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge-ca', namespace: NS }, data: { 'ca.pem': pki.caCrt } };
    expect(listener(withFrontend([{ group: '', kind: 'ConfigMap', name: 'edge-ca' }], empty)).message).toContain('has no ca.crt');
  });

  test('an expired client certificate fails at the cluster\'s `now`', () => {
    const manifests = [
      gateway('mtls', [https('https')], { tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'edge-ca' }] } } } } }),
      httpRoute('r', { parentRefs: [{ name: 'mtls' }], rules: [{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] }),
      caConfigMap('edge-ca', pki.caCrt),
    ];
    // The fixture's certificates are made when the tests run, valid for 3650 days.
    const DAY_MS = 86_400_000;
    const at = (daysFromNow: number) => Cluster.fromManifests([...baseManifests(), ...manifests], {
      gatewayController: { controllerName: CONTROLLER }, now: new Date(Date.now() + daysFromNow * DAY_MS),
    });
    expect(tls(at(1), pki.clientCrt).status).toBe(200);
    const expired = tls(at(3651), pki.clientCrt);
    expect(expired.error).toBe('TLS handshake failed');
    expect(expired.trace.find((h) => h.action === 'reject')?.text).toContain('expired on');
  });
});

describe('checks', () => {
  test('an unresolved CA reference is a listener finding on spec.tls.frontend; a wss backend names its appProtocol', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'wss', namespace: NS }, spec: { selector: { app: 'infra-backend-v1' }, ports: [{ port: 8443, appProtocol: 'kubernetes.io/wss' }] } };
    const c = conformanceCluster(svc, route([{ backendRefs: [{ name: 'wss', port: 8443 }] }]),
      gateway('mtls', [https('https'), { name: 'http', port: 80, protocol: 'HTTP' }], { tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'missing' }] } } } } }));
    const listener = c.diagnostics.find((d) => d.object === `Gateway/${NS}/mtls`);
    expect(listener).toMatchObject({ code: 'GATEWAY_LISTENER_INVALID', field: 'spec.tls.frontend' });
    expect(listener!.message).toContain('InvalidCACertificateRef, NoValidCACertificate');
    expect(c.diagnostics.find((d) => d.object === `HTTPRoute/${NS}/r`)?.message).toContain('appProtocol kubernetes.io/wss');
  });
});
