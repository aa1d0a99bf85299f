/**
 * NetworkPolicy conformance, restated from the upstream e2e suite kubernetes/kubernetes
 * test/e2e/network/netpol/network_policy.go ("Netpol NetworkPolicy between server and client",
 * "… using UDP", "… using SCTP"). Each case names the upstream `It`.
 *
 * The upstream topology is restated as manifests: namespaces x, y, z with pods a, b, c, each pod
 * labelled `pod: <name>` and serving ports 80 and 81 over TCP, UDP and SCTP from containers whose
 * ports are named `serve-<port>-<protocol>`. A probe is one `connect()` from a pod to another
 * pod's IP; the expected truth table is built the way upstream's Reachability is (everything
 * allowed, then Expect/ExpectPeer/ExpectAllIngress/ExpectAllEgress in the same order), and, as
 * upstream (`ignoreLoopback`), a pod's probe to itself is not judged.
 *
 * Premises the model cannot express, and how they are restated:
 * - Policy updates, pod and namespace relabelling, policy deletion ("should enforce updated
 *   policy", "…from updated namespace", "…from updated pod", "…to updated pod", "should stop
 *   enforcing policies after they are deleted", stacked policies added between probes): a cluster
 *   is compiled from manifests once, so each state is its own cluster with the manifests of that
 *   step.
 * - Pod IPs used in ipBlocks are read from the compiled cluster (placement does not depend on
 *   policies), as upstream reads pod.Status.PodIP.
 * - Upstream probes the pods' per-pod Services by DNS name; here probes connect to pod IPs, and a
 *   separate case probes through a ClusterIP Service (policy judged after DNAT).
 */
import { Cluster } from '../../src';

type Proto = 'TCP' | 'UDP' | 'SCTP';
const PROTOCOLS: Proto[] = ['TCP', 'UDP', 'SCTP'];

function pod(ns: string, name: string, extraLabels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: ns, name, labels: { pod: name, ...extraLabels } },
    spec: {
      containers: [80, 81].flatMap((port) => PROTOCOLS.map((protocol) => ({
        name: `cont-${port}-${protocol.toLowerCase()}`,
        image: 'registry.k8s.io/e2e-test-images/agnhost:2.47',
        ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }],
      }))),
    },
  };
}

function namespace(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ns: name, ...labels } } };
}

interface Sel { matchLabels?: Record<string, string>; matchExpressions?: any[] }
const NS = 'kubernetes.io/metadata.name';

function policy(ns: string, name: string, podSelector: Sel, spec: { ingress?: any[]; egress?: any[]; policyTypes?: string[] }) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: ns, name }, spec: { podSelector, ...spec } };
}
/** upstream SetSpecIngressRules(rules...): Ingress in policyTypes, with these rules. */
const ingressOnly = (...rules: any[]) => ({ ingress: rules, policyTypes: ['Ingress'] });
/** upstream SetSpecEgressRules(rules...). */
const egressOnly = (...rules: any[]) => ({ egress: rules, policyTypes: ['Egress'] });
const both = (ingress: any[], egress: any[]) => ({ ingress, egress, policyTypes: ['Ingress', 'Egress'] });

type LabelsBy = Record<string, Record<string, string>>;

function build(pods: string[], objects: any[] = [], podLabels: LabelsBy = {}, nsLabels: LabelsBy = {}) {
  const manifests = [
    ...['x', 'y', 'z'].map((n) => namespace(n, nsLabels[n])),
    ...pods.map((p) => {
      const [ns, name] = p.split('/');
      return pod(ns, name, podLabels[p]);
    }),
    ...objects,
  ];
  return Cluster.fromManifests(manifests, { nodes: 3 });
}

interface Peer { namespace?: string; pod?: string }

