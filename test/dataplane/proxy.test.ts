// kube-proxy semantics restated from kubernetes/kubernetes pkg/proxy/iptables/proxier.go (1.27):
// REJECT "has no endpoints"; DROP "has no local endpoints" for Local traffic policies; external
// traffic with policy Cluster is masqueraded; pods and nodes reaching an external address of a
// Local service are short-circuited to all endpoints; `statistic --mode random --probability
// 1/(n-i)` gives a uniform pick; ClientIP affinity with the `recent` module
// (--rcheck --seconds <timeout> --reap, then --set), plus IPVS `rr` (pkg/proxy/ipvs).
import { clusterIpService, deployment, pod, service } from './fixtures';
import { Cluster } from '../../src';
import { portProtoHash } from '../../src/dataplane/proxy';

const client = pod('shop', 'client');

function web(replicas: number, svc: any = {}, ports: any[] = [{ name: 'http', port: 80, targetPort: 'http' }]) {
  return [deployment('shop', 'web', { replicas }), client, service('shop', 'web', { selector: { app: 'web' }, ports, ...svc })];
}

const svcOf = (c: Cluster) => c.services.find((s) => s.name === 'shop/web')!;
const vip = (c: Cluster, port = 80) => `${svcOf(c).clusterIp}:${port}`;

describe('chain names', () => {
  test('portProtoHash matches kube-proxy (KUBE-SVC-NPX46M4PTMTKRN6Y is default/kubernetes:https tcp in every cluster)', () => {
    expect(portProtoHash('default/kubernetes:https', 'tcp')).toBe('NPX46M4PTMTKRN6Y');
  });
});

describe('ClusterIP', () => {
  test('a connection to ClusterIP:port reaches a ready endpoint, with the client\'s IP preserved', () => {
    const c = Cluster.fromManifests(web(3));
    const r = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    expect(r).toMatchObject({ connected: true, service: 'shop/web', servicePort: 80, targetPort: 8080 });
    expect(c.pods.find((p) => p.name === r.pod)!.ip + ':8080').toBe(r.endpoint);
    expect(r.sourceIp).toBe(c.pods.find((p) => p.name === 'shop/client')!.ip);
    expect(r.trace.map((h) => h.action)).toEqual(['match', 'pick', 'dnat']);
  });

  test('only ready endpoints are picked', () => {
    const c0 = Cluster.fromManifests(web(3));
    const notReady = c0.pods.filter((p) => p.name.startsWith('shop/web-')).slice(0, 2).map((p) => p.name);
    const c = Cluster.fromManifests(web(3), { notReadyPods: notReady });
    for (let i = 0; i < 20; i++) expect(notReady).not.toContain(c.connect({ to: vip(c), from: { pod: 'shop/client' } }).pod);
  });

  test('no ready endpoints: REJECT, connection refused ("has no endpoints")', () => {
    const c = Cluster.fromManifests(web(0));
    const r = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    expect(r).toMatchObject({ connected: false, error: 'connection refused', service: 'shop/web' });
    expect(r.trace[r.trace.length - 1].text).toContain('"shop/web:http has no endpoints": REJECT');
  });

  test('wrong port on a ClusterIP: iptables has no rule, packets are lost; IPVS owns the address and resets', () => {
    expect(Cluster.fromManifests(web(1)).connect({ to: vip(Cluster.fromManifests(web(1)), 81), from: { pod: 'shop/client' } }).error).toBe('connection timed out');
    const ipvs = Cluster.fromManifests(web(1), { proxyMode: 'ipvs' });
    expect(ipvs.connect({ to: vip(ipvs, 81), from: { pod: 'shop/client' } }).error).toBe('connection refused');
  });

  test('wrong protocol is not matched either', () => {
    const c = Cluster.fromManifests(web(1));
    expect(c.connect({ to: vip(c), from: { pod: 'shop/client' }, protocol: 'UDP' }).connected).toBe(false);
  });

  test('ClusterIPs are not reachable from outside the cluster', () => {
    const c = Cluster.fromManifests(web(1));
    expect(c.connect({ to: vip(c) })).toMatchObject({ connected: false, error: 'no route' });
  });

  test('hairpin: a pod reaching itself through its Service is masqueraded', () => {
    const c = Cluster.fromManifests(web(1));
    const self = c.pods.find((p) => p.name.startsWith('shop/web-'))!;
    const r = c.connect({ to: vip(c), from: { pod: self.name } });
    expect(r.pod).toBe(self.name);
    expect(r.sourceIp).toBe(c.nodes.find((n) => n.name === self.node)!.ip);
  });

  test('internalTrafficPolicy Local: only endpoints on the client\'s node; none there → DROP (timeout)', () => {
    const c = Cluster.fromManifests(web(1, { internalTrafficPolicy: 'Local' }));
    const backend = c.pods.find((p) => p.name.startsWith('shop/web-'))!;
    const sameNode = c.nodes.find((n) => n.name === backend.node)!;
    const otherNode = c.nodes.find((n) => n.name !== backend.node)!;
    expect(c.connect({ to: vip(c), from: { ip: sameNode.ip } })).toMatchObject({ connected: true, pod: backend.name });
    const r = c.connect({ to: vip(c), from: { ip: otherNode.ip } });
    expect(r).toMatchObject({ connected: false, error: 'connection timed out' });
    expect(r.trace[r.trace.length - 1].text).toContain('has no local endpoints');
  });
});

