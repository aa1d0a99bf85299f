import { diagnostic } from './diagnostic-codes';
import { Inventory, InventoryObject } from './inventory';
import { Diagnostic, NodeInfo, PodInfo } from './types';
import {
  canonicalIp, canonicalHost, Cidr, cidrAddress, cidrHolds, firstOfFamily, fnv1a32, formatCidr, formatIPv4, formatIPv6,
  parseCidr4, parseCidr6, parseIPv4, parseIPv6, SAFE_ALPHABET,
} from './util';
import type { IpFamily } from '../api/service-ip-families';
import { isPlainObject } from '../api/values';

/** A modelled node (internal). */
export interface NodeModel {
  readonly name: string;
  readonly index: number;
  /** The primary InternalIP (`ips[0]`). */
  readonly ip: string;
  /** One InternalIP per family of the pod network, primary first. */
  readonly ips: readonly string[];
  /** The primary pod range (`spec.podCIDR`); empty when the pod CIDR has no room for the node. */
  readonly podCidr: string;
  /** One pod range per family (`spec.podCIDRs`), primary first. */
  readonly podCidrs: readonly string[];
  /** `podCidrs` as ranges, for the per-query range checks. */
  readonly podRanges: readonly Cidr[];
}

/** A container port as the pod declares it. */
export interface ContainerPortModel {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
  /** The node port the CNI portmap plugin forwards to it (`hostPort`). */
  readonly hostPort?: number;
}

/** The parts of a pod's spec.dnsConfig the resolver model uses (internal). */
export interface PodDnsConfig {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly ndots?: number;
}

function dnsConfigOf(spec: any): PodDnsConfig {
  const cfg = isPlainObject(spec?.dnsConfig) ? spec.dnsConfig : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const ndotsOption = Array.isArray(cfg.options) ? cfg.options.filter((o: any) => isPlainObject(o) && o.name === 'ndots').pop() : undefined;
  const ndots = ndotsOption && /^[0-9]+$/.test(String(ndotsOption.value)) ? Math.min(Number(ndotsOption.value), 15) : undefined;
  return { nameservers: strings(cfg.nameservers), searches: strings(cfg.searches).map(canonicalHost), ndots };
}

/** A modelled pod (internal). */
export interface PodModel {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly node: NodeModel;
  /** The primary pod IP (`ips[0]`); undefined when the pod is not running (no IP yet, or finished). */
  readonly ip?: string;
  /** `status.podIPs`: one per family, primary first; empty when not running. */
  readonly ips: readonly string[];
  /** The Ready condition (EndpointSlice `serving`). */
  readonly ready: boolean;
  /** Being deleted (`metadata.deletionTimestamp` set): EndpointSlice `terminating`. */
  readonly terminating: boolean;
  readonly hostNetwork: boolean;
  /** spec.dnsPolicy (defaulted to ClusterFirst). */
  readonly dnsPolicy: string;
  /** spec.dnsConfig, read: extra nameservers and searches, and an `ndots` option. */
  readonly dnsConfig: PodDnsConfig;
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly ports: readonly ContainerPortModel[];
  /** Ports of its sidecars (init containers with `restartPolicy: Always`). */
  readonly sidecarPorts: readonly ContainerPortModel[];
  /** `Kind/namespace/name` of the creating workload. */
  readonly owner?: string;
}

export interface Workloads {
  readonly nodes: readonly NodeModel[];
  readonly nodeByIp: ReadonlyMap<string, NodeModel>;
  readonly pods: readonly PodModel[];
  readonly podByKey: ReadonlyMap<string, PodModel>;
  readonly podByIp: ReadonlyMap<string, PodModel>;
  /** Pods with an IP, by namespace, for selector matching. */
  readonly podsByNamespace: ReadonlyMap<string, readonly PodModel[]>;
  /** The pod network's ranges, primary first. */
  readonly podCidrs: readonly Cidr[];
  /** Running pods by `nodeIP|hostPort|protocol`: hostPort mappings and hostNetwork listeners. */
  readonly hostPorts: ReadonlyMap<string, { readonly pod: PodModel; readonly port: number }>;
}

