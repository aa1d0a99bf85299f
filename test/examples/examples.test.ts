// Every example under examples/ is built here and its point asserted through the model.
import { Testing } from 'cdk8s';
import { buildGatewayChart, GATEWAY_CONTROLLER } from '../../examples/gateway/app';
import { buildHeadlessChart } from '../../examples/headless-statefulset/main';
import { buildIngressTlsChart } from '../../examples/ingress-tls/main';
import { buildSeedChart, SEED_HOST } from '../../examples/seed/app';
import { buildServiceTypesChart } from '../../examples/service-types/main';
import { buildAffinityChart } from '../../examples/session-affinity/main';
import { Cluster } from '../../src';
import { graphText } from '../../src/cli/graph';

const errorsOf = (cluster: Cluster) => cluster.diagnostics.filter((d) => d.severity === 'error');

describe('examples/seed', () => {
  const chart = buildSeedChart(Testing.app());
  const manifests = Testing.synth(chart);
  const cluster = Cluster.fromChart(chart, { seed: 1 });

  test('the seed Service keeps the meaning of the seed manifest', () => {
    const svc = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'billbear-api-gateway-svc');
    expect(svc.metadata.namespace).toBe('base');
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      selector: { app: 'billbear-api-gateway' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
      sessionAffinity: 'None',
    });
  });

  test('the seed Ingress keeps the meaning of the seed manifest', () => {
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(ingress.metadata).toMatchObject({ name: 'billbear-app-gateway', namespace: 'base' });
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules).toEqual([{
      host: SEED_HOST,
      http: { paths: [{ path: '/api/', pathType: 'ImplementationSpecific', backend: { service: { name: 'billbear-app-gateway-svc', port: { number: 8080 } } } }] },
    }]);
    expect(ingress.spec.tls).toEqual([{ hosts: [SEED_HOST], secretName: `${SEED_HOST}.ssl` }]);
  });

  test('https through the Ingress reaches a gateway pod with the seed certificate', () => {
    const answer = cluster.request({ url: `https://${SEED_HOST}/api/orders` });
    expect(answer).toMatchObject({ status: 200, ingress: 'base/billbear-app-gateway', service: 'base/billbear-app-gateway-svc', tlsSecret: `base/${SEED_HOST}.ssl`, tlsHostnameVerified: true });
    expect(answer.pod).toMatch(/^base\/billbear-app-gateway-/);
  });

  test('plain http gets ingress-nginx\'s 308 to https', () => {
    expect(cluster.request({ url: `http://${SEED_HOST}/api/orders` })).toMatchObject({ status: 308, location: `https://${SEED_HOST}/api/orders` });
  });

  test('the headless variant resolves to the pod IPs, the sticky variant keeps its client', () => {
    const podIps = cluster.pods.filter((p) => p.labels.app === 'billbear-api-gateway').map((p) => p.ip).sort();
    expect(podIps.length).toBeGreaterThan(1);
    const answer = cluster.resolve('billbear-api-gateway-headless.base.svc.cluster.local');
    expect(answer.records.map((r) => r.value).sort()).toEqual(podIps);
    const client = cluster.pods.find((p) => p.labels.app === 'billbear-app-gateway')!.name;
    const answers = Array.from({ length: 10 }, () => cluster.request({ url: 'http://billbear-api-gateway-sticky:8080/', from: { pod: client } }));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const picks = new Set(answers.map((a) => a.pod));
    expect([...picks]).toEqual([expect.stringMatching(/^base\/billbear-api-gateway-/)]);
  });

  test('the graph tells the headless variant from the ClusterIP ones', () => {
    const graph = graphText(cluster);
    expect(graph).toMatch(/Service base\/billbear-api-gateway-headless:8080 \(http\) headless → /);
    expect(graph).toMatch(/Service base\/billbear-api-gateway-svc:8080 \(http\) ClusterIP → /);
  });

  test('no error diagnostics', () => expect(errorsOf(cluster)).toEqual([]));
});

