import { Construct } from 'constructs';
import { SelectingService, SelectingServiceProps } from './base';
import { ServicePortOptions } from './ports';

/** Props of a HeadlessService. */
export interface HeadlessServiceProps extends SelectingServiceProps {
  /**
   * The ports; optional, also when the Service has a selector.
   * @default - none
   */
  readonly ports?: ServicePortOptions[];
}

/**
 * A Service without a cluster IP (`clusterIP: None`): cluster DNS answers its name with the
 * pods' own IPs, and each pod of a StatefulSet that names it as its governing service gets a
 * stable name `<pod>.<service>`. Without a selector, its endpoints are managed by hand.
 */
export class HeadlessService extends SelectingService {
  constructor(scope: Construct, id: string, props: HeadlessServiceProps = {}) {
    super(scope, id, props);
    this.addPorts(props.ports);
  }

  /** Adds a port; it appears in the synthesized output even when added after construction. */
  public addPort(port: ServicePortOptions): void {
    this.addPortEntry(port);
  }

  protected renderTypeSpec(): Record<string, unknown> {
    return { type: 'ClusterIP', clusterIP: 'None', ...this.renderIpFamilies() };
  }
}
