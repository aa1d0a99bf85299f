/**
 * What changes between the Kubernetes minors the library judges and models (1.27 … 1.35): one
 * table of feature gates (their stages per release, from kubernetes/website
 * `feature-gates/<Gate>.md`) and of the changes that no gate guards (a PR that changed a rule, the
 * CoreDNS release kubeadm ships). Validation (src/api) and the model (src/dataplane) read
 * `KubernetesFeatures` and nothing else, so a version's facts live here only.
 */
import { isPlainObject } from './values';

/** The minors a `kubernetesVersion` option accepts. */
export const KUBERNETES_VERSIONS: readonly string[] = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35'];

/** The minor judged and modelled when none is given. */
export const DEFAULT_KUBERNETES_VERSION = '1.27';

/** One stage of a feature gate, from the minor it starts in. */
interface GateStage {
  readonly stage: 'alpha' | 'beta' | 'GA';
  readonly from: number;
  readonly enabledByDefault: boolean;
  /** `LockToDefault`: setting the gate to anything else is refused. */
  readonly locked?: boolean;
}

interface GateHistory {
  readonly stages: readonly GateStage[];
  /** The minor whose components no longer know the gate (the feature is simply on). */
  readonly removedIn?: number;
}

const alpha = (from: number): GateStage => ({ stage: 'alpha', from, enabledByDefault: false });
const beta = (from: number, enabledByDefault = true): GateStage => ({ stage: 'beta', from, enabledByDefault });
const ga = (from: number, locked = false): GateStage => ({ stage: 'GA', from, enabledByDefault: true, locked });

/**
 * The gates that change an answer of this library, with their stages. Only these can be set with
 * `featureGates`; every other gate keeps its default.
 */
const FEATURE_GATES: { readonly [gate: string]: GateHistory } = {
  /** KEP-3668: dynamic node ports come from the upper band of the range first. */
  ServiceNodePortStaticSubrange: { stages: [alpha(27), beta(28), ga(29)], removedIn: 31 },
  /** KEP-1860: `status.loadBalancer.ingress[].ipMode`; kube-proxy installs no rule for `Proxy` IPs. */
  LoadBalancerIPMode: { stages: [alpha(29), beta(30), ga(32)], removedIn: 35 },
  /** KEP-3866: kube-proxy `--proxy-mode nftables`. */
  NFTablesProxyMode: { stages: [alpha(29), beta(31), ga(33)] },
  /** KEP-4444: `spec.trafficDistribution` (PreferClose). Off, the API server drops the field. */
  ServiceTrafficDistribution: { stages: [alpha(30), beta(31), ga(33, true)] },
  /** KEP-3015: `PreferSameZone` and `PreferSameNode`, and kube-proxy's node hints. */
  PreferSameTrafficDistribution: { stages: [alpha(33), beta(34), ga(35, true)] },
  /** KEP-753: sidecars, init containers with `restartPolicy: Always`. Off, the API server drops the field. */
  SidecarContainers: { stages: [alpha(28), beta(29), ga(33)] },
  /** KEP-4427: `dnsConfig.searches` may be `.` and hold `_`. */
  RelaxedDNSSearchValidation: { stages: [alpha(32), beta(33), ga(34, true)] },
};

/** The gates `featureGates` accepts. */
export const FEATURE_GATE_NAMES: readonly string[] = Object.keys(FEATURE_GATES);

/** The CoreDNS release kubeadm installs with each minor (cmd/kubeadm/app/constants CoreDNSVersion). */
const COREDNS_VERSIONS: { readonly [minor: number]: string } = {
  27: '1.10.1', 28: '1.10.1', 29: '1.11.1', 30: '1.11.1', 31: '1.11.3', 32: '1.11.3', 33: '1.12.0', 34: '1.12.1', 35: '1.12.4',
};

