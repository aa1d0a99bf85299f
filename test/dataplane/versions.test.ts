/**
 * `kubernetesVersion` in the model: each change of a DNS or packet answer between 1.27 and 1.35,
 * with the same manifests under the versions on both sides of the change.
 */
import { Cluster, ClusterOptions } from '../../src';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const deployment = (name: string, replicas: number, spec: any = {}, labels: Record<string, string> = { app: name }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], ...spec } } },
});
const service = (name: string, spec: any, status?: any) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  ...(status ? { status } : {}),
});
const build = (docs: unknown[], options: ClusterOptions) => Cluster.fromManifests([ns('shop'), ...docs], options);
const texts = (trace: readonly { text: string }[]) => trace.map((h) => h.text).join('\n');

describe('option checks', () => {
  test('an unknown version or gate is a Cluster options error', () => {
    expect(() => build([], { kubernetesVersion: '1.26' })).toThrow('Cluster options: kubernetesVersion must be one of 1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, got "1.26"');
    expect(() => build([], { kubernetesVersion: '1.33', featureGates: { ServiceTrafficDistribution: false } }))
      .toThrow('Cluster options: featureGates.ServiceTrafficDistribution: GA in Kubernetes 1.33 and locked to true');
  });
  test('the manifests are judged by the chosen version (kubelet port on a LoadBalancer)', () => {
    const lb = service('kubelet', { type: 'LoadBalancer', ports: [{ port: 10250 }] });
    const codes = (v: string) => build([lb], { kubernetesVersion: v }).diagnostics.filter((d) => d.object === 'Service/shop/kubelet').map((d) => d.code);
    expect(codes('1.32')).toContain('INVALID_OBJECT');
    expect(codes('1.33')).not.toContain('INVALID_OBJECT');
  });
});

describe('node-port allocation bands (ServiceNodePortStaticSubrange, KEP-3668: β1.28)', () => {
  const many = Array.from({ length: 120 }, (_, i) => service(`np${i}`, { type: 'NodePort' }));
  const nodePorts = (options: ClusterOptions) => build(many, options).services.filter((s) => s.type === 'NodePort').map((s) => s.ports[0].nodePort!);
  test('1.27 picks from the whole range, the static band 30000–30085 included', () => {
    expect(nodePorts({ kubernetesVersion: '1.27' }).some((p) => p < 30086)).toBe(true);
  });
  test('1.28 (and 1.27 with the alpha gate) picks from 30086–32767 first', () => {
    expect(nodePorts({ kubernetesVersion: '1.28' }).every((p) => p >= 30086 && p <= 32767)).toBe(true);
    expect(nodePorts({ kubernetesVersion: '1.27', featureGates: { ServiceNodePortStaticSubrange: true } }).every((p) => p >= 30086)).toBe(true);
  });
  test('a full upper band falls back to the lower one (a 100-port range keeps 16 ports static)', () => {
    const ports = nodePorts({ kubernetesVersion: '1.35', nodePortRange: '30000-30099' });
    expect(ports.length).toBe(100);
    expect(ports.slice(0, 84).every((p) => p >= 30016)).toBe(true);
    expect(ports.slice(84).every((p) => p < 30016)).toBe(true);
  });
});

describe('CoreDNS PTR for endpoints (kubeadm: 1.12.0 in 1.33 only; coredns#6898, reverted by #7194)', () => {
  const docs = [
    deployment('web', 1), service('web', {}),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { serviceName: 'db', replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'pg' }] } } },
    },
    service('db', { clusterIP: 'None', ports: [{ port: 5432 }] }),
  ];
  const ptr = (v: string, pod: string) => {
    const c = build(docs, { kubernetesVersion: v });
    const ip = c.pods.find((p) => p.name.startsWith(pod))!.ip;
    const r = c.resolve(`${ip.split('.').reverse().join('.')}.in-addr.arpa`, { type: 'PTR' });
    return [r.rcode, ...r.records.map((x) => x.value)];
  };
  test('1.32 and 1.34: every ready endpoint, named by its dashed IP when it has no hostname', () => {
    for (const v of ['1.32', '1.34']) {
      const [rcode, name] = ptr(v, 'shop/web');
      expect(rcode).toBe('NOERROR');
      expect(name).toMatch(/^10-244-\d+-\d+\.web\.shop\.svc\.cluster\.local$/);
    }
  });
  test('1.33: only endpoints with a hostname', () => {
    expect(ptr('1.33', 'shop/web')).toEqual(['NXDOMAIN']);
    expect(ptr('1.33', 'shop/db')).toEqual(['NOERROR', 'db-0.db.shop.svc.cluster.local']);
  });
});

