import type { GatewayControllerOptions } from './gateway/types';
import type { IngressControllerOptions } from './ingress/types';

/**
 * Public structs of the dataplane model. Values that DESIGN.md shows as plain strings
 * (`proxyMode`, `severity`, `code`, DNS types and rcodes) are `string` and checked at runtime.
 */

/** Options of a modelled cluster. Every field is optional. */
export interface ClusterOptions {
  /**
   * The Kubernetes minor the cluster runs, `1.27` … `1.35`: the API server judges the manifests
   * as that release does, and kube-proxy, the EndpointSlice controller and CoreDNS (the release
   * kubeadm ships with it) answer as they do there, with that release's feature gates at their
   * defaults (docs/api-rules.md lists what changes).
   * @default '1.27'
   */
  readonly kubernetesVersion?: string;
  /**
   * Feature gates set against the version's defaults, e.g. `{ NFTablesProxyMode: true }` on 1.29
   * or `{ PreferSameTrafficDistribution: true }` on 1.33. Only the gates that change an answer
   * of the model are accepted.
   * @default - the version's defaults
   */
  readonly featureGates?: { [gate: string]: boolean };
  /**
   * Number of worker nodes (`node-1` … `node-N`).
   * @default 3
   */
  readonly nodes?: number;
  /**
   * kube-proxy mode: `iptables` (uniform random endpoint pick), `ipvs` (round robin) or
   * `nftables` (1.29 and later; on 1.29 and 1.30 it needs `featureGates: { NFTablesProxyMode: true }`).
   * @default 'iptables'
   */
  readonly proxyMode?: string;
  /**
   * Seed of the pseudo-random generator behind iptables' random endpoint pick.
   * @default 1
   */
  readonly seed?: number;
  /**
   * The cluster DNS domain (kubelet `--cluster-domain`).
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * The range(s) ClusterIPs are allocated from (kube-apiserver `--service-cluster-ip-range`): one
   * CIDR, or two of different families, primary first, for a dual-stack cluster
   * (`'10.96.0.0/12,fd00:10:96::/112'`); an IPv6 CIDR alone makes an IPv6-only cluster.
   * @default '10.96.0.0/12'
   */
  readonly serviceCidr?: string;
  /**
   * The range(s) pod IPs are allocated from (kube-controller-manager `--cluster-cidr`): one CIDR,
   * or two of different families, primary first (`'10.244.0.0/16,fd00:10:244::/56'`). Each node
   * gets a /24 of an IPv4 range and a /64 of an IPv6 range; it must have a range of every
   * `serviceCidr` family.
   * @default - '10.244.0.0/16' and/or 'fd00:10:244::/56', one per family of `serviceCidr`
   */
  readonly podCidr?: string;
  /**
   * The NodePort range (kube-apiserver `--service-node-port-range`), `min-max`.
   * @default '30000-32767'
   */
  readonly nodePortRange?: string;
  /**
   * Pods (`namespace/name`) to treat as not ready, whatever their manifests say —
   * a way to test what happens when a backend fails its readiness probe.
   * @default - none
   */
  readonly notReadyPods?: string[];
  /**
   * Replica counts to model instead of the manifests' (and their autoscalers'), by workload
   * `namespace/name` — "what if web ran 1 pod?".
   * @default - spec.replicas, raised to a HorizontalPodAutoscaler's minReplicas
   */
  readonly replicas?: { [workload: string]: number };
  /**
   * The ingress controller: profile (`portable` or `nginx`), served class, TLS defaults, address.
   * @default - a controller whose profile follows the manifests' IngressClasses
   */
  readonly ingressController?: IngressControllerOptions;
  /**
   * Cluster DNS: the settings of CoreDNS's `kubernetes` plugin and what its upstream answers.
   * @default - kubeadm's Corefile (`pods insecure`, no `ignore empty_service`, no `endpoint_pod_names`) and no upstream
   */
  readonly dns?: DnsOptions;
  /**
   * Findings accepted on purpose, each with a reason; they stay in `diagnostics` marked
   * `suppressed`. Objects can also carry the annotation `cdk8s-traffic/ignore: "CODE[,CODE]: reason"`.
   * @default - none
   */
  readonly suppressions?: Suppression[];
  /**
   * The Gateway API controller: which GatewayClass controller name it answers to, its profile.
   * @default - the controller of the first GatewayClass, profile `spec`
   */
  readonly gatewayController?: GatewayControllerOptions;
  /**
   * The time certificate checks are judged at (expired, not yet valid, expiring soon), so the
   * same manifests give the same diagnostics.
   * @default - the time the Cluster is created
   */
  readonly now?: Date;
  /**
   * kube-proxy's flags (`--masquerade-all`, `--detect-local-mode`, `--iptables-localhost-nodeports`).
   * @default - kube-proxy's defaults
   */
  readonly kubeProxy?: KubeProxyOptions;
  /**
   * NetworkPolicy: `enforce` (a CNI with policy support: Calico, Cilium, …) or `ignore` (a CNI
   * without it, e.g. kindnet before v1.0 or flannel alone: policies are accepted but have no effect).
   * @default 'enforce'
   */
  readonly networkPolicy?: string;
}

