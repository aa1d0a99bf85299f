import { ApiObject } from 'cdk8s';
import { apiObjectOf, IKubernetesResource } from '../core/kubernetes-resource';
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

/**
 * Adapts a Service construct of another library (cdk8s-plus of any major): its name, namespace
 * and ports as its ApiObject synthesizes them.
 */
class ForeignServiceReference implements IServiceReference {
  public readonly serviceName: string;
  public readonly serviceNamespace?: string;

  constructor(private readonly service: ApiObject) {
    this.serviceName = service.name;
    this.serviceNamespace = service.metadata.namespace;
  }

  public listPorts(): ServicePortInfo[] {
    const ports: unknown = this.service.toJson().spec?.ports;
    return (Array.isArray(ports) ? ports : []).map((p) => ({ port: p.port, name: p.name, protocol: p.protocol as Protocol | undefined }));
  }
}

/**
 * The Service a construct of another library synthesizes (a cdk8s-plus Service of any major), as
 * a reference backends can name; `caller` names the API in the error for anything else. @internal
 */
export function foreignServiceReference(service: IKubernetesResource, caller: string): IServiceReference {
  const apiObject = apiObjectOf(service);
  if (!apiObject || apiObject.apiVersion !== 'v1' || apiObject.kind !== 'Service') {
    const what = apiObject ? `${apiObject.kind} (${apiObject.apiVersion})` : 'a construct without an ApiObject';
    throw new Error(`${caller}(${service.node.path}): expected a construct that synthesizes a v1 Service, got ${what}`);
  }
  return new ForeignServiceReference(apiObject);
}
