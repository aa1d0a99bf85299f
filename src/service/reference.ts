/** Transport protocols a Service port can carry. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** What an Ingress backend needs to know about one port of a Service. */
export interface ServicePortInfo {
  /** The port the Service exposes. */
  readonly port: number;
  /**
   * The port's name; required by Kubernetes when a Service has more than one port.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The port's protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/**
 * A Service that an Ingress backend (or anything else) can point at: one of this library's
 * Service constructs, or an existing Service this app does not synthesize.
 */
export interface IServiceReference {
  /** The Service's `metadata.name`. */
  readonly serviceName: string;
  /**
   * The Service's namespace.
   * @default - the namespace of the referencing object's chart
   */
  readonly serviceNamespace?: string;
  /** The Service's ports as they are at synth time (ports added after construction count). */
  listPorts(): ServicePortInfo[];
}

/** Attributes of an existing Service that this app does not synthesize. */
export interface ServiceReferenceAttributes {
  /** The Service's `metadata.name`. */
  readonly name: string;
  /**
   * The Service's namespace.
   * @default - the namespace of the referencing object's chart
   */
  readonly namespace?: string;
  /**
   * The Service's ports, so that backends can be checked and ports resolved by name.
   * @default - no ports known: backends must give a port number
   */
  readonly ports?: ServicePortInfo[];
}

/** A reference to an existing Service, e.g. one installed by another team or a Helm chart. */
export class ServiceReference implements IServiceReference {
  /** Refers to an existing Service by name, namespace and ports. */
  public static fromAttributes(attrs: ServiceReferenceAttributes): IServiceReference {
    return new ServiceReference(attrs);
  }

  public readonly serviceName: string;
  public readonly serviceNamespace?: string;
  private readonly ports: ServicePortInfo[];

  private constructor(attrs: ServiceReferenceAttributes) {
    this.serviceName = attrs.name;
    this.serviceNamespace = attrs.namespace;
    this.ports = [...(attrs.ports ?? [])];
  }

  public listPorts(): ServicePortInfo[] {
    return [...this.ports];
  }
}
