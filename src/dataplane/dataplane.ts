import { DNS_TYPES, ClusterDns } from './dns';
import { buildEndpoints, EndpointsTable } from './endpoints';
import { buildGatewayEntry, checkGatewayOptions, GatewayEntry } from './gateway/entry';
import { GatewayClassStatus, GatewayStatus, RouteParentStatus } from './gateway/types';
import { buildIngressEntry, IngressEntry } from './ingress/entry';
import { IngressStatus } from './ingress/types';
import { buildInventory, Inventory } from './inventory';
import { Ipam } from './ipam';
import { Clock, KubeProxy, ProxyOutcome, PROXY_MODES, Source } from './proxy';
import { readService, ServiceModel } from './services';
import { Trace } from './trace';
import {
  ClusterOptions, ConnectOptions, ConnectResult, Diagnostic, NodeInfo, PodInfo, RequestOptions,
  RequestResult, ResolveOptions, ResolveResult, ServiceInfo, TrafficSource,
} from './types';
import { Cidr4, formatCidr4, HttpUrl, isIpLiteral, joinHostPort, parseCidr4, parseHttpUrl, Prng, splitHostPort } from './util';
import { buildWorkloads, isClusterSourceIp, nodeInfo, podInfo, Workloads } from './workloads';
import { isDns1123Subdomain } from '../api/names';
import { DEFAULT_NODE_PORT_RANGE, parsePortRange } from '../api/service';

/** kind's docker network: node IPs and the load balancer pool live here. */
const NODE_NETWORK = parseCidr4('172.18.0.0/16')!;

/** Where a client outside the cluster comes from when the caller does not say (TEST-NET-3). */
const DEFAULT_EXTERNAL_CLIENT_IP = '203.0.113.1';

/** Options with every default applied (internal). */
export interface ResolvedClusterOptions {
  readonly nodes: number;
  readonly proxyMode: string;
  readonly seed: number;
  readonly clusterDomain: string;
  readonly serviceCidr: Cidr4;
  readonly podCidr: Cidr4;
  readonly nodePortMin: number;
  readonly nodePortMax: number;
  readonly notReadyPods: ReadonlySet<string>;
  /** The options as given, for components that read their own (the ingress controller). */
  readonly raw: ClusterOptions;
}

/** Everything compiled from the manifests (internal: the ingress controller model builds on it). */
export interface CompiledModel {
  readonly options: ResolvedClusterOptions;
  readonly inventory: Inventory;
  readonly workloads: Workloads;
  /** Services that exist (accepted and allocated), in manifest order. */
  readonly services: readonly ServiceModel[];
  /** By `namespace/name`. */
  readonly serviceByKey: ReadonlyMap<string, ServiceModel>;
  readonly endpoints: EndpointsTable;
  readonly ipam: Ipam;
  readonly dns: ClusterDns;
  readonly proxy: KubeProxy;
  readonly prng: Prng;
  readonly clock: Clock;
  readonly diagnostics: Diagnostic[];
}

/** A request entering from outside, as entry components see it (internal). */
export interface ExternalRequest {
  readonly options: RequestOptions;
  readonly url: HttpUrl;
  /** The URL host, lower case, without IPv6 brackets. */
  readonly urlHost: string;
  /** The `Host` header as sent, else the URL's authority (with its port, if any). */
  readonly hostHeader: string;
  readonly port: number;
}

/**
 * A component that takes requests entering from outside before node-port and load-balancer
 * routing — the ingress controller model. `enter` returns undefined when the request is not
 * addressed to it (internal).
 */
export interface ExternalEntry {
  enter(request: ExternalRequest, trace: Trace): RequestResult | undefined;
}