/** Everything that differs between the minors, resolved for one minor and its feature gates. */
export interface KubernetesFeatures {
  /** `1.27` … `1.35`. */
  readonly version: string;
  readonly minor: number;
  /** Every gate of FEATURE_GATES that this minor knows, with its effective value. */
  readonly gates: { readonly [gate: string]: boolean };
  /** ≤1.32: a LoadBalancer may not expose the kubelet's port 10250 (removed by kubernetes#129174). */
  readonly kubeletPortRuleOnLoadBalancer: boolean;
  /**
   * ≥1.30: `loadBalancerSourceRanges` errors are one per bad CIDR with validation.IsValidCIDR's
   * message (kubernetes#123174); before, one error for the whole list.
   */
  readonly sourceRangeErrorPerCidr: boolean;
  /** ≥1.29: a ClusterIP Service with externalIPs is externally accessible (externalTrafficPolicy; kubernetes#119150). */
  readonly externalIPsExternallyAccessible: boolean;
  /** ≥1.30: the API knows `spec.trafficDistribution` (before, strict decoding refuses it as an unknown field). */
  readonly trafficDistributionFieldKnown: boolean;
  /** The values `spec.trafficDistribution` may take; empty when the gate is off and the API server drops the field. */
  readonly trafficDistributionValues: readonly string[];
  /** kube-proxy follows the node hints PreferSameNode puts on endpoints. */
  readonly preferSameNodeRouting: boolean;
  /** RelaxedDNSSearchValidation. */
  readonly relaxedDnsSearchValidation: boolean;
  /** ServiceNodePortStaticSubrange: dynamic node ports from the range's upper band first. */
  readonly nodePortStaticSubrange: boolean;
  /** LoadBalancerIPMode: kube-proxy honours `ipMode: Proxy`. */
  readonly loadBalancerIPMode: boolean;
  /** NFTablesProxyMode: `proxyMode: 'nftables'` exists. */
  readonly nftablesProxyMode: boolean;
  /**
   * ≥1.33: a named targetPort also matches the ports of sidecar containers (init containers with
   * `restartPolicy: Always`) in EndpointSlices (kubernetes#128850, not backported).
   */
  readonly sidecarNamedPorts: boolean;
  /**
   * ≥1.33 (MultiCIDRServiceAllocator GA, KEP-1880): `networking.k8s.io/v1` ServiceCIDR objects add
   * ranges, and a clusterIP outside every range fails with the allocator's "the provided network
   * does not match the current range".
   */
  readonly serviceCidrObjects: boolean;
  /** ≥1.28 (PodIndexLabel β1.28, KEP-4017): StatefulSet pods carry `apps.kubernetes.io/pod-index`. */
  readonly podIndexLabel: boolean;
  /**
   * Container `restartPolicy`: unknown before 1.28; with SidecarContainers (β1.29) `Always` on
   * init containers, nothing on regular ones; with the gate off (1.28) dropped.
   */
  readonly containerRestartPolicyFieldKnown: boolean;
  readonly sidecarContainers: boolean;
  /** The CoreDNS release kubeadm installs. */
  readonly coreDnsVersion: string;
  /** plugin/backend_lookup.go maxCnameChainLength: 7, raised to 10 in CoreDNS 1.12.1 (coredns#7153; Kubernetes 1.34). */
  readonly maxCnameChain: number;
  /** CoreDNS 1.12.0 only (coredns#6898, reverted by #7194): PTR only for endpoints with a hostname. */
  readonly ptrForHostnamesOnly: boolean;
  /**
   * CoreDNS ≥1.11.0 (coredns#6162): an ExternalName Service answers only its own name, not
   * `_port._proto.<svc>` or `<x>.<svc>` (NXDOMAIN).
   */
  readonly externalNameOwnNameOnly: boolean;
}

function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

/** The stage a gate is in at `minor`, or undefined when that minor does not know the gate. */
function stageAt(history: GateHistory, minor: number): GateStage | undefined {
  if (history.removedIn !== undefined && minor >= history.removedIn) return undefined;
  let current: GateStage | undefined;
  for (const s of history.stages) if (s.from <= minor) current = s;
  return current;
}

function isOn(history: GateHistory, minor: number, overrides: { readonly [gate: string]: boolean }, name: string): boolean {
  const stage = stageAt(history, minor);
  if (stage === undefined) return history.removedIn !== undefined && minor >= history.removedIn;
  return overrides[name] ?? stage.enabledByDefault;
}

const cache = new Map<string, KubernetesFeatures>();

