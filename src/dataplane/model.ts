/**
 * The compiled model's shape (internal): what `compile` produces and what the components built
 * on it (the ingress controller's entry, the checks) read. Types only, so that those components
 * and the dataplane that wires them import this file rather than each other.
 */
import type { ClusterDns, DnsSettings } from './dns';
import type { EndpointsTable } from './endpoints';
import type { Inventory } from './inventory';
import type { Ipam } from './ipam';
import type { NetworkPolicies } from './network-policy';
import type { Clock, KubeProxy, ProxyOutcome, ResolvedKubeProxyOptions } from './proxy';
import type { ServiceModel } from './services';
import type { Trace } from './trace';
import type { ClusterOptions, Diagnostic, RequestOptions, RequestResult } from './types';
import type { Cidr, HttpUrl, Prng } from './util';
import type { Workloads } from './workloads';
import type { KubernetesFeatures } from '../api/versions';

/** Options with every default applied (internal). */
export interface ResolvedClusterOptions {
  /** The Kubernetes minor and its features (gates applied). */
  readonly kubernetes: KubernetesFeatures;
  readonly nodes: number;
  readonly proxyMode: string;
  readonly seed: number;
  readonly clusterDomain: string;
  /** `serviceCidr`: one range per family, primary first. */
  readonly serviceCidrs: readonly Cidr[];
  /** `podCidr`: one range per family, primary first. */
  readonly podCidrs: readonly Cidr[];
  readonly nodePortMin: number;
  readonly nodePortMax: number;
  readonly notReadyPods: ReadonlySet<string>;
  readonly replicas: ReadonlyMap<string, number>;
  readonly kubeProxy: ResolvedKubeProxyOptions;
  readonly dns: DnsSettings;
  /** `enforce` or `ignore` (a CNI without policy support). */
  readonly networkPolicy: string;
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
  readonly networkPolicies: NetworkPolicies;
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
  /** Opens a connection from the request's client through the cluster (kube-proxy), for a front door installed as pods behind a Service. */
  readonly connect: (ip: string, port: number, trace: Trace) => ProxyOutcome;
}

/**
 * A component that takes requests entering from outside before node-port and load-balancer
 * routing — the ingress controller model. `enter` returns undefined when the request is not
 * addressed to it (internal).
 */
export interface ExternalEntry {
  enter(request: ExternalRequest, trace: Trace): RequestResult | undefined;
}
