import { Construct } from 'constructs';
import { SelectingService, SelectingServiceProps } from './base';
import { ExternalTrafficPolicy, InternalTrafficPolicy } from './enums';
import { ServicePortOptions } from './ports';
import { SessionAffinity } from './session-affinity';

/** Props shared by the Service types that get a cluster IP and are proxied by kube-proxy. */
export interface ProxiedServiceProps extends SelectingServiceProps {
  /**
   * A specific cluster IP from the service CIDR.
   * @default - allocated by the API server
   */
  readonly clusterIP?: string;
  /**
   * Cluster IPs, at most one per IP family (dual-stack). The first must equal `clusterIP` when
   * both are given; when only `clusterIPs` is given, `clusterIP` is set to its first entry.
   * @default - allocated by the API server
   */
  readonly clusterIPs?: string[];
  /**
   * Which endpoints in-cluster clients reach.
   * @default - Kubernetes defaults to InternalTrafficPolicy.CLUSTER
   */
  readonly internalTrafficPolicy?: InternalTrafficPolicy;
  /**
   * Client-IP stickiness.
   * @default - Kubernetes defaults to no affinity
   */
  readonly sessionAffinity?: SessionAffinity;
  /**
   * IPs outside the cluster whose traffic to the service ports every node accepts.
   * Warning: any user who can create Services can claim any IP this way and intercept its
   * traffic (CVE-2020-8554); many clusters block the field with an admission policy.
   * @default - none
   */
  readonly externalIPs?: string[];
}

/** Props of a ClusterIpService. */
export interface ClusterIpServiceProps extends ProxiedServiceProps {
  /**
   * The ports; more can be added with `addPort()`.
   * @default - none (at least one is required at synth)
   */
  readonly ports?: ServicePortOptions[];
  /**
   * Which endpoints traffic arriving on `externalIPs` may reach; only meaningful with `externalIPs`.
   * Kubernetes 1.29 and later only (kubernetes#119150): set the construct context
   * `cdk8s-traffic/kubernetesVersion` to the cluster's minor, else synth refuses it as 1.27 does.
   * @default - Kubernetes (1.29+) defaults to ExternalTrafficPolicy.CLUSTER when externalIPs are set
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
}

/** Renders the fields of ProxiedServiceProps; shared by ClusterIP, NodePort and LoadBalancer. */
export function renderProxied(props: ProxiedServiceProps): Record<string, unknown> {
  const clusterIP = props.clusterIP ?? props.clusterIPs?.[0];
  return {
    clusterIP,
    clusterIPs: props.clusterIPs?.length ? [...props.clusterIPs] : undefined,
    externalIPs: props.externalIPs?.length ? [...props.externalIPs] : undefined,
    internalTrafficPolicy: props.internalTrafficPolicy,
    ...props.sessionAffinity?._render(),
  };
}

/** Refuses `None`: a Service without a cluster IP is a HeadlessService. */
export function checkNotHeadless(scope: Construct, props: ProxiedServiceProps): void {
  if (props.clusterIP === 'None' || props.clusterIPs?.[0] === 'None') {
    throw new Error(`${scope.node.path}: spec.clusterIP: "None" makes a headless Service; use HeadlessService`);
  }
}

/**
 * A Service reachable inside the cluster on a virtual IP (`type: ClusterIP`), load-balanced by
 * kube-proxy across the selected pods.
 */
export class ClusterIpService extends SelectingService {
  private readonly props: ClusterIpServiceProps;

  constructor(scope: Construct, id: string, props: ClusterIpServiceProps = {}) {
    super(scope, id, props);
    checkNotHeadless(this, props);
    this.props = props;
    this.addPorts(props.ports);
  }

  /** Adds a port; it appears in the synthesized output even when added after construction. */
  public addPort(port: ServicePortOptions): void {
    this.addPortEntry(port);
  }

  protected renderTypeSpec(): Record<string, unknown> {
    const { clusterIP, clusterIPs, ...rest } = renderProxied(this.props);
    return {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs,
      ...this.renderIpFamilies(),
      ...rest,
      externalTrafficPolicy: this.props.externalTrafficPolicy,
    };
  }
}
