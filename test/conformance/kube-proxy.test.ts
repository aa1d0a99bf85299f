/**
 * kube-proxy packet flows, restated from kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go:
 * the `runPacketFlowTests` tables (a packet's source IP, destination IP:port and protocol → the
 * set of endpoints it can be DNATed to, or DROP / REJECT / ACCEPT / no rule, and whether it is
 * masqueraded). Each `describe` names the upstream test; each row keeps the upstream row name.
 * The rules under test are those of pkg/proxy/iptables/proxier.go 1.27 (KUBE-EXT / KUBE-FW /
 * KUBE-SVL chains, KUBE-PROXY-FIREWALL, ProxyTerminatingEndpoints on by default, localhost node
 * ports); the tables were read from a later revision of proxier_test.go whose flows for these
 * rules are the same (it only renamed helpers and added IPv6 node IPs). Older per-case tests
 * (TestOnlyLocalExternalIPs, TestNonLocalExternalIPs, TestOnlyLocalNodePorts, TestNodePortReject,
 * TestExternalIPsReject…) were folded upstream into TestExternalTrafficPolicyLocal/Cluster,
 * TestNoEndpointsReject and TestNodePorts, restated here; tests of later features
 * (LoadBalancer ipMode) are left out. The nftables proxier's TestClusterIPGeneral
 * (pkg/proxy/nftables/proxier_test.go) is restated too, with `proxyMode: 'nftables'` on 1.31.
 *
 * Upstream's fixture, mapped onto this model's cluster:
 * - the node: "test-node" with IP 192.168.0.2 → node-1 (172.18.0.2); other node names ("node1",
 *   "node2", "remote", "another-node", and in the terminating tests "node-1") → node-2 / node-3;
 * - pod range 10.0.0.0/8 with detect-local by ClusterCIDR → `podCidr: '10.0.0.0/8'`; the pod
 *   source 10.0.0.2 lies in node-1's pod range, so it is a pod on node-1;
 * - service range 172.30.0.0/16 → `serviceCidr`; node ports 3001… → `nodePortRange: '3000-32767'`;
 * - the node range 192.168.0.0/24 in loadBalancerSourceRanges → 172.18.0.0/24 (the node network);
 * - Services without selectors plus EndpointSlices with explicit addresses, nodeName and
 *   conditions (upstream's selector in TestInternalTrafficPolicy is dropped: with a selector the
 *   EndpointSlice controller would own the endpoints);
 * - sources: a pod IP → `from: { ip }`; the node's IP → `from: { node: 'node-1' }`; 127.0.0.1 →
 *   `from: { node }` to `127.0.0.1:<nodePort>`; an external client → `from: { ip }` received by
 *   `via: 'node-1'` (every flow is traced on node-1, like upstream's single fake node);
 * - output: a set of endpoints is every endpoint seen over repeated connections (iptables'
 *   random pick, seeded); DROP = `connection timed out` after a `drop` hop; REJECT = `connection
 *   refused` after a `reject` hop; ACCEPT = kube-proxy's health-check server answers; "" = no
 *   kube-proxy rule matches (no Service, no DNAT); masq = `masqueraded`, and the endpoint sees
 *   node-1's IP when true, the client's IP otherwise.
 *
 * Upstream flows that cannot be expressed, and why:
 * - TestNodePorts "external to nodePort on secondary IP" / "secondary nodeIP ignores NodePorts" and
 *   the `--nodeport-addresses` cases: a modelled node has one IP per family (no secondary IP of a
 *   family) and the flag is not modelled;
 * - TestNodePorts' IPv6 cases run on an IPv6-only cluster (service range fd00:172:30::/112, pod
 *   range fd00:10::/48, node-1 at fc00:f853:ccd:e793::2 on kind's IPv6 network); upstream's
 *   "localhost-nodeports enabled but ignored": `[::1]:<nodePort>` has no rule in either setting;
 * - TestNodePorts' KUBE-FIREWALL (martian localhost) rule, TestDropInvalidRule, TestMasqueradeRule:
 *   they check rules about conntrack state and `--random-fully`, not packet flows (every call is a
 *   new connection; conntrack is not modelled);
 * - TestHealthCheckNodePort and the TestTerminating* tests delete objects between flows: restated as
 *   a second cluster without the deleted object.
 */
import { Cluster, ClusterOptions, ConnectResult, TrafficSource } from '../../src';

const NODE1_IP = '172.18.0.2';
/** node-1's address on kind's IPv6 network, for the IPv6 flows. */
const NODE1_IP6 = 'fc00:f853:ccd:e793::2';
/** The node address a flow to `to` uses: node-1's of the destination's family. */
const nodeIpFor = (to: string) => (to.startsWith('[') ? NODE1_IP6 : NODE1_IP);
const OPTIONS: ClusterOptions = { nodes: 3, serviceCidr: '172.30.0.0/16', podCidr: '10.0.0.0/8', nodePortRange: '3000-32767' };

const POD: TrafficSource = { ip: '10.0.0.2' };
const NODE: TrafficSource = { node: 'node-1' };
const EXTERNAL: TrafficSource = { ip: '203.0.113.2' };
const EXTERNAL_BLOCKED: TrafficSource = { ip: '203.0.113.130' };
const NODE_PORT = (port: number) => `${NODE1_IP}:${port}`;

type Output = readonly string[] | 'DROP' | 'REJECT' | 'ACCEPT' | '';

interface Flow {
  readonly name: string;
  readonly from: TrafficSource;
  readonly to: string;
  readonly protocol?: string;
  readonly output: Output;
  readonly masq?: boolean;
}

