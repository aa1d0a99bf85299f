import { createHash } from 'node:crypto';
import { EndpointModel, EndpointsTable, endpointsOfFamily, PortEndpoints } from './endpoints';
import { ServiceModel, ServicePortModelInternal } from './services';
import { Trace } from './trace';
import { KubeProxyOptions } from './types';
import { base32, Cidr, cidrHolds, firstOfFamily, formatCidr, joinHostPort, Prng } from './util';
import { NodeModel, nodeIpFor, PodModel } from './workloads';
import type { IpFamily } from '../api/service-ip-families';
import { isPlainObject } from '../api/values';

export const PROXY_MODES = ['iptables', 'ipvs', 'nftables'];

/** kube-proxy `--detect-local-mode` values the model knows (pkg/proxy/apis/config LocalMode). */
export const DETECT_LOCAL_MODES = ['ClusterCIDR', 'NodeCIDR', 'None'];

/** kube-proxy's flags with their defaults applied (internal). */
export interface ResolvedKubeProxyOptions {
  readonly masqueradeAll: boolean;
  readonly detectLocalMode: string;
  readonly localhostNodePorts: boolean;
}

/** Checks `ClusterOptions.kubeProxy` and applies kube-proxy's defaults; `fail` throws the `Cluster options:` error. */
export function resolveKubeProxyOptions(o: KubeProxyOptions | undefined, fail: (message: string) => never): ResolvedKubeProxyOptions {
  if (o === undefined) return { masqueradeAll: false, detectLocalMode: 'ClusterCIDR', localhostNodePorts: true };
  if (!isPlainObject(o)) return fail(`kubeProxy must be an object, got ${JSON.stringify(o)}`);
  const known = ['masqueradeAll', 'detectLocalMode', 'localhostNodePorts'];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) fail(`kubeProxy has no option ${JSON.stringify(key)} (it takes ${known.join(', ')})`);
  }
  const flag = (name: 'masqueradeAll' | 'localhostNodePorts', dflt: boolean): boolean => {
    const v = o[name];
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') return fail(`kubeProxy.${name} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };
  const detectLocalMode = o.detectLocalMode ?? 'ClusterCIDR';
  if (!DETECT_LOCAL_MODES.includes(detectLocalMode)) {
    fail(`kubeProxy.detectLocalMode must be one of ${DETECT_LOCAL_MODES.join(', ')}, got ${JSON.stringify(o.detectLocalMode)}`);
  }
  return { masqueradeAll: flag('masqueradeAll', false), detectLocalMode, localhostNodePorts: flag('localhostNodePorts', true) };
}

/** How traffic reached a Service port. */
export type FrontendKind = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIP';

/** One kube-proxy entry point of a Service port (internal). */
export interface Frontend {
  readonly kind: FrontendKind;
  readonly service: ServiceModel;
  readonly port: ServicePortModelInternal;
  readonly endpoints: PortEndpoints;
  /**
   * A LoadBalancer IP's `loadBalancerSourceRanges` of its own family (each family's proxier keeps
   * only those, serviceport.go); empty: no KUBE-FW.
   */
  readonly sourceRanges?: readonly Cidr[];
}

/** Who opens a connection (internal). */
export interface Source {
  readonly ip: string;
  /** The pod the connection comes from. */
  readonly pod?: PodModel;
  /** The node the connection starts on (the pod's node, the node itself, or the node a pod-range IP sits on). */
  readonly node?: NodeModel;
  /** True when the client is outside the cluster. */
  readonly external: boolean;
  /** From a node's own network namespace (a node, or a hostNetwork pod): `--src-type LOCAL` there. */
  readonly hostNetwork: boolean;
  /** For a client outside the cluster: the node the caller says receives its packets. */
  readonly via?: NodeModel;
  /** The caller named no client: the model's stand-in external client, which has an address of each family. */
  readonly defaultClient?: boolean;
}

/** kube-proxy's health-check server for one Service (`healthCheckNodePort`, internal). */
export interface HealthCheck {
  readonly service: ServiceModel;
  readonly port: number;
  /**
   * Local ready endpoint addresses by node (nodes without any are absent), per family: each
   * family's proxier runs its own health-check server over its own family's endpoints.
   */
  readonly localEndpoints: Readonly<Record<IpFamily, ReadonlyMap<NodeModel, number>>>;
}

