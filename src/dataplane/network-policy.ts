/**
 * NetworkPolicy enforcement (networking.k8s.io/v1), as a CNI with policy support applies it
 * (internal). Policies are compiled once into per-pod lists of the policies that isolate each pod
 * per direction; a verdict for (source, destination pod, port, protocol) is computed on first use
 * and kept, so a query costs a few map lookups.
 *
 * Semantics (the NetworkPolicy API reference and concepts page, and the e2e truth tables of
 * kubernetes/kubernetes test/e2e/network/netpol/):
 * - a pod is isolated for a direction when some policy selecting it lists that direction in its
 *   (defaulted) policyTypes; a connection passes a direction when the pod is not isolated there
 *   or some rule of some isolating policy allows it (policies are additive; rule order is moot);
 * - both directions must pass: egress at the source pod, ingress at the destination pod;
 * - evaluated where the dataplane sees the packet: after kube-proxy's DNAT (the selected
 *   endpoint pod and target port) and, for ingress, with the source address after SNAT (a
 *   masqueraded connection comes from a node address, which only ipBlock peers match);
 * - traffic to and from the node the pod runs on is always allowed (kubelet probes), and a pod
 *   cannot block access to itself;
 * - a peer with podSelector alone means pods of the policy's namespace; namespaceSelector alone,
 *   every pod of the matching namespaces; both, the matching pods of the matching namespaces;
 *   namespace labels come from Namespace manifests plus `kubernetes.io/metadata.name`;
 * - ipBlock is matched against the peer's address, pod addresses included (as the e2e tests
 *   assert and most CNIs do; the API leaves it implementation-defined), `except` carved out;
 * - a rule port matches by protocol and number (`endPort` makes a range) or by name, resolved on
 *   the destination pod's container ports; a rule without ports matches every port;
 * - host-network pods and nodes are not selected by any policy; as peers they are their node's
 *   address.
 */
import type { Inventory } from './inventory';
import type { Trace } from './trace';
import type { Hop } from './types';
import { Cidr, cidrAddressFromEnd, cidrHolds, parseCidr } from './util';
import type { ContainerPortModel, Workloads } from './workloads';
import { NAMESPACE_NAME_LABEL, policyIsolates } from '../api/network-policy';
import { isPlainObject } from '../api/values';
import { labelSelectorMatches } from '../api/workloads';

export const NETWORK_POLICY_MODES = ['enforce', 'ignore'];

/** The trace component of policy decisions. */
export const NETWORK_POLICY_COMPONENT = 'network-policy';

/** What a policy needs to know about a pod: the model's pods and the stand-ins for system pods. */
export interface PolicyPod {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPortModel[];
  readonly ip?: string;
  readonly hostNetwork: boolean;
  /** The node it runs on, when modelled (traffic to and from it is always allowed). */
  readonly node?: { readonly name: string; readonly ip: string; readonly ips: readonly string[] };
}

/** One end of a connection as policies see it (internal). */
export interface PolicyParty {
  readonly ip: string;
  /** The pod behind the address (absent for nodes, host-network pods and addresses outside the cluster). */
  readonly pod?: PolicyPod;
}

interface CompiledPeer {
  readonly podSelector?: unknown;
  readonly namespaceSelector?: unknown;
  /** The ipBlock's range, which matches addresses of its own family only; undefined for a selector peer (or a CIDR that does not parse: no match). */
  readonly cidr?: Cidr;
  readonly except: readonly Cidr[];
  readonly ipBlock: boolean;
}

interface CompiledPort {
  readonly protocol: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

interface CompiledRule {
  /** undefined: every peer. */
  readonly peers?: readonly CompiledPeer[];
  /** Empty: every port. */
  readonly ports: readonly CompiledPort[];
}

/** A policy, compiled (internal). */
export interface CompiledPolicy {
  /** `namespace/name`. */
  readonly key: string;
  /** `NetworkPolicy/namespace/name`. */
  readonly ref: string;
  readonly namespace: string;
  readonly podSelector: unknown;
  /** The rules, when the policy isolates the direction (an empty list allows nothing). */
  readonly ingress?: readonly CompiledRule[];
  readonly egress?: readonly CompiledRule[];
  /** The manifest (defaulted), for the checks. */
  readonly manifest: any;
}

type Direction = 'ingress' | 'egress';

/** Verdicts by destination pod (or address when no pod), then port key. */
type VerdictsByDestination = Map<PolicyPod | string, Map<number, PolicyVerdict>>;

/** Why a direction passed or failed (internal). */
interface DirectionVerdict {
  readonly allowed: boolean;
  /** The policies isolating the pod in this direction (empty: not isolated). */
  readonly isolating: readonly CompiledPolicy[];
  /** The policy and rule index that allowed it. */
  readonly by?: { readonly policy: CompiledPolicy; readonly rule: number };
  /** The pod's own node got in (ingress only). */
  readonly ownNode?: boolean;
}

/** The decision on one connection (internal). */
export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /** The hops it adds to a trace, written on first use (a verdict belongs to one connection shape). */
  hops?: readonly Hop[];
}