/** kube-proxy flags the model honours (pkg/proxy/iptables/proxier.go, 1.27). */
export interface KubeProxyOptions {
  /**
   * `--masquerade-all`: every connection to a ClusterIP is masqueraded (SNAT to the node's IP).
   * @default false
   */
  readonly masqueradeAll?: boolean;
  /**
   * `--detect-local-mode`: how kube-proxy tells pod traffic from other traffic — `ClusterCIDR`
   * (source in `podCidr`), `NodeCIDR` (source in the node's own pod range) or `None` (no
   * detection: ClusterIP traffic is never masqueraded for coming from outside the pods, and pods
   * get no short-circuit to external addresses of `externalTrafficPolicy: Local` Services).
   * @default 'ClusterCIDR'
   */
  readonly detectLocalMode?: string;
  /**
   * `--iptables-localhost-nodeports`: node ports also answer on the node's `127.0.0.1`
   * (for `from: { node }` connections to `127.0.0.1:<nodePort>`).
   * @default true
   */
  readonly localhostNodePorts?: boolean;
}

/**
 * Cluster DNS settings: the options of the CoreDNS `kubernetes` plugin block in the Corefile and
 * the answers of the resolver it forwards other names to (`forward . /etc/resolv.conf`).
 */
export interface DnsOptions {
  /**
   * `pods`: how `a-b-c-d.<ns>.pod.<domain>` names are answered. `insecure` answers any address
   * in an existing namespace, `verified` only the address of a pod in that namespace, `disabled`
   * none (NXDOMAIN).
   * @default 'insecure'
   */
  readonly pods?: string;
  /**
   * `ignore empty_service`: a ClusterIP Service without a ready endpoint is NXDOMAIN instead of
   * answering its ClusterIP.
   * @default false
   */
  readonly ignoreEmptyService?: boolean;
  /**
   * `endpoint_pod_names`: an endpoint without a hostname is named by its pod's name instead of
   * its dashed IP (`10-244-1-3`).
   * @default false
   */
  readonly endpointPodNames?: boolean;
  /**
   * What the upstream resolver answers for names outside the cluster domain: name → addresses
   * (IPv4 answer A queries, IPv6 AAAA; an empty list is a name without addresses). Names not
   * listed are NXDOMAIN upstream. ExternalName targets are followed through it.
   * @default - no upstream: names outside the cluster domain are NXDOMAIN
   */
  readonly upstream?: { [name: string]: string[] };
}

/** Where a request or connection comes from. */
export interface TrafficSource {
  /**
   * A pod of the cluster, `namespace/name`: its IP is the source and its namespace's DNS
   * search path applies.
   * @default - not from a pod
   */
  readonly pod?: string;
  /**
   * A source IP address. Inside the pod range or a node IP it is in-cluster traffic;
   * anything else enters from outside.
   * @default - from outside, as `203.0.113.1`
   */
  readonly ip?: string;
  /**
   * A node's host network, by node name (`node-1`): the node's IP is the source (`127.0.0.1`
   * towards the node's loopback) and kube-proxy treats it as local traffic (`--src-type LOCAL`).
   * Not combinable with `pod` or `ip`.
   * @default - not from a node
   */
  readonly node?: string;
}

/** One step of a trace: which component decided what, with a one-line text form. */
export interface Hop {
  /** The deciding component: `client`, `dns`, `kube-proxy`, `endpoints`, `pod`, `ingress-controller`, `gateway`. */
  readonly component: string;
  /** A short machine-readable action, e.g. `query`, `match`, `pick`, `affinity-hit`, `reject`, `drop`. */
  readonly action: string;
  /** One line saying what happened and why. */
  readonly text: string;
  /**
   * The Kubernetes object the step is about, `Kind/namespace/name`.
   * @default - none
   */
  readonly object?: string;
}

