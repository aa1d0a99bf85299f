import { createHash } from 'node:crypto';
import { EndpointModel, EndpointsTable, PortEndpoints } from './endpoints';
import { ServiceModel, ServicePortModelInternal } from './services';
import { Trace } from './trace';
import { base32, cidrContains, joinHostPort, parseIPv4, Prng } from './util';
import { NodeModel, PodModel } from './workloads';

export const PROXY_MODES = ['iptables', 'ipvs'];

/** How traffic reached a Service port. */
export type FrontendKind = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIP';

/** One kube-proxy entry point of a Service port (internal). */
export interface Frontend {
  readonly kind: FrontendKind;
  readonly service: ServiceModel;
  readonly port: ServicePortModelInternal;
  readonly endpoints: PortEndpoints;
}

/** Who opens a connection (internal). */
export interface Source {
  readonly ip: string;
  /** The pod the connection comes from. */
  readonly pod?: PodModel;
  /** The node the connection starts on (the pod's node, or the node itself). */
  readonly node?: NodeModel;
  /** True when the client is outside the cluster. */
  readonly external: boolean;
}

/** What kube-proxy did with a connection (internal). */
export interface ProxyOutcome {
  readonly connected: boolean;
  readonly error?: string;
  readonly frontend?: Frontend;
  readonly endpoint?: EndpointModel;
  /** The source address the endpoint sees. */
  readonly sourceIp?: string;
}

/** A virtual clock for ClientIP affinity timeouts (internal). */
export interface Clock {
  now: number;
}

/** pkg/proxy/iptables/proxier.go portProtoHash: base32(sha256(servicePortName + protocol))[:16]. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32(createHash('sha256').update(servicePortName + protocol).digest()).slice(0, 16);
}

/** `namespace/name:port` as kube-proxy writes a ServicePortName (no colon for an unnamed port). */
function servicePortNameOf(svc: ServiceModel, port: ServicePortModelInternal): string {
  return port.name ? `${svc.key}:${port.name}` : svc.key;
}

function serviceChainName(svc: ServiceModel, port: ServicePortModelInternal, local = false): string {
  return `KUBE-${local ? 'SVL' : 'SVC'}-${portProtoHash(servicePortNameOf(svc, port), port.protocol.toLowerCase())}`;
}

/** KUBE-SEP chain: the hash also covers the endpoint `ip:port` (servicePortEndpointChainName). */
function endpointChainName(svc: ServiceModel, port: ServicePortModelInternal, e: EndpointModel): string {
  return `KUBE-SEP-${portProtoHash(servicePortNameOf(svc, port), port.protocol.toLowerCase() + joinHostPort(e.ip, e.port))}`;
}

/** A Service port's KUBE-SVC / KUBE-SVL chains and its endpoints' KUBE-SEP chains. */
interface PortChainNames {
  cluster?: string;
  local?: string;
  readonly endpoints: Map<EndpointModel, string>;
}

const PROTOCOL_INDEX: Record<string, number> = { TCP: 0, UDP: 1, SCTP: 2 };

/** A number for `port/protocol`, the key of the frontend tables (-1 for an unknown protocol). */
function portKey(port: number, protocol: string): number {
  const index = PROTOCOL_INDEX[protocol];
  return index === undefined ? -1 : port * 4 + index;
}

interface AffinityEntry {
  endpoint: string;
  lastSeen: number;
}

/**
 * kube-proxy on every node, compiled into hash maps: address, then port and protocol for ClusterIPs,
 * LoadBalancer IPs and externalIPs; port and protocol for node ports (KUBE-NODEPORTS matches
 * any local address). Rule semantics follow pkg/proxy/iptables/proxier.go (1.27): a Service
 * port without ready endpoints is REJECTed (connection refused); with traffic policy Local and
 * no endpoint on the node, traffic is DROPped (timeout); external traffic with policy Cluster is
 * masqueraded to the node's IP; traffic from pods or nodes to an external address of a Local
 * Service is short-circuited to all endpoints. Endpoint choice: iptables `statistic --mode
 * random` (uniform, seeded PRNG) or IPVS `rr`; ClientIP affinity via the `recent` match, refreshed
 * by every new connection and expiring `timeoutSeconds` after the last one.
 */