/** Upstream's Reachability: a truth table over pod strings, default allowed. */
class Reachability {
  private readonly table = new Map<string, boolean>();
  public constructor(public readonly pods: string[], dflt = true) {
    for (const f of pods) for (const t of pods) this.table.set(`${f}>${t}`, dflt);
  }
  public expect(from: string, to: string, v: boolean): this {
    this.table.set(`${from}>${to}`, v);
    return this;
  }
  public expectPeer(from: Peer, to: Peer, v: boolean): this {
    const matches = (p: string, peer: Peer) => {
      const [ns, name] = p.split('/');
      return (peer.namespace === undefined || peer.namespace === ns) && (peer.pod === undefined || peer.pod === name);
    };
    for (const f of this.pods) for (const t of this.pods) if (matches(f, from) && matches(t, to)) this.table.set(`${f}>${t}`, v);
    return this;
  }
  public expectAllIngress(to: string, v: boolean): this {
    for (const f of this.pods) this.table.set(`${f}>${to}`, v);
    return this;
  }
  public expectAllEgress(from: string, v: boolean): this {
    for (const t of this.pods) this.table.set(`${from}>${t}`, v);
    return this;
  }
  public get(from: string, to: string): boolean {
    return this.table.get(`${from}>${to}`)!;
  }
}

let probes = 0;
let probeFailures = 0;

/** upstream ValidateOrFail: every pair but loopback, probed by connect(); returns the mismatches. */
function validate(cluster: Cluster, reach: Reachability, port: number, protocol: Proto): void {
  const ips = new Map(cluster.pods.map((p) => [p.name, p.ip]));
  const wrong: string[] = [];
  for (const from of reach.pods) {
    for (const to of reach.pods) {
      if (from === to) continue;
      const r = cluster.connect({ to: `${ips.get(to)}:${port}`, from: { pod: from }, protocol });
      probes++;
      if (r.connected !== reach.get(from, to)) {
        probeFailures++;
        wrong.push(`${from} -> ${to} ${port}/${protocol}: expected ${reach.get(from, to) ? 'allowed' : 'denied'}, got ${r.connected ? 'allowed' : r.error}`);
      }
    }
  }
  expect(wrong).toEqual([]);
}

function ipOf(cluster: Cluster, podName: string): string {
  return cluster.pods.find((p) => p.name === podName)!.ip;
}

/** upstream makeLargeCIDRForIP: the /4 holding the address. */
function largeCidr(ip: string): string {
  const first = Number(ip.split('.')[0]);
  return `${first - (first % 16)}.0.0.0/4`;
}

const X = 'x';
const Y = 'y';
const Z = 'z';