function resolveOptions(o: ClusterOptions = {}): ResolvedClusterOptions {
  const fail = (msg: string): never => {
    throw new Error(`Cluster options: ${msg}`);
  };
  const nodes = o.nodes ?? 3;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 1000) fail(`nodes must be an integer from 1 to 1000, got ${JSON.stringify(nodes)}`);
  const proxyMode = o.proxyMode ?? 'iptables';
  if (!PROXY_MODES.includes(proxyMode)) fail(`proxyMode must be one of ${PROXY_MODES.join(', ')}, got ${JSON.stringify(proxyMode)}`);
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) fail(`seed must be an integer, got ${JSON.stringify(seed)}`);
  const clusterDomain = (o.clusterDomain ?? 'cluster.local').toLowerCase();
  if (isDns1123Subdomain(clusterDomain).length) fail(`clusterDomain ${JSON.stringify(clusterDomain)} is not a DNS subdomain`);
  const cidr = (field: string, text: string | undefined, dflt: string, maxPrefix: number) => {
    const c = parseCidr4(text ?? dflt);
    if (!c || c.prefix > maxPrefix) return fail(`${field} must be an IPv4 CIDR with a prefix of at most /${maxPrefix}, got ${JSON.stringify(text)}`);
    return c;
  };
  const serviceCidr = cidr('serviceCidr', o.serviceCidr, '10.96.0.0/12', 28);
  const podCidr = cidr('podCidr', o.podCidr, '10.244.0.0/16', 24);
  const overlaps = (a: Cidr4, b: Cidr4) => a.base < b.base + b.size && b.base < a.base + a.size;
  if (overlaps(serviceCidr, podCidr)) fail(`serviceCidr ${o.serviceCidr ?? '10.96.0.0/12'} and podCidr ${o.podCidr ?? '10.244.0.0/16'} overlap`);
  if (overlaps(podCidr, NODE_NETWORK)) fail(`podCidr ${o.podCidr} overlaps the node network ${formatCidr4(NODE_NETWORK)} (node and load balancer addresses)`);
  const range = parsePortRange(o.nodePortRange ?? DEFAULT_NODE_PORT_RANGE);
  if (!range) return fail(`nodePortRange must be "min-max" within 1-65535, got ${JSON.stringify(o.nodePortRange)}`);
  const { min: nodePortMin, max: nodePortMax } = range;
  const notReadyPods = new Set(o.notReadyPods ?? []);
  checkGatewayOptions(o.gatewayController);
  return { nodes, proxyMode, seed, clusterDomain, serviceCidr, podCidr, nodePortMin, nodePortMax, notReadyPods, raw: o };
}