export interface WorkloadOptions {
  readonly nodes: number;
  /** kube-controller-manager `--cluster-cidr`: one range per family, primary first. */
  readonly podCidrs: readonly Cidr[];
  readonly notReadyPods: ReadonlySet<string>;
  /** Replica counts to model instead of the manifests', by workload `namespace/name` ("what if"). */
  readonly replicas?: ReadonlyMap<string, number>;
  /** PodIndexLabel (1.28+): StatefulSet pods are labelled `apps.kubernetes.io/pod-index`. */
  readonly podIndexLabel: boolean;
}

/** Custom resources whose pods the model creates as their controllers would (`apiVersion/kind`). */
export const MODELLED_CUSTOM_KINDS: ReadonlySet<string> = new Set([
  'argoproj.io/v1alpha1/Rollout', 'monitoring.coreos.com/v1/Prometheus', 'monitoring.coreos.com/v1/Alertmanager',
]);

/**
 * kind's docker network in each family (IPv6: kind's default `fc00:f853:ccd:e793::/64`, a ULA
 * range): node addresses and the load balancer pools live there. Nodes are the network's
 * second, third, … addresses (172.18.0.2, .3, …; fc00:f853:ccd:e793::2, ::3, …).
 */
export const NODE_NETWORKS: Readonly<Record<IpFamily, Cidr>> = { IPv4: parseCidr4('172.18.0.0/16')!, IPv6: parseCidr6('fc00:f853:ccd:e793::/64')! };

/** The offset of the first node's address in the node network. */
const FIRST_NODE_OFFSET = 2;

/** The node network's address `index` nodes after the first node's (the API server sits after the workers). */
export function nodeAddress(family: IpFamily, index: number): string {
  return cidrAddress(NODE_NETWORKS[family], FIRST_NODE_OFFSET + index);
}

/**
 * kube-controller-manager `--node-cidr-mask-size-ipv4` / `--node-cidr-mask-size-ipv6` defaults:
 * each node gets a /24 of an IPv4 pod range and a /64 of an IPv6 one.
 */
export const NODE_CIDR_MASK: Readonly<Record<IpFamily, number>> = { IPv4: 24, IPv6: 64 };

/**
 * The Deployment controller's pod-template-hash: FNV-32a of the template, its decimal form
 * safe-encoded (pkg/controller/controller_utils.go ComputeHash). We hash the JSON rather than
 * Go's spew dump, so the value differs from a real cluster's but is just as stable.
 */