describe('Netpol NetworkPolicy between server and client (network_policy.go)', () => {
  test("should support a 'default-deny-ingress' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    const c = build(pods, [policy(X, 'deny-ingress', {}, ingressOnly())]);
    validate(c, new Reachability(pods).expectPeer({}, { namespace: X }, false), 80, 'TCP');
  });

  test("should support a 'default-deny-all' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'deny-all', {}, both([], []))]);
    validate(c, new Reachability(pods).expectPeer({}, { namespace: X }, false).expectPeer({ namespace: X }, {}, false), 80, 'TCP');
  });

  test('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const c = build(pods, [policy(X, 'x-a-allows-x-b', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80, 'TCP');
  });

  test('should enforce policy to allow ingress traffic for a target', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [
      policy(X, 'deny-all', {}, ingressOnly()),
      policy(X, 'allow-all-to-a', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [{ podSelector: {}, namespaceSelector: {} }] })),
    ]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', true).expectAllIngress('x/b', false), 80, 'TCP');
  });

  test('should enforce policy to allow ingress traffic from pods in all namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-from-another-ns', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [{ namespaceSelector: { matchLabels: {} } }] }))]);
    validate(c, new Reachability(pods), 80, 'TCP');
  });

  test('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-client-a-via-ns-selector', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [{ namespaceSelector: { matchLabels: { [NS]: Y } } }] }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false), 80, 'TCP');
  });

  test('should enforce policy based on PodSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'x-a-allows-x-b', { matchLabels: { pod: 'a' } },
      ingressOnly({ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80, 'TCP');
  });

  test('should enforce policy based on NamespaceSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-ns-y-match-selector', { matchLabels: { pod: 'a' } },
      ingressOnly({ from: [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'In', values: [Y] }] } }] }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false), 80, 'TCP');
  });

  test('should enforce policy based on PodSelector or NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const c = build(pods, [policy(X, 'allow-ns-y-match-selector', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: [X] }] } }, { podSelector: { matchLabels: { pod: 'b' } } }],
    }))]);
    validate(c, new Reachability(pods).expect('x/a', 'x/a', false).expect('x/c', 'x/a', false), 80, 'TCP');
  });

  test('should enforce policy based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'];
    const c = build(pods, [policy(X, 'allow-ns-y-podselector-and-nsselector', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: [X] }] }, podSelector: { matchLabels: { pod: 'b' } } }],
    }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true), 80, 'TCP');
  });

  test('should enforce policy based on Multiple PodSelectors and NamespaceSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'];
    const c = build(pods, [policy(X, 'allow-ns-y-z-pod-b-c', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{
        namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: [X] }] },
        podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
      }],
    }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false).expect('y/a', 'x/a', false), 80, 'TCP');
  });

  test('should enforce policy based on any PodSelectors', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const c = build(pods, [policy(X, 'allow-ns-x-pod-b-c', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ podSelector: { matchLabels: { pod: 'b' } } }, { podSelector: { matchLabels: { pod: 'c' } } }],
    }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true), 80, 'TCP');
  });

  test('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const c = build(pods, [policy(X, 'allow-ns-y-pod-a-via-namespace-pod-selector', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchLabels: { [NS]: Y } }, podSelector: { matchLabels: { pod: 'a' } } }],
    }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('y/a', 'x/a', true), 80, 'TCP');
  });

  test('should enforce policy based on Ports', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const c = build(pods, [policy(X, 'allow-client-a-via-ns-selector', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchLabels: { [NS]: Y } } }], ports: [{ port: 81, protocol: 'TCP' }],
    }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false)
      .expectPeer({ namespace: Y }, { namespace: X, pod: 'a' }, true).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false), 81, 'TCP');
  });

  describe('should enforce multiple, stacked policies with overlapping podSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const allowY = { namespaceSelector: { matchLabels: { [NS]: Y } } };
    const port81 = policy(X, 'allow-client-a-via-ns-selector', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [allowY], ports: [{ port: 81, protocol: 'TCP' }] }));
    const port80 = policy(X, 'allow-client-a-via-ns-selector-80', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [allowY], ports: [{ port: 80, protocol: 'TCP' }] }));
    const allow = () => new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false)
      .expectPeer({ namespace: Y }, { namespace: X, pod: 'a' }, true).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false);
    test('port 81 allowed from y', () => validate(build(pods, [port81]), allow(), 81, 'TCP'));
    test('port 80 denied to x/a', () => validate(build(pods, [port81]), new Reachability(pods).expectAllIngress('x/a', false), 80, 'TCP'));
    test('a second policy unblocks port 80', () => validate(build(pods, [port81, port80]), allow(), 80, 'TCP'));
  });

  test('should support allow-all policy', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'allow-all', {}, ingressOnly({}))]);
    validate(c, new Reachability(pods), 80, 'TCP');
    validate(c, new Reachability(pods), 81, 'TCP');
  });

  test('should allow ingress access on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'allow-all', {}, ingressOnly({ ports: [{ port: 'serve-81-tcp' }] }))]);
    validate(c, new Reachability(pods), 81, 'TCP');
    validate(c, new Reachability(pods).expectPeer({}, { namespace: X }, false), 80, 'TCP');
  });

  test('should allow ingress access from namespace on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-client-a-via-ns-selector-80', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchLabels: { [NS]: Y } } }], ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }],
    }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false), 80, 'TCP');
    validate(c, new Reachability(pods).expectAllIngress('x/a', false), 81, 'TCP');
  });

  test('should allow egress access on one named port', () => {
    const pods = ['x/a', 'y/a'];
    const c = build(pods, [policy(X, 'allow-egress', {}, egressOnly({ ports: [{ port: 'serve-80-tcp' }] }))]);
    validate(c, new Reachability(pods), 80, 'TCP');
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, {}, false), 81, 'TCP');
  });

  describe('should enforce updated policy (each state compiled on its own)', () => {
    const pods = ['x/a', 'y/a'];
    test('allow all', () => validate(build(pods, [policy(X, 'allow-all-mutate-to-deny-all', {}, ingressOnly({}))]), new Reachability(pods), 81, 'TCP'));
    test('updated to deny all', () => validate(build(pods, [policy(X, 'allow-all-mutate-to-deny-all', {}, ingressOnly())]),
      new Reachability(pods).expectPeer({}, { namespace: X }, false), 81, 'TCP'));
  });

  describe('should allow ingress access from updated namespace (each state compiled on its own)', () => {
    const pods = ['x/a', 'y/a'];
    const p = policy(X, 'allow-client-a-via-ns-selector', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }));
    test('before the label', () => validate(build(pods, [p]), new Reachability(pods).expectAllIngress('x/a', false), 80, 'TCP'));
    test('after y gets ns2=updated', () => validate(build(pods, [p], {}, { y: { ns2: 'updated' } }),
      new Reachability(pods).expectAllIngress('x/a', false).expectPeer({ namespace: Y }, {}, true), 80, 'TCP'));
  });

  describe('should allow ingress access from updated pod (each state compiled on its own)', () => {
    const pods = ['x/a', 'x/b'];
    const p = policy(X, 'allow-client-a-via-pod-selector', { matchLabels: { pod: 'a' } }, ingressOnly({ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }));
    test('before the label', () => validate(build(pods, [p]), new Reachability(pods).expectAllIngress('x/a', false), 80, 'TCP'));
    test('after x/b gets pod2=updated', () => validate(build(pods, [p], { 'x/b': { pod2: 'updated' } }),
      new Reachability(pods).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80, 'TCP'));
  });

  test('should deny ingress from pods on other namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'deny-empty-policy', {}, ingressOnly({ from: [{ podSelector: { matchLabels: {} } }] }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: Y }, { namespace: X }, false).expectPeer({ namespace: Z }, { namespace: X }, false), 80, 'TCP');
  });

  describe('should deny ingress access to updated pod (each state compiled on its own)', () => {
    const pods = ['x/a', 'y/a'];
    const p = policy(X, 'deny-ingress-via-label-selector', { matchLabels: { target: 'isolated' } }, ingressOnly());
    test('before the label', () => validate(build(pods, [p]), new Reachability(pods), 80, 'TCP'));
    test('after x/a gets target=isolated', () => validate(build(pods, [p], { 'x/a': { target: 'isolated' } }), new Reachability(pods).expectAllIngress('x/a', false), 80, 'TCP'));
  });

  test('should deny egress from pods based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'deny-egress-pod-a', { matchLabels: { pod: 'a' } }, egressOnly())]);
    validate(c, new Reachability(pods).expectAllEgress('x/a', false), 80, 'TCP');
  });

  test('should deny egress from all pods in a namespace', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'deny-egress-ns-x', {}, egressOnly())]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, {}, false), 80, 'TCP');
  });

  test('should work with Ingress, Egress specified together', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const c = build(pods, [policy(X, 'allow-client-a-via-pod-selector', { matchLabels: { pod: 'a' } },
      { ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }], egress: [{ ports: [{ port: 80 }] }], policyTypes: ['Egress', 'Ingress'] })]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80, 'TCP');
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true), 81, 'TCP');
  });

  test('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const fromXa = { from: [{ namespaceSelector: { matchLabels: { [NS]: X } }, podSelector: { matchLabels: { pod: 'a' } } }] };
    const c = build(pods, [
      policy(X, 'allow-to-ns-y-pod-a', { matchLabels: { pod: 'a' } }, egressOnly({ to: [{ namespaceSelector: { matchLabels: { [NS]: Y } }, podSelector: { matchLabels: { pod: 'a' } } }] })),
      policy(Y, 'allow-from-xa-on-ya-match-selector', { matchLabels: { pod: 'a' } }, ingressOnly(fromXa)),
      policy(Y, 'allow-from-xa-on-yb-match-selector', { matchLabels: { pod: 'b' } }, ingressOnly(fromXa)),
    ]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X, pod: 'a' }, {}, false).expectPeer({}, { namespace: Y, pod: 'a' }, false)
      .expectPeer({ namespace: X, pod: 'a' }, { namespace: Y, pod: 'a' }, true).expectPeer({}, { namespace: Y, pod: 'b' }, false), 80, 'TCP');
  });

  test('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const c = build(pods, [policy(X, 'allow-to-ns-y-pod-a', { matchLabels: { pod: 'a' } },
      egressOnly({ to: [{ namespaceSelector: { matchLabels: { [NS]: Y } }, podSelector: { matchLabels: { pod: 'a' } } }] }))]);
    validate(c, new Reachability(pods).expectAllEgress('x/a', false).expect('x/a', 'y/a', true), 80, 'TCP');
  });

  test('should enforce ingress policy allowing any port traffic to a server on a specific protocol', () => {
    const pods = ['x/a', 'y/a'];
    const c = build(pods, [policy(X, 'allow-ingress-by-proto', { matchLabels: { pod: 'a' } }, ingressOnly({ ports: [{ protocol: 'TCP' }] }))]);
    validate(c, new Reachability(pods), 80, 'TCP');
    validate(c, new Reachability(pods).expectPeer({}, { namespace: X, pod: 'a' }, false), 80, 'UDP');
  });

  describe('should enforce multiple ingress policies with ingress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = policy(X, 'allow-ingress-port-80', {}, ingressOnly({ ports: [{ port: 80 }] }));
    test('port 81 blocked', () => validate(build(pods, [only80]), new Reachability(pods).expectPeer({}, { namespace: X }, false), 81, 'TCP'));
    test('allow-all added', () => validate(build(pods, [only80, policy(X, 'allow-ingress', {}, ingressOnly({}))]), new Reachability(pods), 81, 'TCP'));
  });

  describe('should enforce multiple egress policies with egress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = policy(X, 'allow-egress-port-80', {}, egressOnly({ ports: [{ port: 80 }] }));
    test('port 81 blocked', () => validate(build(pods, [only80]), new Reachability(pods).expectPeer({ namespace: X }, {}, false), 81, 'TCP'));
    test('allow-all added', () => validate(build(pods, [only80, policy(X, 'allow-egress', {}, egressOnly({}))]), new Reachability(pods), 81, 'TCP'));
  });

  describe('should stop enforcing policies after they are deleted (each state compiled on its own)', () => {
    const pods = ['x/a', 'y/a'];
    test('deny-all in x', () => validate(build(pods, [policy(X, 'deny-all', {}, both([], []))]),
      new Reachability(pods).expectPeer({ namespace: X }, {}, false).expectPeer({}, { namespace: X }, false), 80, 'TCP'));
    test('deleted', () => validate(build(pods), new Reachability(pods), 80, 'TCP'));
  });

  test('should allow egress access to server in CIDR block', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const yb = ipOf(build(pods), 'y/b');
    const c = build(pods, [policy(X, 'allow-client-a-via-cidr-egress-rule', { matchLabels: { pod: 'a' } }, egressOnly({ to: [{ ipBlock: { cidr: `${yb}/32` } }] }))]);
    expect(ipOf(c, 'y/b')).toBe(yb);
    validate(c, new Reachability(pods).expectAllEgress('x/a', false).expect('x/a', 'y/b', true), 80, 'TCP');
  });

  test('should enforce except clause while egress access to server in CIDR block', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const xb = ipOf(build(pods), 'x/b');
    const c = build(pods, [policy(X, 'allow-client-a-via-cidr-egress-rule', { matchLabels: { pod: 'a' } },
      egressOnly({ to: [{ ipBlock: { cidr: largeCidr(xb), except: [`${xb}/32`] } }] }))]);
    validate(c, new Reachability(pods).expect('x/a', 'x/b', false), 80, 'TCP');
  });

  describe('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const xb = ipOf(build(pods), 'x/b');
    test('except carves x/b out', () => validate(build(pods, [policy(X, 'allow-client-a-via-cidr-egress-rule', { matchLabels: { pod: 'a' } },
      egressOnly({ to: [{ ipBlock: { cidr: largeCidr(xb), except: [`${xb}/32`] } }] }))]), new Reachability(pods).expect('x/a', 'x/b', false), 80, 'TCP'));
    // Upstream updates the policy (same name) to allow only x/b's /32.
    test('policy updated to x/b/32', () => validate(build(pods, [policy(X, 'allow-client-a-via-cidr-egress-rule', { matchLabels: { pod: 'a' } },
      egressOnly({ to: [{ ipBlock: { cidr: `${xb}/32` } }] }))]), new Reachability(pods).expectAllEgress('x/a', false).expect('x/a', 'x/b', true), 80, 'TCP'));
  });

  describe('should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const egress = policy(X, 'allow-egress-for-target', { matchLabels: { pod: 'a' } }, egressOnly({}));
    test('egress allowed', () => validate(build(pods, [egress]), new Reachability(pods), 80, 'TCP'));
    test('ingress denied', () => validate(build(pods, [egress, policy(X, 'deny-ingress-via-label-selector', { matchLabels: { pod: 'a' } }, ingressOnly())]),
      new Reachability(pods).expectAllIngress('x/a', false), 80, 'TCP'));
  });

  test("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP", () => {
    const pods = ['x/a', 'y/a'];
    const c = build(pods, [
      policy(X, 'deny-ingress', {}, ingressOnly()),
      policy(X, 'allow-only-sctp-ingress-on-port-81', { matchLabels: { pod: 'a' } }, ingressOnly({ ports: [{ port: 81, protocol: 'SCTP' }] })),
    ]);
    validate(c, new Reachability(pods).expectPeer({}, { namespace: X }, false), 81, 'TCP');
  });

  test("should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP", () => {
    const pods = ['x/a', 'y/a'];
    const c = build(pods, [policy(X, 'allow-only-sctp-ingress-on-port-80', { matchLabels: { pod: 'a' } }, ingressOnly({ ports: [{ port: 80, protocol: 'SCTP' }] }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false), 81, 'TCP');
  });

  test('should not allow access by TCP when a policy specifies only UDP', () => {
    const pods = ['x/a', 'y/a'];
    const c = build(pods, [policy(X, 'allow-only-udp-ingress-on-port-81', { matchLabels: { pod: 'a' } }, ingressOnly({ ports: [{ port: 81, protocol: 'UDP' }] }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false), 81, 'TCP');
  });

  test('should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-client-a-via-ns-selector-for-immutable-ns-label', { matchLabels: { pod: 'a' } },
      ingressOnly({ from: [{ namespaceSelector: { matchLabels: { [NS]: Y } } }] }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false), 80, 'TCP');
  });

  test('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-ns-y-match-selector-for-immutable-ns-label', { matchLabels: { pod: 'a' } },
      egressOnly({ to: [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: [Y] }] } }] }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X, pod: 'a' }, { namespace: Y }, false), 80, 'TCP');
  });
});

