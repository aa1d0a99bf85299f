/**
 * NetworkPolicy where the dataplane applies it: after kube-proxy's DNAT, with the source after
 * SNAT, for DNS, and on the ingress controller's upstream connection. The e2e truth tables are
 * in test/conformance/network-policy.test.ts.
 */
import { Cluster } from '../../src';

const deployment = (ns: string, name: string, replicas = 2, port = 8080) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { namespace: ns, name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name, ports: [{ name: 'http', containerPort: port }] }] } },
  },
});
const service = (ns: string, name: string, type = 'ClusterIP', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 'http' }], ...extra },
});
const policy = (ns: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: ns, name }, spec });
const denyIngress = (ns: string) => policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] });
const hops = (trace: { component: string; action: string }[]) => trace.map((h) => `${h.component} ${h.action}`);

describe('Service traffic is judged after DNAT and SNAT', () => {
  const objects = [deployment('shop', 'cart'), service('shop', 'cart', 'NodePort'), deployment('shop', 'web', 1), denyIngress('shop'),
    policy('shop', 'allow-web', { podSelector: { matchLabels: { app: 'cart' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] })];
  const cluster = Cluster.fromManifests(objects, { seed: 1 });
  const web = cluster.pods.find((p) => p.labels.app === 'web')!;
  const svc = cluster.services.find((s) => s.name === 'shop/cart')!;

  test('a ClusterIP port 80 → targetPort 8080: the rule on 8080 applies, the Service port does not matter', () => {
    const r = cluster.connect({ to: `${svc.clusterIp}:80`, from: { pod: web.name } });
    expect(r).toMatchObject({ connected: true, service: 'shop/cart', targetPort: 8080 });
    expect(hops(r.trace).slice(-2)).toEqual(['kube-proxy dnat', 'network-policy allow']);
  });

  test('NodePort from outside (externalTrafficPolicy Cluster): SNAT to the node, which only the endpoint\'s own node gets past the policy', () => {
    const nodePort = svc.ports[0].nodePort!;
    const outcomes = cluster.nodes.flatMap((node) => Array.from({ length: 6 }, () => cluster.connect({ to: `${node.ip}:${nodePort}`, from: { ip: '203.0.113.9' } })));
    const byNode = cluster.nodes.map((n) => n.ip);
    for (const r of outcomes) {
      const endpointNode = cluster.pods.find((p) => p.ip === (r.endpoint ?? '').split(':')[0]);
      if (r.connected) {
        expect(r.masqueraded).toBe(true);
        expect(byNode).toContain(r.sourceIp);
        expect(r.trace.find((h) => h.component === 'network-policy')!.text).toContain('own node, to and from which traffic is always allowed');
        expect(cluster.nodes.find((n) => n.ip === r.sourceIp)!.name).toBe(endpointNode!.node);
      } else {
        expect(r.error).toBe('connection timed out');
        expect(r.trace.find((h) => h.component === 'network-policy')!.action).toBe('deny');
      }
    }
    expect(outcomes.some((r) => r.connected)).toBe(true);
    expect(outcomes.some((r) => !r.connected)).toBe(true);
  });

  test('an ipBlock for the client range lets external clients in once the source is preserved (externalTrafficPolicy Local)', () => {
    const local = Cluster.fromManifests([deployment('shop', 'cart'), service('shop', 'cart', 'LoadBalancer', { externalTrafficPolicy: 'Local' }), denyIngress('shop'),
      policy('shop', 'allow-clients', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }] })], { seed: 1 });
    const lb = local.services.find((s) => s.name === 'shop/cart')!.loadBalancerIps[0];
    expect(local.connect({ to: `${lb}:80`, from: { ip: '203.0.113.9' } })).toMatchObject({ connected: true, sourceIp: '203.0.113.9' });
    const excepted = local.connect({ to: `${lb}:80`, from: { ip: '203.0.113.200' } });
    expect(excepted).toMatchObject({ connected: false, error: 'connection timed out' });
    expect(excepted.trace.find((h) => h.component === 'network-policy')!.text).toContain('no ingress rule\'s from selects 203.0.113.200');
  });

  test('host-network sources are their node\'s address: a pod\'s own node gets in, another node does not', () => {
    const cart = cluster.pods.filter((p) => p.labels.app === 'cart');
    const own = cluster.connect({ to: `${cart[0].ip}:8080`, from: { node: cart[0].node } });
    expect(own.connected).toBe(true);
    const elsewhere = cluster.nodes.find((n) => n.name !== cart[0].node)!;
    expect(cluster.connect({ to: `${cart[0].ip}:8080`, from: { node: elsewhere.name } })).toMatchObject({ connected: false, error: 'connection timed out' });
  });

  test('without policies the traces have no network-policy hop (results unchanged)', () => {
    const open = Cluster.fromManifests(objects.filter((o) => o.kind !== 'NetworkPolicy'), { seed: 1 });
    const r = open.connect({ to: `${svc.clusterIp}:80`, from: { pod: web.name } });
    expect(hops(r.trace)).not.toContain('network-policy allow');
  });
});