/** An HTTP(S) request to trace through the cluster. */
export interface RequestOptions {
  /** The URL, e.g. `http://cart.base:8080/api` (in-cluster, resolved with the caller's DNS). */
  readonly url: string;
  /**
   * Where the request comes from.
   * @default - from outside the cluster
   */
  readonly from?: TrafficSource;
  /**
   * The HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Request headers (a `Host` header overrides the URL authority for routing).
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * The TLS server name (SNI) of an https request.
   * @default - the URL host, none for an IP address
   */
  readonly sni?: string;
  /**
   * The node that receives the packet from outside the cluster (by name, `node-1`): the node a
   * LoadBalancer or external IP routes to, or a node a router sends the service range to (a
   * ClusterIP is reachable from outside only this way). For a pod-range IP no modelled pod has, the
   * node it sits on.
   * @default - LoadBalancer and external IPs: a node picked like a load balancer would (one with
   * local endpoints under `externalTrafficPolicy: Local`); ClusterIPs: no route from outside
   */
  readonly via?: string;
  /**
   * Send the request to this Gateway (`namespace/name`), at the URL's port, whatever the URL host resolves to.
   * @default - a Gateway only when the URL host is a Gateway's address
   */
  readonly gateway?: string;
  /**
   * How the client speaks HTTP: `HTTP/1.1`, `HTTP/2` (ALPN `h2` on https URLs, prior knowledge
   * — h2c — on http URLs) or `WebSocket` (an HTTP/1.1 `Upgrade: websocket` request). A Gateway
   * reports what it speaks to the pod in `upstream.protocol`; other front doors answer as for HTTP/1.1.
   * @default 'HTTP/1.1'
   */
  readonly protocol?: string;
  /**
   * The client certificate (PEM) the TLS client presents, for listeners that validate client
   * certificates (Gateway `spec.tls.frontend`). The model assumes the client holds its key.
   * @default - no client certificate
   */
  readonly clientCertificate?: string;
  /**
   * How the backend pod answers, which the manifests cannot say: how long it takes (against
   * route timeouts) and which response headers it sends (before the front door changes them).
   * @default - it answers at once, with no headers the model knows of
   */
  readonly backend?: BackendBehavior;
}

/** How a backend pod answers a request (what the conformance suite's echo server is told to do). */
export interface BackendBehavior {
  /**
   * How long the pod takes to answer, in milliseconds.
   * @default 0
   */
  readonly delayMs?: number;
  /**
   * The response headers the pod sends.
   * @default - none
   */
  readonly responseHeaders?: { [name: string]: string };
}