describe('examples/service-types', () => {
  const cluster = Cluster.fromChart(buildServiceTypesChart(Testing.app()), { seed: 1 });
  const service = (name: string) => cluster.services.find((s) => s.name === name)!;

  test('ClusterIP, NodePort and LoadBalancer all reach a web pod', () => {
    const client = cluster.pods[0].name;
    expect(cluster.connect({ to: `${service('shop/web').clusterIp}:80`, from: { pod: client } }).connected).toBe(true);
    expect(cluster.connect({ to: `${service('shop/web-public').loadBalancerIps[0]}:80`, from: { ip: '198.51.100.7' } }).connected).toBe(true);
  });

  test('NodePort with externalTrafficPolicy Local only uses pods on the receiving node', () => {
    // One node more than web replicas, so one node has no local endpoint.
    const wide = Cluster.fromChart(buildServiceTypesChart(Testing.app()), { seed: 1, nodes: 4 });
    const outcomes = wide.nodes.map((node) => {
      const answer = wide.connect({ to: `${node.ip}:30080` });
      const local = wide.pods.filter((p) => p.node === node.name);
      if (local.length === 0) {
        expect(answer.connected).toBe(false);
      } else {
        expect(local.map((p) => p.name)).toContain(answer.pod);
      }
      return local.length > 0;
    });
    // Both branches must be taken for the example to show the policy: a node with a web pod and one without.
    expect(new Set(outcomes)).toEqual(new Set([true, false]));
  });

  test('ExternalName answers with a CNAME', () => {
    const answer = cluster.resolve('payments.shop.svc.cluster.local');
    expect(answer.records).toEqual([expect.objectContaining({ type: 'CNAME', value: 'api.payments.example.com' })]);
  });
});

describe('examples/headless-statefulset', () => {
  const cluster = Cluster.fromChart(buildHeadlessChart(Testing.app()));

  test('each StatefulSet pod has a stable DNS name under the governing Service', () => {
    for (const ordinal of [0, 1, 2]) {
      const pod = cluster.pods.find((p) => p.name === `data/db-${ordinal}`)!;
      expect(cluster.resolve(`db-${ordinal}.db.data.svc.cluster.local`).records.map((r) => r.value)).toEqual([pod.ip]);
    }
  });

  test('SRV records name every pod and the port', () => {
    const answer = cluster.resolve('_postgres._tcp.db.data.svc.cluster.local', { type: 'SRV' });
    expect(answer.records.map((r) => [r.target, r.port])).toEqual([0, 1, 2].map((i) => [`db-${i}.db.data.svc.cluster.local`, 5432]));
  });
});

describe('examples/session-affinity', () => {
  test('a client keeps its pod while active and gets a new pick after the 30-minute timeout', () => {
    const cluster = Cluster.fromChart(buildAffinityChart(Testing.app()), { seed: 3 });
    const client = cluster.pods[0].name;
    const call = () => cluster.request({ url: 'http://cart.shop/', from: { pod: client } });
    const first = call();
    expect(first.status).toBe(200);
    cluster.advanceClock(29 * 60);
    expect(call().pod).toBe(first.pod);
    cluster.advanceClock(31 * 60);
    expect(call().trace.map((h) => h.text).join('\n')).toMatch(/no recent entry|expired/);
  });

  test('behind ingress-nginx, cookie affinity keeps a browser on its pod; without the cookie requests spread', () => {
    const cluster = Cluster.fromChart(buildAffinityChart(Testing.app()), { seed: 3, ingressController: { sslRedirect: false } });
    const first = cluster.request({ url: 'http://shop.example.com/' });
    expect(first).toMatchObject({ status: 200, service: 'shop/web' });
    expect(first.setCookies![0]).toMatch(/^SHOPSESSION=[^;]+; Max-Age=1800; Path=\/; HttpOnly$/);
    const cookie = first.setCookies![0].split(';')[0];
    for (let i = 0; i < 10; i++) expect(cluster.request({ url: 'http://shop.example.com/cart', headers: { Cookie: cookie } }).pod).toBe(first.pod);
    expect(new Set(Array.from({ length: 20 }, () => cluster.request({ url: 'http://shop.example.com/' }).pod)).size).toBeGreaterThan(1);
  });
});

