import { Construct } from 'constructs';
import { NodePortService, NodePortServiceProps } from './node-port';

/** Props of a LoadBalancerService. */
export interface LoadBalancerServiceProps extends NodePortServiceProps {
  /**
   * The node port on which kube-proxy answers health checks, when `externalTrafficPolicy` is
   * LOCAL.
   * @default - allocated by the API server when needed
   */
  readonly healthCheckNodePort?: number;
  /**
   * The load-balancer implementation to use (a qualified name, e.g. `example.com/internal-vip`).
   * @default - the cloud provider's default implementation
   */
  readonly loadBalancerClass?: string;
  /**
   * Client CIDRs allowed through the provider's load balancer, e.g. `203.0.113.0/24`.
   * @default - all sources
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * A specific load-balancer IP. Deprecated in Kubernetes 1.24 (its meaning differs across
   * providers); prefer the provider's annotation.
   * @default - assigned by the provider
   */
  readonly loadBalancerIP?: string;
  /**
   * Whether node ports are allocated; providers that route straight to pods can do without.
   * @default - Kubernetes defaults to true
   */
  readonly allocateLoadBalancerNodePorts?: boolean;
}

/**
 * A Service exposed through the cloud provider's load balancer (`type: LoadBalancer`), built on
 * node ports and a cluster IP — a NodePortService with a load balancer in front.
 */
export class LoadBalancerService extends NodePortService {
  private readonly loadBalancerProps: LoadBalancerServiceProps;

  constructor(scope: Construct, id: string, props: LoadBalancerServiceProps = {}) {
    super(scope, id, props);
    this.loadBalancerProps = props;
  }

  protected renderTypeSpec(): Record<string, unknown> {
    const p = this.loadBalancerProps;
    return {
      ...super.renderTypeSpec(),
      type: 'LoadBalancer',
      healthCheckNodePort: p.healthCheckNodePort,
      loadBalancerClass: p.loadBalancerClass,
      loadBalancerSourceRanges: p.loadBalancerSourceRanges?.length ? [...p.loadBalancerSourceRanges] : undefined,
      loadBalancerIP: p.loadBalancerIP,
      allocateLoadBalancerNodePorts: p.allocateLoadBalancerNodePorts,
    };
  }
}