/** Where a request ended up and how it got there. */
export interface RequestResult {
  /** The HTTP status the client sees; 0 when no HTTP response arrives (see `error`). */
  readonly status: number;
  /**
   * Why no HTTP response arrived, e.g. `NXDOMAIN`, `connection refused`, `connection timed out`, `no route`.
   * @default - a response arrived
   */
  readonly error?: string;
  /**
   * The Ingress that routed the request, `namespace/name`.
   * @default - not routed by an Ingress
   */
  readonly ingress?: string;
  /**
   * The Service the request went through, `namespace/name`.
   * @default - none
   */
  readonly service?: string;
  /**
   * The Service port used.
   * @default - none
   */
  readonly servicePort?: number;
  /**
   * The name of the Service port used, when it has one.
   * @default - none
   */
  readonly servicePortName?: string;
  /**
   * The pod that answered, `namespace/name`.
   * @default - none
   */
  readonly pod?: string;
  /**
   * The endpoint the request reached, `ip:port`.
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * The container port the pod received the request on.
   * @default - none
   */
  readonly targetPort?: number;
  /**
   * The source IP the pod sees (the client's, or a node's after SNAT).
   * @default - no pod reached
   */
  readonly sourceIp?: string;
  /**
   * Whether kube-proxy masqueraded the connection (`KUBE-MARK-MASQ`): the pod then sees a node's
   * address as `sourceIp`, not the client's.
   * @default - not forwarded by a kube-proxy Service rule
   */
  readonly masqueraded?: boolean;
  /**
   * The TLS secret whose certificate was presented, `namespace/name`.
   * @default - no TLS, or not terminated by an Ingress
   */
  readonly tlsSecret?: string;
  /**
   * Whether the presented certificate covers the TLS server name (what a client verifies).
   * @default - no TLS terminated by an Ingress
   */
  readonly tlsHostnameVerified?: boolean;
  /**
   * The request as the pod receives it from the ingress controller (after rewrites).
   * @default - not proxied by an ingress controller
   */
  readonly upstream?: UpstreamRequest;
  /**
   * The redirect target of a 3xx answer.
   * @default - not a redirect
   */
  readonly location?: string;
  /**
   * The response body, where the model knows it: kube-proxy's health-check server
   * (`healthCheckNodePort`) answers JSON with the node's local endpoint count.
   * @default - not modelled (a pod's answer)
   */
  readonly body?: string;
  /**
   * The Gateway that took the request, `namespace/name`.
   * @default - not through a Gateway
   */
  readonly gateway?: string;
  /**
   * The name of the Gateway listener that took the request.
   * @default - not through a Gateway
   */
  readonly listener?: string;
  /**
   * The HTTPRoute whose rule answered, `namespace/name`.
   * @default - not routed by an HTTPRoute
   */
  readonly route?: string;
  /**
   * Services (`namespace/name`) that received a copy of the request (RequestMirror); their answers are ignored.
   * @default - not mirrored
   */
  readonly mirroredTo?: string[];
  /**
   * The `Set-Cookie` values the front door sends (ingress-nginx cookie affinity on a fresh pick).
   * @default - no cookie set
   */
  readonly setCookies?: string[];
  /**
   * Whether a canary Ingress's backend served the request (ingress-nginx canary annotations).
   * @default - not served by a canary
   */
  readonly canary?: boolean;
  /**
   * The response headers the client receives, where the front door models them (a Gateway
   * answer from a backend or a CORS preflight: the pod's `backend.responseHeaders` after
   * ResponseHeaderModifier filters, plus CORS headers).
   * @default - not modelled: another front door, or a Gateway's own redirect or error answer
   */
  readonly responseHeaders?: { [name: string]: string };
  /**
   * Whether the client certificate passed the listener's validation (Gateway `spec.tls.frontend`):
   * false when none was sent or it failed and the listener's mode is `AllowInsecureFallback`.
   * @default - the listener does not validate client certificates
   */
  readonly clientCertificateVerified?: boolean;
  /** Every hop, in order. */
  readonly trace: Hop[];
}

/** A request as the ingress controller forwards it to a pod. */
export interface UpstreamRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The `Host` header the pod receives. */
  readonly host: string;
  /** The path and query the pod receives. */
  readonly path: string;
  /**
   * The request headers the pod receives (front doors that model header changes, e.g. a Gateway).
   * @default - not modelled by this front door
   */
  readonly headers?: { [name: string]: string };
  /**
   * The protocol the front door speaks to the pod: `HTTP/1.1`, `HTTP/2` (cleartext, to a Service
   * port whose `appProtocol` is `kubernetes.io/h2c`) or `WebSocket` (an upgraded connection).
   * @default - not modelled by this front door
   */
  readonly protocol?: string;
}

/** Options of a DNS lookup. */
export interface ResolveOptions {
  /**
   * The namespace of the asking pod: its resolv.conf search path applies
   * (`<ns>.svc.<domain> svc.<domain> <domain>`, `ndots:5`).
   * @default - no search path: the name is looked up as given
   */
  readonly fromNamespace?: string;
  /**
   * The query type: `A`, `AAAA`, `SRV`, `CNAME`, `PTR`, `TXT`, `NS` or `SOA`.
   * @default 'A'
   */
  readonly type?: string;
}

/** One DNS resource record. */
export interface DnsRecord {
  /** The owner name, fully qualified without the trailing dot. */
  readonly name: string;
  /** The record type: `A`, `AAAA`, `CNAME`, `SRV`, `PTR`, `TXT`, `NS` or `SOA`. */
  readonly type: string;
  /** Time to live in seconds. */
  readonly ttl: number;
  /**
   * The data: an address, a CNAME/PTR/NS target, the TXT text, for SRV `priority weight port
   * target`, for SOA `mname rname serial refresh retry expire minimum`.
   */
  readonly value: string;
  /**
   * SRV target port.
   * @default - not an SRV record
   */
  readonly port?: number;
  /**
   * SRV target host.
   * @default - not an SRV record
   */
  readonly target?: string;
}

