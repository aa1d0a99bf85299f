import { DNS_TYPES, ClusterDns, parseDnsOptions } from './dns';
import { buildEndpoints, EndpointModel } from './endpoints';
import { buildGatewayEntry, checkGatewayOptions, checkGatewayRequestOptions, GatewayEntry } from './gateway/entry';
import { GatewayClassStatus, GatewayStatus, RouteParentStatus } from './gateway/types';
import { buildIngressEntry, IngressEntry } from './ingress/entry';
import { IngressStatus } from './ingress/types';
import { buildInventory } from './inventory';
import { Ipam } from './ipam';
import { CompiledModel, ExternalEntry, ExternalRequest, ResolvedClusterOptions } from './model';
import { NETWORK_POLICY_MODES, NetworkPolicies, PolicyParty } from './network-policy';
import { Clock, KubeProxy, ProxyOutcome, PROXY_MODES, resolveKubeProxyOptions, Source } from './proxy';
import type { RouteTable } from './routing/ir';
import { readService } from './services';
import { Trace } from './trace';
import {
  ClusterOptions, ConnectOptions, ConnectResult, NodeInfo, PodInfo, ReachabilityDenial, ReachabilityOptions, ReachabilityResult,
  RequestOptions, RequestResult, ResolveOptions, ResolveResult, ServiceInfo, TrafficSource,
} from './types';
import { canonicalIp, Cidr, cidrsOverlap, firstOfFamily, formatCidr, HttpUrl, isIpLiteral, joinHostPort, parseCidr, parseHttpUrl, Prng, splitHostPort } from './util';
import { buildWorkloads, isClusterSourceIp, NODE_CIDR_MASK, NODE_NETWORKS, nodeAddress, NodeModel, nodeInfo, PodModel, podInfo, podRangeHome } from './workloads';
import { KUBERNETES_SERVICE_REF, kubernetesServiceManifests } from '../api/cluster-builtins';
import { isDns1123Subdomain } from '../api/names';
import { DEFAULT_NODE_PORT_RANGE, parsePortRange } from '../api/service';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, IpFamily, serviceClusterIpFamilies } from '../api/service-ip-families';
import { KubernetesFeatures, kubernetesFeatures } from '../api/versions';

/** The default pod range of each family (kind's podSubnet defaults): a cluster without `podCidr` gets one for each Service family. */
const DEFAULT_POD_CIDRS: Record<IpFamily, string> = { IPv4: '10.244.0.0/16', IPv6: 'fd00:10:244::/56' };

/**
 * The largest service range the model's allocator walks per family: at least 16 addresses, like
 * the IPv4 /28 (kube-apiserver itself accepts 8 addresses and up to 2^20).
 */
const MAX_SERVICE_PREFIX: Record<IpFamily, number> = { IPv4: 28, IPv6: 124 };

/**
 * A pod range holds at least one node block (NODE_CIDR_MASK); kube-controller-manager's CIDR set
 * refuses an IPv6 cluster range more than 16 bits shorter than the node mask (/48 … /64).
 */
const POD_PREFIX_LIMITS: Record<IpFamily, { readonly min: number; readonly max: number }> = {
  IPv4: { min: 0, max: NODE_CIDR_MASK.IPv4 },
  IPv6: { min: NODE_CIDR_MASK.IPv6 - 16, max: NODE_CIDR_MASK.IPv6 },
};

/** The most pods `reachability()` judges pairwise (about 4 million pairs per port). */
const MAX_REACHABILITY_PODS = 2000;

/** Where a client outside the cluster comes from when the caller does not say (TEST-NET-3). */
const DEFAULT_EXTERNAL_CLIENT_IP = '203.0.113.1';

/** What getaddrinfo asks for, by the families the client has. */
const A_ONLY = ['A'];
const AAAA_ONLY = ['AAAA'];
const A_AND_AAAA = ['A', 'AAAA'];

/** The same client's addresses: also one of IPv6, for IPv6 destinations (the documentation prefix 2001:db8::/32). */
const DEFAULT_EXTERNAL_CLIENT_IPS: readonly string[] = [DEFAULT_EXTERNAL_CLIENT_IP, '2001:db8::1'];


function resolveOptions(o: ClusterOptions = {}): ResolvedClusterOptions {
  const fail = (msg: string): never => {
    throw new Error(`Cluster options: ${msg}`);
  };
  const kubernetes = resolveKubernetes(o, fail);
  const nodes = o.nodes ?? 3;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 1000) fail(`nodes must be an integer from 1 to 1000, got ${JSON.stringify(nodes)}`);
  const proxyMode = o.proxyMode ?? 'iptables';
  if (!PROXY_MODES.includes(proxyMode)) fail(`proxyMode must be one of ${PROXY_MODES.join(', ')}, got ${JSON.stringify(proxyMode)}`);
  if (proxyMode === 'nftables' && !kubernetes.nftablesProxyMode) {
    fail(kubernetes.minor < 29
      ? `proxyMode nftables needs Kubernetes 1.29 or later (kubernetesVersion is ${kubernetes.version})`
      : `proxyMode nftables is alpha in Kubernetes ${kubernetes.version}: set featureGates: { NFTablesProxyMode: true }`);
  }
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) fail(`seed must be an integer, got ${JSON.stringify(seed)}`);
  const clusterDomain = (o.clusterDomain ?? 'cluster.local').toLowerCase();
  if (isDns1123Subdomain(clusterDomain).length) fail(`clusterDomain ${JSON.stringify(clusterDomain)} is not a DNS subdomain`);
  const { serviceCidrs, podCidrs } = resolveNetwork(o, fail);
  const range = parsePortRange(o.nodePortRange ?? DEFAULT_NODE_PORT_RANGE);
  if (!range) return fail(`nodePortRange must be "min-max" within 1-65535, got ${JSON.stringify(o.nodePortRange)}`);
  const { min: nodePortMin, max: nodePortMax } = range;
  const notReadyPods = new Set(o.notReadyPods ?? []);
  const replicas = new Map<string, number>();
  for (const [workload, n] of Object.entries(o.replicas ?? {})) {
    if (!/^[^/]+\/[^/]+$/.test(workload)) fail(`replicas: keys are workloads as namespace/name, got ${JSON.stringify(workload)}`);
    if (!Number.isInteger(n) || n < 0 || n > 10000) fail(`replicas.${workload} must be an integer from 0 to 10000, got ${JSON.stringify(n)}`);
    replicas.set(workload, n);
  }
  checkGatewayOptions(o.gatewayController);
  const kubeProxy = resolveKubeProxyOptions(o.kubeProxy, fail);
  const dns = parseDnsOptions(o.dns, clusterDomain);
  const networkPolicy = o.networkPolicy ?? 'enforce';
  if (!NETWORK_POLICY_MODES.includes(networkPolicy)) fail(`networkPolicy must be one of ${NETWORK_POLICY_MODES.join(', ')}, got ${JSON.stringify(o.networkPolicy)}`);
  const network = { serviceCidrs, podCidrs, nodePortMin, nodePortMax };
  return { kubernetes, nodes, proxyMode, seed, clusterDomain, ...network, notReadyPods, replicas, kubeProxy, dns, networkPolicy, raw: o };
}