export class KubeProxy {
  /** By address, then portKey: nested so a query builds no key string. */
  private readonly vips = new Map<string, Map<number, Frontend>>();
  /** By portKey. */
  private readonly nodePorts = new Map<number, Frontend>();
  /** Every address kube-proxy handles, to tell "wrong port" from "unknown address". */
  private readonly serviceAddresses = new Map<string, ServiceModel>();
  private readonly affinity = new Map<string, Map<string, AffinityEntry>>();
  private readonly roundRobin = new Map<string, number>();
  /** Chain names cost a SHA-256 each; queries repeat them, so they are computed once per port. */
  private readonly chainNames = new Map<ServicePortModelInternal, PortChainNames>();
  /** For Services with a Local traffic policy: each port's ready endpoints by node. */
  private readonly readyByNode = new Map<PortEndpoints, ReadonlyMap<NodeModel, readonly EndpointModel[]>>();
  /** Nodes with a ready endpoint of the port (in node order), for externalTrafficPolicy Local. */
  private readonly healthyNodes = new Map<PortEndpoints, readonly NodeModel[]>();

  public constructor(
    public readonly mode: string,
    services: readonly ServiceModel[],
    endpoints: EndpointsTable,
    private readonly nodes: readonly NodeModel[],
    private readonly prng: Prng,
    private readonly clock: Clock,
  ) {
    for (const svc of services) {
      const perPort = endpoints.byService.get(svc.key);
      if (!perPort || svc.type === 'ExternalName' || svc.headless) continue;
      for (const pe of perPort) {
        const add = (kind: FrontendKind, ip: string) => {
          const key = portKey(pe.port.port, pe.port.protocol);
          let byPort = this.vips.get(ip);
          if (!byPort) this.vips.set(ip, (byPort = new Map()));
          if (!byPort.has(key)) byPort.set(key, { kind, service: svc, port: pe.port, endpoints: pe });
          this.serviceAddresses.set(ip, svc);
        };
        if (svc.clusterIP) add('ClusterIP', svc.clusterIP);
        for (const ip of svc.externalIPs) add('ExternalIP', ip);
        for (const ip of svc.loadBalancerIPs) add('LoadBalancer', ip);
        if (pe.port.nodePort !== undefined) {
          this.nodePorts.set(portKey(pe.port.nodePort, pe.port.protocol), { kind: 'NodePort', service: svc, port: pe.port, endpoints: pe });
        }
        if (svc.externalTrafficLocal || svc.internalTrafficLocal) {
          const byNode = new Map<NodeModel, EndpointModel[]>();
          for (const e of pe.ready) {
            if (!e.node) continue;
            let list = byNode.get(e.node);
            if (!list) byNode.set(e.node, (list = []));
            list.push(e);
          }
          this.readyByNode.set(pe, byNode);
          this.healthyNodes.set(pe, nodes.filter((n) => byNode.has(n)));
        }
      }
    }
  }

  /** The Service port behind `ip:port/protocol`, if any (node ports when `ip` is a node). */
  public frontendFor(ip: string, port: number, protocol: string, node?: NodeModel): Frontend | undefined {
    const key = portKey(port, protocol);
    if (node) return this.nodePorts.get(key);
    return this.vips.get(ip)?.get(key);
  }

  /** Whether kube-proxy handles `ip` for some Service (any port). */
  public serviceForAddress(ip: string): ServiceModel | undefined {
    return this.serviceAddresses.get(ip);
  }