/** The answer to a DNS lookup. */
export interface ResolveResult {
  /** `NOERROR` or `NXDOMAIN` (`NOERROR` with no records is NODATA). */
  readonly rcode: string;
  /** The fully qualified name that answered (after the search path), or the name as asked. */
  readonly name: string;
  /** The answer records (a CNAME chain first, when there is one). */
  readonly records: DnsRecord[];
  /** Every hop: each search-path candidate and why it did or did not answer. */
  readonly trace: Hop[];
}

/** A TCP/UDP/SCTP connection to trace through kube-proxy. */
export interface ConnectOptions {
  /** The destination `ip:port` (IPv6 as `[addr]:port`). */
  readonly to: string;
  /**
   * Where the connection comes from.
   * @default - from outside the cluster
   */
  readonly from?: TrafficSource;
  /**
   * `TCP`, `UDP` or `SCTP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * The node that receives the packet from outside the cluster (by name, `node-1`): the node a
   * LoadBalancer or external IP routes to, or a node a router sends the service range to (a
   * ClusterIP is reachable from outside only this way). For a pod-range IP no modelled pod has, the
   * node it sits on.
   * @default - LoadBalancer and external IPs: a node picked like a load balancer would (one with
   * local endpoints under `externalTrafficPolicy: Local`); ClusterIPs: no route from outside
   */
  readonly via?: string;
}

/** Where a connection ended up. */
export interface ConnectResult {
  /** Whether the connection reached a pod. */
  readonly connected: boolean;
  /**
   * Why not: `connection refused`, `connection timed out` (dropped) or `no route`.
   * @default - connected
   */
  readonly error?: string;
  /**
   * The Service whose rule matched, `namespace/name`.
   * @default - none
   */
  readonly service?: string;
  /**
   * The Service port that matched.
   * @default - none
   */
  readonly servicePort?: number;
  /**
   * The pod reached, `namespace/name` (absent for endpoints that are not pods).
   * @default - none
   */
  readonly pod?: string;
  /**
   * The endpoint reached, `ip:port`.
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * The port the pod received the connection on.
   * @default - none
   */
  readonly targetPort?: number;
  /**
   * The source IP the pod sees (the client's, or a node's after SNAT).
   * @default - not connected
   */
  readonly sourceIp?: string;
  /**
   * Whether kube-proxy masqueraded the connection (`KUBE-MARK-MASQ`): the pod then sees a node's
   * address as `sourceIp`, not the client's.
   * @default - not forwarded by a kube-proxy Service rule
   */
  readonly masqueraded?: boolean;
  /** Every hop, in order. */
  readonly trace: Hop[];
}

/** A finding about the manifests or the modelled cluster. */
export interface Diagnostic {
  /** A stable code, e.g. `INVALID_OBJECT`, `SERVICE_NO_READY_ENDPOINTS`: one of the codes the README lists, with its severity. */
  readonly code: string;
  /** `error`, `warning` or `info`. */
  readonly severity: string;
  /** The object concerned, `Kind/namespace/name` (`Kind/name` for cluster-scoped kinds, `document N` when unnamed). */
  readonly object: string;
  /**
   * The field concerned, as the API server writes paths.
   * @default - the whole object
   */
  readonly field?: string;
  /** What is wrong, in one line. */
  readonly message: string;
  /**
   * How to fix it, in one line.
   * @default - no hint
   */
  readonly hint?: string;
  /**
   * Why the finding is accepted, when a suppression (the `cdk8s-traffic/ignore` annotation or a
   * rule in `ClusterOptions.suppressions`) accepts it; suppressed findings fail no check.
   * @default - not suppressed
   */
  readonly suppressed?: string;
}

/** A finding accepted on purpose (`.cdk8s-traffic.yaml` `suppressions:`). */
export interface Suppression {
  /** The diagnostic code, e.g. `EXPOSURE_NODE_PORT`. */
  readonly code: string;
  /**
   * The objects it applies to, `Kind/namespace/name`; `*` stands for any run of characters.
   * @default - every object
   */
  readonly object?: string;
  /** Why the finding is accepted (required). */
  readonly reason: string;
}

