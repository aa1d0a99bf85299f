import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AllowedRoutes, Cluster, ClusterIpService, Gateway, GatewayClass, HttpMethod, HttpRoute, HttpRouteBackend, HttpRouteFilter, HttpRouteMatch,
  ListenerProtocol, ReferenceGrant, TlsCertificateSecret,
} from '../../src';
import { makeCert } from '../dataplane/ingress-controller-fixtures';
import { schemaFailures } from '../schema';

const CONTROLLER = 'example.com/gateway-controller';

/** A one-replica Deployment labelled app=<name> listening on 8080 (plain manifest: the model only reads JSON). */
function deploy(scope: Construct, name: string): void {
  new ApiObject(scope, `${name}-deploy`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'example/app', ports: [{ containerPort: 8080 }] }] } } },
  });
}

function shop(namespace = 'shop') {
  const chart = new Chart(Testing.app(), 'shop', { namespace });
  const cls = new GatewayClass(chart, 'class', { controllerName: CONTROLLER, metadata: { name: 'example' } });
  const web = new ClusterIpService(chart, 'web', { metadata: { name: 'web' }, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
  const api = new ClusterIpService(chart, 'api', { metadata: { name: 'api' }, selector: { app: 'api' }, ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'metrics' }] });
  const pem = makeCert('shop.example.com', ['shop.example.com']);
  const cert = new TlsCertificateSecret(chart, 'cert', { metadata: { name: 'shop-tls' }, certificatePem: pem.crt, privateKeyPem: pem.key });
  const gw = new Gateway(chart, 'gw', { gatewayClass: cls, metadata: { name: 'edge' } });
  const httpListener = gw.addListener({ name: 'http', port: 80, protocol: ListenerProtocol.HTTP, hostname: 'shop.example.com' });
  gw.addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: 'shop.example.com', tls: { certificates: [cert] }, allowedRoutes: AllowedRoutes.sameNamespace() });
  new HttpRoute(chart, 'redirect', {
    metadata: { name: 'to-https' },
    parents: [httpListener],
    rules: [{ filters: [HttpRouteFilter.requestRedirect({ scheme: 'https', statusCode: 301 })] }],
  });
  const route = new HttpRoute(chart, 'route', { metadata: { name: 'shop' }, parents: [gw.listener('https')], hostnames: ['shop.example.com'] });
  route.addRule({ matches: [HttpRouteMatch.pathPrefix('/api', { method: HttpMethod.GET })], backends: [HttpRouteBackend.fromService(api, { port: 8080 })], filters: [HttpRouteFilter.requestHeaders({ set: { 'X-From': 'gateway' } })] });
  route.addRule({ backends: [HttpRouteBackend.fromService(web)] });
  deploy(chart, 'web');
  deploy(chart, 'api');
  return chart;
}