describe('the pod\'s own node and the pod itself', () => {
  const bare = (name: string, node: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'shop', name, labels: { app: name } },
    spec: { nodeName: node, containers: [{ name, image: name, ports: [{ containerPort: 9100 }] }], ...extra },
  });
  const cluster = Cluster.fromManifests([
    bare('agent', 'node-1', { hostNetwork: true }), bare('near', 'node-1'), bare('far', 'node-2'),
    { ...service('shop', 'near'), spec: { selector: { app: 'near' }, ports: [{ port: 80, targetPort: 9100 }] } },
    policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  ]);
  const node1 = cluster.nodes.find((n) => n.name === 'node-1')!.ip;

  test('egress to the pod\'s own node is allowed, to another node it is not', () => {
    expect(cluster.connect({ to: `${node1}:9100`, from: { pod: 'shop/near' } })).toMatchObject({ connected: true, pod: 'shop/agent' });
    expect(cluster.connect({ to: `${node1}:9100`, from: { pod: 'shop/far' } })).toMatchObject({ connected: false, error: 'connection timed out' });
  });

  test('a pod cannot block access to itself, directly or hairpinned through its Service', () => {
    const ip = cluster.pods.find((p) => p.name === 'shop/near')!.ip;
    expect(cluster.connect({ to: `${ip}:9100`, from: { pod: 'shop/near' } }).connected).toBe(true);
    const vip = cluster.services.find((s) => s.name === 'shop/near')!.clusterIp;
    expect(cluster.connect({ to: `${vip}:80`, from: { pod: 'shop/near' } })).toMatchObject({ connected: true, masqueraded: true });
    expect(cluster.connect({ to: `${vip}:80`, from: { pod: 'shop/far' } }).connected).toBe(false);
  });
});

describe('ports and ipBlocks', () => {
  const server = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'x', name: 'server', labels: { app: 'server' } },
    spec: { containers: [{ name: 's', image: 's', ports: [{ name: 'metrics', containerPort: 9090 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] },
  };
  const client = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'y', name, labels: { app: name } }, spec: { containers: [{ name, image: name }] } });

  test('endPort admits the range, both ends included', () => {
    const c = Cluster.fromManifests([server, client('c'), policy('x', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 32000, endPort: 32768 }] }] })]);
    const ip = c.pods.find((p) => p.name === 'x/server')!.ip;
    const open = (port: number) => c.connect({ to: `${ip}:${port}`, from: { pod: 'y/c' } }).connected;
    expect([31999, 32000, 32500, 32768, 32769].map(open)).toEqual([false, true, true, true, false]);
  });

  test('a named port matches the container port of that name and protocol only', () => {
    const c = Cluster.fromManifests([server, client('c'), policy('x', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'metrics' }, { port: 'dns', protocol: 'UDP' }] }] })]);
    const ip = c.pods.find((p) => p.name === 'x/server')!.ip;
    const open = (port: number, protocol: string) => c.connect({ to: `${ip}:${port}`, from: { pod: 'y/c' }, protocol }).connected;
    expect([open(9090, 'TCP'), open(53, 'UDP'), open(53, 'TCP'), open(9090, 'UDP')]).toEqual([true, true, false, false]);
  });

  test('an ingress ipBlock is matched against pod addresses, except carved out', () => {
    const base = Cluster.fromManifests([server, client('a'), client('b')]);
    const a = base.pods.find((p) => p.name === 'y/a')!.ip;
    const c = Cluster.fromManifests([server, client('a'), client('b'), policy('x', 'cidr', {
      podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: [`${a}/32`] } }] }],
    })]);
    const ip = c.pods.find((p) => p.name === 'x/server')!.ip;
    expect(c.connect({ to: `${ip}:9090`, from: { pod: 'y/a' } }).connected).toBe(false);
    expect(c.connect({ to: `${ip}:9090`, from: { pod: 'y/b' } }).connected).toBe(true);
  });
});