describe.each([['UDP'], ['SCTP']] as [Proto][])('Netpol NetworkPolicy between server and client using %s (network_policy.go)', (protocol) => {
  test("should support a 'default-deny-ingress' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    validate(build(pods, [policy(X, 'deny-all', {}, ingressOnly())]), new Reachability(pods).expectPeer({}, { namespace: X }, false), 80, protocol);
  });

  test('should enforce policy based on Ports', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const c = build(pods, [policy(X, 'allow-ingress-on-port-81-ns-x', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchLabels: { [NS]: Y } } }], ports: [{ port: 81, protocol }],
    }))]);
    validate(c, new Reachability(pods).expectPeer({ namespace: X }, { namespace: X, pod: 'a' }, false).expectPeer({ namespace: Z }, { namespace: X, pod: 'a' }, false), 81, protocol);
  });

  test('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const c = build(pods, [policy(X, 'allow-ns-y-pod-a-via-namespace-pod-selector', { matchLabels: { pod: 'a' } }, ingressOnly({
      from: [{ namespaceSelector: { matchLabels: { [NS]: Y } }, podSelector: { matchLabels: { pod: 'a' } } }],
    }))]);
    validate(c, new Reachability(pods).expectAllIngress('x/a', false).expect('y/a', 'x/a', true), 80, protocol);
  });
});