/** What kube-proxy did with a connection (internal). */
export interface ProxyOutcome {
  readonly connected: boolean;
  readonly error?: string;
  readonly frontend?: Frontend;
  readonly endpoint?: EndpointModel;
  /** The source address the endpoint sees. */
  readonly sourceIp?: string;
  /** Whether a Service rule marked the connection for masquerade. */
  readonly masqueraded?: boolean;
  /** The health-check server answered, with this node's local endpoint count. */
  readonly healthCheck?: { readonly service: ServiceModel; readonly localEndpoints: number };
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

/** A Service port's chain: `KUBE-SVC`, `KUBE-SVL`, `KUBE-EXT` or `KUBE-FW` and the port's hash. */
function serviceChainName(svc: ServiceModel, port: ServicePortModelInternal, prefix: ChainPrefix): string {
  return `${prefix}-${portProtoHash(servicePortNameOf(svc, port), port.protocol.toLowerCase())}`;
}

/** KUBE-SEP chain: the hash also covers the endpoint `ip:port` (servicePortEndpointChainName). */
function endpointChainName(svc: ServiceModel, port: ServicePortModelInternal, e: EndpointModel): string {
  return `KUBE-SEP-${portProtoHash(servicePortNameOf(svc, port), port.protocol.toLowerCase() + joinHostPort(e.ip, e.port))}`;
}

type ChainPrefix = 'KUBE-SVC' | 'KUBE-SVL' | 'KUBE-EXT' | 'KUBE-FW';

/** The nftables proxier's chain for each iptables chain (pkg/proxy/nftables/proxier.go chain name prefixes). */
const NFT_CHAIN_PREFIX: { [prefix in ChainPrefix]: string } = { 'KUBE-SVC': 'service-', 'KUBE-SVL': 'local-', 'KUBE-EXT': 'external-', 'KUBE-FW': 'firewall-' };

/** nftables hashAndTruncate: the name prefixed by the first 8 base32 characters of its SHA-256 (names here stay under the limit). */
function nftHashed(name: string): string {
  return `${base32(createHash('sha256').update(name).digest()).slice(0, 8)}-${name}`;
}

/** nftables servicePortChainNameBase: `namespace/name/protocol/portName`. */
function nftServicePortBase(svc: ServiceModel, port: ServicePortModelInternal): string {
  return `${svc.namespace}/${svc.name}/${port.protocol.toLowerCase()}/${port.name}`;
}

/** A Service port's chain names (by prefix) and its endpoints' KUBE-SEP chains. */
interface PortChainNames {
  readonly byPrefix: { [prefix in ChainPrefix]?: string };
  readonly endpoints: Map<EndpointModel, string>;
}

const PROTOCOL_INDEX: Record<string, number> = { TCP: 0, UDP: 1, SCTP: 2 };

/** A number for `port/protocol`, the key of the frontend tables (-1 for an unknown protocol). */
/** The ranges of one family (`ranges` itself when it holds no other). */
function rangesOfFamily(ranges: readonly Cidr[], ip6: boolean): readonly Cidr[] {
  const family = ip6 ? 'IPv6' : 'IPv4';
  return ranges.every((r) => r.family === family) ? ranges : ranges.filter((r) => r.family === family);
}

function portKey(port: number, protocol: string): number {
  const index = PROTOCOL_INDEX[protocol];
  return index === undefined ? -1 : port * 4 + index;
}

interface AffinityEntry {
  endpoint: string;
  lastSeen: number;
}

/** The endpoints a Local traffic policy uses on one node: the ready ones, else the serving terminating ones. */
interface LocalEndpoints {
  readonly endpoints: readonly EndpointModel[];
  readonly terminating: boolean;
}

/** Everything KubeProxy is built from (internal). */
export interface KubeProxyInput {
  readonly mode: string;
  readonly options: ResolvedKubeProxyOptions;
  /** The cluster's pod ranges (`--cluster-cidr`), for detectLocalMode ClusterCIDR. */
  readonly podCidrs: readonly Cidr[];
  readonly services: readonly ServiceModel[];
  readonly endpoints: EndpointsTable;
  readonly nodes: readonly NodeModel[];
  /** By Service `namespace/name`. */
  readonly healthCheckNodePorts: ReadonlyMap<string, number>;
  readonly prng: Prng;
  readonly clock: Clock;
  /** LoadBalancerIPMode: LoadBalancer IPs with `ipMode: Proxy` get no rules. */
  readonly honourIPMode: boolean;
  /** PreferSameTrafficDistribution: kube-proxy follows the node hints of `trafficDistribution: PreferSameNode`. */
  readonly preferSameNodeRouting: boolean;
}

/** A LoadBalancer IP with `ipMode: Proxy`: the load balancer proxies to a node port (internal). */
export interface ProxiedLoadBalancer {
  readonly service: ServiceModel;
  readonly port: ServicePortModelInternal;
  readonly ip: string;
}

/**
 * kube-proxy on every node, compiled into hash maps: address, then port and protocol for ClusterIPs,
 * LoadBalancer IPs and externalIPs; port and protocol for node ports (KUBE-NODEPORTS matches
 * any local address). Rule semantics follow pkg/proxy/iptables/proxier.go (1.27) and the
 * packet flows of its proxier_test.go:
 * - a Service port without usable endpoints is REJECTed (connection refused); usable are the
 *   ready endpoints, or when none is ready the serving terminating ones (KEP-1669);
 * - ClusterIP traffic (KUBE-SVC, KUBE-SVL for internalTrafficPolicy Local) is masqueraded when
 *   it is not pod traffic (`--detect-local-mode`), or always with `--masquerade-all`;
 * - LoadBalancer IPs with loadBalancerSourceRanges go through KUBE-FW: other sources are DROPped;
 * - external destinations (KUBE-EXT): policy Cluster masquerades every source; policy Local
 *   short-circuits pod traffic to all endpoints, masquerades the node's own traffic and sends it
 *   to all endpoints, and sends the rest to the node's local endpoints (KUBE-SVL), DROP if none;
 * - a pod reaching itself through a Service (hairpin, `KUBE-SEP -s <endpoint>`) is masqueraded.
 * Endpoint choice: iptables `statistic --mode random` (uniform, seeded PRNG) or IPVS `rr`;
 * ClientIP affinity via the `recent` match, refreshed by every new connection and expiring
 * `timeoutSeconds` after the last one.
 */
export class KubeProxy {
  public readonly mode: string;
  public readonly options: ResolvedKubeProxyOptions;
  /** By address, then portKey: nested so a query builds no key string. */
  private readonly vips = new Map<string, Map<number, Frontend>>();
  /** By portKey: node ports on the nodes' IPv4 addresses (iptables). */
  private readonly nodePorts = new Map<number, Frontend>();
  /** By portKey: node ports on the nodes' IPv6 addresses (ip6tables: Services with an IPv6 ClusterIP). */
  private readonly nodePorts6 = new Map<number, Frontend>();
  /** Every address kube-proxy handles, to tell "wrong port" from "unknown address". */
  private readonly serviceAddresses = new Map<string, ServiceModel>();
  /** By health-check node port. */
  private readonly healthChecks = new Map<number, HealthCheck>();
  private readonly affinity = new Map<string, Map<string, AffinityEntry>>();
  private readonly roundRobin = new Map<string, number>();
  /** Chain names cost a SHA-256 each; queries repeat them, so they are computed once per port. */
  private readonly chainNames = new Map<ServicePortModelInternal, PortChainNames>();
  /** For Services with a Local traffic policy: each port's locally usable endpoints by node. */
  private readonly localByNode = new Map<PortEndpoints, ReadonlyMap<NodeModel, LocalEndpoints>>();
  /** Nodes with a ready endpoint of the port (in node order), for externalTrafficPolicy Local. */
  private readonly healthyNodes = new Map<PortEndpoints, readonly NodeModel[]>();
  /** LoadBalancer IPs with `ipMode: Proxy`, by address then portKey. */
  private readonly proxiedLoadBalancers = new Map<string, Map<number, ProxiedLoadBalancer>>();
  /** For `trafficDistribution: PreferSameNode`: each port's ready endpoints by node. */
  private readonly readyByNode = new Map<PortEndpoints, ReadonlyMap<NodeModel, EndpointModel[]>>();
  private readonly preferSameNodeRouting: boolean;
  private readonly podCidrs: readonly Cidr[];
  private readonly nodes: readonly NodeModel[];
  private readonly prng: Prng;
  private readonly clock: Clock;