describe('NodePort, LoadBalancer, externalIPs', () => {
  test('a node port answers on every node IP; external clients are SNATed to the node (policy Cluster)', () => {
    const c = Cluster.fromManifests(web(2, { type: 'NodePort' }));
    const np = svcOf(c).ports[0].nodePort!;
    for (const node of c.nodes) {
      const r = c.connect({ to: `${node.ip}:${np}`, from: { ip: '198.51.100.9' } });
      expect(r).toMatchObject({ connected: true, service: 'shop/web', sourceIp: node.ip });
    }
  });

  test('a port that is not a node port is refused by the node', () => {
    const c = Cluster.fromManifests(web(2, { type: 'NodePort' }));
    expect(c.connect({ to: `${c.nodes[0].ip}:12345` })).toMatchObject({ connected: false, error: 'connection refused' });
  });

  test('externalTrafficPolicy Local: only the receiving node\'s endpoints, client IP preserved; elsewhere DROP', () => {
    const c = Cluster.fromManifests(web(1, { type: 'NodePort', externalTrafficPolicy: 'Local' }));
    const np = svcOf(c).ports[0].nodePort!;
    const backend = c.pods.find((p) => p.name.startsWith('shop/web-'))!;
    for (const node of c.nodes) {
      const r = c.connect({ to: `${node.ip}:${np}`, from: { ip: '198.51.100.9' } });
      if (node.name === backend.node) expect(r).toMatchObject({ connected: true, pod: backend.name, sourceIp: '198.51.100.9' });
      else expect(r).toMatchObject({ connected: false, error: 'connection timed out' });
    }
  });

  test('externalTrafficPolicy Local does not apply to traffic from inside the cluster (short-circuit)', () => {
    const c = Cluster.fromManifests(web(1, { type: 'NodePort', externalTrafficPolicy: 'Local' }));
    const np = svcOf(c).ports[0].nodePort!;
    const backend = c.pods.find((p) => p.name.startsWith('shop/web-'))!;
    const other = c.nodes.find((n) => n.name !== backend.node)!;
    expect(c.connect({ to: `${other.ip}:${np}`, from: { pod: 'shop/client' } }).connected).toBe(true);
  });

  test('a LoadBalancer IP forwards from outside; with policy Local it lands on a node that has an endpoint', () => {
    const c = Cluster.fromManifests(web(1, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    const lb = svcOf(c).loadBalancerIps[0];
    for (let i = 0; i < 10; i++) expect(c.connect({ to: `${lb}:80`, from: { ip: '198.51.100.9' } })).toMatchObject({ connected: true, sourceIp: '198.51.100.9' });
  });

  test('externalIPs are served on their port', () => {
    const c = Cluster.fromManifests(web(1, { externalIPs: ['192.0.2.50'] }));
    expect(c.connect({ to: '192.0.2.50:80', from: { ip: '198.51.100.9' } })).toMatchObject({ connected: true, service: 'shop/web' });
  });

  test('pod IPs are not routed from outside; unknown addresses have no route', () => {
    const c = Cluster.fromManifests(web(1));
    const ip = c.pods.find((p) => p.name.startsWith('shop/web-'))!.ip;
    expect(c.connect({ to: `${ip}:8080` }).error).toBe('no route');
    const direct = c.connect({ to: `${ip}:8080`, from: { pod: 'shop/client' } });
    expect([direct.connected, direct.service, direct.trace[0].action]).toEqual([true, undefined, 'direct']);
    expect(c.connect({ to: '8.8.8.8:53', from: { pod: 'shop/client' } }).error).toBe('no route');
  });
});

describe('load balancing', () => {
  test('iptables: uniform random over ready endpoints (seeded; loose statistical bounds)', () => {
    const c = Cluster.fromManifests(web(4), { seed: 7 });
    const counts = new Map<string, number>();
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const picked = c.connect({ to: vip(c), from: { pod: 'shop/client' } }).pod!;
      counts.set(picked, (counts.get(picked) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    // Expected 1000 each; ±15% is > 9 standard deviations for Binomial(4000, 1/4).
    for (const k of counts.values()) expect(Math.abs(k - n / 4)).toBeLessThan(0.15 * (n / 4));
  });

  test('the same seed gives the same picks and traces; another seed other picks', () => {
    const run = (seed: number) => {
      const c = Cluster.fromManifests(web(5), { seed });
      return Array.from({ length: 30 }, () => c.connect({ to: vip(c), from: { pod: 'shop/client' } }));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3).map((r) => r.pod)).not.toEqual(run(4).map((r) => r.pod));
  });

  test('ipvs: round robin over the real servers', () => {
    const c = Cluster.fromManifests(web(3), { proxyMode: 'ipvs' });
    const picks = Array.from({ length: 6 }, () => c.connect({ to: vip(c), from: { pod: 'shop/client' } }).endpoint);
    expect(picks.slice(0, 3)).toEqual(picks.slice(3));
    expect(new Set(picks).size).toBe(3);
  });
});

describe('sessionAffinity ClientIP', () => {
  const affinity = (timeoutSeconds?: number) => web(5, {
    sessionAffinity: 'ClientIP',
    ...(timeoutSeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds } } } : {}),
  });

  test('the same client keeps its endpoint; the trace says affinity hit', () => {
    const c = Cluster.fromManifests(affinity());
    const first = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    for (let i = 0; i < 20; i++) {
      const r = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
      expect(r.endpoint).toBe(first.endpoint);
      expect(r.trace.map((h) => h.action)).toContain('affinity-hit');
    }
  });

  test('affinity is keyed by client IP', () => {
    const c = Cluster.fromManifests(affinity(), { seed: 11 });
    const picks = new Set(Array.from({ length: 40 }, (_, i) => c.connect({ to: vip(c), from: { ip: `10.244.9.${i + 2}` } }).endpoint));
    expect(picks.size).toBeGreaterThan(1);
  });

  test('each connection refreshes the timer; the entry expires timeoutSeconds after the last one (default 10800)', () => {
    const c = Cluster.fromManifests(affinity(60));
    const first = c.connect({ to: vip(c), from: { pod: 'shop/client' } }).endpoint;
    c.advanceClock(50);
    expect(c.connect({ to: vip(c), from: { pod: 'shop/client' } }).endpoint).toBe(first);
    c.advanceClock(50); // 100s after the first, 50s after the refresh
    const stillHit = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    expect(stillHit.endpoint).toBe(first);
    c.advanceClock(61);
    const expired = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    expect(expired.trace.find((h) => h.action === 'affinity-miss')!.text).toContain('expired (61s > 60s)');
  });

  test('the default timeout is 10800 seconds', () => {
    const c = Cluster.fromManifests(affinity());
    const first = c.connect({ to: vip(c), from: { pod: 'shop/client' } }).endpoint;
    c.advanceClock(10800);
    expect(c.connect({ to: vip(c), from: { pod: 'shop/client' } }).endpoint).toBe(first);
    c.advanceClock(10801);
    expect(c.connect({ to: vip(c), from: { pod: 'shop/client' } }).trace.map((h) => h.action)).toContain('affinity-miss');
  });

  test('advanceClock refuses negative or non-finite values', () => {
    const c = Cluster.fromManifests([]);
    expect(() => c.advanceClock(-1)).toThrow('advanceClock');
    expect(() => c.advanceClock(Number.NaN)).toThrow('advanceClock');
  });
});