describe('ExternalName below its own name (CoreDNS 1.11.0 = Kubernetes 1.29, coredns#6162)', () => {
  const ext = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'api.example.com' } };
  const srvName = '_https._tcp.ext.shop.svc.cluster.local';
  test('1.28 (CoreDNS 1.10.1) answers the CNAME for names below it', () => {
    const r = build([ext], { kubernetesVersion: '1.28' }).resolve(srvName, { type: 'CNAME' });
    expect([r.rcode, ...r.records.map((x) => `${x.type} ${x.value}`)]).toEqual(['NOERROR', 'CNAME api.example.com']);
  });
  test('1.29 answers NXDOMAIN', () => {
    expect(build([ext], { kubernetesVersion: '1.29' }).resolve(srvName, { type: 'CNAME' }).rcode).toBe('NXDOMAIN');
  });
});

describe('kube-proxy nftables mode (NFTablesProxyMode α1.29, β1.31; KEP-3866)', () => {
  const docs = [deployment('web', 2), service('web', { type: 'NodePort' })];
  test('1.28 has no nftables mode; 1.29–1.30 need the gate; 1.31 has it', () => {
    expect(() => build(docs, { kubernetesVersion: '1.28', proxyMode: 'nftables' })).toThrow('Cluster options: proxyMode nftables needs Kubernetes 1.29 or later (kubernetesVersion is 1.28)');
    expect(() => build(docs, { kubernetesVersion: '1.30', proxyMode: 'nftables' }))
      .toThrow('Cluster options: proxyMode nftables is alpha in Kubernetes 1.30: set featureGates: { NFTablesProxyMode: true }');
    expect(build(docs, { kubernetesVersion: '1.29', proxyMode: 'nftables', featureGates: { NFTablesProxyMode: true } }).services.length).toBeGreaterThan(0);
    expect(build(docs, { kubernetesVersion: '1.31', proxyMode: 'nftables' }).services.length).toBeGreaterThan(0);
  });
  const pair = () => [build(docs, { kubernetesVersion: '1.31' }), build(docs, { kubernetesVersion: '1.31', proxyMode: 'nftables' })];
  test('a ClusterIP port the Service lacks: iptables loses the packets, nftables rejects them', () => {
    const [ipt, nft] = pair();
    const clusterIp = nft.services.find((s) => s.name === 'shop/web')!.clusterIp!;
    const from = { pod: nft.pods.find((p) => p.name.startsWith('shop/web'))!.name };
    expect(ipt.connect({ to: `${clusterIp}:81`, from }).error).toBe('connection timed out');
    const r = nft.connect({ to: `${clusterIp}:81`, from });
    expect(r.error).toBe('connection refused');
    expect(texts(r.trace)).toContain('nftables cluster-ips-check rejects traffic to invalid ports of ClusterIPs');
  });
  test('an unallocated address of the service range is dropped by nftables', () => {
    const [ipt, nft] = pair();
    const from = { pod: nft.pods[0].name };
    expect(ipt.connect({ to: '10.96.200.200:80', from }).error).toBe('no route');
    const r = nft.connect({ to: '10.96.200.200:80', from });
    expect(r.error).toBe('connection timed out');
    expect(texts(r.trace)).toContain('drops traffic to unallocated ClusterIPs');
  });
  test('node ports answer on the primary address only: not on 127.0.0.1', () => {
    const [ipt, nft] = pair();
    const nodePort = nft.services.find((s) => s.name === 'shop/web')!.ports[0].nodePort!;
    expect(ipt.connect({ to: `127.0.0.1:${nodePort}`, from: { node: 'node-1' } }).connected).toBe(true);
    expect(nft.connect({ to: `127.0.0.1:${nodePort}`, from: { node: 'node-1' } }).error).toBe('connection refused');
    expect(nft.connect({ to: `172.18.0.2:${nodePort}`, from: { node: 'node-1' } }).connected).toBe(true);
  });
  test('chains are named as the nftables proxier names them (proxier.go: "ULMVA6XW-ns1/svc1/tcp/p80")', () => {
    const c = Cluster.fromManifests([ns('ns1'), { ...service('svc1', { ports: [{ name: 'p80', port: 80 }] }), metadata: { name: 'svc1', namespace: 'ns1' } },
      { ...deployment('svc1', 1), metadata: { name: 'svc1', namespace: 'ns1' } }], { kubernetesVersion: '1.33', proxyMode: 'nftables' });
    const svc = c.services.find((s) => s.name === 'ns1/svc1')!;
    const r = c.connect({ to: `${svc.clusterIp}:80`, from: { node: 'node-1' } });
    expect(r.connected).toBe(true);
    expect(texts(r.trace)).toContain('service-ULMVA6XW-ns1/svc1/tcp/p80');
  });
});