/** A modelled node. */
export interface NodeInfo {
  /** The node name, `node-1` … */
  readonly name: string;
  /** The node's InternalIP (the primary family's). */
  readonly ip: string;
  /**
   * Its InternalIPs, one per family, primary first.
   * @default - only `ip` (single-stack cluster)
   */
  readonly ips?: string[];
  /** The node's pod range (`spec.podCIDR`). */
  readonly podCidr: string;
  /**
   * Its pod ranges, one per family, primary first (`spec.podCIDRs`).
   * @default - only `podCidr` (single-stack cluster)
   */
  readonly podCidrs?: string[];
}

/** A modelled pod. */
export interface PodInfo {
  /** `namespace/name`. */
  readonly name: string;
  /** The pod IP; empty when the pod does not run (unknown node, Succeeded/Failed, pod range exhausted). */
  readonly ip: string;
  /**
   * Its IPs, one per family, primary first (`status.podIPs`).
   * @default - only `ip` (one address)
   */
  readonly ips?: string[];
  /** The node it runs on. */
  readonly node: string;
  /** Whether its Ready condition is true. */
  readonly ready: boolean;
  /** Its labels. */
  readonly labels: { [key: string]: string };
  /**
   * The workload that created it, `Kind/namespace/name`.
   * @default - a bare Pod
   */
  readonly owner?: string;
}

/** One port of a modelled Service. */
export interface ServicePortModel {
  /**
   * The port name.
   * @default - unnamed
   */
  readonly name?: string;
  /** The Service port. */
  readonly port: number;
  /** `TCP`, `UDP` or `SCTP`. */
  readonly protocol: string;
  /** The target port, a number or a container port name, as a string. */
  readonly targetPort: string;
  /**
   * The node port.
   * @default - none
   */
  readonly nodePort?: number;
}

/** A modelled Service with its allocated addresses. */
export interface ServiceInfo {
  /** `namespace/name`. */
  readonly name: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  readonly type: string;
  /**
   * The ClusterIP, or `None` for a headless Service.
   * @default - none (ExternalName)
   */
  readonly clusterIp?: string;
  /**
   * Its ClusterIPs, one per family, primary first (`spec.clusterIPs`).
   * @default - only `clusterIp` (a single-stack Service)
   */
  readonly clusterIps?: string[];
  /** LoadBalancer ingress IPs. */
  readonly loadBalancerIps: string[];
  /** Ports with allocated node ports. */
  readonly ports: ServicePortModel[];
  /**
   * The node port of kube-proxy's health-check server (LoadBalancer with `externalTrafficPolicy: Local`).
   * @default - none
   */
  readonly healthCheckNodePort?: number;
}

/** What `reachability()` probes. */
export interface ReachabilityOptions {
  /**
   * Destination ports to probe, one table each.
   * @default - every container port the selected pods declare for the protocols (80 when none does)
   */
  readonly ports?: number[];
  /**
   * Protocols to probe: `TCP`, `UDP`, `SCTP`.
   * @default ['TCP']
   */
  readonly protocols?: string[];
  /**
   * Only pods of these namespaces, as sources and as destinations.
   * @default - every namespace
   */
  readonly namespaces?: string[];
}

/** A pod × pod truth table under the cluster's NetworkPolicies, grouped by workload. */
export interface ReachabilityResult {
  /** Rows and columns: the workloads (`Kind/namespace/name`, `Pod/namespace/name` for a bare pod), in pod order. */
  readonly groups: string[];
  /** One table per probed port and protocol. */
  readonly tables: ReachabilityTable[];
}

/** Reachability at one destination port and protocol. */
export interface ReachabilityTable {
  readonly port: number;
  readonly protocol: string;
  /**
   * `cells[i][j]`, from `groups[i]` to `groups[j]`: `allow` (every pod pair connects), `deny` (none
   * does), `partial` (some do, e.g. an ipBlock holding some pod IPs), `-` (no pair: a single pod and
   * itself, whose own traffic no policy sees).
   */
  readonly cells: string[][];
  /** Each denied pod pair and why. */
  readonly denied: ReachabilityDenial[];
}

/** A pod pair the policies keep apart. */
export interface ReachabilityDenial {
  /** The source pod, `namespace/name`. */
  readonly from: string;
  /** The destination pod, `namespace/name`. */
  readonly to: string;
  /** `egress` (the source's policies) or `ingress` (the destination's); egress is judged first. */
  readonly direction: string;
  /** The policies isolating that pod in that direction, `namespace/name`. */
  readonly policies: string[];
}
