import { diagnostic } from './diagnostic-codes';
import { InventoryObject } from './inventory';
import { Diagnostic } from './types';
import { canonicalHost, Cidr4, isPlainObject, parseCidr4 } from './util';

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
  /** The explicit `spec.clusterIP`, if any (`None` for headless). */
  readonly requestedClusterIP?: string;
  readonly requestedLoadBalancerIPs: readonly string[];
  /** IPv4 client ranges allowed to reach the LoadBalancer IPs; empty = everyone. */
  readonly loadBalancerSourceRanges: readonly Cidr4[];
  readonly manifest: any;
  /** Set by IPAM. */
  clusterIP?: string;
  loadBalancerIPs: string[];
}

/** core/v1 defaults (pkg/apis/core/v1/defaults.go SetDefaults_Service), restated for fields the model reads. */
const DEFAULT_AFFINITY_TIMEOUT = 10800;

/**
 * Reads a Service the inventory accepted. Service validation belongs to `src/api` (shared with the
 * constructs); until its rules cover a field, this reader checks only the types it needs and
 * reports what it cannot use, so nothing is dropped silently.
 */
export function readService(o: InventoryObject, diagnostics: Diagnostic[]): ServiceModel | undefined {
  const spec = isPlainObject(o.manifest.spec) ? o.manifest.spec : {};
  const bad = (field: string, value: unknown, expected: string) => {
    diagnostics.push(diagnostic({ code: 'INVALID_OBJECT', object: o.ref, field, message: `${field} is ${JSON.stringify(value)}, expected ${expected}; the model ignores this Service` }));
    return undefined;
  };
  const type = spec.type ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) return bad('spec.type', type, 'ClusterIP, NodePort, LoadBalancer or ExternalName');
  const rawPorts = spec.ports ?? [];
  if (!Array.isArray(rawPorts)) return bad('spec.ports', rawPorts, 'a list');
  const ports: ServicePortModelInternal[] = [];
  for (let i = 0; i < rawPorts.length; i++) {
    const p = rawPorts[i];
    const at = `spec.ports[${i}]`;
    if (!isPlainObject(p)) return bad(at, p, 'a port object');
    if (typeof p.port !== 'number' || !Number.isInteger(p.port)) return bad(`${at}.port`, p.port, 'an integer');
    const protocol = p.protocol ?? 'TCP';
    if (typeof protocol !== 'string') return bad(`${at}.protocol`, protocol, 'TCP, UDP or SCTP');
    // SetDefaults_Service: targetPort defaults to port (an empty string or 0 counts as unset).
    const target = p.targetPort === undefined || p.targetPort === '' || p.targetPort === 0 ? p.port : p.targetPort;
    if (typeof target !== 'number' && typeof target !== 'string') return bad(`${at}.targetPort`, target, 'a port number or name');
    // A string targetPort is a container port name (FindPort); the API server rejects numeric
    // strings such as "8080" (a port name needs a letter), so none reach a real cluster.
    const nodePort = typeof p.nodePort === 'number' && p.nodePort !== 0 ? p.nodePort : undefined;
    ports.push({ index: i, name: typeof p.name === 'string' ? p.name : '', port: p.port, protocol, targetPort: target, nodePort });
  }
  const selector = spec.selector;
  if (selector !== undefined && selector !== null && !isPlainObject(selector)) return bad('spec.selector', selector, 'a map of labels');
  const cleanSelector: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector ?? {})) {
    if (typeof v !== 'string') return bad(`spec.selector[${k}]`, v, 'a string');
    cleanSelector[k] = v;
  }
  const stringList = (field: string, value: unknown): string[] | undefined => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) return bad(field, value, 'a list of strings');
    return value as string[];
  };
  const externalIPs = stringList('spec.externalIPs', spec.externalIPs);
  if (!externalIPs) return undefined;
  const clusterIP = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
  const affinity = spec.sessionAffinity ?? 'None';
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  const lbIngress = Array.isArray(o.manifest.status?.loadBalancer?.ingress) ? o.manifest.status.loadBalancer.ingress : [];
  const requestedLoadBalancerIPs: string[] = lbIngress.filter((x: any) => isPlainObject(x) && typeof x.ip === 'string').map((x: any) => x.ip);
  if (!requestedLoadBalancerIPs.length && typeof spec.loadBalancerIP === 'string' && spec.loadBalancerIP) requestedLoadBalancerIPs.push(spec.loadBalancerIP);
  // spec.loadBalancerSourceRanges, else the legacy annotation (pkg/apis/core/v1/helper GetLoadBalancerSourceRanges).
  const annotation = o.manifest.metadata?.annotations?.['service.beta.kubernetes.io/load-balancer-source-ranges'];
  const rangeTexts: unknown[] = Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length
    ? spec.loadBalancerSourceRanges
    : typeof annotation === 'string' && annotation.trim() ? annotation.split(',') : [];
  const loadBalancerSourceRanges = rangeTexts
    .map((r) => (typeof r === 'string' ? parseCidr4(r.trim()) : undefined))
    .filter((r): r is Cidr4 => r !== undefined);
  return {
    key: `${o.namespace}/${o.name}`,
    namespace: o.namespace!,
    name: o.name,
    ref: o.ref,
    type,
    headless: clusterIP === 'None' && type !== 'ExternalName',
    // Selectors only count for types that have endpoints; an empty selector means "no selector"
    // (pkg/controller/endpointslice: services without a selector are skipped).
    selector: type !== 'ExternalName' && Object.keys(cleanSelector).length ? cleanSelector : undefined,
    externalName: type === 'ExternalName' && typeof spec.externalName === 'string' ? canonicalHost(spec.externalName) : undefined,
    ports,
    externalIPs,
    sessionAffinity: affinity === 'ClientIP' ? 'ClientIP' : 'None',
    affinityTimeout: typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_AFFINITY_TIMEOUT,
    externalTrafficLocal: spec.externalTrafficPolicy === 'Local' && (type === 'NodePort' || type === 'LoadBalancer'),
    internalTrafficLocal: spec.internalTrafficPolicy === 'Local',
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts !== false,
    requestedClusterIP: clusterIP,
    loadBalancerSourceRanges,
    requestedLoadBalancerIPs,
    manifest: o.manifest,
    loadBalancerIPs: [],
  };
}
