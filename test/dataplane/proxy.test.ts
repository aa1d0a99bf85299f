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