describe('beyond the pod IP probes (same semantics, the model\'s other paths)', () => {
  test('a Service is judged after DNAT: the endpoint pod and its target port', () => {
    const pods = ['x/a', 'y/a'];
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: X, name: 's-x-a' }, spec: { selector: { pod: 'a' }, ports: [{ port: 8080, targetPort: 'serve-81-tcp' }] } };
    const c = build(pods, [svc, policy(X, 'only-81', { matchLabels: { pod: 'a' } }, ingressOnly({ ports: [{ port: 81 }] }))]);
    const clusterIp = c.services.find((s) => s.name === 'x/s-x-a')!.clusterIp;
    const r = c.connect({ to: `${clusterIp}:8080`, from: { pod: 'y/a' } });
    expect(r.connected).toBe(true);
    expect(r.trace.map((h) => `${h.component} ${h.action}`)).toEqual(expect.arrayContaining(['kube-proxy dnat', 'network-policy allow']));
  });

  test('a denied connection times out with a network-policy hop naming the isolating policy', () => {
    const pods = ['x/a', 'y/a'];
    const c = build(pods, [policy(X, 'deny-ingress', {}, ingressOnly())]);
    const r = c.connect({ to: `${ipOf(c, 'x/a')}:80`, from: { pod: 'y/a' } });
    expect(r.connected).toBe(false);
    expect(r.error).toBe('connection timed out');
    const deny = r.trace.find((h) => h.component === 'network-policy')!;
    expect(deny.action).toBe('deny');
    expect(deny.object).toBe('NetworkPolicy/x/deny-ingress');
    expect(deny.text).toContain('x/deny-ingress has no ingress rules');
  });

  test("networkPolicy: 'ignore' lets everything through, with no policy hop", () => {
    const pods = ['x/a', 'y/a'];
    const manifests = [...['x', 'y', 'z'].map((n) => namespace(n)), pod('x', 'a'), pod('y', 'a'), policy(X, 'deny-ingress', {}, ingressOnly())];
    const c = Cluster.fromManifests(manifests, { networkPolicy: 'ignore' });
    const r = c.connect({ to: `${ipOf(c, 'x/a')}:80`, from: { pod: 'y/a' } });
    expect(r.connected).toBe(true);
    expect(r.trace.some((h) => h.component === 'network-policy')).toBe(false);
    expect(pods).toHaveLength(2);
  });
});

afterAll(() => {
  // Done when ≥ 98% of the restated probes pass.
  expect(probes).toBeGreaterThan(500);
  expect(probeFailures / probes).toBeLessThanOrEqual(0.02);
});