  public constructor(input: KubeProxyInput) {
    const { services, endpoints, nodes } = input;
    this.mode = input.mode;
    this.options = input.options;
    this.podCidrs = input.podCidrs;
    this.nodes = nodes;
    this.prng = input.prng;
    this.clock = input.clock;
    this.preferSameNodeRouting = input.preferSameNodeRouting;
    for (const svc of services) {
      const perPort = endpoints.byService.get(svc.key);
      if (!perPort || svc.type === 'ExternalName' || svc.headless) continue;
      for (const pe of perPort) {
        // Each family's proxier (iptables, ip6tables) sees only its family's endpoints; computed when a family is used.
        let v4: PortEndpoints | undefined;
        let v6: PortEndpoints | undefined;
        const ofFamily = (ip6: boolean) => (ip6 ? (v6 ??= endpointsOfFamily(pe, true)) : (v4 ??= endpointsOfFamily(pe, false)));
        const add = (kind: FrontendKind, ip: string) => {
          const ip6 = ip.includes(':');
          // A family's proxier skips a Service without a ClusterIP of that family (serviceToServiceMap).
          if (!svc.ipFamilies.includes(ip6 ? 'IPv6' : 'IPv4')) return;
          const key = portKey(pe.port.port, pe.port.protocol);
          let byPort = this.vips.get(ip);
          if (!byPort) this.vips.set(ip, (byPort = new Map()));
          if (byPort.has(key)) return;
          const frontend: Frontend = { kind, service: svc, port: pe.port, endpoints: ofFamily(ip6) };
          byPort.set(key, kind === 'LoadBalancer' && svc.loadBalancerSourceRanges.length ? { ...frontend, sourceRanges: rangesOfFamily(svc.loadBalancerSourceRanges, ip6) } : frontend);
          this.serviceAddresses.set(ip, svc);
        };
        for (const ip of svc.clusterIPs) add('ClusterIP', ip);
        for (const ip of svc.externalIPs) add('ExternalIP', ip);
        for (const ip of svc.loadBalancerIPs) {
          if (input.honourIPMode && svc.proxyModeLoadBalancerIPs.has(ip)) {
            let byPort = this.proxiedLoadBalancers.get(ip);
            if (!byPort) this.proxiedLoadBalancers.set(ip, (byPort = new Map()));
            byPort.set(portKey(pe.port.port, pe.port.protocol), { service: svc, port: pe.port, ip });
          } else {
            add('LoadBalancer', ip);
          }
        }
        if (pe.port.nodePort !== undefined) {
          // A family's proxier programs the node port when the Service has a ClusterIP of that family.
          const key = portKey(pe.port.nodePort, pe.port.protocol);
          for (const family of svc.ipFamilies) {
            if (family === 'IPv4') this.nodePorts.set(key, { kind: 'NodePort', service: svc, port: pe.port, endpoints: ofFamily(false) });
            else this.nodePorts6.set(key, { kind: 'NodePort', service: svc, port: pe.port, endpoints: ofFamily(true) });
          }
        }
        if (svc.externalTrafficLocal || svc.internalTrafficLocal) {
          for (const family of new Set([v4 ?? pe, v6 ?? pe])) {
            const ready = byNode(family.ready);
            const terminating = byNode(family.servingTerminating);
            const local = new Map<NodeModel, LocalEndpoints>();
            for (const n of nodes) {
              const list = ready.get(n);
              const fallback = terminating.get(n);
              if (list) local.set(n, { endpoints: list, terminating: false });
              else if (fallback) local.set(n, { endpoints: fallback, terminating: true });
            }
            this.localByNode.set(family, local);
            this.healthyNodes.set(family, nodes.filter((n) => ready.has(n)));
          }
        }
      }
      const hcnp = input.healthCheckNodePorts.get(svc.key);
      if (hcnp !== undefined) {
        // pkg/proxy/endpoints.go LocalReadyEndpoints: distinct local ready addresses over all ports, per family
        // (each family's proxier serves the port from its own health-check server, NewProxier).
        const addresses = new Map<NodeModel, Set<string>>();
        for (const pe of perPort) {
          for (const e of pe.ready) {
            if (!e.node) continue;
            let set = addresses.get(e.node);
            if (!set) addresses.set(e.node, (set = new Set()));
            set.add(e.ip);
          }
        }
        const localEndpoints = { IPv4: new Map<NodeModel, number>(), IPv6: new Map<NodeModel, number>() };
        for (const [n, set] of addresses) {
          for (const ip of set) {
            const counts = localEndpoints[ip.includes(':') ? 'IPv6' : 'IPv4'];
            counts.set(n, (counts.get(n) ?? 0) + 1);
          }
        }
        this.healthChecks.set(hcnp, { service: svc, port: hcnp, localEndpoints });
      }
    }
  }