describe('argument errors', () => {
  test('bad "to", protocol and from are refused with clear messages', () => {
    const c = Cluster.fromManifests([clusterIpService('a', 'x', { app: 'x' }, [{ port: 80 }])]);
    expect(() => c.connect({ to: 'nowhere' })).toThrow('connect: "to" must be ip:port');
    expect(() => c.connect({ to: '10.0.0.1:80', protocol: 'ICMP' })).toThrow('protocol must be TCP, UDP or SCTP');
    expect(() => c.connect({ to: '10.0.0.1:80', from: { pod: 'a/ghost' } })).toThrow('from.pod "a/ghost" is not a pod of this cluster');
  });
});

describe('loadBalancerSourceRanges (KUBE-FW chain) and host ports', () => {
  test('a client outside loadBalancerSourceRanges is dropped at the LoadBalancer IP; one inside passes', () => {
    const c = Cluster.fromManifests(web(1, { type: 'LoadBalancer', loadBalancerSourceRanges: ['198.51.100.0/24'] }));
    const lb = svcOf(c).loadBalancerIps[0];
    expect(c.connect({ to: `${lb}:80`, from: { ip: '198.51.100.9' } }).connected).toBe(true);
    const r = c.connect({ to: `${lb}:80`, from: { ip: '203.0.113.5' } });
    expect(r).toMatchObject({ connected: false, error: 'connection timed out' });
    expect(r.trace[r.trace.length - 1].text).toMatch(/^KUBE-FW-[A-Z2-7]{16}: 203\.0\.113\.5 is not in loadBalancerSourceRanges: DROP$/);
  });

  test('the legacy annotation works too', () => {
    const svc = { type: 'LoadBalancer' };
    const docs = web(1, svc);
    docs[2].metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8' };
    const c = Cluster.fromManifests(docs);
    expect(c.connect({ to: `${svcOf(c).loadBalancerIps[0]}:80`, from: { ip: '203.0.113.5' } }).connected).toBe(false);
  });

  test('a hostPort is reachable on its node\'s IP only (CNI portmap)', () => {
    const p = pod('ops', 'proxy', { spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080, hostPort: 80 }] }] } });
    const c = Cluster.fromManifests([p]);
    const r = c.connect({ to: '172.18.0.3:80', from: { ip: '198.51.100.9' } });
    expect(r).toMatchObject({ connected: true, pod: 'ops/proxy', targetPort: 8080 });
    expect(c.connect({ to: '172.18.0.2:80' }).error).toBe('connection refused');
  });

  test('a hostNetwork pod listens on its node\'s IP', () => {
    const p = pod('ops', 'exporter', { spec: { hostNetwork: true, nodeName: 'node-1', containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 9100 }] }] } });
    expect(Cluster.fromManifests([p]).connect({ to: '172.18.0.2:9100' })).toMatchObject({ connected: true, pod: 'ops/exporter', endpoint: '172.18.0.2:9100' });
  });
});

