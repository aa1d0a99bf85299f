// Apps use any cdk8s-plus major (27 … 33). The same app on the oldest and the newest major
// (plus27-app.ts, plus33-app.ts) must type-check strictly without casts, synthesize, and be
// routed by the model; the library reads the plus objects' ApiObjects only.
import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import * as ts from 'typescript';
import { buildApp as buildPlus27App } from './plus27-app';
import { buildApp as buildPlus33App } from './plus33-app';
import { Cluster, ClusterIpService, IngressBackend } from '../../src';

const NOW = new Date('2026-12-01T00:00:00Z');
const APPS = ['plus27-app.ts', 'plus33-app.ts'];

test('both apps type-check in strict TypeScript without casts', () => {
  const program = ts.createProgram(APPS.map((f) => join(__dirname, f)), {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    types: ['node'],
  });
  const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(messages).toEqual([]);
  for (const file of APPS) expect(readFileSync(join(__dirname, file), 'utf8')).not.toMatch(/\bas (any|unknown)\b|<any>/);
}, 120_000);

test('the two apps are the same but for the cdk8s-plus import', () => {
  const body = (file: string) => readFileSync(join(__dirname, file), 'utf8').split('\n').slice(2).join('\n').replace(/cdk8s-plus-(27|33)/, 'cdk8s-plus');
  expect(body('plus33-app.ts')).toBe(body('plus27-app.ts'));
});

describe.each([
  ['cdk8s-plus-27', buildPlus27App],
  ['cdk8s-plus-33', buildPlus33App],
])('an app on %s', (_major, buildApp) => {
  const chart = buildApp(Testing.app());
  const manifests = Testing.synth(chart);
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const named = (kind: string, prefix: string) => manifests.find((m) => m.kind === kind && m.metadata.name.startsWith(prefix));
  const cluster = Cluster.fromChart(chart, { now: NOW, seed: 1 });

  test('Services select each workload by the match labels its synthesized manifest carries', () => {
    for (const [service, kind, workload] of [['web', 'Deployment', 'shop-web-'], ['cart', 'StatefulSet', 'shop-cart-'], ['agent', 'DaemonSet', 'shop-agent-']]) {
      const matchLabels = named(kind, workload).spec.selector.matchLabels;
      expect(Object.keys(matchLabels).length).toBeGreaterThan(0);
      expect(find('Service', service).spec.selector).toEqual(matchLabels);
    }
    expect(find('Service', 'debug').spec.selector).toEqual(named('Pod', 'shop-debug-').metadata.labels);
    expect(find('Service', 'web-by-labels').spec.selector).toEqual(named('Deployment', 'shop-web-').spec.selector.matchLabels);
  });

  test('the Ingress routes to the plus Service by its only port and names the plus TLS Secret', () => {
    const ingress = find('Ingress', 'shop');
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'api', port: { number: 8081 } } });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  });

  test('the model routes its requests to the workloads\' pods', () => {
    const api = cluster.request({ url: 'https://shop.example.com/api/orders' });
    expect(api).toMatchObject({ status: 200, ingress: 'shop/shop', service: 'shop/api', servicePort: 8081, tlsSecret: 'shop/shop-tls', tlsHostnameVerified: true });
    expect(api.pod).toMatch(/^shop\/shop-web-c[0-9a-z]+-[0-9a-z]+-[01]$/);
    expect(cluster.request({ url: 'https://shop.example.com/' })).toMatchObject({ status: 200, service: 'shop/web', servicePort: 80, targetPort: 8080 });
    const client = api.pod!;
    expect(cluster.request({ url: 'http://cart.shop:8080/', from: { pod: client } }).pod).toMatch(/^shop\/shop-cart-c[0-9a-z]+-0$/);
    expect(cluster.request({ url: 'http://debug:7000/', from: { pod: client } }).pod).toMatch(/^shop\/shop-debug-c[0-9a-z]+$/);
    const agentIps = cluster.pods.filter((p) => p.owner?.startsWith('DaemonSet/shop/')).map((p) => p.ip).sort();
    expect(agentIps).toHaveLength(3);
    expect(cluster.resolve('agent.shop.svc.cluster.local').records.map((r) => r.value).sort()).toEqual(agentIps);
  });

  test('the model finds no errors', () => {
    expect(cluster.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe.each([
  ['cdk8s-plus-27', plus27],
  ['cdk8s-plus-33', plus33],
] as const)('objects of %s that run no pods or are no Service are refused with the construct path', (_major, kplus) => {
  test('a ConfigMap as a Service selector', () => {
    const chart = new Chart(Testing.app(), 'test');
    const config = new kplus.ConfigMap(chart, 'config');
    new ClusterIpService(chart, 'svc', { metadata: { name: 'svc' }, selector: config, ports: [{ port: 80 }] });
    expect(() => Testing.synth(chart)).toThrow('test/svc: spec.selector: cannot select the pods of test/config: it is a v1 ConfigMap, which runs no pods');
  });

  test('a pod selector with label expressions', () => {
    const chart = new Chart(Testing.app(), 'test');
    const svc = new ClusterIpService(chart, 'svc', { metadata: { name: 'svc' }, ports: [{ port: 80 }] });
    svc.select(kplus.Pods.select(chart, 'pods', { expressions: [kplus.LabelExpression.exists('app')] }));
    expect(() => Testing.synth(chart)).toThrow('test/svc: spec.selector: cannot select the pods of test/pods: it uses label expressions');
  });

  test('a Deployment as an Ingress backend Service', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web' }] });
    expect(() => IngressBackend.fromPlusService(web)).toThrow('IngressBackend.fromPlusService(test/web): expected a construct that synthesizes a v1 Service, got Deployment (apps/v1)');
  });
});