  /** The Service port behind `ip:port/protocol`, if any (node ports when `ip` is a node). */
  public frontendFor(ip: string, port: number, protocol: string, node?: NodeModel): Frontend | undefined {
    const key = portKey(port, protocol);
    if (node) return (ip.includes(':') ? this.nodePorts6 : this.nodePorts).get(key);
    return this.vips.get(ip)?.get(key);
  }

  /** The Service port behind a LoadBalancer IP with `ipMode: Proxy`, which kube-proxy has no rule for. */
  public proxiedLoadBalancer(ip: string, port: number, protocol: string): ProxiedLoadBalancer | undefined {
    return this.proxiedLoadBalancers.get(ip)?.get(portKey(port, protocol));
  }

  /**
   * A connection to a LoadBalancer IP with `ipMode: Proxy` (KEP-1860): no node short-circuits it,
   * so it reaches the load balancer, which opens its own connection to the Service's node port
   * on a node it picks (a healthy one under externalTrafficPolicy Local); the endpoint sees the
   * load balancer's address.
   */
  public viaProxyLoadBalancer(lb: ProxiedLoadBalancer, source: Source, dest: string, trace: Trace): ProxyOutcome {
    const { service: svc, port } = lb;
    trace.add('kube-proxy', 'no-rule', `${lb.ip} is a load balancer IP of ${svc.key} with ipMode: Proxy: kube-proxy installs no rule for it, so the packet goes to the load balancer${source.external ? '' : ' outside the cluster'}`, svc.ref);
    const frontend = port.nodePort === undefined ? undefined : (lb.ip.includes(':') ? this.nodePorts6 : this.nodePorts).get(portKey(port.nodePort, port.protocol));
    if (!frontend) {
      trace.add('load-balancer', 'no-route', `${svc.key} has no node port for ${dest} (allocateLoadBalancerNodePorts: false): a proxying load balancer would have to reach the pods itself, which the model does not do`, svc.ref);
      return { connected: false, error: 'no route' };
    }
    const lbSource: Source = { ip: lb.ip, external: true, hostNetwork: false };
    const node = this.loadBalancerNode(frontend, lbSource);
    if (!node) return { connected: false, error: 'no route' };
    const nodeDest = joinHostPort(nodeIpFor(node, lb.ip), port.nodePort!);
    trace.add('load-balancer', 'proxy', `the load balancer proxies ${dest} to node port ${nodeDest} on ${node.name}, from its own address ${lb.ip}`, svc.ref);
    return this.forward(frontend, lbSource, node, nodeDest, trace);
  }