describe('kubeProxy options', () => {
  test('bad values are refused naming the option and the value', () => {
    expect(() => Cluster.fromManifests([], { kubeProxy: { detectLocalMode: 'PodCIDR' } })).toThrow(
      'Cluster options: kubeProxy.detectLocalMode must be one of ClusterCIDR, NodeCIDR, None, got "PodCIDR"');
    expect(() => Cluster.fromManifests([], { kubeProxy: { masqueradeAll: 'yes' as any } })).toThrow('Cluster options: kubeProxy.masqueradeAll must be true or false, got "yes"');
    expect(() => Cluster.fromManifests([], { kubeProxy: { localhostNodePorts: 1 as any } })).toThrow('Cluster options: kubeProxy.localhostNodePorts must be true or false, got 1');
    expect(() => Cluster.fromManifests([], { kubeProxy: { clusterCidr: '10.0.0.0/8' } as any })).toThrow('Cluster options: kubeProxy has no option "clusterCidr"');
    expect(() => Cluster.fromManifests([], { kubeProxy: 'iptables' as any })).toThrow('Cluster options: kubeProxy must be an object, got "iptables"');
  });

  test('masqueradeAll: pod traffic to a ClusterIP is masqueraded to the pod\'s node', () => {
    const c = Cluster.fromManifests(web(1), { kubeProxy: { masqueradeAll: true } });
    const clientNode = c.nodes.find((n) => n.name === c.pods.find((p) => p.name === 'shop/client')!.node)!;
    const r = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    expect(r).toMatchObject({ connected: true, masqueraded: true, sourceIp: clientNode.ip });
    expect(r.trace.find((h) => h.action === 'masquerade')!.text).toMatch(/^masqueradeAll: KUBE-SVC-[A-Z2-7]{16} masquerades every connection to the cluster IP: SNAT to /);
  });

  test('detectLocalMode NodeCIDR: a pod is local traffic only on its own node, so another node\'s Local node port sends it to local endpoints', () => {
    const docs = web(1, { type: 'NodePort', externalTrafficPolicy: 'Local' });
    const probe = Cluster.fromManifests(docs);
    const backendNode = probe.pods.find((p) => p.name.startsWith('shop/web-'))!.node;
    const clientNode = probe.pods.find((p) => p.name === 'shop/client')!.node;
    const target = probe.nodes.find((n) => n.name !== backendNode && n.name !== clientNode)!;
    const np = svcOf(probe).ports[0].nodePort!;
    const byCluster = Cluster.fromManifests(docs).connect({ to: `${target.ip}:${np}`, from: { pod: 'shop/client' } });
    expect(byCluster).toMatchObject({ connected: true, masqueraded: false });
    expect(byCluster.trace.map((h) => h.action)).toContain('short-circuit');
    const byNode = Cluster.fromManifests(docs, { kubeProxy: { detectLocalMode: 'NodeCIDR' } }).connect({ to: `${target.ip}:${np}`, from: { pod: 'shop/client' } });
    expect(byNode).toMatchObject({ connected: false, error: 'connection timed out' });
    expect(byNode.trace[byNode.trace.length - 1].text).toContain(`has no local endpoints" on ${target.name}`);
  });

  test('detectLocalMode None: traffic from a node to a ClusterIP is not masqueraded', () => {
    const c = Cluster.fromManifests(web(1), { kubeProxy: { detectLocalMode: 'None' } });
    expect(c.connect({ to: vip(c), from: { node: 'node-1' } })).toMatchObject({ connected: true, masqueraded: false, sourceIp: c.nodes[0].ip });
  });
});