const OPEN: DirectionVerdict = { allowed: true, isolating: [] };
const OPEN_VERDICT: PolicyVerdict = { allowed: true, egress: OPEN, ingress: OPEN };

const PROTOCOL_INDEX: Record<string, number> = { TCP: 0, UDP: 1, SCTP: 2 };

/**
 * The stand-ins for pods the manifests do not hold but policies must see: CoreDNS (kubeadm's
 * Deployment in kube-system, `k8s-app: kube-dns`, serving 53/UDP, 53/TCP and metrics 9153) and
 * the ingress-nginx controller (the upstream chart's namespace and labels). Their addresses are
 * the top of the pod range (the control-plane node's pods, which the model does not schedule).
 */
export const COREDNS_POD = { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } } as const;
export const INGRESS_CONTROLLER_POD = {
  namespace: 'ingress-nginx',
  name: 'ingress-nginx-controller',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
} as const;

export interface NetworkPolicyInput {
  readonly mode: string;
  readonly inventory: Inventory;
  readonly workloads: Workloads;
}

/** The compiled policies and their verdicts (internal). */
export class NetworkPolicies {
  /** Whether policies are enforced and some exist: when false every verdict is "allowed, no hop". */
  public readonly active: boolean;
  public readonly mode: string;
  public readonly policies: readonly CompiledPolicy[];
  /** Namespace labels (manifests plus kubernetes.io/metadata.name), for namespaces that have a manifest or pods. */
  private readonly namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  private readonly isolation = new Map<PolicyPod, { ingress: CompiledPolicy[]; egress: CompiledPolicy[] }>();
  /**
   * Verdicts of connections a pod opens from its own address, by origin pod, destination pod (or
   * address), port key: nested so the common query builds no key string.
   */
  private readonly outgoing = new Map<PolicyPod, VerdictsByDestination>();
  /** The rest (no origin pod, or a source address after SNAT), by `origin|source address`. */
  private readonly translated = new Map<string, VerdictsByDestination>();
  /** The stand-in CoreDNS pod (kube-system, `k8s-app: kube-dns`). */
  public readonly coreDns: PolicyPod;
  /** The stand-in ingress-nginx controller pod. */
  public readonly ingressController: PolicyPod;
  private readonly podByKey: ReadonlyMap<string, PolicyPod>;