/**
 * `serviceCidr` (kube-apiserver `--service-cluster-ip-range`) and `podCidr` (kube-controller-manager
 * `--cluster-cidr`): one CIDR, or two of different families for a dual-stack cluster, primary
 * first. The API server's rules for its flag live in src/api; the model adds its own size limits
 * and that the ranges do not overlap each other or the node network.
 */
function resolveNetwork(o: ClusterOptions, fail: (message: string) => never): { serviceCidrs: Cidr[]; podCidrs: Cidr[] } {
  const parse = (field: string, text: string): Cidr[] => {
    const parts = text.split(',');
    if (parts.length > 2) fail(`${field} takes one CIDR, or two (one IPv4 and one IPv6, primary first), got ${JSON.stringify(text)}`);
    const cidrs = parts.map((part) => parseCidr(part) ?? fail(`${field} ${JSON.stringify(text)}: ${JSON.stringify(part)} is not a CIDR (e.g. 10.96.0.0/12 or fd00:10:96::/112)`));
    if (cidrs.length === 2 && cidrs[0].family === cidrs[1].family) {
      fail(`${field} ${JSON.stringify(text)} has two ${cidrs[0].family} ranges; a dual-stack value has one of each family (e.g. 10.96.0.0/12,fd00:10:96::/112)`);
    }
    return cidrs;
  };
  const serviceText = o.serviceCidr ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE;
  const serviceCidrs = parse('serviceCidr', serviceText);
  try {
    serviceClusterIpFamilies(serviceText);
  } catch (e) {
    fail(`serviceCidr: ${(e as Error).message}`);
  }
  for (const c of serviceCidrs) {
    if (c.prefix > MAX_SERVICE_PREFIX[c.family]) fail(`serviceCidr ${formatCidr(c)}: an ${c.family} service range needs a prefix of at most /${MAX_SERVICE_PREFIX[c.family]} in the model`);
  }
  const podText = o.podCidr ?? serviceCidrs.map((c) => DEFAULT_POD_CIDRS[c.family]).join(',');
  const podCidrs = parse('podCidr', podText);
  for (const c of podCidrs) {
    const { min, max } = POD_PREFIX_LIMITS[c.family];
    if (c.prefix < min || c.prefix > max) fail(`podCidr ${formatCidr(c)}: an ${c.family} pod range needs a prefix from /${min} to /${max} (each node gets a /${NODE_CIDR_MASK[c.family]})`);
  }
  for (const s of serviceCidrs) {
    if (!podCidrs.some((p) => p.family === s.family)) fail(`serviceCidr ${JSON.stringify(serviceText)} has an ${s.family} range but podCidr ${JSON.stringify(podText)} has none: pods could not reach ${s.family} Services`);
    for (const p of podCidrs) if (cidrsOverlap(s, p)) fail(`serviceCidr ${formatCidr(s)} and podCidr ${formatCidr(p)} overlap`);
  }
  for (const p of podCidrs) {
    const network = NODE_NETWORKS[p.family];
    if (cidrsOverlap(p, network)) fail(`podCidr ${formatCidr(p)} overlaps the node network ${formatCidr(network)} (node and load balancer addresses)`);
  }
  return { serviceCidrs, podCidrs };
}