describe('ipMode: Proxy (LoadBalancerIPMode β1.30, KEP-1860)', () => {
  const lbIp = '172.18.255.200';
  const docs = [deployment('web', 3), service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, { loadBalancer: { ingress: [{ ip: lbIp, ipMode: 'Proxy' }] } }),
    deployment('client', 1)];
  const fromClient = (c: Cluster) => c.connect({ to: `${lbIp}:80`, from: { pod: c.pods.find((p) => p.name.startsWith('shop/client'))!.name } });
  test('1.29: the gate is off, so kube-proxy short-circuits the LB IP in the node (pod source kept)', () => {
    const c = build(docs, { kubernetesVersion: '1.29' });
    const r = fromClient(c);
    expect(r.connected).toBe(true);
    expect(r.sourceIp).toBe(c.pods.find((p) => p.name.startsWith('shop/client'))!.ip);
  });
  test('1.30 (and 1.29 with the gate): no rule for the IP; the load balancer proxies to a node port from its own address', () => {
    for (const options of [{ kubernetesVersion: '1.30' }, { kubernetesVersion: '1.29', featureGates: { LoadBalancerIPMode: true } }]) {
      const r = fromClient(build(docs, options));
      expect(r.connected).toBe(true);
      expect(r.sourceIp).toBe(lbIp);
      expect(texts(r.trace)).toContain('with ipMode: Proxy: kube-proxy installs no rule for it');
      expect(r.trace.some((h) => h.component === 'load-balancer' && h.action === 'proxy')).toBe(true);
    }
  });
  test('a VIP-mode IP of the same Service keeps its in-node rules', () => {
    const vip = [deployment('web', 1), service('web', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: lbIp, ipMode: 'VIP' }] } }), deployment('client', 1)];
    const r = fromClient(build(vip, { kubernetesVersion: '1.30' }));
    expect(r.trace.some((h) => h.component === 'load-balancer')).toBe(false);
    expect(r.connected).toBe(true);
  });
});