describe('from: { node } and via', () => {
  test('host-network traffic to a ClusterIP is masqueraded, and the trace says so although the address stays the node\'s', () => {
    const c = Cluster.fromManifests(web(1));
    const r = c.connect({ to: vip(c), from: { node: 'node-2' } });
    expect(r).toMatchObject({ connected: true, masqueraded: true, sourceIp: c.nodes[1].ip });
    expect(r.trace.find((h) => h.action === 'masquerade')!.text).toContain(`is not pod traffic (detectLocalMode ClusterCIDR: podCidr 10.244.0.0/16): SNAT to node-2 ${c.nodes[1].ip}, which is already the source address`);
  });

  test('a node reaches its node ports on 127.0.0.1 (localhostNodePorts), masqueraded; not when the flag is off', () => {
    const docs = web(1, { type: 'NodePort' });
    const c = Cluster.fromManifests(docs);
    const np = svcOf(c).ports[0].nodePort!;
    const r = c.connect({ to: `127.0.0.1:${np}`, from: { node: 'node-1' } });
    expect(r).toMatchObject({ connected: true, masqueraded: true, sourceIp: c.nodes[0].ip });
    expect(r.trace.map((h) => h.action).slice(0, 2)).toEqual(['localhost', 'match']);
    const off = Cluster.fromManifests(docs, { kubeProxy: { localhostNodePorts: false } }).connect({ to: `127.0.0.1:${np}`, from: { node: 'node-1' } });
    expect(off).toMatchObject({ connected: false, error: 'connection refused' });
    expect(off.trace[0].text).toContain('localhostNodePorts is false');
  });

  test('a ClusterIP routed to a node from outside is DNATed and masqueraded there (via); without via there is no route', () => {
    const c = Cluster.fromManifests(web(2));
    const r = c.connect({ to: vip(c), from: { ip: '198.51.100.9' }, via: 'node-3' });
    expect(r).toMatchObject({ connected: true, service: 'shop/web', masqueraded: true, sourceIp: c.nodes[2].ip });
    expect(r.trace[0]).toMatchObject({ component: 'client', action: 'route', text: `${svcOf(c).clusterIp} is in the service range, which a router sends to node-3 (${c.nodes[2].ip})` });
    expect(c.request({ url: `http://${svcOf(c).clusterIp}/`, from: { ip: '198.51.100.9' }, via: 'node-1' })).toMatchObject({ status: 200, masqueraded: true, sourceIp: c.nodes[0].ip });
    expect(c.connect({ to: vip(c), from: { ip: '198.51.100.9' } }).error).toBe('no route');
  });

  test('via picks the node that receives LoadBalancer traffic', () => {
    const c = Cluster.fromManifests(web(1, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    const backendNode = c.pods.find((p) => p.name.startsWith('shop/web-'))!.node;
    const other = c.nodes.find((n) => n.name !== backendNode)!.name;
    const lb = `${svcOf(c).loadBalancerIps[0]}:80`;
    expect(c.connect({ to: lb, from: { ip: '198.51.100.9' }, via: backendNode })).toMatchObject({ connected: true, masqueraded: false, sourceIp: '198.51.100.9' });
    expect(c.connect({ to: lb, from: { ip: '198.51.100.9' }, via: other })).toMatchObject({ connected: false, error: 'connection timed out' });
  });

  test('bad from.node and via values are refused', () => {
    const c = Cluster.fromManifests(web(1, { type: 'NodePort' }));
    expect(() => c.connect({ to: vip(c), from: { node: 'node-9' } })).toThrow('connect: from.node "node-9" is not a node of this cluster (node-1, node-2, node-3)');
    expect(() => c.connect({ to: vip(c), from: { node: 'node-1', ip: '10.244.0.5' } })).toThrow('connect: from takes one of pod, ip or node');
    expect(() => c.connect({ to: vip(c), via: 'edge' })).toThrow('connect: via "edge" is not a node of this cluster');
    const clientNode = c.pods.find((p) => p.name === 'shop/client')!.node;
    const elsewhere = c.nodes.find((n) => n.name !== clientNode)!.name;
    expect(() => c.connect({ to: vip(c), from: { pod: 'shop/client' }, via: elsewhere })).toThrow(`connect: via "${elsewhere}" does not fit: pod shop/client is on ${clientNode}`);
    expect(() => c.connect({ to: `${c.nodes[0].ip}:${svcOf(c).ports[0].nodePort}`, via: 'node-2' })).toThrow(`connect: via "node-2" does not fit: ${c.nodes[0].ip} is node-1's address`);
    expect(() => c.request({ url: 'http://example.com/', via: 'nowhere' })).toThrow('request: via "nowhere" is not a node of this cluster');
  });

  test('externalTrafficPolicy Cluster: pods reaching a node port are masqueraded too (KUBE-EXT)', () => {
    const c = Cluster.fromManifests(web(1, { type: 'NodePort' }));
    const node = c.nodes[0];
    const r = c.connect({ to: `${node.ip}:${svcOf(c).ports[0].nodePort}`, from: { pod: 'shop/client' } });
    expect(r).toMatchObject({ connected: true, masqueraded: true, sourceIp: node.ip });
    expect(r.trace.find((h) => h.action === 'masquerade')!.text).toMatch(/^KUBE-EXT-[A-Z2-7]{16}: traffic to an external destination with externalTrafficPolicy: Cluster is masqueraded/);
  });
});

describe('healthCheckNodePort', () => {
  test('the API server gives LoadBalancers with policy Local one; kube-proxy answers 200 with the local count where endpoints are, 503 elsewhere', () => {
    const c = Cluster.fromManifests(web(1, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    const hcnp = svcOf(c).healthCheckNodePort!;
    expect(hcnp).toBeGreaterThanOrEqual(30000);
    const backendNode = c.pods.find((p) => p.name.startsWith('shop/web-'))!.node;
    for (const node of c.nodes) {
      const r = c.request({ url: `http://${node.ip}:${hcnp}/healthz` });
      const count = node.name === backendNode ? 1 : 0;
      expect(r).toMatchObject({ status: count ? 200 : 503, service: 'shop/web' });
      expect(JSON.parse(r.body!)).toEqual({ service: { namespace: 'shop', name: 'web' }, localEndpoints: count });
      expect(r.trace.map((h) => h.action)).toEqual(['request', 'health-check', 'respond']);
    }
  });

  test('an explicit healthCheckNodePort is kept; policy Cluster has none', () => {
    const local = Cluster.fromManifests(web(1, { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31999 }));
    expect(svcOf(local).healthCheckNodePort).toBe(31999);
    expect(local.connect({ to: `${local.nodes[0].ip}:31999` })).toMatchObject({ connected: true, service: 'shop/web', endpoint: `${local.nodes[0].ip}:31999` });
    expect(svcOf(Cluster.fromManifests(web(1, { type: 'LoadBalancer' }))).healthCheckNodePort).toBeUndefined();
  });
});

describe('terminating endpoints (KEP-1669)', () => {
  const podOf = (name: string, extra: { deleting?: boolean; ready?: boolean } = {}) => {
    const p = pod('shop', name, {
      labels: { app: 'web' },
      spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] },
      ...(extra.ready === false ? { status: { conditions: [{ type: 'Ready', status: 'False' }] } } : {}),
    });
    if (extra.deleting) p.metadata.deletionTimestamp = '2026-12-01T00:00:00Z';
    return p;
  };
  const svc = service('shop', 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });

  test('a pod being deleted is not ready, but while it is serving and no other endpoint is ready it takes the traffic', () => {
    const c = Cluster.fromManifests([podOf('old', { deleting: true }), client, svc]);
    const r = c.connect({ to: vip(c), from: { pod: 'shop/client' } });
    expect(r).toMatchObject({ connected: true, pod: 'shop/old' });
    expect(r.trace.find((h) => h.action === 'terminating')!.text).toBe('no endpoint is ready: the 1 serving, terminating endpoint(s) take the traffic (KEP-1669)');
  });

  test('a ready endpoint wins over a terminating one; a terminating pod that is not Ready is not used', () => {
    const both = Cluster.fromManifests([podOf('old', { deleting: true }), podOf('new'), client, svc]);
    for (let i = 0; i < 20; i++) expect(both.connect({ to: vip(both), from: { pod: 'shop/client' } }).pod).toBe('shop/new');
    const gone = Cluster.fromManifests([podOf('old', { deleting: true, ready: false }), client, svc]);
    expect(gone.connect({ to: vip(gone), from: { pod: 'shop/client' } })).toMatchObject({ connected: false, error: 'connection refused' });
  });
});
