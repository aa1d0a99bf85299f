import { Construct } from 'constructs';
import { ServiceBase, ServiceBaseProps } from './base';
import { ServicePortOptions } from './ports';

/** Props of an ExternalNameService. */
export interface ExternalNameServiceProps extends ServiceBaseProps {
  /** The DNS name the Service's name resolves to as a CNAME, e.g. `db.example.com`. */
  readonly externalName: string;
  /**
   * Ports, for clients (such as Ingress backends) that look them up; DNS ignores them.
   * @default - none
   */
  readonly ports?: ServicePortOptions[];
}

/**
 * A DNS alias (`type: ExternalName`): cluster DNS answers the Service's name with a CNAME to
 * `externalName`. No cluster IP, no proxying, no selector.
 */
export class ExternalNameService extends ServiceBase {
  /** The CNAME target. */
  public readonly externalName: string;

  constructor(scope: Construct, id: string, props: ExternalNameServiceProps) {
    super(scope, id, props);
    this.externalName = props.externalName;
    this.addPorts(props.ports);
  }

  /** Adds a port; it appears in the synthesized output even when added after construction. */
  public addPort(port: ServicePortOptions): void {
    this.addPortEntry(port);
  }

  protected renderTypeSpec(): Record<string, unknown> {
    return { type: 'ExternalName', externalName: this.externalName };
  }
}