  /** Whether kube-proxy handles `ip` for some Service (any port). */
  public serviceForAddress(ip: string): ServiceModel | undefined {
    return this.serviceAddresses.get(ip);
  }

  /** kube-proxy's health-check server on `port` (TCP), if a Service has that healthCheckNodePort. */
  public healthCheckOn(port: number, protocol: string): HealthCheck | undefined {
    return protocol === 'TCP' ? this.healthChecks.get(port) : undefined;
  }

  /**
   * The health-check server on `node` answers (pkg/proxy/healthcheck/service_health.go): the
   * filter table ACCEPTs the port on every node; HTTP 200 where the node has local ready
   * endpoints, 503 elsewhere.
   */
  public answerHealthCheck(hc: HealthCheck, node: NodeModel, source: Source, ip: string, trace: Trace): ProxyOutcome {
    const dest = joinHostPort(ip, hc.port);
    const count = hc.localEndpoints[ip.includes(':') ? 'IPv6' : 'IPv4'].get(node) ?? 0;
    trace.add('kube-proxy', 'health-check', `${dest} is the healthCheckNodePort of ${hc.service.key}: KUBE-NODEPORTS ACCEPTs it and kube-proxy's health-check server on ${node.name} answers: ${count} local ready endpoint(s), HTTP ${count ? 200 : 503}`, hc.service.ref);
    const endpoint: EndpointModel = { ip: nodeIpFor(node, ip), port: hc.port, ready: true, serving: true, terminating: false, node };
    return { connected: true, endpoint, sourceIp: source.ip, healthCheck: { service: hc.service, localEndpoints: count } };
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
    const usable = endpoints.ready.length ? endpoints.ready : endpoints.servingTerminating;
    if (usable.length === 0) {
      const notReady = endpoints.all.length;
      trace.add('kube-proxy', 'reject', `"${spn} has no endpoints": REJECT${notReady ? ` (${notReady} endpoint(s), none ready)` : ''}`, svc.ref);
      return { connected: false, error: 'connection refused', frontend };
    }
    if (frontend.sourceRanges?.length && !this.firewall(frontend, frontend.sourceRanges, source, node, trace)) {
      return { connected: false, error: 'connection timed out', frontend };
    }
    let local = false;
    let masquerade: string | undefined;
    if (frontend.kind === 'ClusterIP') {
      local = svc.internalTrafficLocal;
      const chain = () => this.chain(svc, port, local ? 'KUBE-SVL' : 'KUBE-SVC');
      if (this.options.masqueradeAll) masquerade = `masqueradeAll: ${chain()} masquerades every connection to the cluster IP`;
      else if (this.options.detectLocalMode !== 'None' && !this.isPodTraffic(source.ip, node)) masquerade = `${chain()}: ${source.ip} is not pod traffic (${this.localRangeText(node, source.ip)})`;
    } else {
      const ext = this.chain(svc, port, 'KUBE-EXT');
      if (!svc.externalTrafficLocal) {
        masquerade = `${ext}: traffic to an external destination with externalTrafficPolicy: Cluster is masqueraded`;
      } else if (this.options.detectLocalMode !== 'None' && this.isPodTraffic(source.ip, node)) {
        trace.add('kube-proxy', 'short-circuit', `${ext}: pod traffic (${this.localRangeText(node, source.ip)}) goes to ${this.chain(svc, port, 'KUBE-SVC')}, all ${usable.length} endpoint(s), unmasqueraded; externalTrafficPolicy: Local does not apply`, svc.ref);
      } else if (source.hostNetwork && node && source.node === node) {
        masquerade = `${ext}: traffic from ${node.name}'s own addresses (--src-type LOCAL) is masqueraded and goes to all ${usable.length} endpoint(s) (${this.chain(svc, port, 'KUBE-SVC')}); externalTrafficPolicy: Local does not apply`;
      } else {
        local = true;
      }
    }
    let candidates = usable;
    if (local) {
      const policy = frontend.kind === 'ClusterIP' ? 'internalTrafficPolicy' : 'externalTrafficPolicy';
      const here = node && this.localByNode.get(endpoints)?.get(node);
      if (!here) {
        trace.add('kube-proxy', 'drop', `"${spn} has no local endpoints" on ${node?.name ?? 'this host'} (${policy}: Local): DROP`, svc.ref);
        return { connected: false, error: 'connection timed out', frontend };
      }
      candidates = here.endpoints;
      trace.add('kube-proxy', 'local', `${policy}: Local: only the ${candidates.length} ${here.terminating ? 'serving, terminating' : 'ready'} endpoint(s) on ${node!.name} (${this.chain(svc, port, 'KUBE-SVL')})`, svc.ref);
    } else if (usable !== endpoints.ready) {
      trace.add('kube-proxy', 'terminating', `no endpoint is ready: the ${usable.length} serving, terminating endpoint(s) take the traffic (KEP-1669)`, svc.ref);
    } else if (svc.spec.trafficDistribution && svc.selector) {
      candidates = this.byTopology(frontend, node, candidates, trace);
    }
    const endpoint = this.pick(frontend, candidates, source.ip, dest, local, trace);
    if (!masquerade && endpoint.ip === source.ip) masquerade = `hairpin: ${endpoint.pod?.key ?? endpoint.ip} reached itself through the Service (${this.endpointChain(svc, port, endpoint)})`;
    let sourceIp: string | undefined = source.ip;
    if (masquerade) {
      // The node's address of the connection's family.
      const nodeIp = node && nodeIpFor(node, endpoint.ip);
      sourceIp = nodeIp;
      trace.add('kube-proxy', 'masquerade', !node
        ? `${masquerade}: SNAT to the address of the node it passes (unknown here: give via)`
        : source.ip === nodeIp
          ? `${masquerade}: SNAT to ${node.name} ${nodeIp}, which is already the source address`
          : `${masquerade}: SNAT to ${node.name} ${nodeIp}; the endpoint sees ${nodeIp}, not ${source.ip}`, svc.ref);
    }
    const to = joinHostPort(endpoint.ip, endpoint.port);
    trace.add('kube-proxy', 'dnat', `DNAT ${dest} → ${to} (${this.mode === 'ipvs' ? 'IPVS real server' : this.endpointChain(svc, port, endpoint)})${endpoint.pod ? ` pod ${endpoint.pod.key} on ${endpoint.pod.node.name}` : ''}`, endpoint.pod ? `Pod/${endpoint.pod.key}` : svc.ref);
    return { connected: true, frontend, endpoint, sourceIp, masqueraded: masquerade !== undefined };
  }