describe('Gateway API constructs', () => {
  test('synthesize gateway.networking.k8s.io/v1 objects that pass the Gateway API JSON schemas', () => {
    const docs = Testing.synth(shop());
    const gw = docs.filter((d: any) => d.apiVersion === 'gateway.networking.k8s.io/v1');
    expect(gw.map((d: any) => d.kind).sort()).toEqual(['Gateway', 'GatewayClass', 'HTTPRoute', 'HTTPRoute']);
    expect(schemaFailures(gw.map((object: any) => ({ label: `${object.kind}/${object.metadata.name}`, object })))).toEqual([]);
    const route = gw.find((d: any) => d.metadata.name === 'shop');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'https' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'api', port: 8080 }]);
    expect(route.spec.rules[1].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'web', port: 80 }]);
  });

  test('end to end: the synthesized chart served by the model', () => {
    const cluster = Cluster.fromChart(shop(), { gatewayController: { controllerName: CONTROLLER } });
    expect(cluster.gatewayStatus('shop/edge')).toMatchObject({ accepted: true, programmed: true, reason: 'Accepted' });
    expect(cluster.routeStatus('shop/shop')).toEqual([expect.objectContaining({ parent: 'shop/edge', sectionName: 'https', accepted: true, resolvedRefs: true })]);
    const api = cluster.request({ url: 'https://shop.example.com/api/cart', gateway: 'shop/edge' });
    expect(api).toMatchObject({ status: 200, gateway: 'shop/edge', listener: 'https', route: 'shop/shop', service: 'shop/api', tlsSecret: 'shop/shop-tls', tlsHostnameVerified: true });
    expect(api.upstream?.headers).toEqual({ 'X-From': 'gateway' });
    expect(cluster.request({ url: 'https://shop.example.com/api/cart', gateway: 'shop/edge', method: 'POST' }).service).toBe('shop/web');
    expect(cluster.request({ url: 'http://shop.example.com/x?y=1', gateway: 'shop/edge' })).toMatchObject({ status: 301, location: 'https://shop.example.com/x?y=1', route: 'shop/to-https' });
    // Without the gateway option the host name still leads to the Gateway (no Ingress serves it).
    expect(cluster.request({ url: 'https://shop.example.com/' })).toMatchObject({ status: 200, gateway: 'shop/edge', service: 'shop/web' });
  });

  test('a backend without port on a multi-port Service is refused at synth, naming the construct and field', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'a' });
    const svc = new ClusterIpService(chart, 'svc', { metadata: { name: 'svc' }, selector: { app: 'x' }, ports: [{ port: 80, name: 'a' }, { port: 81, name: 'b' }] });
    const gw = new Gateway(chart, 'gw', { gatewayClass: GatewayClass.fromName('example'), listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    new HttpRoute(chart, 'r', { parents: [gw], rules: [{ backends: [HttpRouteBackend.fromService(svc)] }] });
    expect(() => Testing.synth(chart)).toThrow(/c\/r: spec\.rules\[0\]\.backendRefs\[0\]\.port: Required value: Service "svc" has several ports \(80 \(a\), 81 \(b\)\)/);
  });

  test('the CRD CEL rules refuse a ReplacePrefixMatch rewrite without exactly one pathPrefix match, with the API server message', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'a' });
    const svc = new ClusterIpService(chart, 'svc', { metadata: { name: 'svc' }, selector: { app: 'x' }, ports: [{ port: 80 }] });
    const gw = new Gateway(chart, 'gw', { gatewayClass: GatewayClass.fromName('example'), listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    new HttpRoute(chart, 'r', {
      parents: [gw],
      rules: [{ matches: [HttpRouteMatch.exact('/a')], filters: [HttpRouteFilter.urlRewrite({ replacePrefixMatch: '/b' })], backends: [HttpRouteBackend.fromService(svc)] }],
    });
    expect(() => Testing.synth(chart)).toThrow('c/r: spec.rules[0]: Invalid value: "object": When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified');
  });

  test('duplicate listener names are refused with the CRD messages', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'a' });
    new Gateway(chart, 'gw', {
      gatewayClass: GatewayClass.fromName('example'),
      listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }, { name: 'http', port: 8080, protocol: ListenerProtocol.HTTP }],
    });
    expect(() => Testing.synth(chart)).toThrow(/spec\.listeners: Invalid value: "array": Listener name must be unique within the Gateway/);
  });

  test('an HTTPS listener whose certificate does not cover its hostname is refused', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'a' });
    const pem = makeCert('other.example.com', ['other.example.com']);
    const cert = new TlsCertificateSecret(chart, 'cert', { metadata: { name: 'other' }, certificatePem: pem.crt, privateKeyPem: pem.key });
    new Gateway(chart, 'gw', { gatewayClass: GatewayClass.fromName('example'), listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: 'shop.example.com', tls: { certificates: [cert] } }] });
    expect(() => Testing.synth(chart)).toThrow(/spec\.listeners\[0\]\.hostname: Invalid value: "shop\.example\.com": the certificate in Secret "other" does not cover this hostname; its DNS names are other\.example\.com/);
  });

  test('ReferenceGrant.allowRouteToService lets a route reach a Service in another namespace', () => {
    const app = Testing.app();
    const backend = new Chart(app, 'backend', { namespace: 'payments' });
    const svc = new ClusterIpService(backend, 'svc', { metadata: { name: 'pay' }, selector: { app: 'pay' }, ports: [{ port: 8080 }] });
    deploy(backend, 'pay');
    const front = new Chart(app, 'front', { namespace: 'shop' });
    const cls = new GatewayClass(front, 'class', { controllerName: CONTROLLER, metadata: { name: 'example' } });
    const gw = new Gateway(front, 'gw', { gatewayClass: cls, metadata: { name: 'edge' }, listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    const route = new HttpRoute(front, 'route', { metadata: { name: 'pay' }, parents: [gw], rules: [{ backends: [HttpRouteBackend.fromService(svc)] }] });
    const without = Cluster.fromApp(app);
    expect(without.request({ url: 'http://pay.example/', gateway: 'shop/edge' }).status).toBe(500);
    expect(without.routeStatus('shop/pay')[0]).toMatchObject({ resolvedRefs: false, reason: 'RefNotPermitted' });
    ReferenceGrant.allowRouteToService(backend, 'grant', { route, service: svc });
    const granted = Cluster.fromApp(app);
    expect(granted.request({ url: 'http://pay.example/', gateway: 'shop/edge' })).toMatchObject({ status: 200, service: 'payments/pay' });
  });
});

describe('HttpRouteBackend port resolution', () => {
  test('portName resolves to the port number; an unknown name is refused; a cdk8s-plus Service works too', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'a' });
    const svc = new ClusterIpService(chart, 'svc', { metadata: { name: 'svc' }, selector: { app: 'x' }, ports: [{ port: 80, name: 'http' }, { port: 9090, name: 'metrics' }] });
    const plus = new kplus.Service(chart, 'plus', { metadata: { name: 'plus' }, ports: [{ port: 8443, name: 'https' }] });
    const gw = new Gateway(chart, 'gw', { gatewayClass: GatewayClass.fromName('example'), listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    new HttpRoute(chart, 'r', { metadata: { name: 'r' }, parents: [gw], rules: [{ backends: [HttpRouteBackend.fromService(svc, { portName: 'http' }), HttpRouteBackend.fromPlusService(plus)] }] });
    const route = Testing.synth(chart).find((o: any) => o.kind === 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'svc', port: 80 }, { group: '', kind: 'Service', name: 'plus', port: 8443 }]);
    new HttpRoute(chart, 'bad', { parents: [gw], rules: [{ backends: [HttpRouteBackend.fromService(svc, { portName: 'grpc' })] }] });
    expect(() => Testing.synth(chart)).toThrow('c/bad: spec.rules[0].backendRefs[0].port: Invalid value: "grpc": Service "svc" has no port named "grpc" (its ports: 80 (http), 9090 (metrics))');
    expect(() => HttpRouteBackend.fromService(svc, { port: 80, portName: 'http' })).toThrow('HttpRouteBackend.fromService(svc): give port or portName, not both');
  });
});