describe('externalTrafficPolicy: Local on a ClusterIP Service\'s externalIPs (1.29, kubernetes#119150)', () => {
  const docs = [deployment('web', 1), service('web', { externalIPs: ['192.0.2.10'], externalTrafficPolicy: 'Local' })];
  test('1.28 refuses the Service', () => {
    const c = build(docs, { kubernetesVersion: '1.28' });
    expect(c.services.some((s) => s.name === 'shop/web')).toBe(false);
    expect(c.diagnostics.some((d) => d.code === 'INVALID_OBJECT' && d.field === 'spec.externalTrafficPolicy')).toBe(true);
  });
  test('1.29 honours it: through a node without a local endpoint the packets are dropped', () => {
    const c = build(docs, { kubernetesVersion: '1.29' });
    const home = c.pods.find((p) => p.name.startsWith('shop/web'))!.node;
    const other = c.nodes.find((n) => n.name !== home)!.name;
    expect(c.connect({ to: '192.0.2.10:80', from: { ip: '203.0.113.9' }, via: other }).error).toBe('connection timed out');
    const r = c.connect({ to: '192.0.2.10:80', from: { ip: '203.0.113.9' }, via: home });
    expect([r.connected, r.sourceIp]).toEqual([true, '203.0.113.9']);
  });
});

describe('trafficDistribution in kube-proxy (topology.go; PreferSameNode β1.34)', () => {
  const docs = (value: string) => [deployment('web', 6), service('web', { trafficDistribution: value }), deployment('client', 1)];
  const picks = (c: Cluster) => {
    const client = c.pods.find((p) => p.name.startsWith('shop/client'))!;
    const clusterIp = c.services.find((s) => s.name === 'shop/web')!.clusterIp!;
    const nodes = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const pod = c.connect({ to: `${clusterIp}:80`, from: { pod: client.name } }).pod;
      nodes.add(c.pods.find((p) => p.name === pod)!.node);
    }
    return { client, nodes: [...nodes] };
  };
  test('1.34: a node with a ready endpoint uses only its own', () => {
    const c = build(docs('PreferSameNode'), { kubernetesVersion: '1.34' });
    const { client, nodes } = picks(c);
    expect(c.pods.filter((p) => p.name.startsWith('shop/web') && p.node === client.node).length).toBeGreaterThan(0);
    expect(nodes).toEqual([client.node]);
  });
  test('1.33 refuses the value; with the alpha gate it routes like 1.34', () => {
    expect(build(docs('PreferSameNode'), { kubernetesVersion: '1.33' }).services.some((s) => s.name === 'shop/web')).toBe(false);
    const c = build(docs('PreferSameNode'), { kubernetesVersion: '1.33', featureGates: { PreferSameTrafficDistribution: true } });
    const { client, nodes } = picks(c);
    expect(nodes).toEqual([client.node]);
  });
  test('a node without a ready endpoint of its own uses all of them', () => {
    const c = build([deployment('web', 1), service('web', { trafficDistribution: 'PreferSameNode' })], { kubernetesVersion: '1.35', nodes: 3 });
    const home = c.pods.find((p) => p.name.startsWith('shop/web'))!.node;
    const other = c.nodes.find((n) => n.name !== home)!.name;
    const r = c.connect({ to: `${c.services.find((s) => s.name === 'shop/web')!.clusterIp}:80`, from: { node: other } });
    expect(r.connected).toBe(true);
    expect(texts(r.trace)).toContain(`trafficDistribution: PreferSameNode: no ready endpoint on ${other}`);
  });
  test('PreferClose (1.31) changes nothing without zones, and says so', () => {
    const c = build(docs('PreferClose'), { kubernetesVersion: '1.31' });
    expect(picks(c).nodes.length).toBeGreaterThan(1);
    const r = c.connect({ to: `${c.services.find((s) => s.name === 'shop/web')!.clusterIp}:80`, from: { node: 'node-1' } });
    expect(texts(r.trace)).toContain('trafficDistribution: PreferClose: zone hints come only from nodes with a topology.kubernetes.io/zone label');
  });
  test('1.30 drops the field: no topology step at all', () => {
    const c = build(docs('PreferClose'), { kubernetesVersion: '1.30' });
    const r = c.connect({ to: `${c.services.find((s) => s.name === 'shop/web')!.clusterIp}:80`, from: { node: 'node-1' } });
    expect(r.trace.some((h) => h.action === 'topology')).toBe(false);
  });
});