  /**
   * Cluster-policy endpoints by topology (pkg/proxy/topology.go topologyModeFromHints, with the
   * hints the EndpointSlice controller writes, staging/.../endpointslice/trafficdist): under
   * PreferSameNode every ready endpoint carries its node as hint, so a node with a ready endpoint
   * of the port uses only its own; other nodes use all. Zone hints (PreferClose, PreferSameZone)
   * need nodes with a zone label, which the model's nodes do not have: all endpoints.
   */
  private byTopology(frontend: Frontend, node: NodeModel | undefined, ready: readonly EndpointModel[], trace: Trace): readonly EndpointModel[] {
    const { service: svc, endpoints } = frontend;
    const mode = svc.spec.trafficDistribution;
    if (mode !== 'PreferSameNode' || !this.preferSameNodeRouting) {
      trace.add('kube-proxy', 'topology', `trafficDistribution: ${mode}: zone hints come only from nodes with a topology.kubernetes.io/zone label, which the model's nodes lack: all ${ready.length} endpoint(s)`, svc.ref);
      return ready;
    }
    let perNode = this.readyByNode.get(endpoints);
    if (!perNode) this.readyByNode.set(endpoints, (perNode = byNode(endpoints.ready)));
    const here = node && perNode.get(node);
    if (!here) {
      trace.add('kube-proxy', 'topology', `trafficDistribution: PreferSameNode: no ready endpoint on ${node?.name ?? 'this host'}, so its node hints do not apply: all ${ready.length} endpoint(s)`, svc.ref);
      return ready;
    }
    trace.add('kube-proxy', 'topology', `trafficDistribution: PreferSameNode: ${node!.name} has ${here.length} ready endpoint(s) hinted for it: only those`, svc.ref);
    return here;
  }