describe('DNS egress', () => {
  const base = [deployment('shop', 'cart'), service('shop', 'cart'), deployment('shop', 'web', 1)];
  const denyEgress = policy('shop', 'deny-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] });
  const allowDns = policy('shop', 'allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }],
  });

  test('a pod whose egress to kube-dns is denied gets a DNS timeout', () => {
    const cluster = Cluster.fromManifests([...base, denyEgress]);
    const web = cluster.pods.find((p) => p.labels.app === 'web')!.name;
    const r = cluster.request({ url: 'http://cart/', from: { pod: web } });
    expect(r).toMatchObject({ status: 0, error: 'DNS timeout' });
    expect(hops(r.trace)).toEqual(['client request', 'network-policy deny', 'dns timeout']);
    expect(cluster.diagnostics.filter((d) => d.code === 'NETPOL_DNS_EGRESS_BLOCKED').map((d) => d.object)).toEqual(['Deployment/shop/web']);
  });

  test('an egress rule to kube-system k8s-app=kube-dns on 53/UDP lets DNS through; the connection itself is judged too', () => {
    const cluster = Cluster.fromManifests([...base, denyEgress, allowDns]);
    const web = cluster.pods.find((p) => p.labels.app === 'web')!.name;
    const r = cluster.request({ url: 'http://cart/', from: { pod: web } });
    expect(r.status).toBe(200);
    expect(r.trace.find((h) => h.component === 'network-policy')).toMatchObject({ action: 'allow', object: 'NetworkPolicy/shop/allow-dns' });
    expect(cluster.diagnostics.some((d) => d.code === 'NETPOL_DNS_EGRESS_BLOCKED')).toBe(false);
  });
});

describe('the ingress controller\'s upstream connection', () => {
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace: 'shop', name: 'shop' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'cart', port: { number: 80 } } } }] } }] },
  };
  const klass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
  const base = [deployment('shop', 'cart'), service('shop', 'cart'), ingress, klass, denyIngress('shop')];

  test('default deny: the controller times out connecting, nginx answers 504, and a check names the policy', () => {
    const cluster = Cluster.fromManifests(base);
    const r = cluster.request({ url: 'http://shop.example.com/' });
    expect(r).toMatchObject({ status: 504, ingress: 'shop/shop', service: 'shop/cart' });
    expect(r.pod).toBeUndefined();
    expect(hops(r.trace).slice(-2)).toEqual(['network-policy deny', 'ingress-controller respond']);
    expect(r.trace.find((h) => h.component === 'network-policy')!.text).toContain('from pod ingress-nginx/ingress-nginx-controller');
    const found = cluster.diagnostics.filter((d) => d.code === 'NETPOL_BLOCKS_INGRESS_BACKEND');
    expect(found).toEqual([expect.objectContaining({ object: 'Service/shop/cart', severity: 'error' })]);
    expect(found[0].message).toContain('shop/default-deny');
  });

  test('allowing the controller by its namespace and chart labels opens it', () => {
    const cluster = Cluster.fromManifests([...base, policy('shop', 'allow-ingress-nginx', {
      podSelector: { matchLabels: { app: 'cart' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }] }],
    })]);
    expect(cluster.request({ url: 'http://shop.example.com/' })).toMatchObject({ status: 200 });
    expect(cluster.diagnostics.some((d) => d.code === 'NETPOL_BLOCKS_INGRESS_BACKEND')).toBe(false);
  });
});

describe('options and reachability', () => {
  test('networkPolicy takes enforce or ignore', () => {
    expect(() => Cluster.fromManifests([], { networkPolicy: 'off' })).toThrow('Cluster options: networkPolicy must be one of enforce, ignore, got "off"');
  });

  test('reachability groups pods by workload and lists each denial with its policies', () => {
    const cluster = Cluster.fromManifests([deployment('a', 'api'), deployment('b', 'client', 1), deployment('b', 'other', 1),
      policy('a', 'only-client', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: { matchLabels: { app: 'client' } } }] }] })]);
    const r = cluster.reachability();
    expect(r.groups).toEqual(['Deployment/a/api', 'Deployment/b/client', 'Deployment/b/other']);
    expect(r.tables.map((t) => `${t.port}/${t.protocol}`)).toEqual(['8080/TCP']);
    expect(r.tables[0].cells).toEqual([['deny', 'allow', 'allow'], ['allow', '-', 'allow'], ['deny', 'allow', '-']]);
    expect(r.tables[0].denied).toContainEqual(expect.objectContaining({ to: expect.stringMatching(/^a\/api-/), direction: 'ingress', policies: ['a/only-client'] }));
    expect(() => cluster.reachability({ protocols: ['ICMP'] })).toThrow('reachability: protocols must be TCP, UDP or SCTP, got "ICMP"');
    expect(cluster.reachability({ namespaces: ['b'], ports: [9000] }).tables[0].cells).toEqual([['-', 'allow'], ['allow', '-']]);
  });

  test('reachability refuses a table too large to judge pairwise, and says how to narrow it', () => {
    const big = Cluster.fromManifests([deployment('a', 'many', 2001), deployment('b', 'few', 2)], { nodes: 10 });
    expect(() => big.reachability()).toThrow('reachability: 2003 running pods are more than the 2000 a table covers; narrow it with namespaces');
    expect(big.reachability({ namespaces: ['b'] }).groups).toEqual(['Deployment/b/few']);
  });
});