/**
 * The features of `version` (default 1.27) with `featureGates` applied. Throws an Error naming
 * the option (`kubernetesVersion`, `featureGates.<Gate>`) and what is accepted; callers prefix it.
 */
export function kubernetesFeatures(version?: unknown, featureGates?: unknown): KubernetesFeatures {
  const v = version ?? DEFAULT_KUBERNETES_VERSION;
  if (typeof v !== 'string' || !KUBERNETES_VERSIONS.includes(v)) {
    throw new Error(`kubernetesVersion must be one of ${KUBERNETES_VERSIONS.join(', ')}, got ${JSON.stringify(version)}`);
  }
  const minor = minorOf(v);
  const overrides = checkFeatureGates(featureGates, v, minor);
  const key = featureGates === undefined ? v : `${v}|${JSON.stringify(overrides)}`;
  const known = cache.get(key);
  if (known) return known;
  const gates: { [gate: string]: boolean } = {};
  for (const [name, history] of Object.entries(FEATURE_GATES)) {
    if (stageAt(history, minor)) gates[name] = isOn(history, minor, overrides, name);
  }
  const on = (name: string) => isOn(FEATURE_GATES[name], minor, overrides, name);
  const trafficDistribution = on('ServiceTrafficDistribution');
  const preferSame = trafficDistribution && on('PreferSameTrafficDistribution');
  const coreDnsVersion = COREDNS_VERSIONS[minor];
  const features: KubernetesFeatures = {
    version: v,
    minor,
    gates,
    kubeletPortRuleOnLoadBalancer: minor <= 32,
    sourceRangeErrorPerCidr: minor >= 30,
    externalIPsExternallyAccessible: minor >= 29,
    trafficDistributionFieldKnown: minor >= 30,
    // sets.List order: the API server lists supported values sorted.
    trafficDistributionValues: !trafficDistribution ? [] : preferSame ? ['PreferClose', 'PreferSameNode', 'PreferSameZone'] : ['PreferClose'],
    preferSameNodeRouting: preferSame,
    relaxedDnsSearchValidation: on('RelaxedDNSSearchValidation'),
    nodePortStaticSubrange: on('ServiceNodePortStaticSubrange'),
    loadBalancerIPMode: on('LoadBalancerIPMode'),
    nftablesProxyMode: on('NFTablesProxyMode'),
    sidecarNamedPorts: minor >= 33,
    podIndexLabel: minor >= 28,
    containerRestartPolicyFieldKnown: minor >= 28,
    sidecarContainers: on('SidecarContainers'),
    serviceCidrObjects: minor >= 33,
    coreDnsVersion,
    ptrForHostnamesOnly: coreDnsVersion === '1.12.0',
    maxCnameChain: minor >= 34 ? 10 : 7,
    externalNameOwnNameOnly: minor >= 29,
  };
  cache.set(key, features);
  return features;
}

/** `featureGates`: known gates of this minor, booleans, locked gates only at their default. */
function checkFeatureGates(featureGates: unknown, version: string, minor: number): { readonly [gate: string]: boolean } {
  if (featureGates === undefined) return {};
  if (!isPlainObject(featureGates)) throw new Error(`featureGates must be a map of gate name to true or false, got ${JSON.stringify(featureGates)}`);
  for (const [name, value] of Object.entries(featureGates)) {
    const history = FEATURE_GATES[name];
    if (!history) throw new Error(`featureGates.${name}: not a gate this library models (it models ${FEATURE_GATE_NAMES.join(', ')})`);
    if (typeof value !== 'boolean') throw new Error(`featureGates.${name} must be true or false, got ${JSON.stringify(value)}`);
    const stage = stageAt(history, minor);
    if (!stage) {
      const first = history.stages[0].from;
      throw new Error(minor < first
        ? `featureGates.${name}: Kubernetes ${version} has no such gate (it arrives in 1.${first})`
        : `featureGates.${name}: Kubernetes ${version} has no such gate any more (removed in 1.${history.removedIn}; the feature is always on)`);
    }
    if (stage.locked && value !== stage.enabledByDefault) {
      throw new Error(`featureGates.${name}: ${stage.stage} in Kubernetes ${version} and locked to ${stage.enabledByDefault}`);
    }
  }
  return featureGates as { readonly [gate: string]: boolean };
}