  /**
   * KUBE-FW: sources in loadBalancerSourceRanges go on to KUBE-EXT; when a range holds the node's
   * IP, the LoadBalancer IPs are allowed as sources too (node traffic looped back by a VIP-style
   * load balancer). Everything else is dropped by KUBE-PROXY-FIREWALL — pods and nodes included.
   */
  private firewall(frontend: Frontend, ranges: readonly Cidr[], source: Source, node: NodeModel | undefined, trace: Trace): boolean {
    const { service: svc, port } = frontend;
    const fw = this.chain(svc, port, 'KUBE-FW');
    const inRanges = (ip: string) => ranges.some((r) => cidrHolds(r, ip));
    if (inRanges(source.ip)) {
      trace.add('kube-proxy', 'firewall', `${fw}: ${source.ip} is in loadBalancerSourceRanges: allowed`, svc.ref);
      return true;
    }
    const nodeIp = node && nodeIpFor(node, source.ip);
    if (node && svc.loadBalancerIPs.includes(source.ip) && inRanges(nodeIp!)) {
      trace.add('kube-proxy', 'firewall', `${fw}: ${source.ip} is a LoadBalancer IP of ${svc.key} and loadBalancerSourceRanges include ${node.name}'s IP ${nodeIp}: allowed`, svc.ref);
      return true;
    }
    trace.add('kube-proxy', 'drop', `${fw}: ${source.ip} is not in loadBalancerSourceRanges: DROP`, svc.ref);
    return false;
  }