  public constructor(input: NetworkPolicyInput) {
    const { inventory, workloads } = input;
    this.mode = input.mode;
    this.podByKey = workloads.podByKey;
    for (const o of inventory.ofKind('v1/Namespace')) {
      this.namespaceLabels.set(o.name, { ...stringMap(o.manifest.metadata?.labels), [NAMESPACE_NAME_LABEL]: o.name });
    }
    const topOfRange = (offset: number) => {
      const ip = cidrAddressFromEnd(workloads.podCidrs[0], offset);
      return workloads.podByIp.has(ip) ? undefined : ip;
    };
    this.coreDns = standIn(COREDNS_POD, topOfRange(2), [
      { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' },
    ]);
    this.ingressController = standIn(INGRESS_CONTROLLER_POD, topOfRange(3), [
      { name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' },
    ]);
    this.policies = inventory.ofKind('networking.k8s.io/v1/NetworkPolicy').map((o) => compilePolicy(o.namespace!, o.name, o.manifest));
    this.active = this.mode === 'enforce' && this.policies.length > 0;
    if (!this.active) return;
    // Pods of a workload share their labels: match each policy once per distinct label set, and
    // only against the label sets holding its selector's first matchLabels pair (a posting list).
    const byNamespace = new Map<string, { all: PolicyPod[][]; byLabel: Map<string, PolicyPod[][]>; byKey: Map<string, PolicyPod[]> }>();
    const addPod = (pod: PolicyPod) => {
      if (pod.hostNetwork) return;
      let ns = byNamespace.get(pod.namespace);
      if (!ns) byNamespace.set(pod.namespace, (ns = { all: [], byLabel: new Map(), byKey: new Map() }));
      const key = JSON.stringify(pod.labels);
      const group = ns.byKey.get(key);
      if (group) {
        group.push(pod);
        return;
      }
      const created = [pod];
      ns.byKey.set(key, created);
      ns.all.push(created);
      for (const [k, v] of Object.entries(pod.labels)) {
        const pair = `${k}=${v}`;
        const list = ns.byLabel.get(pair);
        if (list) list.push(created);
        else ns.byLabel.set(pair, [created]);
      }
    };
    for (const pod of workloads.pods) if (pod.ip) addPod(pod);
    addPod(this.coreDns);
    addPod(this.ingressController);
    for (const policy of this.policies) {
      const ns = byNamespace.get(policy.namespace);
      if (!ns) continue;
      const first = Object.entries((policy.podSelector as any)?.matchLabels ?? {})[0];
      const candidates = first ? ns.byLabel.get(`${first[0]}=${first[1]}`) ?? [] : ns.all;
      for (const group of candidates) {
        if (!labelSelectorMatches(policy.podSelector, group[0].labels)) continue;
        for (const pod of group) {
          let entry = this.isolation.get(pod);
          if (!entry) this.isolation.set(pod, (entry = { ingress: [], egress: [] }));
          if (policy.ingress) entry.ingress.push(policy);
          if (policy.egress) entry.egress.push(policy);
        }
      }
    }
  }

  /**
   * Whether a proxy's upstream connection (an L7 front door's pod `from` to the endpoint
   * `ip:port` of pod `podKey`, TCP) gets through, with its hops added to `trace`.
   */
  public upstreamAllowed(from: PolicyPod, podKey: string, endpoint: string, port: number, trace: Trace): boolean {
    if (!this.active) return true;
    const source: PolicyParty = { ip: from.ip ?? '', pod: from };
    const dest: PolicyParty = { ip: endpoint.slice(0, endpoint.lastIndexOf(':')), pod: this.podByKey.get(podKey) };
    return this.trace(this.judge(from, source, dest, port, 'TCP'), from, source, dest, port, 'TCP', trace);
  }

  /** The labels of a namespace as policies see them. */
  public labelsOfNamespace(namespace: string): Readonly<Record<string, string>> {
    let labels = this.namespaceLabels.get(namespace);
    if (!labels) this.namespaceLabels.set(namespace, (labels = { [NAMESPACE_NAME_LABEL]: namespace }));
    return labels;
  }

  /** The policies that isolate `pod` for ingress and for egress. */
  public isolating(pod: PolicyPod): { readonly ingress: readonly CompiledPolicy[]; readonly egress: readonly CompiledPolicy[] } {
    return this.isolation.get(pod) ?? { ingress: [], egress: [] };
  }

  /** Whether a policy peer selects a pod, from the point of view of a policy in `policyNamespace`. */
  public peerSelectsPod(peer: CompiledPeer, policyNamespace: string, pod: PolicyPod): boolean {
    if (peer.ipBlock) return false;
    if (peer.namespaceSelector === undefined) {
      if (pod.namespace !== policyNamespace) return false;
    } else if (!labelSelectorMatches(peer.namespaceSelector, this.labelsOfNamespace(pod.namespace))) {
      return false;
    }
    return peer.podSelector === undefined || labelSelectorMatches(peer.podSelector, pod.labels);
  }

  /**
   * The verdict on a connection from `source` (its address after SNAT) to `dest` at `port`/`protocol`
   * (after DNAT). `origin` is the pod that opened it (egress is judged there, whatever SNAT did).
   */
  public judge(origin: PolicyPod | undefined, source: PolicyParty, dest: PolicyParty, port: number, protocol: string): PolicyVerdict {
    if (!this.active) return OPEN_VERDICT;
    const egressPod = origin && !origin.hostNetwork ? origin : undefined;
    const ingressPod = dest.pod && !dest.pod.hostNetwork ? dest.pod : undefined;
    if (!(egressPod && this.isolation.has(egressPod)) && !(ingressPod && this.isolation.has(ingressPod))) return OPEN_VERDICT;
    // "A pod cannot block access to itself" (directly, or hairpinned through a Service).
    if (egressPod !== undefined && egressPod === ingressPod) return OPEN_VERDICT;
    let byDest: VerdictsByDestination | undefined;
    if (egressPod !== undefined && source.ip === egressPod.ip) {
      byDest = this.outgoing.get(egressPod);
      if (!byDest) this.outgoing.set(egressPod, (byDest = new Map()));
    } else {
      const key = `${egressPod?.key ?? ''}|${source.ip}`;
      byDest = this.translated.get(key);
      if (!byDest) this.translated.set(key, (byDest = new Map()));
    }
    // A pod's other-family address is its own key: ipBlock rules see the address, not the pod.
    const destKey = ingressPod !== undefined && dest.ip === ingressPod.ip ? ingressPod : dest.ip;
    let byPort = byDest.get(destKey);
    if (!byPort) byDest.set(destKey, (byPort = new Map()));
    const portKey = port * 4 + (PROTOCOL_INDEX[protocol] ?? 3);
    let verdict = byPort.get(portKey);
    if (!verdict) {
      const sourceParty: PolicyParty = { ip: source.ip, pod: source.pod && !source.pod.hostNetwork ? source.pod : undefined };
      const destParty: PolicyParty = { ip: dest.ip, pod: ingressPod };
      const egress = egressPod ? this.direction('egress', egressPod, destParty, destParty, port, protocol) : OPEN;
      const ingress = ingressPod ? this.direction('ingress', ingressPod, sourceParty, destParty, port, protocol) : OPEN;
      verdict = { allowed: egress.allowed && ingress.allowed, egress, ingress };
      byPort.set(portKey, verdict);
    }
    return verdict;
  }

  /**
   * Adds the verdict's hops to a trace: a `deny` naming the isolating policies and why none
   * allows the peer, or an `allow` naming the rule that lets an isolated pod's traffic through.
   * Returns whether the connection may go on.
   */
  public trace(
    verdict: PolicyVerdict, origin: PolicyPod | undefined, source: PolicyParty, dest: PolicyParty, port: number, protocol: string, trace: Trace,
  ): boolean {
    if (verdict === OPEN_VERDICT) return true;
    if (!verdict.hops) verdict.hops = this.hops(verdict, origin, source, dest, port, protocol);
    trace.append(verdict.hops);
    return verdict.allowed;
  }

  private hops(verdict: PolicyVerdict, origin: PolicyPod | undefined, source: PolicyParty, dest: PolicyParty, port: number, protocol: string): Hop[] {
    const trace: Hop[] = [];
    const add = (action: string, text: string, object: string) => trace.push({ component: NETWORK_POLICY_COMPONENT, action, text, object });
    for (const direction of ['egress', 'ingress'] as const) {
      const v = verdict[direction];
      if (v.isolating.length === 0) continue;
      const pod = direction === 'egress' ? origin! : dest.pod!;
      const peer = direction === 'egress' ? describeParty(dest) : describeParty(source);
      const flow = direction === 'egress' ? `egress from ${pod.key} to ${peer} port ${port}/${protocol}` : `ingress to ${pod.key} port ${port}/${protocol} from ${peer}`;
      if (v.ownNode) {
        add('allow', `${flow}: ${direction === 'egress' ? dest.ip : source.ip} is the address of ${pod.key}'s own node, to and from which traffic is always allowed`, `Pod/${pod.key}`);
      } else if (v.allowed) {
        add('allow', `${flow}: allowed by ${v.by!.policy.ref} (${direction} rule ${v.by!.rule + 1})`, v.by!.policy.ref);
      } else {
        const names = v.isolating.map((p) => p.key).join(', ');
        const why = v.isolating.map((p) => this.whyNot(p, direction, direction === 'egress' ? dest : source, port, protocol)).join('; ');
        add('deny', `${flow}: ${pod.key} is isolated for ${direction} by ${v.isolating.length === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} ${names} and no rule allows it — ${why}; the packets are dropped`,
          v.isolating[0].ref);
        break;
      }
    }
    return trace;
  }

  private direction(direction: Direction, pod: PolicyPod, peer: PolicyParty, dest: PolicyParty, port: number, protocol: string): DirectionVerdict {
    const isolating = this.isolation.get(pod)?.[direction] ?? [];
    if (isolating.length === 0) return OPEN;
    // Traffic to and from the node the pod runs on is always allowed.
    if (pod.node && (peer.ip === pod.node.ip || pod.node.ips.includes(peer.ip))) return { allowed: true, isolating, ownNode: true };
    for (const policy of isolating) {
      const rules = policy[direction]!;
      for (let i = 0; i < rules.length; i++) {
        if (this.ruleAllows(rules[i], policy.namespace, peer, dest.pod, port, protocol)) return { allowed: true, isolating, by: { policy, rule: i } };
      }
    }
    return { allowed: false, isolating };
  }

  private ruleAllows(
    rule: CompiledRule, namespace: string, peer: PolicyParty, destPod: PolicyPod | undefined, port: number, protocol: string,
  ): boolean {
    return portsMatch(rule.ports, destPod, port, protocol) && this.peersMatch(rule.peers, namespace, peer);
  }

  private peersMatch(peers: readonly CompiledPeer[] | undefined, namespace: string, peer: PolicyParty): boolean {
    if (peers === undefined) return true;
    for (const p of peers) {
      if (p.ipBlock ? ipBlockMatches(p, peer.ip) : peer.pod !== undefined && this.peerSelectsPod(p, namespace, peer.pod)) return true;
    }
    return false;
  }

  /** One policy's reason for not allowing a peer (for the deny hop). */
  private whyNot(policy: CompiledPolicy, direction: Direction, peer: PolicyParty, port: number, protocol: string): string {
    const rules = policy[direction]!;
    if (rules.length === 0) return `${policy.key} has no ${direction} rules (it allows nothing)`;
    const peerRules = rules.filter((r) => this.peersMatch(r.peers, policy.namespace, peer));
    if (peerRules.length === 0) return `${policy.key}: no ${direction} rule's ${direction === 'ingress' ? 'from' : 'to'} selects ${describeParty(peer)}`;
    const ports = peerRules.flatMap((r) => r.ports.map(describePort));
    return `${policy.key} allows ${describeParty(peer)} only on ${[...new Set(ports)].join(', ')}, not ${port}/${protocol}`;
  }
}

function standIn(
  pod: { namespace: string; name: string; labels: Record<string, string> }, ip: string | undefined, ports: ContainerPortModel[],
): PolicyPod {
  return { key: `${pod.namespace}/${pod.name}`, namespace: pod.namespace, labels: pod.labels, ports, ip, hostNetwork: false };
}

function describeParty(party: PolicyParty): string {
  return party.pod ? `pod ${party.pod.key} (${party.ip})` : party.ip;
}

function describePort(p: CompiledPort): string {
  if (p.port === undefined) return `any ${p.protocol} port`;
  return p.endPort !== undefined ? `${p.port}-${p.endPort}/${p.protocol}` : `${p.port}/${p.protocol}`;
}

/** An address of the other family than the block's never matches it (nor its excepts). */
function ipBlockMatches(peer: CompiledPeer, ip: string): boolean {
  if (!peer.cidr || !cidrHolds(peer.cidr, ip)) return false;
  for (const e of peer.except) if (cidrHolds(e, ip)) return false;
  return true;
}

function portsMatch(ports: readonly CompiledPort[], destPod: PolicyPod | undefined, port: number, protocol: string): boolean {
  if (ports.length === 0) return true;
  for (const p of ports) {
    if (p.protocol !== protocol) continue;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') {
      if (port >= p.port && port <= (p.endPort ?? p.port)) return true;
    } else if (destPod?.ports.some((c) => c.name === p.port && c.port === port && c.protocol === protocol)) {
      return true;
    }
  }
  return false;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function compileRules(rules: unknown, peersField: 'from' | 'to'): CompiledRule[] {
  return (Array.isArray(rules) ? rules : []).map((rule: any) => {
    const peerList = rule?.[peersField];
    const peers = Array.isArray(peerList) && peerList.length ? peerList.map(compilePeer) : undefined;
    const ports = (Array.isArray(rule?.ports) ? rule.ports : []).map((p: any): CompiledPort => ({
      protocol: p.protocol ?? 'TCP',
      ...(p.port !== undefined && p.port !== null ? { port: p.port } : {}),
      ...(typeof p.endPort === 'number' ? { endPort: p.endPort } : {}),
    }));
    return { peers, ports };
  });
}

function compilePeer(peer: any): CompiledPeer {
  if (isPlainObject(peer.ipBlock)) {
    const excepts: string[] = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [];
    const except = excepts.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== undefined);
    return { cidr: typeof peer.ipBlock.cidr === 'string' ? parseCidr(peer.ipBlock.cidr) : undefined, except, ipBlock: true };
  }
  return {
    ...(isPlainObject(peer.podSelector) ? { podSelector: peer.podSelector } : {}),
    ...(isPlainObject(peer.namespaceSelector) ? { namespaceSelector: peer.namespaceSelector } : {}),
    except: [],
    ipBlock: false,
  };
}

function compilePolicy(namespace: string, name: string, manifest: any): CompiledPolicy {
  const spec = manifest.spec;
  return {
    key: `${namespace}/${name}`,
    ref: `NetworkPolicy/${namespace}/${name}`,
    namespace,
    podSelector: spec.podSelector,
    ...(policyIsolates(spec, 'Ingress') ? { ingress: compileRules(spec.ingress, 'from') } : {}),
    ...(policyIsolates(spec, 'Egress') ? { egress: compileRules(spec.egress, 'to') } : {}),
    manifest,
  };
}
