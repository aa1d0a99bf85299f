import { App, Chart } from 'cdk8s';
import { runChecks } from '../checks';
import { applySuppressions } from '../checks/suppressions';
import { Dataplane } from '../dataplane/dataplane';
import { ManifestError } from '../dataplane/errors';
import { GatewayClassStatus, GatewayStatus, RouteParentStatus } from '../dataplane/gateway/types';
import { IngressStatus } from '../dataplane/ingress/types';
import { parseYamlDocuments, readManifestDirectory } from '../dataplane/loader';
import {
  ClusterOptions, ConnectOptions, ConnectResult, Diagnostic, NodeInfo, PodInfo, ReachabilityOptions, ReachabilityResult,
  RequestOptions, RequestResult, ResolveOptions, ResolveResult, ServiceInfo, Suppression,
} from '../dataplane/types';

/**
 * A modelled Kubernetes 1.27 cluster running the given manifests: cluster DNS (CoreDNS),
 * kube-proxy and (with the ingress controller model) an ingress controller. Compiled once;
 * every query is a few hash lookups and returns a hop-by-hop trace.
 *
 * Randomness (iptables' random endpoint pick) comes from a seeded generator and ClientIP
 * session affinity runs on a virtual clock, so the same queries in the same order give the
 * same answers; certificate checks are judged at `ClusterOptions.now`.
 */
export class Cluster {
  /** Models a cluster running these manifest objects (plain objects, as `kubectl apply` takes them). */
  public static fromManifests(objects: any[], options?: ClusterOptions): Cluster {
    if (!Array.isArray(objects)) throw new ManifestError(`Cluster.fromManifests: expected a list of manifest objects, got ${objects === null ? 'null' : typeof objects}`);
    return new Cluster(objects, options);
  }

  /** Models a cluster running multi-document YAML (or JSON) text. Throws ManifestError when the text is not valid YAML. */
  public static fromYaml(text: string, options?: ClusterOptions): Cluster {
    return new Cluster(parseYamlDocuments(text), options);
  }

  /** Models a cluster running one cdk8s chart's objects. */
  public static fromChart(chart: Chart, options?: ClusterOptions): Cluster {
    return new Cluster(chart.toJson(), options);
  }

  /** Models a cluster running every chart of a cdk8s app, in dependency order. */
  public static fromApp(app: App, options?: ClusterOptions): Cluster {
    const docs: unknown[] = [];
    for (const chart of app.charts) docs.push(...chart.toJson());
    return new Cluster(docs, options);
  }

  /** Models a cluster running every YAML/JSON file of a directory (a cdk8s `dist/`), in file name order. */
  public static fromDirectory(dir: string, options?: ClusterOptions): Cluster {
    return new Cluster(readManifestDirectory(dir), options);
  }

  /** The compiled dataplane (for the CLI's graph, which draws its tables). @internal */
  public readonly _dataplane: Dataplane;
  private readonly checkedAt: Date;
  private readonly suppressions: readonly Suppression[];
  private checked?: Diagnostic[];

  private constructor(documents: readonly unknown[], options: ClusterOptions | undefined) {
    const now = options?.now ?? new Date();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new Error(`Cluster options: now must be a valid Date, got ${String(now)}`);
    this.checkedAt = now;
    if (options?.suppressions !== undefined && !Array.isArray(options.suppressions)) throw new Error('Cluster options: suppressions must be a list of { code, object?, reason }');
    this.suppressions = options?.suppressions ?? [];
    this._dataplane = Dataplane.compile(documents, options);
  }

  /**
   * Whether the ingress controller serves the Ingress `namespace/name`, and why
   * (IngressClass, legacy class annotation, default class).
   */
  public ingressStatus(ingress: string): IngressStatus {
    return this._dataplane.ingressStatus(ingress);
  }

  /**
   * How the Gateway API controller sees the Gateway `namespace/name`: Accepted, Programmed,
   * address, and each listener's conditions and attached routes.
   */
  public gatewayStatus(gateway: string): GatewayStatus {
    return this._dataplane.gatewayStatus(gateway);
  }

  /** The status of the HTTPRoute `namespace/name` for each of its parentRefs (status.parents). */
  public routeStatus(route: string): RouteParentStatus[] {
    return this._dataplane.routeStatus(route);
  }

  /** How the Gateway API controller sees the GatewayClass `name` (Accepted, observedGeneration). */
  public gatewayClassStatus(name: string): GatewayClassStatus {
    return this._dataplane.gatewayClassStatus(name);
  }

  /**
   * The ingress controller's external IP address.
   * @default - none when no Ingress exists and no controller is configured
   */
  public get ingressControllerAddress(): string | undefined {
    return this._dataplane.ingressControllerAddress;
  }

  /**
   * What the inventory and the model found (rejected objects, duplicates, allocation conflicts)
   * followed by the findings of the checks (src/checks), with certificates judged at
   * `ClusterOptions.now`; computed once on first use.
   */
  public get diagnostics(): Diagnostic[] {
    const { model, ingress, gateway } = this._dataplane;
    const now = this.checkedAt.getTime();
    const findings = () => [...model.diagnostics, ...runChecks(model, ingress.controller, { now, gateway: gateway.controller })];
    this.checked ??= applySuppressions(findings(), model.inventory, this.suppressions);
    return [...this.checked];
  }

  /** The modelled nodes. */
  public get nodes(): NodeInfo[] {
    return this._dataplane.nodes;
  }

  /** Every pod the workloads create, in manifest order. */
  public get pods(): PodInfo[] {
    return this._dataplane.pods;
  }

  /** Every Service that exists, with its allocated addresses. */
  public get services(): ServiceInfo[] {
    return this._dataplane.services;
  }

  /** Seconds on the virtual clock (starts at 0). */
  public get now(): number {
    return this._dataplane.now;
  }

  /** Moves the virtual clock forward, e.g. past a ClientIP affinity timeout. */
  public advanceClock(seconds: number): void {
    this._dataplane.advanceClock(seconds);
  }

  /**
   * Looks a name up in cluster DNS the way a pod's resolver would (CoreDNS `kubernetes` plugin,
   * kubelet's resolv.conf search path with `ndots:5` when `fromNamespace` is given).
   */
  public resolve(name: string, options: ResolveOptions = {}): ResolveResult {
    return this._dataplane.resolve(name, options);
  }

  /** Opens one connection to `ip:port` and follows it through kube-proxy. */
  public connect(options: ConnectOptions): ConnectResult {
    return this._dataplane.connect(options);
  }

  /**
   * Sends one HTTP(S) request. From a pod (or an in-cluster IP) the URL host is resolved with
   * cluster DNS and the connection goes through kube-proxy; from outside, the ingress controller
   * (when modelled), node IPs (node ports), LoadBalancer IPs and externalIPs are reachable.
   */
  public request(options: RequestOptions): RequestResult {
    return this._dataplane.request(options);
  }

  /**
   * A pod × pod truth table (grouped by workload) of which pods can connect to which under the
   * NetworkPolicies, per port and protocol, with the policies behind each denial.
   */
  public reachability(options: ReachabilityOptions = {}): ReachabilityResult {
    return this._dataplane.reachability(options);
  }
}