function podTemplateHash(template: unknown): string {
  const digits = String(fnv1a32(JSON.stringify(template ?? {})));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE_ALPHABET[digits.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

interface PodSeed {
  readonly namespace: string;
  readonly name: string;
  /** Shared by all pods of a workload unless a controller adds per-pod labels. */
  readonly labels: Record<string, string>;
  readonly spec: any;
  /** Container ports, computed once per template. */
  readonly ports: readonly ContainerPortModel[];
  /** StatefulSet identity (the controller sets these in each pod's spec). */
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly status?: any;
  /** `metadata.deletionTimestamp` is set (only a bare Pod's manifest can say so). */
  readonly deleting?: boolean;
  readonly owner?: string;
  /** Index of the preferred node. */
  readonly nodeIndex: number;
}

/** Shared by the many pods without sidecars. */
const NO_PORTS: readonly ContainerPortModel[] = [];

/** Shared by the pods that do not run. */
const NO_IPS: readonly string[] = [];

function containerPorts(spec: any, sidecars = false): ContainerPortModel[] {
  const out: ContainerPortModel[] = [];
  const list = sidecars ? spec?.initContainers : spec?.containers;
  for (const c of Array.isArray(list) ? list : []) {
    if (sidecars && c?.restartPolicy !== 'Always') continue;
    for (const p of Array.isArray(c?.ports) ? c.ports : []) {
      if (!isPlainObject(p) || typeof p.containerPort !== 'number') continue;
      out.push({
        name: typeof p.name === 'string' && p.name ? p.name : undefined,
        port: p.containerPort,
        protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
        hostPort: typeof p.hostPort === 'number' && p.hostPort > 0 ? p.hostPort : undefined,
      });
    }
  }
  return out;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The Ready condition of a pod status; undefined when the manifest says nothing. */
function readyCondition(status: any): boolean | undefined {
  if (!isPlainObject(status) || !Array.isArray(status.conditions)) return undefined;
  const c = status.conditions.find((x: any) => isPlainObject(x) && x.type === 'Ready');
  return c ? c.status === 'True' : undefined;
}

/**
 * Workloads → pods: what the controllers and the scheduler would create. Names follow each
 * controller (StatefulSet ordinals; Deployment `<name>-<pod-template-hash>-<i>`; ReplicaSet and
 * Job `<name>-<i>`, DaemonSet `<name>-<node>`: the real random suffixes are replaced by stable
 * ones). Pods spread round robin over nodes from a per-workload start, so placement is stable.
 * Pod IPs come from each node's podCIDR in order, `.2` first (`.1` is the node's bridge).
 */
export function buildWorkloads(inv: Inventory, opts: WorkloadOptions, diagnostics: Diagnostic[]): Workloads {
  const nodeNames = Array.from({ length: opts.nodes }, (_, i) => `node-${i + 1}`);
  const placed = placePods(podSeeds(inv, opts.nodes, opts.podIndexLabel, opts.replicas ?? new Map()), nodeNames, diagnostics);
  const layout = layoutNodes(nodeNames, placed, opts.podCidrs, diagnostics);
  const { pods, podByKey, podByIp, podsByNamespace } = createPods(placed, layout, opts, diagnostics);
  for (const name of opts.notReadyPods) {
    if (!podByKey.has(name)) {
      diagnostics.push(diagnostic({ code: 'UNKNOWN_POD', object: 'Cluster', field: 'notReadyPods', message: `notReadyPods names "${name}", which is not a pod of this cluster` }));
    }
  }
  const hostPorts = bindHostPorts(pods, diagnostics);
  const { nodes } = layout;
  return {
    nodes,
    nodeByIp: new Map(nodes.flatMap((x) => x.ips.map((ip) => [ip, x]))),
    pods,
    podByKey,
    podByIp,
    podsByNamespace,
    podCidrs: opts.podCidrs,
    hostPorts,
  };
}

/** The pods each controller creates, in inventory order, each with its preferred node. */
/**
 * The replica floors HorizontalPodAutoscalers set (autoscaling/v2, by target `Kind/namespace/name`):
 * the HPA controller scales a workload up to `minReplicas` (default 1) at once, and a workload
 * whose `replicas` is omitted is scaled by the HPA alone.
 */
function autoscalerMinimums(inv: Inventory): Map<string, number> {
  const out = new Map<string, number>();
  for (const kind of ['autoscaling/v2/HorizontalPodAutoscaler', 'autoscaling/v1/HorizontalPodAutoscaler']) {
    for (const hpa of inv.ofKind(kind)) {
      const target = hpa.manifest.spec?.scaleTargetRef;
      if (typeof target?.kind !== 'string' || typeof target?.name !== 'string') continue;
      const min = hpa.manifest.spec?.minReplicas;
      out.set(`${target.kind}/${hpa.namespace}/${target.name}`, typeof min === 'number' && Number.isInteger(min) && min >= 1 ? min : 1);
    }
  }
  return out;
}

function podSeeds(inv: Inventory, n: number, podIndexLabel: boolean, whatIf: ReadonlyMap<string, number>): PodSeed[] {
  const minimums = autoscalerMinimums(inv);
  const seeds: PodSeed[] = [];
  const startOf = (o: InventoryObject) => fnv1a32(o.ref) % n;
  const templated = (
    o: InventoryObject, count: number, nameOf: (i: number) => string,
    extraLabels: Record<string, string>, perPod?: (i: number, seed: PodSeed) => PodSeed, template: any = o.manifest.spec?.template ?? {},
  ) => {
    const labels = { ...stringMap(template.metadata?.labels), ...extraLabels };
    const ports = containerPorts(template.spec);
    const start = startOf(o);
    for (let i = 0; i < count; i++) {
      const seed: PodSeed = {
        namespace: o.namespace!, name: nameOf(i), labels, spec: template.spec, ports, owner: o.ref, nodeIndex: (start + i) % n,
      };
      seeds.push(perPod ? perPod(i, seed) : seed);
    }
  };
  const count = (o: InventoryObject, field: string, dflt: number) => {
    const v = o.manifest.spec?.[field];
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt;
  };
  /** A scalable workload's pods: the option's count, else spec.replicas raised to its HPA's minimum. */
  const replicas = (o: InventoryObject) => {
    const chosen = whatIf.get(`${o.namespace}/${o.name}`);
    if (chosen !== undefined) return chosen;
    const min = minimums.get(o.ref);
    const given = o.manifest.spec?.replicas;
    if (min === undefined) return count(o, 'replicas', 1);
    return typeof given === 'number' && Number.isInteger(given) && given >= 0 ? Math.max(given, min) : min;
  };

  for (const o of inv.ofKind('v1/Pod')) {
    const m = o.manifest;
    seeds.push({
      namespace: o.namespace!,
      name: o.name,
      labels: stringMap(m.metadata.labels),
      spec: m.spec,
      ports: containerPorts(m.spec),
      status: m.status,
      deleting: typeof m.metadata.deletionTimestamp === 'string' && m.metadata.deletionTimestamp !== '',
      nodeIndex: startOf(o),
    });
  }
  for (const o of inv.ofKind('apps/v1/Deployment')) {
    const hash = podTemplateHash(o.manifest.spec?.template);
    templated(o, replicas(o), (i) => `${o.name}-${hash}-${i}`, { 'pod-template-hash': hash });
  }
  for (const o of inv.ofKind('apps/v1/ReplicaSet')) {
    templated(o, replicas(o), (i) => `${o.name}-${i}`, {});
  }
  for (const o of inv.ofKind('apps/v1/StatefulSet')) {
    // pkg/controller/statefulset: pod name `<set>-<ordinal>`, hostname = pod name, subdomain = spec.serviceName.
    const serviceName = typeof o.manifest.spec?.serviceName === 'string' ? o.manifest.spec.serviceName : undefined;
    templated(o, replicas(o), (i) => `${o.name}-${i}`, {}, (i, seed) => ({
      ...seed,
      labels: { ...seed.labels, 'statefulset.kubernetes.io/pod-name': seed.name, ...(podIndexLabel ? { 'apps.kubernetes.io/pod-index': String(i) } : {}) },
      hostname: seed.name,
      subdomain: serviceName ?? '',
    }));
  }
  for (const o of inv.ofKind('apps/v1/DaemonSet')) {
    const template = o.manifest.spec?.template ?? {};
    const labels = stringMap(template.metadata?.labels);
    const ports = containerPorts(template.spec);
    for (let i = 0; i < n; i++) {
      seeds.push({ namespace: o.namespace!, name: `${o.name}-node-${i + 1}`, labels, spec: template.spec, ports, owner: o.ref, nodeIndex: i });
    }
  }
  for (const o of inv.ofKind('argoproj.io/v1alpha1/Rollout')) {
    // Argo Rollouts: pods from the inline template, or from the template of the Deployment that
    // spec.workloadRef names; like a ReplicaSet of the Rollout, labelled rollouts-pod-template-hash.
    const ref = o.manifest.spec?.workloadRef;
    const template = o.manifest.spec?.template
      ?? (ref?.kind === 'Deployment' && typeof ref.name === 'string' ? inv.get(`Deployment/${o.namespace}/${ref.name}`)?.manifest.spec?.template : undefined);
    if (!isPlainObject(template)) continue;
    const hash = podTemplateHash(template);
    templated(o, replicas(o), (i) => `${o.name}-${hash}-${i}`, { 'rollouts-pod-template-hash': hash }, undefined, template);
  }
  // prometheus-operator (pkg/prometheus, pkg/alertmanager): a StatefulSet `<kind>-<name>` per
  // resource, pods `<kind>-<name>-<i>` labelled as the operator labels them, the web port named web.
  const operated = (kind: string, app: string, port: number, legacyLabel: string) => {
    for (const o of inv.ofKind(`monitoring.coreos.com/v1/${kind}`)) {
      const labels = {
        ...stringMap(o.manifest.spec?.podMetadata?.labels),
        'app.kubernetes.io/name': app,
        'app.kubernetes.io/instance': o.name,
        'app.kubernetes.io/managed-by': 'prometheus-operator',
        [legacyLabel]: o.name,
        ...(kind === 'Prometheus' ? { 'operator.prometheus.io/name': o.name, 'operator.prometheus.io/shard': '0' } : {}),
      };
      const spec = { containers: [{ name: app, ports: [{ name: 'web', containerPort: port, protocol: 'TCP' }] }] };
      templated(o, replicas(o), (i) => `${app}-${o.name}-${i}`, {}, (_i, seed) => ({
        ...seed, labels: { ...seed.labels, 'statefulset.kubernetes.io/pod-name': seed.name },
      }), { metadata: { labels }, spec });
    }
  };
  operated('Prometheus', 'prometheus', 9090, 'prometheus');
  operated('Alertmanager', 'alertmanager', 9093, 'alertmanager');
  for (const o of inv.ofKind('batch/v1/Job')) {
    // A running Job has `parallelism` pods (default 1), capped by completions (pkg/controller/job).
    const completions = count(o, 'completions', Infinity);
    const running = Math.min(count(o, 'parallelism', 1), completions);
    templated(o, running, (i) => `${o.name}-${i}`, { 'job-name': o.name, 'batch.kubernetes.io/job-name': o.name });
  }
  return seeds;
}

/** A pod seed and the index of its node; undefined when it is bound to a node that does not exist. */
interface PlacedPod {
  readonly seed: PodSeed;
  readonly node: number | undefined;
}

/** Placement comes first (spec.nodeName wins), so each node's podCIDR can be sized to fit. */
function placePods(seeds: readonly PodSeed[], nodeNames: readonly string[], diagnostics: Diagnostic[]): PlacedPod[] {
  const nodeIndexByName = new Map(nodeNames.map((name, i) => [name, i]));
  return seeds.map((seed) => {
    const nodeName = seed.spec?.nodeName;
    let node: number | undefined = seed.nodeIndex;
    if (typeof nodeName === 'string' && nodeName !== '') {
      node = nodeIndexByName.get(nodeName);
      if (node === undefined) {
        diagnostics.push(diagnostic({
          code: 'POD_NODE_UNKNOWN',
          object: seed.owner ?? `Pod/${seed.namespace}/${seed.name}`,
          field: 'spec.nodeName',
          message: `pod ${seed.namespace}/${seed.name} is bound to node "${nodeName}", which is not one of the modelled nodes (${nodeNames.join(', ')}); it never runs`,
        }));
      }
    }
    return { seed, node };
  });
}

/** How one pod range is cut into node blocks. */
interface FamilyLayout {
  readonly cidr: Cidr;
  /** The node block's prefix length. */
  readonly mask: number;
  /** How many node blocks the range holds; nodes beyond get no range of it. */
  readonly blocks: number;
}

/** The nodes and how each pod range is cut into their podCIDRs. */
interface NodeLayout {
  readonly nodes: readonly NodeModel[];
  /** One per pod range, primary first. */
  readonly families: readonly FamilyLayout[];
}

/**
 * kube-controller-manager hands each node a /24 of an IPv4 range (--node-cidr-mask-size); we
 * widen it only when a node holds more pods than a /24 can address. An IPv6 range is cut into
 * /64s (--node-cidr-mask-size-ipv6), which never run out of pod addresses.
 */
function layoutNodes(nodeNames: readonly string[], placed: readonly PlacedPod[], podCidrs: readonly Cidr[], diagnostics: Diagnostic[]): NodeLayout {
  const n = nodeNames.length;
  const perNode = new Array<number>(n).fill(0);
  for (const { node } of placed) if (node !== undefined) perNode[node]++;
  const maxPods = Math.max(0, ...perNode);
  const families = podCidrs.map((cidr): FamilyLayout => {
    let mask: number;
    let blocks: number;
    let roomy: boolean;
    if (cidr.family === 'IPv4') {
      mask = NODE_CIDR_MASK.IPv4;
      while (mask > cidr.prefix && 2 ** (32 - mask) - 2 < maxPods) mask--;
      blocks = Math.floor(cidr.size / 2 ** (32 - mask));
      roomy = 2 ** (32 - mask) - 2 >= maxPods;
    } else {
      mask = NODE_CIDR_MASK.IPv6;
      blocks = 2 ** (mask - cidr.prefix);
      roomy = true;
    }
    if (blocks < n || !roomy) {
      diagnostics.push(diagnostic({
        code: 'POD_CIDR_EXHAUSTED',
        object: 'Cluster',
        message: `podCidr ${formatCidr(cidr)} cannot give ${n} nodes room for ${maxPods} pods each; pods beyond it get no IP`,
      }));
    }
    return { cidr, mask, blocks };
  });
  const nodes: NodeModel[] = nodeNames.map((name, i) => {
    const ips = podCidrs.map((c) => nodeAddress(c.family, i));
    const podRanges = families.filter((f) => i < f.blocks).map((f) => nodeBlock(f, i));
    const texts = podRanges.map(formatCidr);
    return { name, index: i, ip: ips[0], ips, podCidr: i < families[0].blocks ? texts[0] : '', podCidrs: texts, podRanges };
  });
  return { nodes, families };
}

/** Node `node`'s block of a pod range. */
function nodeBlock(f: FamilyLayout, node: number): Cidr {
  const { cidr, mask } = f;
  if (cidr.family === 'IPv4') {
    const size = 2 ** (32 - mask);
    return { family: 'IPv4', base: cidr.base + node * size, prefix: mask, size };
  }
  const size = 2n ** BigInt(128 - mask);
  return { family: 'IPv6', base: cidr.base + BigInt(node) * size, prefix: mask, size };
}

/**
 * Hands out pod IPs of one range per node block in order, `.2` (`::2`) first, skipping the
 * explicit `status.podIP(s)` values, which are taken before any address is handed out.
 * Undefined when the block is full.
 */
function podIpAllocator(explicit: readonly string[], layout: NodeLayout, f: FamilyLayout): (node: number) => string | undefined {
  const nextHost = new Array<number>(layout.nodes.length).fill(2);
  if (f.cidr.family === 'IPv4') {
    const { cidr, blocks } = f;
    const blockSize = 2 ** (32 - f.mask);
    const explicitIps = new Set<number>();
    for (const ip of explicit) {
      const value = parseIPv4(ip);
      if (value !== undefined) explicitIps.add(value);
    }
    return (node) => {
      if (node >= blocks || nextHost[node] >= blockSize - 1) return undefined;
      const candidateBase = cidr.base + node * blockSize;
      while (nextHost[node] < blockSize - 1 && explicitIps.has(candidateBase + nextHost[node])) nextHost[node]++;
      return nextHost[node] < blockSize - 1 ? formatIPv4(candidateBase + nextHost[node]++) : undefined;
    };
  }
  const { cidr, blocks } = f;
  const explicitIps = new Set<bigint>();
  for (const ip of explicit) {
    const value = parseIPv6(ip);
    if (value !== undefined) explicitIps.add(value);
  }
  return (node) => {
    if (node >= blocks) return undefined;
    const candidateBase = cidr.base + BigInt(node) * 2n ** BigInt(128 - f.mask);
    while (explicitIps.has(candidateBase + BigInt(nextHost[node]))) nextHost[node]++;
    return formatIPv6(candidateBase + BigInt(nextHost[node]++));
  };
}

/** A pod's `status.podIPs` as the manifest gives them (else `status.podIP`), IPv6 in canonical form. */
function statusIps(status: any): readonly string[] {
  if (status === undefined || status === null) return NO_IPS;
  const listed = Array.isArray(status?.podIPs) ? status.podIPs.filter((x: any) => isPlainObject(x) && typeof x.ip === 'string' && x.ip !== '').map((x: any) => x.ip as string) : [];
  const ips = listed.length ? listed : typeof status?.podIP === 'string' && status.podIP !== '' ? [status.podIP as string] : [];
  return ips.map(canonicalIp);
}

/** The pods, their IPs and readiness, indexed by key, IP and namespace. */
function createPods(placed: readonly PlacedPod[], layout: NodeLayout, opts: WorkloadOptions, diagnostics: Diagnostic[]) {
  const given = placed.map(({ seed }) => statusIps(seed.status));
  const explicit: string[] = [];
  for (const ips of given) if (ips.length) explicit.push(...ips);
  const allocators = layout.families.map((f) => podIpAllocator(explicit, layout, f));
  const pods: PodModel[] = [];
  const podByKey = new Map<string, PodModel>();
  const podByIp = new Map<string, PodModel>();
  const podsByNamespace = new Map<string, PodModel[]>();
  for (let index = 0; index < placed.length; index++) {
    const { seed, node } = placed[index];
    const key = `${seed.namespace}/${seed.name}`;
    if (podByKey.has(key)) {
      diagnostics.push(diagnostic({ code: 'DUPLICATE_OBJECT', object: seed.owner ?? `Pod/${key}`, message: `creates pod ${key}, which already exists; the model keeps the first` }));
      continue;
    }
    const spec = seed.spec ?? {};
    const hostNetwork = spec.hostNetwork === true;
    const phase = seed.status?.phase;
    const finished = phase === 'Succeeded' || phase === 'Failed';
    let ips: readonly string[] = NO_IPS;
    const nodeModel = node === undefined ? undefined : layout.nodes[node];
    if (nodeModel && !finished) {
      if (hostNetwork) {
        ips = nodeModel.ips;
      } else if (given[index].length) {
        // status.podIPs as given: the CNI's answer, whatever families it has.
        ips = given[index];
      } else {
        // One address per family; a pod whose primary range is full gets none (it stays ContainerCreating).
        const primary = allocators[0](node!);
        if (primary !== undefined) {
          const all = [primary];
          for (let f = 1; f < allocators.length; f++) {
            const ip = allocators[f](node!);
            if (ip !== undefined) all.push(ip);
          }
          ips = all;
        }
      }
    }
    const ip = ips[0];
    const honoured = readyCondition(seed.status);
    const ready = ip !== undefined && !opts.notReadyPods.has(key) && (honoured ?? true);
    const pod: PodModel = {
      key,
      namespace: seed.namespace,
      name: seed.name,
      labels: seed.labels,
      node: nodeModel ?? { name: String(spec.nodeName), index: -1, ip: '', ips: NO_IPS, podCidr: '', podCidrs: NO_IPS, podRanges: [] },
      ip,
      ips,
      ready,
      terminating: seed.deleting === true,
      hostNetwork,
      dnsPolicy: typeof spec.dnsPolicy === 'string' ? spec.dnsPolicy : 'ClusterFirst',
      dnsConfig: dnsConfigOf(spec),
      hostname: seed.hostname ?? (typeof spec.hostname === 'string' && spec.hostname ? spec.hostname : undefined),
      subdomain: seed.subdomain !== undefined ? seed.subdomain || undefined : (typeof spec.subdomain === 'string' && spec.subdomain ? spec.subdomain : undefined),
      ports: seed.ports,
      sidecarPorts: Array.isArray(spec.initContainers) ? containerPorts(spec, true) : NO_PORTS,
      owner: seed.owner,
    };
    pods.push(pod);
    podByKey.set(key, pod);
    if (!hostNetwork) {
      for (const address of ips) {
        const other = podByIp.get(address);
        if (other) {
          diagnostics.push(diagnostic({ code: 'POD_IP_CONFLICT', object: seed.owner ?? `Pod/${key}`, field: 'status.podIP', message: `pod ${key} has IP ${address}, already used by pod ${other.key}` }));
        } else {
          podByIp.set(address, pod);
        }
      }
    }
    if (ip !== undefined) {
      let list = podsByNamespace.get(seed.namespace);
      if (!list) podsByNamespace.set(seed.namespace, (list = []));
      list.push(pod);
    }
  }
  return { pods, podByKey, podByIp, podsByNamespace };
}

/**
 * A hostPort (or a hostNetwork pod's port) binds the node address; the first pod to claim one
 * keeps it, as the scheduler would not place a second pod with the same hostPort on that node.
 */
function bindHostPorts(pods: readonly PodModel[], diagnostics: Diagnostic[]): Map<string, { pod: PodModel; port: number }> {
  const hostPorts = new Map<string, { pod: PodModel; port: number }>();
  for (const pod of pods) {
    if (!pod.ip || pod.node.index < 0) continue;
    for (const p of pod.ports) {
      const bound = pod.hostNetwork ? p.port : p.hostPort;
      if (bound === undefined) continue;
      const key = `${pod.node.ip}|${bound}|${p.protocol}`;
      const other = hostPorts.get(key);
      if (other) {
        diagnostics.push(diagnostic({
          code: 'HOST_PORT_CONFLICT',
          object: pod.owner ?? `Pod/${pod.key}`,
          message: `pod ${pod.key} wants port ${bound}/${p.protocol} on ${pod.node.name}, already bound by ${other.pod.key}; the scheduler would keep it Pending`,
        }));
        continue;
      }
      hostPorts.set(key, { pod, port: p.port });
    }
  }
  return hostPorts;
}

/** The node whose pod range holds `ip` (routes send a pod-range address there), with that range. */
export function podRangeHome(w: Workloads, ip: string): { readonly node: NodeModel; readonly range: Cidr } | undefined {
  for (const node of w.nodes) for (const range of node.podRanges) if (cidrHolds(range, ip)) return { node, range };
  return undefined;
}

export function isClusterSourceIp(w: Workloads, ip: string): boolean {
  if (w.nodeByIp.has(ip) || w.podByIp.has(ip)) return true;
  for (const c of w.podCidrs) if (cidrHolds(c, ip)) return true;
  return false;
}

/** The node's address of the family of `ip` (its primary one when it has none of that family). */
export function nodeIpFor(node: NodeModel, ip: string): string {
  return node.ips.length < 2 ? node.ip : firstOfFamily(node.ips, ip) ?? node.ip;
}

export function nodeInfo(node: NodeModel): NodeInfo {
  const base = { name: node.name, ip: node.ip, podCidr: node.podCidr };
  // Dual-stack only, so single-stack answers stay as they were.
  return node.ips.length > 1 ? { ...base, ips: [...node.ips], podCidrs: [...node.podCidrs] } : base;
}

export function podInfo(pod: PodModel): PodInfo {
  const base: PodInfo = { name: pod.key, ip: pod.ip ?? '', node: pod.node.name, ready: pod.ready, labels: { ...pod.labels } };
  const withIps = pod.ips.length > 1 ? { ...base, ips: [...pod.ips] } : base;
  return pod.owner ? { ...withIps, owner: pod.owner } : withIps;
}