  /**
   * Sends a new connection through a Service frontend. `node` is the node whose rules apply:
   * the client's node for in-cluster traffic, the receiving node for traffic from outside.
   */
  public forward(frontend: Frontend, source: Source, node: NodeModel | undefined, dest: string, trace: Trace): ProxyOutcome {
    const { service: svc, port, endpoints } = frontend;
    const spn = servicePortNameOf(svc, port);
    const proto = port.protocol.toLowerCase();
    trace.add('kube-proxy', 'match', `${dest}/${proto} is ${frontend.kind === 'NodePort' ? `node port ${port.nodePort}` : `the ${frontend.kind === 'ClusterIP' ? 'cluster IP' : frontend.kind === 'LoadBalancer' ? 'load balancer IP' : 'external IP'}`} of ${spn} (${this.mode})`, svc.ref);
    if (endpoints.ready.length === 0) {
      const notReady = endpoints.all.length;
      trace.add('kube-proxy', 'reject', `"${spn} has no endpoints": REJECT${notReady ? ` (${notReady} endpoint(s), none ready)` : ''}`, svc.ref);
      return { connected: false, error: 'connection refused', frontend };
    }
    if (frontend.kind === 'LoadBalancer' && source.external && svc.loadBalancerSourceRanges.length) {
      const client = parseIPv4(source.ip);
      if (client === undefined || !svc.loadBalancerSourceRanges.some((r) => cidrContains(r, client))) {
        trace.add('kube-proxy', 'drop', `KUBE-FW-${portProtoHash(servicePortNameOf(svc, port), proto)}: ${source.ip} is not in loadBalancerSourceRanges: DROP`, svc.ref);
        return { connected: false, error: 'connection timed out', frontend };
      }
      trace.add('kube-proxy', 'firewall', `${source.ip} is in loadBalancerSourceRanges: allowed`, svc.ref);
    }
    const external = frontend.kind !== 'ClusterIP';
    // Local policies (KUBE-SVL): external traffic from outside only; pods and nodes short-circuit.
    const local = external ? svc.externalTrafficLocal && source.external : svc.internalTrafficLocal;
    let candidates = endpoints.ready;
    if (local) {
      candidates = (node && this.readyByNode.get(endpoints)?.get(node)) || [];
      const policy = external ? 'externalTrafficPolicy' : 'internalTrafficPolicy';
      if (candidates.length === 0) {
        trace.add('kube-proxy', 'drop', `"${spn} has no local endpoints" on ${node?.name ?? 'this host'} (${policy}: Local): DROP`, svc.ref);
        return { connected: false, error: 'connection timed out', frontend };
      }
      trace.add('kube-proxy', 'local', `${policy}: Local: only the ${candidates.length} ready endpoint(s) on ${node!.name} (${this.chain(svc, port, true)})`, svc.ref);
    } else if (external && svc.externalTrafficLocal) {
      trace.add('kube-proxy', 'short-circuit', `externalTrafficPolicy: Local does not apply to traffic from inside the cluster: all ${candidates.length} ready endpoint(s)`, svc.ref);
    }
    const endpoint = this.pick(frontend, candidates, source.ip, dest, local, trace);
    // Masquerade: external traffic with policy Cluster (to the node's IP), and hairpin traffic.
    let sourceIp = source.ip;
    if (external && source.external && !local && node) {
      sourceIp = node.ip;
      trace.add('kube-proxy', 'masquerade', `externalTrafficPolicy: Cluster: SNAT to ${node.name} ${node.ip}; the pod does not see the client IP`, svc.ref);
    } else if (endpoint.pod && source.pod === endpoint.pod && node) {
      sourceIp = node.ip;
      trace.add('kube-proxy', 'masquerade', `hairpin: ${endpoint.pod.key} reached itself through the Service; SNAT to ${node.ip}`, svc.ref);
    }
    const to = joinHostPort(endpoint.ip, endpoint.port);
    trace.add('kube-proxy', 'dnat', `DNAT ${dest} → ${to} (${this.mode === 'ipvs' ? 'IPVS real server' : this.endpointChain(svc, port, endpoint)})${endpoint.pod ? ` pod ${endpoint.pod.key} on ${endpoint.pod.node.name}` : ''}`, endpoint.pod ? `Pod/${endpoint.pod.key}` : svc.ref);
    return { connected: true, frontend, endpoint, sourceIp };
  }

