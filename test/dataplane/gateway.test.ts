import { Cluster } from '../../src';
import { baseManifests, CONTROLLER, gateway, http, httpRoute, NS, send } from '../conformance/gateway-api-fixtures';

const route = httpRoute('web', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] });

describe('the Gateway API controller in the Cluster façade', () => {
  test('bad gatewayController options throw naming the option and value', () => {
    expect(() => Cluster.fromManifests([], { gatewayController: { profile: 'envoy' } }))
      .toThrow('Cluster options: gatewayController.profile must be one of spec, got "envoy"');
    expect(() => Cluster.fromManifests([], { gatewayController: { controllerName: 'no-domain' } }))
      .toThrow('Cluster options: gatewayController.controllerName must be a domain-prefixed path such as "example.com/gateway-controller", got "no-domain"');
  });

  test('unknown Gateways and routes are refused with the known names', () => {
    const c = Cluster.fromManifests([...baseManifests(), route]);
    expect(() => c.gatewayStatus('nope/x')).toThrow(/^gatewayStatus: "nope\/x" is not a Gateway of this cluster \(use namespace\/name; known: gateway-conformance-infra\/same-namespace, /);
    expect(() => c.routeStatus('x')).toThrow(`routeStatus: "x" is not an HTTPRoute of this cluster (use namespace/name; known: ${NS}/web)`);
    expect(() => c.request({ url: 'http://a/', gateway: 'nope/x' })).toThrow(/^request: gateway "nope\/x" is not a Gateway of this cluster/);
  });

  test('the controller name defaults to the first GatewayClass\'s; another controller leaves Gateways Pending', () => {
    expect(Cluster.fromManifests([...baseManifests(), route]).gatewayStatus(`${NS}/same-namespace`)).toMatchObject({ accepted: true, programmed: true });
    const other = Cluster.fromManifests([...baseManifests(), route], { gatewayController: { controllerName: 'other.example/controller' } });
    expect(other.gatewayStatus(`${NS}/same-namespace`)).toMatchObject({ accepted: false, reason: 'Pending' });
    expect(other.routeStatus(`${NS}/web`)[0]).toMatchObject({ accepted: false, reason: 'NoMatchingParent' });
    expect(other.request({ url: 'http://example.com/', gateway: `${NS}/same-namespace` })).toMatchObject({ status: 0, error: 'connection refused' });
  });

  test('a Gateway gets an address from the load balancer pool and answers requests sent to it', () => {
    const c = Cluster.fromManifests([...baseManifests(), route], { gatewayController: { controllerName: CONTROLLER } });
    const address = c.gatewayStatus(`${NS}/same-namespace`).address!;
    expect(address).toMatch(/^172\.18\.255\./);
    expect(c.request({ url: `http://${address}/` })).toMatchObject({ status: 200, gateway: `${NS}/same-namespace`, service: `${NS}/infra-backend-v1` });
    expect(c.request({ url: `http://${address}:8080/` })).toMatchObject({ status: 0, error: 'connection refused' });
  });

  test('a static IPv6 address in long form is the address requests in the short form reach (dual-stack)', () => {
    const gw = gateway('v6', [http('http', { allowedRoutes: { namespaces: { from: 'Same' } } })], { addresses: [{ type: 'IPAddress', value: 'fc00:f853:ccd:e793:0:0:0:ff20' }] });
    const r = httpRoute('r', { parentRefs: [{ name: 'v6' }], rules: [{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] });
    const c = Cluster.fromManifests([...baseManifests(), gw, r], { gatewayController: { controllerName: CONTROLLER }, serviceCidr: '10.96.0.0/12,fd00:10:96::/112' });
    expect(c.gatewayStatus(`${NS}/v6`)).toMatchObject({ programmed: true, address: 'fc00:f853:ccd:e793::ff20' });
    expect(c.request({ url: 'http://[fc00:f853:ccd:e793::ff20]/' })).toMatchObject({ status: 200, gateway: `${NS}/v6`, service: `${NS}/infra-backend-v1` });
  });

  test('a pod reaches a named Gateway too', () => {
    const c = Cluster.fromManifests([...baseManifests(), route], { gatewayController: { controllerName: CONTROLLER } });
    const pod = c.pods.find((p) => p.name.startsWith(`${NS}/infra-backend-v2`))!.name;
    expect(c.request({ url: 'http://example.com/', gateway: `${NS}/same-namespace`, from: { pod } })).toMatchObject({ status: 200, service: `${NS}/infra-backend-v1` });
  });

  test('the trace names each decision, with the gateway component, and answers are deterministic', () => {
    const a = Cluster.fromManifests([...baseManifests(), route], { gatewayController: { controllerName: CONTROLLER } });
    const b = Cluster.fromManifests([...baseManifests(), route], { gatewayController: { controllerName: CONTROLLER } });
    const r = send(a, 'same-namespace', { path: '/x' });
    expect(r.trace.filter((h) => h.component === 'gateway').map((h) => h.action)).toEqual(['profile', 'listener', 'match', 'pick', 'proxy']);
    expect(send(b, 'same-namespace', { path: '/x' })).toEqual(r);
  });

  test('https to an HTTP listener fails the handshake; plain HTTP to an HTTPS listener gets 400', () => {
    const c = Cluster.fromManifests([...baseManifests(), route], { gatewayController: { controllerName: CONTROLLER } });
    expect(send(c, 'same-namespace', { scheme: 'https', port: 80 })).toMatchObject({ status: 0, error: 'TLS handshake failed' });
    expect(send(c, 'same-namespace-with-https-listener', { port: 443 })).toMatchObject({ status: 400 });
  });
});

describe('Gateway API matching details the conformance suite leaves to implementations', () => {
  test('RegularExpression paths, headers and query values match the whole value', () => {
    const r = httpRoute('regex', {
      parentRefs: [{ name: 'same-namespace' }],
      rules: [
        { matches: [{ path: { type: 'RegularExpression', value: '/v[0-9]+' } }], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] },
        { matches: [{ headers: [{ name: 'x-version', type: 'RegularExpression', value: 'v[0-9]' }] }], backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] },
      ],
    });
    const c = Cluster.fromManifests([...baseManifests(), r], { gatewayController: { controllerName: CONTROLLER } });
    expect(send(c, 'same-namespace', { path: '/v12' }).service).toBe(`${NS}/infra-backend-v1`);
    expect(send(c, 'same-namespace', { path: '/v12/x' }).status).toBe(404);
    expect(send(c, 'same-namespace', { path: '/a', headers: { 'X-Version': 'v1' } }).service).toBe(`${NS}/infra-backend-v2`);
    expect(send(c, 'same-namespace', { path: '/a', headers: { 'X-Version': 'v10' } }).status).toBe(404);
  });
});