function resolveKubernetes(o: ClusterOptions, fail: (message: string) => never): KubernetesFeatures {
  try {
    return kubernetesFeatures(o.kubernetesVersion, o.featureGates);
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** Compiles manifests into the model's tables: inventory → workloads → ipam → endpoints → dns → proxy → network policies. */
export function compile(documents: readonly unknown[], options: ClusterOptions | undefined): CompiledModel {
  const opts = resolveOptions(options);
  const ipam = new Ipam({
    serviceCidrs: opts.serviceCidrs,
    nodePortMin: opts.nodePortMin,
    nodePortMax: opts.nodePortMax,
    nodePortStaticSubrange: opts.kubernetes.nodePortStaticSubrange,
    serviceCidrObjects: opts.kubernetes.serviceCidrObjects,
  });
  // Every cluster has the API server's Service; the API server runs on a control-plane node the
  // model does not schedule pods on, at the node network's next address after the workers.
  const apiServerAddress = nodeAddress(opts.serviceCidrs[0].family, opts.nodes);
  const kubernetesService = { ref: KUBERNETES_SERVICE_REF, objects: kubernetesServiceManifests(ipam.kubernetesServiceIp, apiServerAddress) };
  // The API server enforces its --service-node-port-range on explicit node ports and serves the
  // families of its --service-cluster-ip-range: the cluster's own ranges.
  const validation = {
    serviceNodePortRange: `${opts.nodePortMin}-${opts.nodePortMax}`,
    serviceClusterIpRange: opts.raw.serviceCidr,
    kubernetesVersion: opts.kubernetes.version,
    featureGates: opts.raw.featureGates,
  };
  const inventory = buildInventory(documents, validation, [kubernetesService]);
  const diagnostics = inventory.diagnostics;
  ipam.addServiceCidrs(inventory.ofKind('networking.k8s.io/v1/ServiceCIDR')
    .flatMap((o) => (o.manifest.spec.cidrs as string[]).map(parseCidr).filter((c): c is Cidr => c !== undefined)));
  const { nodes, podCidrs, notReadyPods, replicas } = opts;
  const workloads = buildWorkloads(inventory, { nodes, podCidrs, notReadyPods, replicas, podIndexLabel: opts.kubernetes.podIndexLabel }, diagnostics);
  const drafts = inventory.ofKind('v1/Service').map(readService);
  const services = ipam.allocate(drafts, diagnostics);
  const endpoints = buildEndpoints(inventory, services, workloads, diagnostics, opts.kubernetes.sidecarNamedPorts);
  const dns = new ClusterDns({
    domain: opts.clusterDomain,
    settings: opts.dns,
    services,
    endpoints,
    inventory,
    workloads,
    dnsServiceIp: ipam.dnsServiceIp,
    kubernetes: opts.kubernetes,
  });
  const prng = new Prng(opts.seed);
  const clock: Clock = { now: 0 };
  const proxy = new KubeProxy({
    mode: opts.proxyMode,
    options: opts.kubeProxy,
    podCidrs: opts.podCidrs,
    services,
    endpoints,
    nodes: workloads.nodes,
    healthCheckNodePorts: ipam.healthCheckNodePorts,
    prng,
    clock,
    honourIPMode: opts.kubernetes.loadBalancerIPMode,
    preferSameNodeRouting: opts.kubernetes.preferSameNodeRouting,
  });
  const networkPolicies = new NetworkPolicies({ mode: opts.networkPolicy, inventory, workloads });
  return {
    options: opts,
    inventory,
    workloads,
    services,
    serviceByKey: new Map(services.map((s) => [s.key, s])),
    endpoints,
    ipam,
    dns,
    proxy,
    networkPolicies,
    prng,
    clock,
    diagnostics,
  };
}

/**
 * The compiled dataplane and its queries (internal; the public `Cluster` façade in src/cluster
 * wraps it and adds the checks). Randomness (iptables' random endpoint pick) comes from a seeded
 * generator and ClientIP session affinity runs on a virtual clock, so the same queries in the
 * same order give the same answers.
 */
export class Dataplane {
  /** Compiles manifest objects (plain objects, as `kubectl apply` takes them). */
  public static compile(documents: readonly unknown[], options?: ClusterOptions): Dataplane {
    return new Dataplane(compile(documents, options));
  }

  public readonly model: CompiledModel;
  /** The ingress controller model and its entry point. */
  public readonly ingress: IngressEntry;
  /** The Gateway API controller model and its entry points. */
  public readonly gateway: GatewayEntry;
  private readonly entries: ExternalEntry[];

  private constructor(model: CompiledModel) {
    this.model = model;
    this.ingress = buildIngressEntry(model);
    this.gateway = buildGatewayEntry(model);
    // External entry components, in the order they are tried: a named Gateway or a Gateway address,
    // the ingress controller, then a host name only a Gateway route serves.
    this.entries = [this.gateway.explicit, this.ingress, this.gateway.byHostname];
  }

  /**
   * How the Gateway API controller sees the Gateway `namespace/name`: Accepted, Programmed,
   * address, and each listener's conditions and attached routes.
   */
  public gatewayStatus(gateway: string): GatewayStatus {
    const status = this.gateway.controller.gatewayStatus(gateway);
    if (!status) throw new Error(`gatewayStatus: ${JSON.stringify(gateway)} is not a Gateway of this cluster (use namespace/name; known: ${this.gateway.controller.gatewayKeys().join(', ') || 'none'})`);
    return status;
  }

  /** How the Gateway API controller sees the GatewayClass `name`. */
  public gatewayClassStatus(name: string): GatewayClassStatus {
    const status = this.gateway.controller.gatewayClassStatus(name);
    if (!status) throw new Error(`gatewayClassStatus: ${JSON.stringify(name)} is not a GatewayClass of this cluster (known: ${this.gateway.controller.gatewayClassNames().join(', ') || 'none'})`);
    return status;
  }

  /** The status of the HTTPRoute `namespace/name` for each of its parentRefs (status.parents). */
  public routeStatus(route: string): RouteParentStatus[] {
    const status = this.gateway.controller.routeStatus(route);
    if (!status) throw new Error(`routeStatus: ${JSON.stringify(route)} is not an HTTPRoute of this cluster (use namespace/name; known: ${this.gateway.controller.routeKeys().join(', ') || 'none'})`);
    return status;
  }

  /** The route tables of the L7 front doors (the ingress controller's, every Gateway listener's), for comparing two clusters' routing. */
  public routeTables(): RouteTable[] {
    return [...(this.ingress.address === undefined ? [] : [this.ingress.controller.routes]), ...this.gateway.controller.routeTables()];
  }

  /**
   * Whether the ingress controller serves the Ingress `namespace/name`, and why
   * (IngressClass, legacy class annotation, default class).
   */
  public ingressStatus(ingress: string): IngressStatus {
    return this.ingress.controller.ingressStatus(ingress);
  }

  /**
   * The ingress controller's external IP address.
   * @default - none when no Ingress exists and no controller is configured
   */
  public get ingressControllerAddress(): string | undefined {
    return this.ingress.address;
  }

  /** The modelled nodes. */
  public get nodes(): NodeInfo[] {
    return this.model.workloads.nodes.map(nodeInfo);
  }

  /** Every pod the workloads create, in manifest order. */
  public get pods(): PodInfo[] {
    return this.model.workloads.pods.map(podInfo);
  }

  /** Every Service that exists, with its allocated addresses. */
  public get services(): ServiceInfo[] {
    return this.model.services.map((s) => {
      const info: ServiceInfo = {
        name: s.key,
        type: s.type,
        loadBalancerIps: [...s.loadBalancerIPs],
        ports: s.ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: p.port,
          protocol: p.protocol,
          targetPort: String(p.targetPort),
          ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
        })),
      };
      const clusterIp = s.headless ? 'None' : s.clusterIPs[0];
      const healthCheckNodePort = this.model.ipam.healthCheckNodePorts.get(s.key);
      return {
        ...info,
        ...(clusterIp ? { clusterIp } : {}),
        ...(s.clusterIPs.length > 1 ? { clusterIps: [...s.clusterIPs] } : {}),
        ...(healthCheckNodePort !== undefined ? { healthCheckNodePort } : {}),
      };
    });
  }

  /** Seconds on the virtual clock (starts at 0). */
  public get now(): number {
    return this.model.clock.now;
  }

  /** Moves the virtual clock forward, e.g. past a ClientIP affinity timeout. */
  public advanceClock(seconds: number): void {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new Error(`advanceClock: seconds must be a finite number >= 0, got ${JSON.stringify(seconds)}`);
    }
    this.model.clock.now += seconds;
  }

  /**
   * Looks a name up in cluster DNS the way a pod's resolver would (CoreDNS `kubernetes` plugin and
   * `dns.upstream`, kubelet's resolv.conf search path with `ndots:5` when `fromNamespace` is given).
   */
  public resolve(name: string, options: ResolveOptions = {}): ResolveResult {
    if (typeof name !== 'string' || name === '') throw new Error('resolve: name must be a non-empty string');
    const type = (options.type ?? 'A').toUpperCase();
    if (!DNS_TYPES.includes(type)) throw new Error(`resolve: type must be one of ${DNS_TYPES.join(', ')}, got ${JSON.stringify(options.type)}`);
    const ns = options.fromNamespace;
    return this.model.dns.resolve(name, type, ns === undefined ? undefined : this.model.dns.namespaceResolver(ns));
  }

  /** Opens one connection to `ip:port` and follows it through kube-proxy. */
  public connect(options: ConnectOptions): ConnectResult {
    const target = splitHostPort(options?.to ?? '');
    if (!target || target.port < 1 || target.port > 65535) throw new Error(`connect: "to" must be ip:port, got ${JSON.stringify(options?.to)}`);
    const protocol = (options.protocol ?? 'TCP').toUpperCase();
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new Error(`connect: protocol must be TCP, UDP or SCTP, got ${JSON.stringify(options.protocol)}`);
    const trace = new Trace();
    const source = this.source(options.from, options.via, 'connect', trace);
    const outcome = this.open(source, target.host, target.port, protocol, 'connect', trace);
    // Built by assignment: a spread followed by more properties takes V8's slow path.
    const out = writeOutcome(outcome, {} as Draft<ConnectResult>);
    out.connected = outcome.connected;
    out.trace = trace.hops;
    return out as ConnectResult;
  }

  /**
   * Which pods can open connections to which under the NetworkPolicies, as the upstream netpol
   * e2e suite probes it: every running pod to every other pod's IP, per port and protocol,
   * grouped by workload. Without enforced policies every pair is `allow`.
   */
  public reachability(options: ReachabilityOptions = {}): ReachabilityResult {
    const fail = (msg: string): never => {
      throw new Error(`reachability: ${msg}`);
    };
    const protocols = (options.protocols ?? ['TCP']).map((p) => (typeof p === 'string' ? p.toUpperCase() : p));
    for (const p of protocols) if (!['TCP', 'UDP', 'SCTP'].includes(p)) fail(`protocols must be TCP, UDP or SCTP, got ${JSON.stringify(p)}`);
    for (const p of options.ports ?? []) if (!Number.isInteger(p) || p < 1 || p > 65535) fail(`ports must be integers from 1 to 65535, got ${JSON.stringify(p)}`);
    const namespaces = options.namespaces === undefined ? undefined : new Set(options.namespaces);
    const pods = this.model.workloads.pods.filter((p) => p.ip && (!namespaces || namespaces.has(p.namespace)));
    // Every pod pair is judged: keep a query from running for minutes.
    if (pods.length > MAX_REACHABILITY_PODS) fail(`${pods.length} running pods are more than the ${MAX_REACHABILITY_PODS} a table covers; narrow it with namespaces`);
    const groupOf = (p: PodModel) => p.owner ?? `Pod/${p.key}`;
    const groups = [...new Set(pods.map(groupOf))];
    const index = new Map(groups.map((g, i) => [g, i]));
    const probes: { port: number; protocol: string }[] = [];
    for (const protocol of protocols) {
      const declared = [...new Set(pods.flatMap((p) => p.ports.filter((c) => c.protocol === protocol).map((c) => c.port)))].sort((a, b) => a - b);
      for (const port of options.ports ?? (declared.length ? declared : [80])) probes.push({ port, protocol });
    }
    const policies = this.model.networkPolicies;
    const tables = probes.map(({ port, protocol }) => {
      const allowed = groups.map(() => groups.map(() => 0));
      const total = groups.map(() => groups.map(() => 0));
      const denied: ReachabilityDenial[] = [];
      for (const from of pods) {
        const i = index.get(groupOf(from))!;
        const source: PolicyParty = { ip: from.hostNetwork ? from.node.ip : from.ip!, pod: from };
        for (const to of pods) {
          if (to === from) continue;
          const j = index.get(groupOf(to))!;
          total[i][j]++;
          const verdict = policies.judge(from, source, { ip: to.ip!, pod: to }, port, protocol);
          if (verdict.allowed) {
            allowed[i][j]++;
            continue;
          }
          const direction = verdict.egress.allowed ? 'ingress' : 'egress';
          denied.push({ from: from.key, to: to.key, direction, policies: verdict[direction].isolating.map((p) => p.key) });
        }
      }
      const cells = total.map((row, i) => row.map((n, j) => (n === 0 ? '-' : allowed[i][j] === n ? 'allow' : allowed[i][j] === 0 ? 'deny' : 'partial')));
      return { port, protocol, cells, denied };
    });
    return { groups, tables };
  }

  /**
   * Sends one HTTP(S) request. From a pod (or an in-cluster IP) the URL host is resolved with
   * cluster DNS and the connection goes through kube-proxy; from outside, the ingress controller
   * (when modelled), node IPs (node ports), LoadBalancer IPs and externalIPs are reachable.
   */
  public request(options: RequestOptions): RequestResult {
    let url: HttpUrl;
    try {
      url = parseHttpUrl(options?.url);
    } catch {
      throw new Error(`request: not a valid URL: ${JSON.stringify(options?.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`request: only http and https URLs are modelled, got ${url.protocol}`);
    checkGatewayRequestOptions(options);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const trace = new Trace();
    const source = this.source(options.from, options.via, 'request', trace);
    const method = (options.method ?? 'GET').toUpperCase();
    const who = source.pod ? `pod ${source.pod.key} (${source.ip})` : source.external ? `outside the cluster (${source.ip})` : source.hostNetwork ? `${source.node!.name}'s host network (${source.ip})` : source.ip;
    trace.add('client', 'request', `${method} ${url.href} from ${who}`);
    const urlHost = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const hostHeader = () => Object.entries(options.headers ?? {}).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? url.host;
    const connect = (ip: string, toPort: number, t: Trace) => this.open(source, ip, toPort, 'TCP', 'request', t);
    // A pod reaches a named Gateway at its address like any other client.
    if (options.gateway !== undefined && !source.external) {
      return this.gateway.explicit.enter({ options, url, urlHost, hostHeader: hostHeader(), port, connect }, trace)!;
    }
    if (source.external) {
      const request: ExternalRequest = { options, url, urlHost, hostHeader: hostHeader(), port, connect };
      for (const entry of this.entries) {
        const result = entry.enter(request, trace);
        if (result) return result;
      }
      if (!isIpLiteral(urlHost)) {
        trace.add('client', 'no-route', `${urlHost} is not served by an ingress controller here, and from outside only node IPs, LoadBalancer IPs and externalIPs are reachable`);
        return { status: 0, error: 'no route', trace: trace.hops };
      }
      return this.http(this.open(source, urlHost, port, 'TCP', 'request', trace), trace, undefined, request);
    }
    let ip = urlHost;
    let dnsService: string | undefined;
    if (!isIpLiteral(urlHost)) {
      const dnsIp = this.model.ipam.dnsServiceIp;
      const resolver = source.pod
        ? this.model.dns.podResolver(source.pod, dnsIp)
        : this.model.workloads.nodeByIp.has(source.ip) ? { reason: 'a node resolves with its own resolv.conf, not cluster DNS' } : undefined;
      if (resolver && 'reason' in resolver) {
        trace.add('dns', 'skip', `${source.pod ? `${source.pod.key}: ` : ''}${resolver.reason}; ${urlHost} is not resolvable in the model`);
        return { status: 0, error: 'NXDOMAIN', trace: trace.hops };
      }
      if (source.pod && !this.dnsAllowed(source.pod, dnsIp, trace)) return { status: 0, error: 'DNS timeout', trace: trace.hops };
      // getaddrinfo with AI_ADDRCONFIG asks for the families the client has an address of: A, AAAA or both.
      let hasV4 = false;
      let hasV6 = false;
      for (const x of clientAddresses(source)) if (x.includes(':')) hasV6 = true; else hasV4 = true;
      const qtypes = hasV4 ? (hasV6 ? A_AND_AAAA : A_ONLY) : AAAA_ONLY;
      // RFC 6724 destination ordering, rule 6 (precedence): IPv4 (35) sorts before ULA IPv6 (3, the
      // model's ranges) and after other IPv6 (40); the client connects to the first family.
      let chosen: { answer: ResolveResult; addresses: string[] } | undefined;
      let nxdomain = true;
      let sorted = false;
      for (const qtype of qtypes) {
        trace.add('dns', 'query', `${qtype} ${urlHost} to kube-dns ${dnsIp}${source.pod ? ` with ${source.pod.key}'s resolv.conf` : ''}`);
        const answer = this.model.dns.resolve(urlHost, qtype, resolver?.config);
        trace.append(answer.trace);
        if (answer.rcode !== 'NXDOMAIN') nxdomain = false;
        const found = answer.records.filter((r) => r.type === qtype).map((r) => r.value);
        if (found.length === 0) continue;
        sorted = chosen !== undefined;
        if (!chosen || addressPrecedence(found[0]) > addressPrecedence(chosen.addresses[0])) chosen = { answer, addresses: found };
      }
      if (!chosen) return { status: 0, error: nxdomain ? 'NXDOMAIN' : 'no address', trace: trace.hops };
      if (sorted) trace.add('dns', 'sort', `A and AAAA answered: getaddrinfo puts ${chosen.addresses[0].includes(':') ? 'IPv6' : 'IPv4'} first (RFC 6724 precedence)`);
      const addresses = chosen.addresses;
      // A headless Service answers with pod IPs: the request goes to a pod directly, but through that Service's name.
      const answeredBy = chosen.answer.trace.filter((h) => h.action === 'answer').pop()?.object;
      if (answeredBy?.startsWith('Service/')) dnsService = answeredBy.slice('Service/'.length);
      // kubeadm's Corefile has `loadbalance`, which shuffles A records; clients take the first.
      ip = addresses.length === 1 ? addresses[0] : addresses[this.model.prng.below(addresses.length)];
      if (addresses.length > 1) trace.add('dns', 'loadbalance', `${addresses.length} ${addresses[0].includes(':') ? 'AAAA' : 'A'} records, shuffled by the loadbalance plugin: client connects to ${ip}`);
    }
    const request: ExternalRequest = { options, url, urlHost, hostHeader: hostHeader(), port, connect };
    return this.http(this.open(source, ip, port, 'TCP', 'request', trace), trace, dnsService, request);
  }

  /**
   * Whether NetworkPolicy lets a pod's DNS query (53/UDP to the kube-dns ClusterIP, DNAT to a
   * CoreDNS pod) through; when not, the resolver's retries time out.
   */
  private dnsAllowed(pod: PodModel, dnsIp: string, trace: Trace): boolean {
    const policies = this.model.networkPolicies;
    if (!policies.active) return true;
    const coreDns = policies.coreDns;
    const from: PolicyParty = { ip: pod.ip!, pod };
    const to: PolicyParty = { ip: coreDns.ip ?? dnsIp, pod: coreDns };
    const verdict = policies.judge(pod, from, to, 53, 'UDP');
    if (policies.trace(verdict, pod, from, to, 53, 'UDP', trace)) return true;
    trace.add('dns', 'timeout', `the query to kube-dns ${dnsIp} is dropped: no answer within the resolver's timeout and attempts (resolv.conf defaults: 5s, 2 attempts)`);
    return false;
  }

  /** The HTTP layer on top of a connection: a pod of an installed ingress controller routes the request, any other reached pod answers 200. */
  private http(outcome: ProxyOutcome, trace: Trace, dnsService?: string, request?: ExternalRequest): RequestResult {
    const reached = outcome.endpoint;
    const installed = this.ingress.installed;
    if (request && installed && reached?.pod?.owner === installed.workload) {
      trace.add('pod', 'ingress-controller', `${reached.pod.key} is a pod of the installed ingress controller (${installed.workload}): it routes the request by Host`, `Pod/${reached.pod.key}`);
      return this.ingress.serve(request, reached.port, reached.pod, trace);
    }
    const out = writeOutcome(outcome, { status: outcome.connected ? 200 : 0 } as Draft<RequestResult>);
    if (!out.service && dnsService && outcome.endpoint) out.service = dnsService;
    if (!outcome.connected) {
      out.trace = trace.hops;
      return out as RequestResult;
    }
    if (outcome.healthCheck) {
      // pkg/proxy/healthcheck/service_health.go (1.27): JSON naming the Service and the node's local endpoint count, on any path.
      const { service, localEndpoints } = outcome.healthCheck;
      out.status = localEndpoints ? 200 : 503;
      out.body = `{\n\t"service": {\n\t\t"namespace": ${JSON.stringify(service.namespace)},\n\t\t"name": ${JSON.stringify(service.name)}\n\t},\n\t"localEndpoints": ${localEndpoints}\n}`;
      trace.add('kube-proxy', 'respond', `the health-check server answers ${out.status} ({"localEndpoints": ${localEndpoints}})`, service.ref);
      out.trace = trace.hops;
      return out as RequestResult;
    }
    const e = outcome.endpoint;
    if (e?.pod) {
      const declared = e.pod.ports.some((p) => p.port === e.port && p.protocol === 'TCP');
      trace.add('pod', 'respond', `${e.pod.key} answers 200 on port ${e.port}${declared || e.pod.ports.length === 0 ? '' : ' (no container declares this port; the model assumes the process listens on it)'}`, `Pod/${e.pod.key}`);
    } else {
      trace.add('pod', 'respond', `${out.endpoint} is not a modelled pod; the model assumes it answers 200`);
    }
    out.trace = trace.hops;
    return out as RequestResult;
  }

  private source(from: TrafficSource | undefined, viaName: string | undefined, what: string, trace: Trace): Source {
    const w = this.model.workloads;
    const via = viaName === undefined ? undefined : this.nodeNamed(viaName, `${what}: via`);
    // In-cluster sources start on a known node: via may only repeat it.
    const onNode = (node: NodeModel, who: () => string) => {
      if (via !== undefined && via !== node) throw new Error(`${what}: via ${JSON.stringify(viaName)} does not fit: ${who()} is on ${node.name}, whose kube-proxy handles its packets`);
    };
    if (from?.node !== undefined) {
      if (from.pod !== undefined || from.ip !== undefined) throw new Error(`${what}: from takes one of pod, ip or node, got ${JSON.stringify(from)}`);
      const node = this.nodeNamed(from.node, `${what}: from.node`);
      onNode(node, () => `from.node ${node.name}`);
      return { ip: node.ip, node, external: false, hostNetwork: true };
    }
    if (from?.pod !== undefined) {
      const pod = w.podByKey.get(from.pod);
      if (!pod) throw new Error(`${what}: from.pod ${JSON.stringify(from.pod)} is not a pod of this cluster (use namespace/name; cluster.pods lists them)`);
      if (!pod.ip) throw new Error(`${what}: from.pod ${from.pod} is not running in the model (no pod IP)`);
      const node = pod.node.index >= 0 ? pod.node : undefined;
      if (node) onNode(node, () => `pod ${pod.key}`);
      return { ip: pod.ip, pod, node, external: false, hostNetwork: pod.hostNetwork };
    }
    const ip = from?.ip === undefined ? DEFAULT_EXTERNAL_CLIENT_IP : canonicalIp(from.ip);
    if (!isIpLiteral(ip)) throw new Error(`${what}: from.ip must be an IP address, got ${JSON.stringify(from?.ip)}`);
    const node = w.nodeByIp.get(ip);
    if (node) {
      onNode(node, () => `${ip} (${node.name})`);
      return { ip, node, external: false, hostNetwork: true };
    }
    const pod = w.podByIp.get(ip);
    if (pod) {
      onNode(pod.node, () => `pod ${pod.key} (${ip})`);
      return { ip, pod, node: pod.node, external: false, hostNetwork: false };
    }
    if (isClusterSourceIp(w, ip)) {
      const home = podRangeHome(w, ip);
      if (home) onNode(home.node, () => `${ip} (in ${home.node.name}'s pod range ${formatCidr(home.range)})`);
      const at = home?.node ?? via;
      trace.add('client', 'source', `${ip} is in the pod range but no modelled pod has it${at ? `; it sends from ${at.name}` : ''}`);
      return { ip, node: at, external: false, hostNetwork: false };
    }
    return { ip, external: true, hostNetwork: false, via, ...(from?.ip === undefined ? { defaultClient: true } : {}) };
  }

  /**
   * The client's address of the family of the destination `ip` (see clientAddresses); a client
   * without an address of that family has no route there.
   */
  private sourceForFamily(source: Source, ip: string, trace: Trace): Source | undefined {
    const v6 = ip.includes(':');
    if (source.ip.includes(':') === v6) return source;
    const other = firstOfFamily(clientAddresses(source), ip);
    if (other === undefined) {
      trace.add('client', 'no-route', `${source.ip} is an ${v6 ? 'IPv4' : 'IPv6'} address and the client has no ${v6 ? 'IPv6' : 'IPv4'} address: no route to ${ip}`);
      return undefined;
    }
    trace.add('client', 'source', `${ip} is ${v6 ? 'IPv6' : 'IPv4'}: the client sends from its ${v6 ? 'IPv6' : 'IPv4'} address ${other}`);
    return { ...source, ip: other };
  }

  private nodeNamed(name: string, field: string): NodeModel {
    const node = this.model.workloads.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`${field} ${JSON.stringify(name)} is not a node of this cluster (${this.model.workloads.nodes.map((n) => n.name).join(', ')})`);
    return node;
  }

  /**
   * Follows a new connection to `ip:port` from `source`, then applies NetworkPolicy where the
   * packet meets the pods: after DNAT (the endpoint pod and target port), with the source address
   * after SNAT; egress is judged on the pod that opened the connection.
   */
  private open(source: Source, ip: string, port: number, protocol: string, what: string, trace: Trace): ProxyOutcome {
    const outcome = this.deliver(source, ip, port, protocol, what, trace);
    const policies = this.model.networkPolicies;
    if (!policies.active || !outcome.connected || outcome.healthCheck || !outcome.endpoint) return outcome;
    const e = outcome.endpoint;
    const sourceIp = outcome.sourceIp ?? source.ip;
    const from: PolicyParty = { ip: sourceIp, pod: this.model.workloads.podByIp.get(sourceIp) };
    const to: PolicyParty = { ip: e.ip, pod: e.pod };
    const verdict = policies.judge(source.pod, from, to, e.port, protocol);
    if (policies.trace(verdict, source.pod, from, to, e.port, protocol, trace)) return outcome;
    return { connected: false, error: 'connection timed out', ...(outcome.frontend ? { frontend: outcome.frontend } : {}) };
  }

  /** Where kube-proxy, a hostPort or the pod network delivers a new connection to `ip:port` from `source`. */
  private deliver(client: Source, target: string, port: number, protocol: string, what: string, trace: Trace): ProxyOutcome {
    const { workloads: w, proxy } = this.model;
    const ip = canonicalIp(target);
    const source = this.sourceForFamily(client, ip, trace);
    if (!source) return { connected: false, error: 'no route' };
    const dest = joinHostPort(ip, port);
    const loopback = ip.startsWith('127.') && isIpLiteral(ip);
    const loopback6 = ip === '::1';
    const node = (loopback || loopback6) && source.hostNetwork ? source.node : w.nodeByIp.get(ip);
    if (node) {
      if (source.via && source.via !== node) throw new Error(`${what}: via ${JSON.stringify(source.via.name)} does not fit: ${ip} is ${node.name}'s address, so ${node.name} receives the packet`);
      // The node's own traffic to its loopback leaves from 127.0.0.1.
      const from: Source = loopback ? { ...source, ip: '127.0.0.1' } : source;
      const frontend = proxy.frontendFor(ip, port, protocol, node);
      if (frontend && loopback && proxy.mode === 'nftables') {
        trace.add('kube-proxy', 'no-rule', `nftables mode: node ports answer only on ${node.name}'s primary address (--nodeport-addresses primary), not on ${dest}; nothing listens there, the node answers with a reset`);
        return { connected: false, error: 'connection refused' };
      }
      if (frontend && loopback6) {
        // kube-proxy's localhost node ports rely on route_localnet, which IPv6 does not have.
        trace.add('kube-proxy', 'no-rule', `ip6tables KUBE-NODEPORTS has no rule for ${dest}: localhost node ports are IPv4 only (route_localnet); nothing listens on ${node.name}'s loopback, the node answers with a reset`);
        return { connected: false, error: 'connection refused' };
      }
      if (frontend && loopback && !proxy.options.localhostNodePorts) {
        trace.add('kube-proxy', 'no-rule', `localhostNodePorts is false: KUBE-NODEPORTS has no rule for ${dest}; nothing listens on ${node.name}'s loopback, the node answers with a reset`);
        return { connected: false, error: 'connection refused' };
      }
      if (frontend) {
        if (loopback) trace.add('kube-proxy', 'localhost', `${dest} is ${node.name}'s loopback: localhostNodePorts lets KUBE-NODEPORTS match it (route_localnet)`);
        return proxy.forward(frontend, from, node, dest, trace);
      }
      const healthCheck = proxy.healthCheckOn(port, protocol);
      if (healthCheck) return proxy.answerHealthCheck(healthCheck, node, from, ip, trace);
      const bound = w.hostPorts.get(`${node.ip}|${port}|${protocol}`);
      if (bound && (!(loopback || loopback6) || bound.pod.hostNetwork)) {
        const { pod, port: targetPort } = bound;
        const endpoint = podEndpoint(pod, targetPort, ip);
        trace.add('pod', 'host-port', pod.hostNetwork
          ? `${dest} is bound by hostNetwork pod ${pod.key} on ${node.name}`
          : `${dest} is hostPort ${port} of pod ${pod.key} (CNI portmap DNAT to ${joinHostPort(endpoint.ip, targetPort)})`, `Pod/${pod.key}`);
        return { connected: true, endpoint, sourceIp: from.ip };
      }
      trace.add('kube-proxy', 'no-rule', `no node port ${port}/${protocol.toLowerCase()} on ${node.name}: nothing listens there, the node answers with a reset`);
      return { connected: false, error: 'connection refused' };
    }
    const proxiedLoadBalancer = proxy.proxiedLoadBalancer(ip, port, protocol);
    if (proxiedLoadBalancer) return proxy.viaProxyLoadBalancer(proxiedLoadBalancer, source, dest, trace);
    const frontend = proxy.frontendFor(ip, port, protocol);
    if (frontend) {
      if (frontend.kind === 'ClusterIP' && source.external && !source.via) {
        trace.add('client', 'no-route', `${ip} is a ClusterIP of ${frontend.service.key}: virtual, reachable only from inside the cluster (or give via: a node a router sends the service range to)`, frontend.service.ref);
        return { connected: false, error: 'no route' };
      }
      const via = !source.external ? source.node : source.via ?? proxy.loadBalancerNode(frontend, source);
      if (source.external && via) {
        trace.add('client', 'route', frontend.kind === 'ClusterIP'
          ? `${ip} is in the service range, which a router sends to ${via.name} (${via.ip})`
          : `${ip} is routed to ${via.name} (${via.ip})`);
      }
      return proxy.forward(frontend, source, via, dest, trace);
    }
    const owner = proxy.serviceForAddress(ip);
    if (owner) {
      if (proxy.mode === 'ipvs') {
        trace.add('kube-proxy', 'no-rule', `${ip} belongs to ${owner.key} but it has no port ${port}/${protocol.toLowerCase()}; IPVS binds the address to kube-ipvs0, so the node resets the connection`, owner.ref);
        return { connected: false, error: 'connection refused' };
      }
      // Each family's cluster-ips set holds the Service's ClusterIP of that family.
      if (proxy.mode === 'nftables' && owner.clusterIPs.includes(ip)) {
        trace.add('kube-proxy', 'reject', `${ip} is the cluster IP of ${owner.key} but it has no port ${port}/${protocol.toLowerCase()}: nftables cluster-ips-check rejects traffic to invalid ports of ClusterIPs`, owner.ref);
        return { connected: false, error: 'connection refused' };
      }
      trace.add('kube-proxy', 'no-rule', `${ip} belongs to ${owner.key} but it has no port ${port}/${protocol.toLowerCase()}; no ${proxy.mode} rule matches and nothing owns the virtual address, so packets are lost`, owner.ref);
      return { connected: false, error: 'connection timed out' };
    }
    const pod = w.podByIp.get(ip);
    if (pod) {
      if (source.external) {
        trace.add('client', 'no-route', `${ip} is the IP of pod ${pod.key}; the pod network is not routed from outside the cluster`, `Pod/${pod.key}`);
        return { connected: false, error: 'no route' };
      }
      trace.add('pod', 'direct', `${dest} is pod ${pod.key} on ${pod.node.name}: direct, no Service and no kube-proxy rule`, `Pod/${pod.key}`);
      return { connected: true, endpoint: podEndpoint(pod, port, ip), sourceIp: source.ip };
    }
    if (isClusterSourceIp(w, ip)) {
      trace.add('client', 'no-route', `${ip} is in the pod range but no pod has it: packets are lost`);
      return { connected: false, error: 'connection timed out' };
    }
    if (proxy.mode === 'nftables' && (!source.external || source.via) && this.model.ipam.inServiceRange(ip)) {
      trace.add('kube-proxy', 'drop', `${ip} is in the service range but no Service has it: nftables cluster-ips-check drops traffic to unallocated ClusterIPs`);
      return { connected: false, error: 'connection timed out' };
    }
    trace.add('client', 'no-route', `${ip} is not a node, Service or pod address of this cluster${source.external ? '' : ' (traffic leaving the cluster is not modelled)'}`);
    return { connected: false, error: 'no route' };
  }
}

/**
 * The addresses a client has, primary first: a pod one per family of its `status.podIPs`, a node
 * (and the host network) one per family of the pod network, the model's default outside client
 * one of each; anything else only its own.
 */
function clientAddresses(source: Source): readonly string[] {
  return source.pod?.ips ?? (source.hostNetwork ? source.node?.ips : undefined) ?? (source.defaultClient ? DEFAULT_EXTERNAL_CLIENT_IPS : [source.ip]);
}

/** RFC 6724's default policy table precedence of a destination address, for the prefixes a cluster uses: ULA fc00::/7 3, IPv4 35, other IPv6 40. */
function addressPrecedence(ip: string): number {
  if (!ip.includes(':')) return 35;
  return /^f[cd]/i.test(ip) ? 3 : 40;
}

/** A pod reached without a Service (hostPort, hostNetwork or its own IP), at its address of the family of `dest`, with its conditions. */
function podEndpoint(pod: PodModel, port: number, dest: string): EndpointModel {
  const ip = firstOfFamily(pod.ips, dest) ?? pod.ip!;
  return { ip, port, ready: pod.ready, serving: pod.ready, terminating: pod.terminating, pod, node: pod.node };
}

interface OutcomeFields {
  error?: string;
  service?: string;
  servicePort?: number;
  pod?: string;
  endpoint?: string;
  targetPort?: number;
  sourceIp?: string;
  masqueraded?: boolean;
}

/** A result type with writable fields, filled in by assignment. */
type Draft<T> = { -readonly [K in keyof T]?: T[K] };

/** Adds a connection's outcome to an answer (in this key order) and returns it. */
function writeOutcome<T extends OutcomeFields>(o: ProxyOutcome, out: T): T {
  if (o.error) out.error = o.error;
  if (o.frontend) {
    out.service = o.frontend.service.key;
    out.servicePort = o.frontend.port.port;
  } else if (o.healthCheck) {
    out.service = o.healthCheck.service.key;
  }
  if (o.endpoint) {
    out.endpoint = joinHostPort(o.endpoint.ip, o.endpoint.port);
    out.targetPort = o.endpoint.port;
    if (o.endpoint.pod) out.pod = o.endpoint.pod.key;
  }
  if (o.sourceIp) out.sourceIp = o.sourceIp;
  if (o.masqueraded !== undefined) out.masqueraded = o.masqueraded;
  return out;
}