describe('examples/ingress-tls', () => {
  const cluster = Cluster.fromChart(buildIngressTlsChart(Testing.app()));

  test('the cert-manager Ingress carries the issuer annotation and, until issued, nginx serves its default certificate', () => {
    const manifests = Testing.synth(buildIngressTlsChart(Testing.app()));
    const admin = manifests.find((m) => m.kind === 'Ingress' && m.metadata.name === 'admin');
    expect(admin.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(cluster.request({ url: 'https://admin.example.com/' })).toMatchObject({ status: 200, tlsSecret: '@default', tlsHostnameVerified: false });
  });
});

describe('examples/seed NetworkPolicies', () => {
  const cluster = Cluster.fromChart(buildSeedChart(Testing.app()), { seed: 1 });
  const podOf = (app: string) => cluster.pods.find((p) => p.labels.app === app)!.name;

  test('the ingress controller gets into the app gateway, by allow-from-ingress-controller', () => {
    const answer = cluster.request({ url: `https://${SEED_HOST}/api/orders` });
    expect(answer.status).toBe(200);
    expect(answer.trace.find((h) => h.component === 'network-policy')).toMatchObject({ action: 'allow', object: 'NetworkPolicy/base/allow-from-ingress-controller' });
  });

  test('the api gateway cannot open the app gateway: default-deny-ingress and allow-from-ingress-controller isolate it', () => {
    const answer = cluster.request({ url: 'http://billbear-app-gateway-svc:8080/', from: { pod: podOf('billbear-api-gateway') } });
    expect(answer).toMatchObject({ status: 0, error: 'connection timed out', service: 'base/billbear-app-gateway-svc' });
    const deny = answer.trace.find((h) => h.component === 'network-policy')!;
    expect(deny.action).toBe('deny');
    expect(deny.text).toContain('base/default-deny-ingress, base/allow-from-ingress-controller');
  });

  test('the same manifests on a CNI without policy support let it through', () => {
    const open = Cluster.fromChart(buildSeedChart(Testing.app()), { seed: 1, networkPolicy: 'ignore' });
    expect(open.request({ url: 'http://billbear-app-gateway-svc:8080/', from: { pod: podOf('billbear-api-gateway') } }).status).toBe(200);
  });
});

describe('examples/gateway', () => {
  const HOST = SEED_HOST;
  const cluster = Cluster.fromChart(buildGatewayChart(Testing.app()), { gatewayController: { controllerName: GATEWAY_CONTROLLER }, seed: 1 });

  test('the Gateway is accepted; each listener has its route', () => {
    const status = cluster.gatewayStatus('base/billbear-edge');
    expect(status).toMatchObject({ accepted: true, programmed: true });
    expect(status.listeners.map((l) => [l.name, l.attachedRoutes, l.resolvedRefs])).toEqual([['http', 1, true], ['https', 1, true]]);
  });

  test('https reaches an app gateway pod with the seed certificate, as the Ingress did', () => {
    const answer = cluster.request({ url: `https://${HOST}/api/orders` });
    expect(answer).toMatchObject({ status: 200, gateway: 'base/billbear-edge', listener: 'https', route: 'base/billbear-app-gateway', service: 'base/billbear-app-gateway-svc', tlsSecret: `base/${HOST}.ssl`, tlsHostnameVerified: true });
    expect(answer.pod).toMatch(/^base\/billbear-app-gateway-/);
  });

  test('plain http is redirected to https (301)', () => {
    expect(cluster.request({ url: `http://${HOST}/api/orders` })).toMatchObject({ status: 301, location: `https://${HOST}/api/orders`, listener: 'http' });
  });

  test('the model finds nothing wrong with it', () => expect(errorsOf(cluster)).toEqual([]));

  test('a path outside /api/ gets the Gateway\'s 404', () => {
    expect(cluster.request({ url: `https://${HOST}/admin` })).toMatchObject({ status: 404, gateway: 'base/billbear-edge' });
  });
});
