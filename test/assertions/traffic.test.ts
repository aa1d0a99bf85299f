import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { stringify } from 'yaml';
import { Cluster, ClusterIpService, Ingress, IngressBackend, Traffic } from '../../src';

/** cart behind shop.example.com/api (HTTP only), web with no pods behind /, and an Ingress naming a missing Service. */
function shop(): Chart {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'base' });
  const cart = new kplus.Deployment(chart, 'cart', { containers: [{ image: 'example/cart:1', ports: [{ name: 'http', number: 8080 }] }] });
  const cartSvc = new ClusterIpService(chart, 'cart-svc', { metadata: { name: 'cart' }, selector: cart, ports: [{ port: 8080, targetPortName: 'http' }] });
  const web = new ClusterIpService(chart, 'web-svc', { metadata: { name: 'web' }, selector: { app: 'web' }, ports: [{ port: 80 }] });
  const ingress = new Ingress(chart, 'ingress', { metadata: { name: 'shop', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } });
  ingress.addRule('shop.example.com', '/api', IngressBackend.fromService(cartSvc));
  ingress.addRule('shop.example.com', '/', IngressBackend.fromService(web));
  ingress.addRule('old.example.com', '/', IngressBackend.fromService(web));
  return chart;
}

/** The message of what `fn` throws. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

describe('expectRequest', () => {
  const traffic = Traffic.fromChart(shop(), { seed: 1 });

  test('toReach passes when a pod of the Service answers, and chains', () => {
    const expectation = traffic.expectRequest({ url: 'http://shop.example.com/api/cart' }).toReach('base/cart').toHaveStatus(200);
    expect(expectation.result.pod).toMatch(/^base\/shop-cart-/);
  });

  test('toReach fails with the expectation, the answer and the trace', () => {
    const message = failure(() => traffic.expectRequest({ url: 'http://shop.example.com/api/cart' }).toReach('base/web'));
    expect(message).toMatch(/^expected GET http:\/\/shop\.example\.com\/api\/cart to reach a pod of Service base\/web\ngot: status 200, ingress base\/shop, service base\/cart:8080, pod base\/shop-cart-\S+\ntrace:\n {2}\[client\] request: /);
    expect(message).toContain('[ingress-controller] match: ');
  });

  test('toReach fails when the Service is right but no pod answers', () => {
    const message = failure(() => traffic.expectRequest({ url: 'http://shop.example.com/' }).toReach('base/web'));
    expect(message).toMatch(/^expected GET http:\/\/shop\.example\.com\/ to reach a pod of Service base\/web\ngot: status 503, ingress base\/shop, service base\/web:80\n/);
  });

  test('toBeRefused: a ClusterIP Service name is not reachable from outside', () => {
    traffic.expectRequest({ url: 'http://cart.base:8080/' }).toBeRefused();
    const client = traffic.cluster.pods[0].name;
    const message = failure(() => traffic.expectRequest({ url: 'http://cart.base:8080/', from: { pod: client } }).toBeRefused());
    expect(message).toContain(`expected GET http://cart.base:8080/ from pod ${client} to get no response`);
    expect(message).toContain('got: status 200');
  });

  test('toRedirectTo and toHaveStatus fail naming the status they got', () => {
    expect(failure(() => traffic.expectRequest({ url: 'http://old.example.com/' }).toRedirectTo('https://new.example.com/')))
      .toMatch(/^expected GET http:\/\/old\.example\.com\/ to be redirected to https:\/\/new\.example\.com\/\ngot: status 503/);
    expect(failure(() => traffic.expectRequest({ url: 'http://nobody.example.com/', method: 'POST' }).toHaveStatus(200)))
      .toMatch(/^expected POST http:\/\/nobody\.example\.com\/ to get status 200\ngot: /);
  });
});

describe('expectNoDiagnostics and expectDiagnostic', () => {
  const traffic = Traffic.fromChart(shop());

  test('a severity includes the more serious ones; the failure lists what was found', () => {
    const codes = traffic.cluster.diagnostics.map((d) => `${d.severity} ${d.code}`);
    expect(codes).toContain('warning SERVICE_SELECTOR_NO_MATCH');
    expect(codes.some((c) => c.startsWith('error '))).toBe(false);
    traffic.expectNoDiagnostics({ severity: 'error' });
    const message = failure(() => traffic.expectNoDiagnostics({ severity: 'warning' }));
    expect(message).toMatch(/^expected no diagnostics with severity warning or worse, found \d+:\n {2}warning /);
    expect(message).toContain('SERVICE_SELECTOR_NO_MATCH Service/base/web spec.selector: ');
    expect(failure(() => traffic.expectNoDiagnostics())).toMatch(/^expected no diagnostics, found/);
  });

  test('expectDiagnostic by code and object', () => {
    traffic.expectDiagnostic({ code: 'SERVICE_SELECTOR_NO_MATCH', object: 'Service/base/web' });
    const message = failure(() => traffic.expectDiagnostic({ code: 'SERVICE_SELECTOR_NO_MATCH', object: 'Service/base/cart' }));
    expect(message).toMatch(/^expected a diagnostic with code SERVICE_SELECTOR_NO_MATCH, about Service\/base\/cart; the diagnostics are:\n {2}warning SERVICE_SELECTOR_NO_MATCH Service\/base\/web/);
  });

  test('an unknown severity is a clear error', () => {
    expect(() => traffic.expectNoDiagnostics({ severity: 'fatal' })).toThrow('DiagnosticFilter: severity must be one of error, warning, info, got "fatal"');
  });
});

test('fromCluster, fromApp and fromDirectory model the same traffic', () => {
  const chart = shop();
  const reach = (traffic: Traffic) => traffic.expectRequest({ url: 'http://shop.example.com/api' }).toReach('base/cart').result.pod;
  const pod = reach(Traffic.fromCluster(Cluster.fromChart(chart, { seed: 1 })));
  expect(reach(Traffic.fromApp(chart.node.scope as App, { seed: 1 }))).toBe(pod);
  const dir = mkdtempSync(join(tmpdir(), 'traffic-'));
  try {
    writeFileSync(join(dir, 'shop.k8s.yaml'), Testing.synth(chart).map((o) => stringify(o)).join('---\n'));
    expect(reach(Traffic.fromDirectory(dir, { seed: 1 }))).toBe(pod);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('Traffic.ignore', () => {
  test('accepts a finding on one construct: it stays visible as suppressed, with the reason', () => {
    const chart = shop();
    const before = Traffic.fromChart(chart).cluster.diagnostics.find((d) => d.code === 'SERVICE_SELECTOR_NO_MATCH' && d.object === 'Service/base/web');
    expect(before?.suppressed).toBeUndefined();
    const web = chart.node.findChild('web-svc');
    Traffic.ignore(web, ['SERVICE_SELECTOR_NO_MATCH'], 'the web pods are deployed by another team');
    Traffic.ignore(web, ['SERVICE_NO_READY_ENDPOINTS'], 'same');
    const after = Traffic.fromChart(chart).cluster.diagnostics.find((d) => d.code === 'SERVICE_SELECTOR_NO_MATCH' && d.object === 'Service/base/web');
    expect(after?.suppressed).toBe('the web pods are deployed by another team; same');
    const annotations = Testing.synth(chart).find((o: any) => o.kind === 'Service' && o.metadata.name === 'web').metadata.annotations;
    expect(annotations).toEqual({ 'cdk8s-traffic/ignore': 'SERVICE_SELECTOR_NO_MATCH,SERVICE_NO_READY_ENDPOINTS: the web pods are deployed by another team; same' });
  });

  test('refuses what the annotation could not carry', () => {
    const chart = shop();
    const web = chart.node.findChild('web-svc');
    expect(() => Traffic.ignore(web, [], 'x')).toThrow(/^Traffic\.ignore: codes must be diagnostic codes/);
    expect(() => Traffic.ignore(web, ['EXPOSURE_NODE_PORT'], 'a: b')).toThrow(/^Traffic\.ignore: reason must be a non-empty sentence without ":"/);
  });
});