/** Compiles manifests into the model's tables: inventory → workloads → ipam → endpoints → dns → proxy. */
export function compile(documents: readonly unknown[], options: ClusterOptions | undefined): CompiledModel {
  const opts = resolveOptions(options);
  // The API server enforces its --service-node-port-range on explicit node ports: the cluster's own range.
  const inventory = buildInventory(documents, { serviceNodePortRange: `${opts.nodePortMin}-${opts.nodePortMax}` });
  const diagnostics = inventory.diagnostics;
  const workloads = buildWorkloads(inventory, { nodes: opts.nodes, podCidr: opts.podCidr, notReadyPods: opts.notReadyPods }, diagnostics);
  const drafts: ServiceModel[] = [];
  for (const o of inventory.ofKind('v1/Service')) {
    const svc = readService(o, diagnostics);
    if (svc) drafts.push(svc);
  }
  const ipam = new Ipam({ serviceCidr: opts.serviceCidr, nodePortMin: opts.nodePortMin, nodePortMax: opts.nodePortMax });
  const services = ipam.allocate(drafts, diagnostics);
  const endpoints = buildEndpoints(inventory, services, workloads, diagnostics);
  const dns = new ClusterDns(opts.clusterDomain, services, endpoints);
  const prng = new Prng(opts.seed);
  const clock: Clock = { now: 0 };
  const proxy = new KubeProxy(opts.proxyMode, services, endpoints, workloads.nodes, prng, clock);
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
      const clusterIp = s.headless ? 'None' : s.clusterIP;
      return clusterIp ? { ...info, clusterIp } : info;
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
   * Looks a name up in cluster DNS the way a pod's resolver would (CoreDNS `kubernetes` plugin,
   * kubelet's resolv.conf search path with `ndots:5` when `fromNamespace` is given).
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
    const source = this.source(options.from, 'connect', trace);
    const outcome = this.open(source, target.host, target.port, protocol, trace);
    // Built by assignment: a spread followed by more properties takes V8's slow path.
    const out = writeOutcome(outcome, {} as Draft<ConnectResult>);
    out.connected = outcome.connected;
    out.trace = trace.hops;
    return out as ConnectResult;
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
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const trace = new Trace();
    const source = this.source(options.from, 'request', trace);
    const method = (options.method ?? 'GET').toUpperCase();
    trace.add('client', 'request', `${method} ${url.href} from ${source.pod ? `pod ${source.pod.key} (${source.ip})` : source.external ? `outside the cluster (${source.ip})` : source.ip}`);
    const urlHost = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const hostHeader = () => Object.entries(options.headers ?? {}).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? url.host;
    // A pod reaches a named Gateway at its address like any other client.
    if (options.gateway !== undefined && !source.external) {
      return this.gateway.explicit.enter({ options, url, urlHost, hostHeader: hostHeader(), port }, trace)!;
    }
    if (source.external) {
      const request: ExternalRequest = { options, url, urlHost, hostHeader: hostHeader(), port };
      for (const entry of this.entries) {
        const result = entry.enter(request, trace);
        if (result) return result;
      }
      if (!isIpLiteral(urlHost)) {
        trace.add('client', 'no-route', `${urlHost} is not served by an ingress controller here, and from outside only node IPs, LoadBalancer IPs and externalIPs are reachable`);
        return { status: 0, error: 'no route', trace: trace.hops };
      }
      return this.http(this.open(source, urlHost, port, 'TCP', trace), trace);
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
      trace.add('dns', 'query', `A ${urlHost} to kube-dns ${dnsIp}${source.pod ? ` with ${source.pod.key}'s resolv.conf` : ''}`);
      const answer = this.model.dns.resolve(urlHost, 'A', resolver?.config);
      trace.append(answer.trace);
      const addresses = answer.records.filter((r) => r.type === 'A').map((r) => r.value);
      // A headless Service answers with pod IPs: the request goes to a pod directly, but through that Service's name.
      const answeredBy = answer.trace.filter((h) => h.action === 'answer').pop()?.object;
      if (answeredBy?.startsWith('Service/')) dnsService = answeredBy.slice('Service/'.length);
      if (addresses.length === 0) {
        return { status: 0, error: answer.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no address', trace: trace.hops };
      }
      // kubeadm's Corefile has `loadbalance`, which shuffles A records; clients take the first.
      ip = addresses.length === 1 ? addresses[0] : addresses[this.model.prng.below(addresses.length)];
      if (addresses.length > 1) trace.add('dns', 'loadbalance', `${addresses.length} A records, shuffled by the loadbalance plugin: client connects to ${ip}`);
    }
    return this.http(this.open(source, ip, port, 'TCP', trace), trace, dnsService);
  }

  /** The HTTP layer on top of a connection: a reached pod answers 200. */
  private http(outcome: ProxyOutcome, trace: Trace, dnsService?: string): RequestResult {
    const out = writeOutcome(outcome, { status: outcome.connected ? 200 : 0 } as Draft<RequestResult>);
    if (!out.service && dnsService && outcome.endpoint) out.service = dnsService;
    if (!outcome.connected) {
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

  private source(from: TrafficSource | undefined, what: string, trace: Trace): Source {
    const w = this.model.workloads;
    if (from?.pod !== undefined) {
      const pod = w.podByKey.get(from.pod);
      if (!pod) throw new Error(`${what}: from.pod ${JSON.stringify(from.pod)} is not a pod of this cluster (use namespace/name; cluster.pods lists them)`);
      if (!pod.ip) throw new Error(`${what}: from.pod ${from.pod} is not running in the model (no pod IP)`);
      return { ip: pod.ip, pod, node: pod.node.index >= 0 ? pod.node : undefined, external: false };
    }
    const ip = from?.ip ?? DEFAULT_EXTERNAL_CLIENT_IP;
    if (!isIpLiteral(ip)) throw new Error(`${what}: from.ip must be an IP address, got ${JSON.stringify(from?.ip)}`);
    const node = w.nodeByIp.get(ip);
    if (node) return { ip, node, external: false };
    const pod = w.podByIp.get(ip);
    if (pod) return { ip, pod, node: pod.node, external: false };
    if (isClusterSourceIp(w, ip)) {
      trace.add('client', 'source', `${ip} is in the pod range but no modelled pod has it`);
      return { ip, external: false };
    }
    return { ip, external: true };
  }

  /** Follows a new connection to `ip:port` from `source`. */
  private open(source: Source, ip: string, port: number, protocol: string, trace: Trace): ProxyOutcome {
    const { workloads: w, proxy } = this.model;
    const dest = joinHostPort(ip, port);
    const node = w.nodeByIp.get(ip);
    if (node) {
      const frontend = proxy.frontendFor(ip, port, protocol, node);
      if (frontend) return proxy.forward(frontend, source, node, dest, trace);
      const bound = w.hostPorts.get(`${ip}|${port}|${protocol}`);
      if (bound) {
        const { pod, port: target } = bound;
        trace.add('pod', 'host-port', pod.hostNetwork
          ? `${dest} is bound by hostNetwork pod ${pod.key} on ${node.name}`
          : `${dest} is hostPort ${port} of pod ${pod.key} (CNI portmap DNAT to ${joinHostPort(pod.ip!, target)})`, `Pod/${pod.key}`);
        return { connected: true, endpoint: { ip: pod.ip!, port: target, ready: pod.ready, pod, node }, sourceIp: source.ip };
      }
      trace.add('kube-proxy', 'no-rule', `no node port ${port}/${protocol.toLowerCase()} on ${node.name}: nothing listens there, the node answers with a reset`);
      return { connected: false, error: 'connection refused' };
    }
    const frontend = proxy.frontendFor(ip, port, protocol);
    if (frontend) {
      if (frontend.kind === 'ClusterIP' && source.external) {
        trace.add('client', 'no-route', `${ip} is a ClusterIP of ${frontend.service.key}: virtual, reachable only from inside the cluster`, frontend.service.ref);
        return { connected: false, error: 'no route' };
      }
      const via = frontend.kind === 'ClusterIP' || !source.external ? source.node : proxy.loadBalancerNode(frontend, source);
      if (source.external && via) trace.add('client', 'route', `${ip} is routed to ${via.name} (${via.ip})`);
      return proxy.forward(frontend, source, via, dest, trace);
    }
    const owner = proxy.serviceForAddress(ip);
    if (owner) {
      if (proxy.mode === 'ipvs') {
        trace.add('kube-proxy', 'no-rule', `${ip} belongs to ${owner.key} but it has no port ${port}/${protocol.toLowerCase()}; IPVS binds the address to kube-ipvs0, so the node resets the connection`, owner.ref);
        return { connected: false, error: 'connection refused' };
      }
      trace.add('kube-proxy', 'no-rule', `${ip} belongs to ${owner.key} but it has no port ${port}/${protocol.toLowerCase()}; no iptables rule matches and nothing owns the virtual address, so packets are lost`, owner.ref);
      return { connected: false, error: 'connection timed out' };
    }
    const pod = w.podByIp.get(ip);
    if (pod) {
      if (source.external) {
        trace.add('client', 'no-route', `${ip} is the IP of pod ${pod.key}; the pod network is not routed from outside the cluster`, `Pod/${pod.key}`);
        return { connected: false, error: 'no route' };
      }
      trace.add('pod', 'direct', `${dest} is pod ${pod.key} on ${pod.node.name}: direct, no Service and no kube-proxy rule`, `Pod/${pod.key}`);
      return { connected: true, endpoint: { ip, port, ready: pod.ready, pod, node: pod.node }, sourceIp: source.ip };
    }
    if (isClusterSourceIp(w, ip)) {
      trace.add('client', 'no-route', `${ip} is in the pod range but no pod has it: packets are lost`);
      return { connected: false, error: 'connection timed out' };
    }
    trace.add('client', 'no-route', `${ip} is not a node, Service or pod address of this cluster${source.external ? '' : ' (traffic leaving the cluster is not modelled)'}`);
    return { connected: false, error: 'no route' };
  }
}

interface OutcomeFields {
  error?: string;
  service?: string;
  servicePort?: number;
  pod?: string;
  endpoint?: string;
  targetPort?: number;
  sourceIp?: string;
}

/** A result type with writable fields, filled in by assignment. */
type Draft<T> = { -readonly [K in keyof T]?: T[K] };

/** Adds a connection's outcome to an answer (in this key order) and returns it. */
function writeOutcome<T extends OutcomeFields>(o: ProxyOutcome, out: T): T {
  if (o.error) out.error = o.error;
  if (o.frontend) {
    out.service = o.frontend.service.key;
    out.servicePort = o.frontend.port.port;
  }
  if (o.endpoint) {
    out.endpoint = joinHostPort(o.endpoint.ip, o.endpoint.port);
    out.targetPort = o.endpoint.port;
    if (o.endpoint.pod) out.pod = o.endpoint.pod.key;
  }
  if (o.sourceIp) out.sourceIp = o.sourceIp;
  return out;
}

