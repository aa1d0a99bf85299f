/** The NetworkPolicy checks: policies that select or name nothing (the traffic findings are in test/dataplane/network-policy.test.ts). */
import { Cluster } from '../../src';

const pod = (ns: string, name: string, ports: { name: string; containerPort: number; protocol?: string }[] = []) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns, name, labels: { app: name } }, spec: { containers: [{ name, image: name, ports }] },
});
const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'shop', name }, spec });
const codes = (cluster: Cluster) => cluster.diagnostics.filter((d) => d.code.startsWith('NETPOL_')).map((d) => `${d.code} ${d.object} ${d.field ?? ''}`.trim());

test('a podSelector that matches no pod of the namespace', () => {
  const cluster = Cluster.fromManifests([pod('shop', 'cart'), pod('other', 'web'), policy('typo', { podSelector: { matchLabels: { app: 'web' } } })]);
  expect(codes(cluster)).toEqual(['NETPOL_SELECTS_NO_POD NetworkPolicy/shop/typo spec.podSelector']);
});

test('a namespaceSelector that matches no namespace; labels of Namespace manifests count', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels: { team: 'obs' } } };
  const cluster = Cluster.fromManifests([ns, pod('shop', 'cart'), policy('from', {
    podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'obs' } } }, { namespaceSelector: { matchLabels: { team: 'nobody' } } }] }],
  })]);
  expect(codes(cluster)).toEqual(['NETPOL_NAMESPACE_SELECTOR_NO_MATCH NetworkPolicy/shop/from spec.ingress[0].from[1].namespaceSelector']);
});

test('a named port no selected pod declares (with that protocol)', () => {
  const cluster = Cluster.fromManifests([pod('shop', 'cart', [{ name: 'http', containerPort: 8080 }]), policy('ports', {
    podSelector: {}, ingress: [{ ports: [{ port: 'http' }, { port: 'http', protocol: 'UDP' }, { port: 'grpc' }] }],
  })]);
  expect(codes(cluster)).toEqual([
    'NETPOL_NAMED_PORT_UNKNOWN NetworkPolicy/shop/ports spec.ingress[0].ports[1].port',
    'NETPOL_NAMED_PORT_UNKNOWN NetworkPolicy/shop/ports spec.ingress[0].ports[2].port',
  ]);
});

test('no policies, no findings; ignore mode keeps the manifest findings but not the traffic ones', () => {
  expect(codes(Cluster.fromManifests([pod('shop', 'cart')]))).toEqual([]);
  const objects = [pod('shop', 'cart'), policy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] }), policy('typo', { podSelector: { matchLabels: { app: 'x' } } })];
  expect(codes(Cluster.fromManifests(objects))).toEqual(['NETPOL_SELECTS_NO_POD NetworkPolicy/shop/typo spec.podSelector', 'NETPOL_DNS_EGRESS_BLOCKED Pod/shop/cart']);
  expect(codes(Cluster.fromManifests(objects, { networkPolicy: 'ignore' }))).toEqual(['NETPOL_SELECTS_NO_POD NetworkPolicy/shop/typo spec.podSelector']);
});