  private pick(
    frontend: Frontend, candidates: readonly EndpointModel[], clientIp: string, dest: string, local: boolean, trace: Trace,
  ): EndpointModel {
    const { service: svc, port } = frontend;
    const label = (e: EndpointModel) => joinHostPort(e.ip, e.port);
    let table: Map<string, AffinityEntry> | undefined;
    if (svc.sessionAffinity === 'ClientIP') {
      const key = `${svc.key}|${port.index}`;
      table = this.affinity.get(key);
      if (!table) this.affinity.set(key, (table = new Map()));
      const entry = table.get(clientIp);
      if (entry) {
        const age = this.clock.now - entry.lastSeen;
        const hit = age <= svc.affinityTimeout ? candidates.find((e) => label(e) === entry.endpoint) : undefined;
        if (hit) {
          entry.lastSeen = this.clock.now;
          trace.add('kube-proxy', 'affinity-hit', `sessionAffinity ClientIP: ${clientIp} last used ${entry.endpoint} ${age}s ago (timeout ${svc.affinityTimeout}s): same endpoint, timer refreshed`, svc.ref);
          return hit;
        }
        trace.add('kube-proxy', 'affinity-miss', age > svc.affinityTimeout
          ? `sessionAffinity ClientIP: ${clientIp}'s entry for ${entry.endpoint} expired (${age}s > ${svc.affinityTimeout}s)`
          : `sessionAffinity ClientIP: ${clientIp}'s endpoint ${entry.endpoint} is no longer a candidate`, svc.ref);
      } else {
        trace.add('kube-proxy', 'affinity-miss', `sessionAffinity ClientIP: no recent entry for ${clientIp}`, svc.ref);
      }
    }
    let chosen: EndpointModel;
    const n = candidates.length;
    if (this.mode === 'ipvs') {
      const vs = `${dest}|${port.protocol}|${local ? 'local' : 'cluster'}`;
      const i = (this.roundRobin.get(vs) ?? 0) % n;
      this.roundRobin.set(vs, i + 1);
      chosen = candidates[i];
      trace.add('kube-proxy', 'pick', `IPVS rr on ${dest}: real server ${i + 1} of ${n}, ${label(chosen)}`, svc.ref);
    } else {
      const i = n === 1 ? 0 : this.prng.below(n);
      chosen = candidates[i];
      trace.add('kube-proxy', 'pick', n === 1
        ? `${this.chain(svc, port, local)}: the only ready endpoint, ${label(chosen)}`
        : `${this.chain(svc, port, local)}: statistic mode random picked endpoint ${i + 1} of ${n} (probability 1/${n} each), ${label(chosen)}`, svc.ref);
    }
    table?.set(clientIp, { endpoint: label(chosen), lastSeen: this.clock.now });
    return chosen;
  }

  private chainNamesOf(port: ServicePortModelInternal): PortChainNames {
    let names = this.chainNames.get(port);
    if (!names) this.chainNames.set(port, (names = { endpoints: new Map() }));
    return names;
  }

  private chain(svc: ServiceModel, port: ServicePortModelInternal, local: boolean): string {
    const names = this.chainNamesOf(port);
    if (local) return (names.local ??= serviceChainName(svc, port, true));
    return (names.cluster ??= serviceChainName(svc, port, false));
  }

  private endpointChain(svc: ServiceModel, port: ServicePortModelInternal, e: EndpointModel): string {
    const names = this.chainNamesOf(port).endpoints;
    let name = names.get(e);
    if (name === undefined) names.set(e, (name = endpointChainName(svc, port, e)));
    return name;
  }

  /** The node that receives traffic for a LoadBalancer IP: one with ready local endpoints under policy Local (health checks), else any. */
  public loadBalancerNode(frontend: Frontend, source: Source): NodeModel | undefined {
    if (this.nodes.length === 0) return undefined;
    let pool: readonly NodeModel[] = this.nodes;
    if (frontend.service.externalTrafficLocal && source.external) {
      const healthy = this.healthyNodes.get(frontend.endpoints) ?? [];
      if (healthy.length) pool = healthy;
    }
    return pool.length === 1 ? pool[0] : pool[this.prng.below(pool.length)];
  }
}