describe('named targetPort on a sidecar (EndpointSlices from 1.33, kubernetes#128850)', () => {
  const sidecar = { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 9901 }] }] };
  const docs = [deployment('web', 1, sidecar), service('web', { ports: [{ name: 'metrics', port: 9901, targetPort: 'metrics' }] })];
  const connect = (v: string) => {
    const c = build(docs, { kubernetesVersion: v });
    return { c, r: c.connect({ to: `${c.services.find((s) => s.name === 'shop/web')!.clusterIp}:9901`, from: { node: 'node-1' } }) };
  };
  test('1.32: no endpoint for the port (connection refused), and the check says why', () => {
    const { c, r } = connect('1.32');
    expect(r.error).toBe('connection refused');
    const d = c.diagnostics.find((x) => x.code === 'SERVICE_TARGET_PORT_UNRESOLVED')!;
    expect(d.message).toContain('is a port of a sidecar');
  });
  test('1.33: routed to the sidecar port', () => {
    const { c, r } = connect('1.33');
    expect([r.connected, r.targetPort]).toEqual([true, 9901]);
    expect(c.diagnostics.some((x) => x.code === 'SERVICE_TARGET_PORT_UNRESOLVED')).toBe(false);
  });
});

describe('StatefulSet pod-index label (PodIndexLabel β1.28, KEP-4017)', () => {
  const docs = [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { serviceName: 'db', replicas: 2, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'pg' }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'primary', namespace: 'shop' }, spec: { selector: { 'app': 'db', 'apps.kubernetes.io/pod-index': '0' }, ports: [{ port: 5432 }] } },
  ];
  const target = (v: string) => {
    const c = build(docs, { kubernetesVersion: v });
    return c.connect({ to: `${c.services.find((s) => s.name === 'shop/primary')!.clusterIp}:5432`, from: { node: 'node-1' } });
  };
  test('1.27: the label does not exist, so the Service has no endpoint', () => {
    expect(target('1.27').error).toBe('connection refused');
  });
  test('1.28: the Service selects pod 0', () => {
    expect(target('1.28').pod).toBe('shop/db-0');
  });
});

describe('ServiceCIDR objects extend the service range (1.33, KEP-1880)', () => {
  const extra = { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'extra' }, spec: { cidrs: ['10.200.0.0/24'] } };
  const pinned = service('pinned', { clusterIP: '10.200.0.50' });
  test('1.32: the kind is not served and an IP outside --service-cluster-ip-range is refused', () => {
    const c = build([extra, pinned], { kubernetesVersion: '1.32' });
    expect(c.services.some((s) => s.name === 'shop/pinned')).toBe(false);
    const messages = c.diagnostics.filter((d) => d.code === 'INVALID_OBJECT' || d.code === 'ALLOCATION_CONFLICT').map((d) => d.message);
    expect(messages).toContain('the API server would reject it: kind: Forbidden: no matches for kind "ServiceCIDR" in version "networking.k8s.io/v1": Kubernetes 1.32 does not serve it (from 1.33)');
    expect(messages.some((m) => m.includes('the provided IP (10.200.0.50) is not in the valid range. The range of valid IPs is 10.96.0.0/12'))).toBe(true);
  });
  test('1.33: an IP inside a ServiceCIDR is accepted and routed', () => {
    const c = build([extra, pinned, deployment('pinned', 1)], { kubernetesVersion: '1.33' });
    expect(c.services.find((s) => s.name === 'shop/pinned')!.clusterIp).toBe('10.200.0.50');
    expect(c.connect({ to: '10.200.0.50:80', from: { node: 'node-1' } }).connected).toBe(true);
  });
  test('1.33: an IP outside every range gets the MultiCIDR allocator\'s error', () => {
    const c = build([service('stray', { clusterIP: '10.250.0.5' })], { kubernetesVersion: '1.33' });
    const d = c.diagnostics.find((x) => x.object === 'Service/shop/stray')!;
    expect([d.field, d.message]).toEqual(['spec.clusterIPs', 'the API server would reject it: spec.clusterIPs: Invalid value: ["10.250.0.5"]: failed to allocate IP 10.250.0.5: the provided network does not match the current range']);
  });
  test('dynamic allocation moves on to a ServiceCIDR when the primary range is full', () => {
    const small = { ...extra, spec: { cidrs: ['10.200.0.0/28'] } };
    const many = Array.from({ length: 20 }, (_, i) => service(`s${i}`, {}));
    const c = build([small, ...many], { kubernetesVersion: '1.35', serviceCidr: '10.96.0.0/28' });
    const ips = c.services.filter((s) => s.name.startsWith('shop/s')).map((s) => s.clusterIp!);
    expect(ips.length).toBe(20);
    expect(ips.filter((ip) => ip.startsWith('10.200.0.')).length).toBeGreaterThan(0);
  });
});

