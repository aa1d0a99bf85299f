import { FieldError } from '../api';
import { FieldPath, invalid, required } from '../api/field-path';
import { IKubernetesResource } from '../core/kubernetes-resource';
import { foreignServiceReference, IServiceReference, Protocol, ServicePortInfo } from '../service/reference';

/** Which port of the Service an Ingress backend sends traffic to. */
export interface ServiceBackendOptions {
  /**
   * The Service port number.
   * @default - the Service's only port; an error at synth when it has several or none
   */
  readonly port?: number;
  /**
   * The Service port name, instead of `port`.
   * @default - use `port`
   */
  readonly portName?: string;
}

/** A resource backend: an object in the Ingress's namespace, e.g. a storage bucket of some CRD. */
export interface ResourceBackendOptions {
  /**
   * The resource's API group.
   * @default - the core group
   */
  readonly apiGroup?: string;
  /** The resource's kind. */
  readonly kind: string;
  /** The resource's name. */
  readonly name: string;
}

function describePorts(ports: ServicePortInfo[]): string {
  return ports.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ');
}

/** Where an Ingress sends matching requests: a Service port or another resource. */
export class IngressBackend {
  /**
   * A Service of this library or one referenced with `ServiceReference.fromAttributes`.
   * The port is resolved at synth time, so ports added after this call count.
   */
  public static fromService(service: IServiceReference, options: ServiceBackendOptions = {}): IngressBackend {
    if (options.port !== undefined && options.portName !== undefined) {
      throw new Error(`IngressBackend.fromService(${service.serviceName}): give port or portName, not both`);
    }
    return new IngressBackend(service, options, undefined);
  }

  /**
   * A cdk8s-plus Service of any major (27 … 33), or another construct that synthesizes a
   * `v1/Service`; its ports are read from its synthesized spec.
   */
  public static fromPlusService(service: IKubernetesResource, options: ServiceBackendOptions = {}): IngressBackend {
    return IngressBackend.fromService(foreignServiceReference(service, 'IngressBackend.fromPlusService'), options);
  }

  /** A resource backend (mutually exclusive with a Service in Kubernetes). */
  public static fromResource(options: ResourceBackendOptions): IngressBackend {
    return new IngressBackend(undefined, {}, options);
  }

  private constructor(
    private readonly service: IServiceReference | undefined,
    private readonly options: ServiceBackendOptions,
    private readonly resource: ResourceBackendOptions | undefined,
  ) {}

  /**
   * The backend as a manifest fragment plus the problems found resolving it against the
   * Service's ports and the Ingress's namespace. `path` is where the fragment goes.
   * @internal
   */
  public _render(path: FieldPath, ingressNamespace: string | undefined): { backend: any; errors: FieldError[] } {
    if (!this.service) {
      const r = this.resource!;
      return { backend: { resource: { ...(r.apiGroup !== undefined ? { apiGroup: r.apiGroup } : {}), kind: r.kind, name: r.name } }, errors: [] };
    }
    const svc = this.service;
    const name = svc.serviceName;
    const errors: FieldError[] = [];
    const servicePath = path.child('service');
    const ns = svc.serviceNamespace;
    if (ns !== undefined && ingressNamespace !== undefined && ns !== ingressNamespace) {
      errors.push(invalid(servicePath.child('name'), name, `Service is in namespace "${ns}" but the Ingress is in "${ingressNamespace}"; an Ingress can only route to Services in its own namespace`));
    }
    const ports = svc.listPorts();
    const portPath = servicePath.child('port');
    let port: any;
    let chosen: ServicePortInfo | undefined;
    if (this.options.portName !== undefined) {
      port = { name: this.options.portName };
      chosen = ports.find((p) => p.name === this.options.portName);
      if (ports.length > 0 && !chosen) {
        errors.push(invalid(portPath.child('name'), this.options.portName, `Service "${name}" has no port named "${this.options.portName}" (its ports: ${describePorts(ports)})`));
      }
    } else if (this.options.port !== undefined) {
      port = { number: this.options.port };
      chosen = ports.find((p) => p.port === this.options.port);
      if (ports.length > 0 && !chosen) {
        errors.push(invalid(portPath.child('number'), this.options.port, `Service "${name}" has no port ${this.options.port} (its ports: ${describePorts(ports)})`));
      }
    } else if (ports.length === 1) {
      chosen = ports[0];
      port = { number: chosen.port };
    } else if (ports.length === 0) {
      errors.push(required(portPath, `Service "${name}" lists no ports; give the backend a port or portName`));
    } else {
      errors.push(required(portPath, `Service "${name}" has several ports (${describePorts(ports)}); give the backend a port or portName`));
    }
    if (chosen?.protocol !== undefined && chosen.protocol !== Protocol.TCP) {
      errors.push(invalid(portPath, chosen.port, `Service "${name}" port ${chosen.port} is ${chosen.protocol}; an Ingress carries HTTP over TCP`));
    }
    return { backend: { service: { name, port: port ?? {} } }, errors };
  }
}