  /** `--detect-local-mode`: whether `ip` counts as pod traffic on `node` (never with None). */
  private isPodTraffic(ip: string, node: NodeModel | undefined): boolean {
    const ranges = this.options.detectLocalMode === 'ClusterCIDR' ? this.podCidrs : this.options.detectLocalMode === 'NodeCIDR' && node ? node.podRanges : undefined;
    if (ranges) for (const r of ranges) if (cidrHolds(r, ip)) return true;
    return false;
  }

  /** The local-traffic range that judged `ip`: the one of its family. */
  private localRangeText(node: NodeModel | undefined, ip: string): string {
    const v6 = ip.includes(':');
    if (this.options.detectLocalMode === 'ClusterCIDR') {
      const range = this.podCidrs.find((r) => (r.family === 'IPv6') === v6) ?? this.podCidrs[0];
      return `detectLocalMode ClusterCIDR: podCidr ${formatCidr(range)}`;
    }
    const nodeRange = node && (firstOfFamily(node.podCidrs, ip) ?? node.podCidr);
    return `detectLocalMode NodeCIDR: ${node ? `${node.name}'s pod range ${nodeRange}` : 'the node\'s pod range'}`;
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
      const random = this.mode === 'nftables' ? `numgen random mod ${n} picked endpoint ${i + 1}` : `statistic mode random picked endpoint ${i + 1} of ${n}`;
      trace.add('kube-proxy', 'pick', n === 1
        ? `${this.chain(svc, port, local ? 'KUBE-SVL' : 'KUBE-SVC')}: the only ${chosen.ready ? 'ready' : 'usable'} endpoint, ${label(chosen)}`
        : `${this.chain(svc, port, local ? 'KUBE-SVL' : 'KUBE-SVC')}: ${random} (probability 1/${n} each), ${label(chosen)}`, svc.ref);
    }
    table?.set(clientIp, { endpoint: label(chosen), lastSeen: this.clock.now });
    return chosen;
  }

  private chainNamesOf(port: ServicePortModelInternal): PortChainNames {
    let names = this.chainNames.get(port);
    if (!names) this.chainNames.set(port, (names = { byPrefix: {}, endpoints: new Map() }));
    return names;
  }

  private chain(svc: ServiceModel, port: ServicePortModelInternal, prefix: ChainPrefix): string {
    const names = this.chainNamesOf(port).byPrefix;
    return (names[prefix] ??= this.mode === 'nftables' ? NFT_CHAIN_PREFIX[prefix] + nftHashed(nftServicePortBase(svc, port)) : serviceChainName(svc, port, prefix));
  }

  private endpointChain(svc: ServiceModel, port: ServicePortModelInternal, e: EndpointModel): string {
    const names = this.chainNamesOf(port).endpoints;
    let name = names.get(e);
    if (name === undefined) {
      // nftables servicePortEndpointChainNameBase: `<service base>__<ip>/<port>`, colons of IPv6 as dots.
      name = this.mode === 'nftables'
        ? `endpoint-${nftHashed(`${nftServicePortBase(svc, port)}__${e.ip.replace(/:/g, '.')}/${e.port}`)}`
        : endpointChainName(svc, port, e);
      names.set(e, name);
    }
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

/** Endpoints grouped by their node (endpoints without a node are left out). */
function byNode(list: readonly EndpointModel[]): Map<NodeModel, EndpointModel[]> {
  const out = new Map<NodeModel, EndpointModel[]>();
  for (const e of list) {
    if (!e.node) continue;
    let group = out.get(e.node);
    if (!group) out.set(e.node, (group = []));
    group.push(e);
  }
  return out;
}