describe('API server warnings as info diagnostics (pkg/api/service/warnings.go; KEP-4974)', () => {
  const warnings = (docs: unknown[], v: string) => build(docs, { kubernetesVersion: v }).diagnostics.filter((d) => d.code === 'API_WARNING').map((d) => `${d.severity} ${d.object}: ${d.message}`);
  test('v1 Endpoints: deprecated from 1.33', () => {
    const ep = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy', namespace: 'shop' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] };
    expect(warnings([ep], '1.32')).toEqual([]);
    expect(warnings([ep], '1.33')).toEqual(['info Endpoints/shop/legacy: the API server warns: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice']);
  });
  test('PreferClose: deprecated in 1.35', () => {
    const svc = service('web', { trafficDistribution: 'PreferClose' });
    expect(warnings([svc], '1.34')).toEqual([]);
    expect(warnings([svc], '1.35')).toEqual(['info Service/shop/web: the API server warns: spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"']);
  });
  test('headless Services: ignored fields from 1.34 (1.34.0 warns about sessionAffinity on every headless Service)', () => {
    const plain = service('db', { clusterIP: 'None' });
    const sticky = service('db', { clusterIP: 'None', sessionAffinity: 'ClientIP' });
    expect(warnings([plain], '1.33')).toEqual([]);
    expect(warnings([plain], '1.34')).toEqual(['info Service/shop/db: the API server warns: spec.SessionAffinity is ignored for headless services']);
    expect(warnings([plain], '1.35')).toEqual([]);
    expect(warnings([sticky], '1.35')).toEqual(['info Service/shop/db: the API server warns: spec.SessionAffinity is ignored for headless services']);
  });
  test('the topology-aware-hints annotation, in every version', () => {
    const svc = { ...service('web', {}), metadata: { name: 'web', namespace: 'shop', annotations: { 'service.kubernetes.io/topology-aware-hints': 'auto' } } };
    expect(warnings([svc], '1.27')).toEqual([
      'info Service/shop/web: the API server warns: annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead',
    ]);
  });
});

describe('CNAME chains through in-cluster ExternalName Services (maxCnameChainLength 7 → 10 in CoreDNS 1.12.1 = Kubernetes 1.34, coredns#7153)', () => {
  const hop = (i: number, target: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `c${i}`, namespace: 'shop' }, spec: { type: 'ExternalName', externalName: target } });
  const chain = (n: number) => [
    ...Array.from({ length: n }, (_, i) => hop(i, i === n - 1 ? 'web.shop.svc.cluster.local' : `c${i + 1}.shop.svc.cluster.local`)),
    service('web', { clusterIP: '10.96.5.5' }),
  ];
  const a = (n: number, v: string) => build(chain(n), { kubernetesVersion: v }).resolve('c0.shop.svc.cluster.local').records.filter((r) => r.type === 'A').map((r) => r.value);
  test('a chain of 9 CNAMEs: cut off on 1.33, followed to the end on 1.34', () => {
    expect(a(9, '1.33')).toEqual([]);
    expect(a(9, '1.34')).toEqual(['10.96.5.5']);
  });
  test('a short chain resolves in both', () => {
    expect(a(3, '1.33')).toEqual(['10.96.5.5']);
    expect(a(3, '1.34')).toEqual(['10.96.5.5']);
  });
});
