import { InventoryObject } from './inventory';
import { canonicalHost, canonicalIp, Cidr, parseCidr } from './util';
import type { IpFamily } from '../api/service-ip-families';
import { readServiceSpec, ServiceSpec } from '../api/service-spec';
import { isPlainObject } from '../api/values';

/** One port of a compiled Service (internal). */
export interface ServicePortModelInternal {
  readonly index: number;
  /** The port name, `''` when unnamed. */
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  /** A port number, or a container port name resolved per pod. */
  readonly targetPort: number | string;
  /** Set by IPAM for NodePort and LoadBalancer Services. */
  nodePort?: number;
}

/** A compiled Service (internal); addresses are filled in by IPAM. */
export interface ServiceModel {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** `Service/namespace/name`. */
  readonly ref: string;
  readonly type: string;
  readonly headless: boolean;
  /** The selector; undefined for a selector-less Service (endpoints come from manifests). */
  readonly selector?: Readonly<Record<string, string>>;
  readonly externalName?: string;
  readonly ports: ServicePortModelInternal[];
  readonly externalIPs: readonly string[];
  readonly sessionAffinity: string;
  /** ClientIP affinity timeout in seconds. */
  readonly affinityTimeout: number;
  readonly externalTrafficLocal: boolean;
  readonly internalTrafficLocal: boolean;
  readonly publishNotReadyAddresses: boolean;
  readonly allocateLoadBalancerNodePorts: boolean;
  /** The explicit `spec.clusterIPs` (seeded from `clusterIP` by the v1 defaults), primary first; empty when the allocator picks. */
  readonly requestedClusterIPs: readonly string[];
  readonly requestedLoadBalancerIPs: readonly string[];
  /**
   * LoadBalancer IPs whose `status.loadBalancer.ingress[].ipMode` is `Proxy`: the load balancer
   * proxies to node ports instead of delivering to the IP (KEP-1860).
   */
  readonly proxyModeLoadBalancerIPs: ReadonlySet<string>;
  /** Client ranges (either family) allowed to reach the LoadBalancer IPs; empty = everyone. */
  readonly loadBalancerSourceRanges: readonly Cidr[];
  /** The typed, defaulted spec it was compiled from. */
  readonly spec: ServiceSpec;
  readonly manifest: any;
  /** Set by IPAM: one ClusterIP per family, primary first (`spec.clusterIPs`). */
  clusterIPs: string[];
  /** Set by IPAM: the families of its ClusterIPs and endpoints, primary first (`spec.ipFamilies`). */
  ipFamilies: IpFamily[];
  loadBalancerIPs: string[];
}

/** Shared by the Services without `ipMode: Proxy` addresses. */
const NO_IPS: ReadonlySet<string> = new Set();

/**
 * A Service the inventory accepted, compiled. The API server's defaults and validation have run
 * (src/api), so its typed spec needs no guards here; what this adds is the model's reading of it.
 * Its addresses are read as kube-proxy parses them: an IPv6 address in any spelling is one address
 * (util canonicalIp, the form the model keys addresses by).
 */
export function readService(o: InventoryObject): ServiceModel {
  const spec = readServiceSpec(o.manifest);
  const type = spec.type;
  const lbIngress = Array.isArray(o.manifest.status?.loadBalancer?.ingress) ? o.manifest.status.loadBalancer.ingress : [];
  const requestedLoadBalancerIPs: string[] = lbIngress.filter((x: any) => isPlainObject(x) && typeof x.ip === 'string').map((x: any) => canonicalIp(x.ip));
  if (!requestedLoadBalancerIPs.length && spec.loadBalancerIP) requestedLoadBalancerIPs.push(canonicalIp(spec.loadBalancerIP));
  const proxied = lbIngress.filter((x: any) => isPlainObject(x) && typeof x.ip === 'string' && x.ipMode === 'Proxy').map((x: any) => canonicalIp(x.ip));
  const proxyModeLoadBalancerIPs: ReadonlySet<string> = proxied.length ? new Set<string>(proxied) : NO_IPS;
  return {
    key: `${o.namespace}/${o.name}`,
    namespace: o.namespace!,
    name: o.name,
    ref: o.ref,
    type,
    headless: spec.clusterIP === 'None' && type !== 'ExternalName',
    // Selectors only count for types that have endpoints; an empty selector means "no selector"
    // (pkg/controller/endpointslice: services without a selector are skipped).
    selector: type !== 'ExternalName' && Object.keys(spec.selector).length ? spec.selector : undefined,
    externalName: type === 'ExternalName' && spec.externalName !== undefined ? canonicalHost(spec.externalName) : undefined,
    ports: spec.ports.map((p, index) => ({ index, ...p })),
    externalIPs: spec.externalIPs.map(canonicalIp),
    sessionAffinity: spec.sessionAffinity,
    affinityTimeout: spec.affinityTimeoutSeconds,
    // Validation allows the policy only where it applies (externalIPs of a ClusterIP Service too, from 1.29).
    externalTrafficLocal: spec.externalTrafficPolicy === 'Local',
    internalTrafficLocal: spec.internalTrafficPolicy === 'Local',
    publishNotReadyAddresses: spec.publishNotReadyAddresses,
    allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts,
    requestedClusterIPs: Array.isArray(o.manifest.spec.clusterIPs) ? o.manifest.spec.clusterIPs.filter((ip: unknown) => typeof ip === 'string' && ip !== '').map(canonicalIp) : [],
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges.map(parseCidr).filter((r): r is Cidr => r !== undefined),
    requestedLoadBalancerIPs,
    proxyModeLoadBalancerIPs,
    spec,
    manifest: o.manifest,
    clusterIPs: [],
    ipFamilies: [],
    loadBalancerIPs: [],
  };
}
