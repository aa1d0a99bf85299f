import { Construct } from 'constructs';
import { SelectingService } from './base';
import { checkNotHeadless, ProxiedServiceProps, renderProxied } from './cluster-ip';
import { ExternalTrafficPolicy } from './enums';
import { NodePortServicePortOptions } from './ports';

/** Props of a NodePortService. */
export interface NodePortServiceProps extends ProxiedServiceProps {
  /**
   * The ports; more can be added with `addPort()`.
   * @default - none (at least one is required at synth)
   */
  readonly ports?: NodePortServicePortOptions[];
  /**
   * Which endpoints traffic from outside the cluster may reach.
   * @default - Kubernetes defaults to ExternalTrafficPolicy.CLUSTER
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
}

/**
 * A Service opened on a port of every node (`type: NodePort`), in addition to its cluster IP.
 */
export class NodePortService extends SelectingService {
  private readonly nodePortProps: NodePortServiceProps;

  constructor(scope: Construct, id: string, props: NodePortServiceProps = {}) {
    super(scope, id, props);
    checkNotHeadless(this, props);
    this.nodePortProps = props;
    for (const port of props.ports ?? []) this.addPortEntry(port);
  }

  /** Adds a port; it appears in the synthesized output even when added after construction. */
  public addPort(port: NodePortServicePortOptions): void {
    this.addPortEntry(port);
  }

  protected renderTypeSpec(): Record<string, unknown> {
    const { clusterIP, clusterIPs, ...rest } = renderProxied(this.nodePortProps);
    return {
      type: 'NodePort',
      clusterIP,
      clusterIPs,
      ...this.renderIpFamilies(),
      ...rest,
      externalTrafficPolicy: this.nodePortProps.externalTrafficPolicy,
    };
  }
}