interface Port {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: string;
  readonly targetPort?: number;
  readonly nodePort?: number;
}

function service(ns: string, name: string, spec: Record<string, unknown>, ports: Port[], lbIps: string[] = []): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { ...spec, ports: ports.map((p) => ({ name: p.name ?? '', protocol: 'TCP', ...p })) },
    ...(lbIps.length ? { status: { loadBalancer: { ingress: lbIps.map((ip) => ({ ip })) } } } : {}),
  };
}

interface Endpoint {
  readonly ip: string;
  readonly node?: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

function slice(ns: string, svc: string, ports: Port[], endpoints: Endpoint[], addressType = 'IPv4'): any {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-1`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType,
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      ...(e.node ? { nodeName: e.node } : {}),
      ...(e.ready !== undefined ? { conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } } : {}),
    })),
  };
}

/** Ready, serving, terminating as upstream's EndpointConditions. */
const conditions = (ready: boolean, serving: boolean, terminating: boolean) => ({ ready, serving, terminating });

function cluster(objects: any[], options: ClusterOptions = {}): Cluster {
  const c = Cluster.fromManifests(objects, { ...OPTIONS, ...options });
  const rejected = c.diagnostics.filter((d) => d.severity === 'error');
  expect(rejected).toEqual([]);
  return c;
}

const TRIES = 40;

function connectAll(c: Cluster, f: Flow): ConnectResult[] {
  return Array.from({ length: TRIES }, () => c.connect({ to: f.to, from: f.from, via: 'node-1', ...(f.protocol ? { protocol: f.protocol } : {}) }));
}

function clientIp(f: Flow): string {
  if (f.from.ip) return f.from.ip;
  return f.to.startsWith('127.') ? '127.0.0.1' : nodeIpFor(f.to);
}

function expectFlow(c: Cluster, f: Flow): void {
  const results = connectAll(c, f);
  const last = (r: ConnectResult) => r.trace[r.trace.length - 1];
  if (Array.isArray(f.output)) {
    for (const r of results) {
      expect(r.connected).toBe(true);
      expect(r.masqueraded).toBe(f.masq === true);
      expect(r.sourceIp).toBe(f.masq ? nodeIpFor(f.to) : clientIp(f));
    }
    expect([...new Set(results.map((r) => r.endpoint))].sort()).toEqual([...f.output].sort());
    return;
  }
  const r = results[0];
  switch (f.output) {
    case 'DROP':
      expect([r.connected, r.error, last(r).action]).toEqual([false, 'connection timed out', 'drop']);
      break;
    case 'REJECT':
      expect([r.connected, r.error, last(r).action]).toEqual([false, 'connection refused', 'reject']);
      break;
    case 'ACCEPT':
      expect(r.connected).toBe(true);
      expect(r.trace.map((h) => h.action)).toContain('health-check');
      break;
    default:
      expect(r.service).toBeUndefined();
      expect(r.trace.filter((h) => h.component === 'kube-proxy' && ['dnat', 'reject', 'drop'].includes(h.action))).toEqual([]);
  }
}

function flows(build: () => Cluster, table: Flow[]): void {
  let c: Cluster;
  beforeAll(() => {
    c = build();
  });
  test.each(table.map((f) => [f.name, f] as const))('%s', (_name, f) => expectFlow(c, f));
}

const P80: Port[] = [{ name: 'p80', port: 80 }];

describe('TestOverallIPTablesRules services, TestTracePacket flows', () => {
  flows(() => cluster([
    service('ns1', 'svc1', { clusterIP: '172.30.0.41' }, P80),
    slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1' }]),
    service('ns2', 'svc2', {
      type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42', externalIPs: ['192.168.99.22'], healthCheckNodePort: 30000,
    }, [{ name: 'p80', port: 80, nodePort: 3001 }], ['1.2.3.4']),
    // No nodeName: not local to test-node.
    slice('ns2', 'svc2', P80, [{ ip: '10.180.0.2' }]),
    service('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43' }, [{ name: 'p80', port: 80, nodePort: 3003 }]),
    slice('ns3', 'svc3', P80, [{ ip: '10.180.0.3' }]),
    service('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'] }, [{ name: 'p80', port: 80, targetPort: 80 }]),
    slice('ns4', 'svc4', P80, [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: 'node-1' }]),
    // Upstream also gives svc5 healthCheckNodePort 30000, which the API server only allows with externalTrafficPolicy Local.
    service('ns5', 'svc5', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      clusterIP: '172.30.0.45',
      // Upstream's extra whitespace: ignored, not a crash.
      loadBalancerSourceRanges: [' 203.0.113.0/25'],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    }, [{ name: 'p80', port: 80, nodePort: 3002 }], ['5.6.7.8']),
    slice('ns5', 'svc5', P80, [{ ip: '10.180.0.3' }]),
    service('ns6', 'svc6', { type: 'ClusterIP', clusterIP: '172.30.0.46' }, [{ name: 'p80', port: 80, targetPort: 80 }]),
  ]), [
    { name: 'no match', from: POD, to: '10.0.0.3:80', output: '' },
    { name: 'single endpoint', from: POD, to: '172.30.0.41:80', output: ['10.180.0.1:80'] },
    { name: 'multiple endpoints', from: POD, to: '172.30.0.44:80', output: ['10.180.0.4:80', '10.180.0.5:80'] },
    { name: 'LOCAL, KUBE-MARK-MASQ', from: NODE, to: '192.168.99.22:80', output: ['10.180.0.2:80'], masq: true },
    { name: 'DROP', from: EXTERNAL, to: '192.168.99.22:80', output: 'DROP' },
    { name: 'ACCEPT (NodePortHealthCheck)', from: NODE, to: NODE_PORT(30000), output: 'ACCEPT' },
    { name: 'REJECT', from: POD, to: '172.30.0.46:80', output: 'REJECT' },
  ]);
});

describe('TestOverallIPTablesRules chain names', () => {
  // The chains of the expected iptables-save output: the traces name the same chains.
  test('KUBE-SVC / KUBE-SEP / KUBE-EXT / KUBE-FW / KUBE-SVL hashes match upstream\'s rules', () => {
    const c = cluster([
      service('ns1', 'svc1', { clusterIP: '172.30.0.41' }, P80),
      slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1' }]),
      service('ns2', 'svc2', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42' }, [{ name: 'p80', port: 80, nodePort: 3001 }], ['1.2.3.4']),
      slice('ns2', 'svc2', P80, [{ ip: '10.180.0.2', node: 'node-1' }]),
      service('ns5', 'svc5', {
        type: 'LoadBalancer', clusterIP: '172.30.0.45', loadBalancerSourceRanges: ['203.0.113.0/25'],
      }, [{ name: 'p80', port: 80, nodePort: 3002 }], ['5.6.7.8']),
      slice('ns5', 'svc5', P80, [{ ip: '10.180.0.3' }]),
    ]);
    const text = (r: ConnectResult) => r.trace.map((h) => h.text).join('\n');
    const svc1 = text(c.connect({ to: '172.30.0.41:80', from: POD }));
    expect(svc1).toContain('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(svc1).toContain('KUBE-SEP-SXIVWICOYRO3J4NJ');
    const svc5 = text(c.connect({ to: '5.6.7.8:80', from: EXTERNAL, via: 'node-1' }));
    for (const chain of ['KUBE-FW-NUKIZ6OKUXPJNT4C', 'KUBE-EXT-NUKIZ6OKUXPJNT4C', 'KUBE-SVC-NUKIZ6OKUXPJNT4C']) expect(svc5).toContain(chain);
    const svc2 = text(c.connect({ to: '1.2.3.4:80', from: EXTERNAL, via: 'node-1' }));
    expect(svc2).toContain('KUBE-SVL-GNZBNJ2PO5MGZ6GT');
    expect(svc2).toContain('KUBE-SEP-RS4RBKLTHTF2IUXJ');
  });
});

describe('TestNoEndpointsReject', () => {
  flows(() => cluster([
    service('ns1', 'svc1', { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'] }, [{ name: 'p80', port: 80, nodePort: 3001 }], ['1.2.3.4']),
  ]), [
    { name: 'pod to cluster IP with no endpoints', from: POD, to: '172.30.0.41:80', output: 'REJECT' },
    { name: 'external to external IP with no endpoints', from: EXTERNAL, to: '192.168.99.11:80', output: 'REJECT' },
    { name: 'pod to NodePort with no endpoints', from: POD, to: NODE_PORT(3001), output: 'REJECT' },
    { name: 'external to NodePort with no endpoints', from: EXTERNAL, to: NODE_PORT(3001), output: 'REJECT' },
    { name: 'pod to LoadBalancer IP with no endpoints', from: POD, to: '1.2.3.4:80', output: 'REJECT' },
    { name: 'external to LoadBalancer IP with no endpoints', from: EXTERNAL, to: '1.2.3.4:80', output: 'REJECT' },
  ]);
});

function clusterIPGeneralFixture(): any[] {
  const svc2Ports: Port[] = [
    { name: 'http', port: 80 },
    { name: 'https', port: 443, targetPort: 8443 },
    { name: 'dns-udp', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
    { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
  ];
  const slicePorts: Port[] = [
    { name: 'http', port: 80 },
    { name: 'https', port: 8443 },
    { name: 'dns-udp', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 5353, protocol: 'TCP' },
    { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
  ];
  return [
    service('ns1', 'svc1', { clusterIP: '172.30.0.41' }, [{ name: 'http', port: 80 }]),
    service('ns2', 'svc2', { clusterIP: '172.30.0.42' }, svc2Ports),
    slice('ns1', 'svc1', [{ name: 'http', port: 80 }], [{ ip: '10.180.0.1', node: 'node-1' }]),
    slice('ns2', 'svc2', slicePorts, [{ ip: '10.180.0.1', node: 'node-1' }, { ip: '10.180.2.1', node: 'node-2' }]),
  ];
}

describe('TestClusterIPGeneral', () => {
  flows(() => cluster(clusterIPGeneralFixture()), [
    { name: 'simple clusterIP', from: { ip: '10.180.0.2' }, to: '172.30.0.41:80', output: ['10.180.0.1:80'], masq: false },
    { name: 'hairpin to cluster IP', from: { ip: '10.180.0.1' }, to: '172.30.0.41:80', output: ['10.180.0.1:80'], masq: true },
    { name: 'clusterIP with multiple endpoints', from: { ip: '10.180.0.2' }, to: '172.30.0.42:80', output: ['10.180.0.1:80', '10.180.2.1:80'], masq: false },
    { name: 'clusterIP with TargetPort', from: { ip: '10.180.0.2' }, to: '172.30.0.42:443', output: ['10.180.0.1:8443', '10.180.2.1:8443'], masq: false },
    {
      name: 'clusterIP with TCP, UDP, and SCTP on same port (TCP)',
      from: { ip: '10.180.0.2' },
      protocol: 'TCP',
      to: '172.30.0.42:53',
      output: ['10.180.0.1:5353', '10.180.2.1:5353'],
      masq: false,
    },
    {
      name: 'clusterIP with TCP, UDP, and SCTP on same port (UDP)',
      from: { ip: '10.180.0.2' },
      protocol: 'UDP',
      to: '172.30.0.42:53',
      output: ['10.180.0.1:53', '10.180.2.1:53'],
      masq: false,
    },
    {
      name: 'clusterIP with TCP, UDP, and SCTP on same port (SCTP)',
      from: { ip: '10.180.0.2' },
      protocol: 'SCTP',
      to: '172.30.0.42:53',
      output: ['10.180.0.1:53', '10.180.2.1:53'],
      masq: false,
    },
    { name: 'TCP-only port does not match UDP traffic', from: { ip: '10.180.0.2' }, protocol: 'UDP', to: '172.30.0.42:80', output: '' },
    { name: 'svc1 does not accept svc2\'s ports', from: { ip: '10.180.0.2' }, to: '172.30.0.41:443', output: '' },
  ]);
});

// pkg/proxy/nftables/proxier_test.go TestClusterIPGeneral: the same flows in nftables mode (1.31+),
// where a ClusterIP's other ports are rejected and an unallocated ClusterIP is dropped.
describe('nftables: TestClusterIPGeneral', () => {
  flows(() => cluster(clusterIPGeneralFixture(), { kubernetesVersion: '1.31', proxyMode: 'nftables' }), [
    { name: 'simple clusterIP', from: { ip: '10.180.0.2' }, to: '172.30.0.41:80', output: ['10.180.0.1:80'], masq: false },
    { name: 'hairpin to cluster IP', from: { ip: '10.180.0.1' }, to: '172.30.0.41:80', output: ['10.180.0.1:80'], masq: true },
    { name: 'clusterIP with multiple endpoints', from: { ip: '10.180.0.2' }, to: '172.30.0.42:80', output: ['10.180.0.1:80', '10.180.2.1:80'], masq: false },
    { name: 'clusterIP with TargetPort', from: { ip: '10.180.0.2' }, to: '172.30.0.42:443', output: ['10.180.0.1:8443', '10.180.2.1:8443'], masq: false },
    { name: 'TCP-only port does not match UDP traffic', from: { ip: '10.180.0.2' }, protocol: 'UDP', to: '172.30.0.42:80', output: 'REJECT' },
    { name: 'svc1 does not accept svc2\'s ports', from: { ip: '10.180.0.2' }, to: '172.30.0.41:443', output: 'REJECT' },
    { name: 'packet to unallocated cluster ip', from: { ip: '10.180.0.2' }, to: '172.30.0.50:80', output: 'DROP' },
  ]);
});

describe('TestLoadBalancer', () => {
  const ep = ['10.180.0.1:80'];
  flows(() => cluster([
    service('ns1', 'svc1', {
      type: 'LoadBalancer', clusterIP: '172.30.0.41', loadBalancerSourceRanges: ['172.18.0.0/24', ' 203.0.113.0/25'],
    }, [{ name: 'p80', port: 80, nodePort: 3001 }], ['1.2.3.4', '5.6.7.8']),
    slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1' }]),
  ]), [
    { name: 'pod to cluster IP', from: POD, to: '172.30.0.41:80', output: ep, masq: false },
    { name: 'external to nodePort', from: EXTERNAL, to: NODE_PORT(3001), output: ep, masq: true },
    { name: 'nodePort bypasses LoadBalancerSourceRanges', from: EXTERNAL_BLOCKED, to: NODE_PORT(3001), output: ep, masq: true },
    { name: 'accepted external to LB1', from: EXTERNAL, to: '1.2.3.4:80', output: ep, masq: true },
    { name: 'accepted external to LB2', from: EXTERNAL, to: '5.6.7.8:80', output: ep, masq: true },
    { name: 'blocked external to LB1', from: EXTERNAL_BLOCKED, to: '1.2.3.4:80', output: 'DROP' },
    { name: 'blocked external to LB2', from: EXTERNAL_BLOCKED, to: '5.6.7.8:80', output: 'DROP' },
    { name: 'pod to LB1 (blocked by LoadBalancerSourceRanges)', from: POD, to: '1.2.3.4:80', output: 'DROP' },
    { name: 'pod to LB2 (blocked by LoadBalancerSourceRanges)', from: POD, to: '5.6.7.8:80', output: 'DROP' },
    { name: 'node to LB1 (allowed by LoadBalancerSourceRanges)', from: NODE, to: '1.2.3.4:80', output: ep, masq: true },
    { name: 'node to LB2 (allowed by LoadBalancerSourceRanges)', from: NODE, to: '5.6.7.8:80', output: ep, masq: true },
    { name: 'same node to LB1, SNATted to LB1 (implicitly allowed)', from: { ip: '1.2.3.4' }, to: '1.2.3.4:80', output: ep, masq: true },
    { name: 'same node to LB2, SNATted to LB2 (implicitly allowed)', from: { ip: '5.6.7.8' }, to: '5.6.7.8:80', output: ep, masq: true },
  ]);
});

describe('TestNodePorts (IPv4)', () => {
  const objects = () => [
    service('ns1', 'svc1', { type: 'NodePort', clusterIP: '172.30.0.41' }, [{ name: 'p80', port: 80, nodePort: 3001 }]),
    slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'node-1' }]),
  ];
  const both = ['10.180.0.1:80', '10.180.2.1:80'];
  const basic: Flow[] = [
    { name: 'pod to cluster IP', from: POD, to: '172.30.0.41:80', output: both, masq: false },
    { name: 'external to nodePort', from: EXTERNAL, to: NODE_PORT(3001), output: both, masq: true },
    { name: 'node to nodePort', from: NODE, to: NODE_PORT(3001), output: both, masq: true },
  ];
  describe('ipv4, localhost-nodeports enabled', () => {
    flows(() => cluster(objects(), { kubeProxy: { localhostNodePorts: true } }), [
      ...basic,
      { name: 'localhost to nodePort gets masqueraded', from: NODE, to: '127.0.0.1:3001', output: both, masq: true },
    ]);
  });
  describe('ipv4, localhost-nodeports disabled', () => {
    flows(() => cluster(objects(), { kubeProxy: { localhostNodePorts: false } }), [
      ...basic,
      { name: 'localhost to nodePort is ignored', from: NODE, to: '127.0.0.1:3001', output: '' },
    ]);
  });
});

describe('TestNodePorts (IPv6)', () => {
  const objects = () => [
    service('ns1', 'svc1', { type: 'NodePort', clusterIP: 'fd00:172:30::41' }, [{ name: 'p80', port: 80, nodePort: 3001 }]),
    slice('ns1', 'svc1', P80, [{ ip: 'fd00:10:180::1' }, { ip: 'fd00:10:180::2:1', node: 'node-1' }], 'IPv6'),
  ];
  const both = ['[fd00:10:180::1]:80', '[fd00:10:180::2:1]:80'];
  const ipv6 = { serviceCidr: 'fd00:172:30::/112', podCidr: 'fd00:10::/48' };
  const table = (localhost: Flow): Flow[] => [
    { name: 'pod to cluster IP', from: { ip: 'fd00:10::2' }, to: '[fd00:172:30::41]:80', output: both, masq: false },
    { name: 'external to nodePort', from: { ip: '2600:5200::1' }, to: `[${NODE1_IP6}]:3001`, output: both, masq: true },
    { name: 'node to nodePort', from: NODE, to: `[${NODE1_IP6}]:3001`, output: both, masq: true },
    localhost,
  ];
  describe('ipv6, localhost-nodeports enabled but ignored', () => {
    flows(() => cluster(objects(), { ...ipv6, kubeProxy: { localhostNodePorts: true } }), table({ name: 'localhost to nodePort is ignored', from: NODE, to: '[::1]:3001', output: '' }));
  });
  describe('ipv6, localhost-nodeports disabled', () => {
    flows(() => cluster(objects(), { ...ipv6, kubeProxy: { localhostNodePorts: false } }), table({ name: 'localhost to nodePort is ignored', from: NODE, to: '[::1]:3001', output: '' }));
  });
});

describe('TestHealthCheckNodePort', () => {
  const svc = service('ns1', 'svc1', {
    type: 'LoadBalancer', clusterIP: '172.30.0.42', healthCheckNodePort: 30000, externalTrafficPolicy: 'Local',
  }, [{ name: 'p80', port: 80, nodePort: 3001 }]);
  describe('with the Service', () => {
    flows(() => cluster([svc]), [{ name: 'firewall accepts HealthCheckNodePort', from: { ip: '1.2.3.4' }, to: NODE_PORT(30000), output: 'ACCEPT', masq: false }]);
  });
  describe('after the Service is deleted', () => {
    flows(() => cluster([]), [{ name: 'HealthCheckNodePort no longer has any rule', from: { ip: '1.2.3.4' }, to: NODE_PORT(30000), output: '' }]);
  });
});

describe('TestExternalTrafficPolicyLocal', () => {
  const both = ['10.180.0.1:80', '10.180.2.1:80'];
  const local = ['10.180.2.1:80'];
  flows(() => cluster([
    service('ns1', 'svc1', {
      type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'], healthCheckNodePort: 30000,
    }, [{ name: 'p80', port: 80, nodePort: 3001, targetPort: 80 }], ['1.2.3.4']),
    slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'node-1' }]),
  ]), [
    { name: 'pod to cluster IP hits both endpoints, unmasqueraded', from: POD, to: '172.30.0.41:80', output: both, masq: false },
    { name: 'pod to external IP hits both endpoints, unmasqueraded', from: POD, to: '192.168.99.11:80', output: both, masq: false },
    { name: 'external to external IP hits only local endpoint, unmasqueraded', from: EXTERNAL, to: '192.168.99.11:80', output: local, masq: false },
    { name: 'pod to LB IP hits only both endpoints, unmasqueraded', from: POD, to: '1.2.3.4:80', output: both, masq: false },
    { name: 'external to LB IP hits only local endpoint, unmasqueraded', from: EXTERNAL, to: '1.2.3.4:80', output: local, masq: false },
    { name: 'pod to NodePort hits both endpoints, unmasqueraded', from: POD, to: NODE_PORT(3001), output: both, masq: false },
    { name: 'external to NodePort hits only local endpoint, unmasqueraded', from: EXTERNAL, to: NODE_PORT(3001), output: local, masq: false },
  ]);
});

describe('TestExternalTrafficPolicyCluster', () => {
  const both = ['10.180.0.1:80', '10.180.2.1:80'];
  flows(() => cluster([
    service('ns1', 'svc1', {
      type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'],
    }, [{ name: 'p80', port: 80, nodePort: 3001, targetPort: 80 }], ['1.2.3.4']),
    slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'node-1' }]),
  ]), [
    { name: 'pod to cluster IP hits both endpoints, unmasqueraded', from: POD, to: '172.30.0.41:80', output: both, masq: false },
    { name: 'pod to external IP hits both endpoints, masqueraded', from: POD, to: '192.168.99.11:80', output: both, masq: true },
    { name: 'external to external IP hits both endpoints, masqueraded', from: EXTERNAL, to: '192.168.99.11:80', output: both, masq: true },
    { name: 'pod to LB IP hits both endpoints, masqueraded', from: POD, to: '1.2.3.4:80', output: both, masq: true },
    { name: 'external to LB IP hits both endpoints, masqueraded', from: EXTERNAL, to: '1.2.3.4:80', output: both, masq: true },
    { name: 'pod to NodePort hits both endpoints, masqueraded', from: POD, to: NODE_PORT(3001), output: both, masq: true },
    { name: 'external to NodePort hits both endpoints, masqueraded', from: EXTERNAL, to: NODE_PORT(3001), output: both, masq: true },
  ]);
});

describe('TestInternalTrafficPolicy', () => {
  const PORT: Port[] = [{ port: 80 }];
  const objects = (policy: string, endpoints: Endpoint[]) => [
    service('ns1', 'svc1', { clusterIP: '172.30.1.1', internalTrafficPolicy: policy }, PORT),
    ...(endpoints.length ? [slice('ns1', 'svc1', PORT, endpoints)] : []),
  ];
  const cases: Array<[string, string, Endpoint[], Flow]> = [
    ['internalTrafficPolicy is cluster', 'Cluster',
      [{ ip: '10.0.1.1', node: 'node-1' }, { ip: '10.0.1.2', node: 'node-2' }, { ip: '10.0.1.3', node: 'node-3' }],
      { name: 'pod to ClusterIP hits all endpoints', from: POD, to: '172.30.1.1:80', output: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.3:80'], masq: false }],
    ['internalTrafficPolicy is local and there is one local endpoint', 'Local',
      [{ ip: '10.0.1.1', node: 'node-1' }, { ip: '10.0.1.2', node: 'node-2' }, { ip: '10.0.1.3', node: 'node-3' }],
      { name: 'pod to ClusterIP hits only local endpoint', from: POD, to: '172.30.1.1:80', output: ['10.0.1.1:80'], masq: false }],
    ['internalTrafficPolicy is local and there are multiple local endpoints', 'Local',
      [{ ip: '10.0.1.1', node: 'node-1' }, { ip: '10.0.1.2', node: 'node-1' }, { ip: '10.0.1.3', node: 'node-3' }],
      { name: 'pod to ClusterIP hits all local endpoints', from: POD, to: '172.30.1.1:80', output: ['10.0.1.1:80', '10.0.1.2:80'], masq: false }],
    ['internalTrafficPolicy is local and there are no local endpoints', 'Local',
      [{ ip: '10.0.1.1', node: 'node-2' }, { ip: '10.0.1.2', node: 'node-2' }, { ip: '10.0.1.3', node: 'node-3' }],
      { name: 'no endpoints', from: POD, to: '172.30.1.1:80', output: 'DROP' }],
  ];
  for (const [name, policy, endpoints, flow] of cases) {
    describe(name, () => {
      flows(() => cluster(objects(policy, endpoints)), [flow]);
    });
    describe(`${name}, endpoints deleted`, () => {
      flows(() => cluster(objects(policy, [])), [{ name: 'endpoints deleted', from: POD, to: '172.30.1.1:80', output: 'REJECT' }]);
    });
  }
});

/** The Service of TestTerminatingEndpointsTrafficPolicyLocal / …Cluster. */
function terminatingService(policy: string): any {
  // Upstream gives both healthCheckNodePort 30000; the API server allows it with policy Local only.
  return service('ns1', 'svc1', {
    clusterIP: '172.30.1.1', type: 'LoadBalancer', externalTrafficPolicy: policy, ...(policy === 'Local' ? { healthCheckNodePort: 30000 } : {}),
  }, [{ port: 80, targetPort: 80 }], ['1.2.3.4']);
}

function terminatingCases(policy: string, cases: Array<[string, Endpoint[], Flow[]]>): void {
  const PORT: Port[] = [{ port: 80 }];
  for (const [name, endpoints, table] of cases) {
    describe(name, () => {
      flows(() => cluster([terminatingService(policy), slice('ns1', 'svc1', PORT, endpoints)]), table);
    });
  }
  describe('endpoints deleted', () => {
    flows(() => cluster([terminatingService(policy)]), [
      { name: 'pod to clusterIP after endpoints deleted', from: POD, to: '172.30.1.1:80', output: 'REJECT' },
      { name: 'external to LB after endpoints deleted', from: EXTERNAL, to: '1.2.3.4:80', output: 'REJECT' },
    ]);
  });
}

const READY = conditions(true, true, false);
const SERVING_TERMINATING = conditions(false, true, true);
const TERMINATING = conditions(false, false, true);

describe('TestTerminatingEndpointsTrafficPolicyLocal', () => {
  // Upstream's remote node is named "node-1"; here it is node-2 (node-1 is upstream's test-node).
  terminatingCases('Local', [
    ['ready endpoints exist', [
      { ip: '10.0.1.1', node: 'node-1', ...READY },
      { ip: '10.0.1.2', node: 'node-1', ...READY },
      { ip: '10.0.1.3', node: 'node-1', ...SERVING_TERMINATING },
      { ip: '10.0.1.4', node: 'node-1', ...TERMINATING },
      { ip: '10.0.1.5', node: 'node-2', ...READY },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80'], masq: false },
      { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: ['10.0.1.1:80', '10.0.1.2:80'], masq: false },
    ]],
    ['only terminating endpoints exist', [
      { ip: '10.0.1.2', node: 'node-1', ...SERVING_TERMINATING },
      { ip: '10.0.1.3', node: 'node-1', ...SERVING_TERMINATING },
      { ip: '10.0.1.4', node: 'node-1', ...TERMINATING },
      { ip: '10.0.1.5', node: 'node-2', ...READY },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: ['10.0.1.5:80'], masq: false },
      { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: ['10.0.1.2:80', '10.0.1.3:80'], masq: false },
    ]],
    ['terminating endpoints on remote node', [
      { ip: '10.0.1.5', node: 'node-2', ...SERVING_TERMINATING },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: ['10.0.1.5:80'] },
      { name: 'external to LB, no locally-usable endpoints', from: EXTERNAL, to: '1.2.3.4:80', output: 'DROP' },
    ]],
    ['no usable endpoints on any node', [
      { ip: '10.0.1.5', node: 'node-1', ...TERMINATING },
      { ip: '10.0.1.5', node: 'node-2', ...TERMINATING },
    ], [
      { name: 'pod to clusterIP, no usable endpoints', from: POD, to: '172.30.1.1:80', output: 'REJECT' },
      { name: 'external to LB, no usable endpoints', from: EXTERNAL, to: '1.2.3.4:80', output: 'REJECT' },
    ]],
  ]);
});

describe('TestTerminatingEndpointsTrafficPolicyCluster', () => {
  // Upstream's remote nodes "another-node" and "node-1" are node-2 here.
  terminatingCases('Cluster', [
    ['ready endpoints exist', [
      { ip: '10.0.1.1', node: 'node-1', ...READY },
      { ip: '10.0.1.2', node: 'node-1', ...READY },
      { ip: '10.0.1.3', node: 'node-2', ...SERVING_TERMINATING },
      { ip: '10.0.1.4', node: 'node-2', ...TERMINATING },
      { ip: '10.0.1.5', node: 'node-2', ...READY },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80'], masq: false },
      { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80'], masq: true },
    ]],
    ['only terminating endpoints exist', [
      { ip: '10.0.1.2', node: 'node-1', ...SERVING_TERMINATING },
      { ip: '10.0.1.3', node: 'node-1', ...SERVING_TERMINATING },
      { ip: '10.0.1.4', node: 'node-2', ...TERMINATING },
      { ip: '10.0.1.5', node: 'node-2', ...SERVING_TERMINATING },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: ['10.0.1.2:80', '10.0.1.3:80', '10.0.1.5:80'], masq: false },
      { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: ['10.0.1.2:80', '10.0.1.3:80', '10.0.1.5:80'], masq: true },
    ]],
    ['terminating endpoints on remote node', [
      { ip: '10.0.1.5', node: 'node-2', ...SERVING_TERMINATING },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: ['10.0.1.5:80'], masq: false },
      { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: ['10.0.1.5:80'], masq: true },
    ]],
    ['no usable endpoints on any node', [
      { ip: '10.0.1.5', node: 'node-1', ...TERMINATING },
      { ip: '10.0.1.5', node: 'node-2', ...TERMINATING },
    ], [
      { name: 'pod to clusterIP', from: POD, to: '172.30.1.1:80', output: 'REJECT' },
      { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: 'REJECT' },
    ]],
  ]);
});

describe('TestInternalExternalMasquerade', () => {
  const objects = () => [
    // Upstream also gives svc1 and svc3 healthCheckNodePorts, which the API server only allows with externalTrafficPolicy Local.
    service('ns1', 'svc1', { type: 'LoadBalancer', clusterIP: '172.30.0.41' }, [{ name: 'p80', port: 80, nodePort: 3001 }], ['1.2.3.4']),
    service('ns2', 'svc2', {
      type: 'LoadBalancer', clusterIP: '172.30.0.42', healthCheckNodePort: 30002, externalTrafficPolicy: 'Local',
    }, [{ name: 'p80', port: 80, nodePort: 3002 }], ['5.6.7.8']),
    service('ns3', 'svc3', { type: 'LoadBalancer', clusterIP: '172.30.0.43', internalTrafficPolicy: 'Local' }, [{ name: 'p80', port: 80, nodePort: 3003 }], ['9.10.11.12']),
    slice('ns1', 'svc1', P80, [{ ip: '10.180.0.1', node: 'node-1' }, { ip: '10.180.1.1', node: 'node-2' }]),
    slice('ns2', 'svc2', P80, [{ ip: '10.180.0.2', node: 'node-1' }, { ip: '10.180.1.2', node: 'node-2' }]),
    slice('ns3', 'svc3', P80, [{ ip: '10.180.0.3', node: 'node-1' }, { ip: '10.180.1.3', node: 'node-2' }]),
  ];
  const LOCALHOST = (port: number) => `127.0.0.1:${port}`;
  const svc1 = ['10.180.0.1:80', '10.180.1.1:80'];
  const svc2 = ['10.180.0.2:80', '10.180.1.2:80'];
  const svc3 = ['10.180.0.3:80', '10.180.1.3:80'];
  // The "output" and "masq" values of the normal case (working local detector, no masqueradeAll).
  const base: Flow[] = [
    { name: 'pod to ClusterIP', from: POD, to: '172.30.0.41:80', output: svc1, masq: false },
    { name: 'pod to NodePort', from: POD, to: NODE_PORT(3001), output: svc1, masq: true },
    { name: 'pod to LB', from: POD, to: '1.2.3.4:80', output: svc1, masq: true },
    { name: 'node to ClusterIP', from: NODE, to: '172.30.0.41:80', output: svc1, masq: true },
    { name: 'node to NodePort', from: NODE, to: NODE_PORT(3001), output: svc1, masq: true },
    { name: 'localhost to NodePort', from: NODE, to: LOCALHOST(3001), output: svc1, masq: true },
    { name: 'node to LB', from: NODE, to: '1.2.3.4:80', output: svc1, masq: true },
    { name: 'external to ClusterIP', from: EXTERNAL, to: '172.30.0.41:80', output: svc1, masq: true },
    { name: 'external to NodePort', from: EXTERNAL, to: NODE_PORT(3001), output: svc1, masq: true },
    { name: 'external to LB', from: EXTERNAL, to: '1.2.3.4:80', output: svc1, masq: true },
    { name: 'pod to ClusterIP with eTP:Local', from: POD, to: '172.30.0.42:80', output: svc2, masq: false },
    { name: 'pod to NodePort with eTP:Local', from: POD, to: NODE_PORT(3002), output: svc2, masq: false },
    { name: 'pod to LB with eTP:Local', from: POD, to: '5.6.7.8:80', output: svc2, masq: false },
    { name: 'node to ClusterIP with eTP:Local', from: NODE, to: '172.30.0.42:80', output: svc2, masq: true },
    // Upstream's row sends this to 3001 (svc1's node port) and expects svc1's endpoints.
    { name: 'node to NodePort with eTP:Local', from: NODE, to: NODE_PORT(3001), output: svc1, masq: true },
    { name: 'localhost to NodePort with eTP:Local', from: NODE, to: LOCALHOST(3002), output: svc2, masq: true },
    { name: 'node to LB with eTP:Local', from: NODE, to: '5.6.7.8:80', output: svc2, masq: true },
    { name: 'external to ClusterIP with eTP:Local', from: EXTERNAL, to: '172.30.0.42:80', output: svc2, masq: true },
    { name: 'external to NodePort with eTP:Local', from: EXTERNAL, to: NODE_PORT(3002), output: ['10.180.0.2:80'], masq: false },
    { name: 'external to LB with eTP:Local', from: EXTERNAL, to: '5.6.7.8:80', output: ['10.180.0.2:80'], masq: false },
    { name: 'pod to ClusterIP with iTP:Local', from: POD, to: '172.30.0.43:80', output: ['10.180.0.3:80'], masq: false },
    { name: 'pod to NodePort with iTP:Local', from: POD, to: NODE_PORT(3003), output: svc3, masq: true },
    { name: 'pod to LB with iTP:Local', from: POD, to: '9.10.11.12:80', output: svc3, masq: true },
    { name: 'node to ClusterIP with iTP:Local', from: NODE, to: '172.30.0.43:80', output: ['10.180.0.3:80'], masq: true },
    { name: 'node to NodePort with iTP:Local', from: NODE, to: NODE_PORT(3003), output: svc3, masq: true },
    { name: 'localhost to NodePort with iTP:Local', from: NODE, to: LOCALHOST(3003), output: svc3, masq: true },
    { name: 'node to LB with iTP:Local', from: NODE, to: '9.10.11.12:80', output: svc3, masq: true },
    { name: 'external to ClusterIP with iTP:Local', from: EXTERNAL, to: '172.30.0.43:80', output: ['10.180.0.3:80'], masq: true },
    { name: 'external to NodePort with iTP:Local', from: EXTERNAL, to: NODE_PORT(3003), output: svc3, masq: true },
    { name: 'external to LB with iTP:Local', from: EXTERNAL, to: '9.10.11.12:80', output: svc3, masq: true },
  ];
  type Override = Partial<Pick<Flow, 'output' | 'masq'>>;
  const variants: Array<[string, ClusterOptions['kubeProxy'], Record<string, Override>]> = [
    ['base', {}, {}],
    // "no LocalTrafficDetector" is kube-proxy with --detect-local-mode None.
    ['no LocalTrafficDetector', { detectLocalMode: 'None' }, {
      'node to ClusterIP': { masq: false },
      'node to ClusterIP with eTP:Local': { masq: false },
      'node to ClusterIP with iTP:Local': { masq: false },
      'external to ClusterIP': { masq: false },
      'external to ClusterIP with eTP:Local': { masq: false },
      'external to ClusterIP with iTP:Local': { masq: false },
      'pod to NodePort with eTP:Local': { output: ['10.180.0.2:80'] },
      'pod to LB with eTP:Local': { output: ['10.180.0.2:80'] },
    }],
    ['masqueradeAll', { masqueradeAll: true }, {
      'pod to ClusterIP': { masq: true },
      'pod to ClusterIP with eTP:Local': { masq: true },
      'pod to ClusterIP with iTP:Local': { masq: true },
    }],
    ['masqueradeAll, no LocalTrafficDetector', { masqueradeAll: true, detectLocalMode: 'None' }, {
      'pod to ClusterIP': { masq: true },
      'pod to ClusterIP with eTP:Local': { masq: true },
      'pod to ClusterIP with iTP:Local': { masq: true },
      'pod to NodePort with eTP:Local': { output: ['10.180.0.2:80'] },
      'pod to LB with eTP:Local': { output: ['10.180.0.2:80'] },
    }],
  ];
  for (const [name, kubeProxy, overrides] of variants) {
    describe(name, () => {
      test('every override names a base row', () => {
        expect(Object.keys(overrides).filter((k) => !base.some((f) => f.name === k))).toEqual([]);
      });
      flows(() => cluster(objects(), { kubeProxy }), base.map((f) => ({ ...f, ...overrides[f.name] })));
    });
  }
});
