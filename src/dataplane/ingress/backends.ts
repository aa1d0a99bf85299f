/**
 * Ingress backends resolved against the cluster's Services at compile time (internal). Which
 * Service port a backend means is the profile's rule, passed in by its compiler.
 */
import { IngressEndpointSource } from './types';
import type { UpstreamEndpoints } from '../routing/engine';
import { ResolvedServicePort, RouteBackend } from '../routing/ir';

/** A Service port as the manifest writes it (API-server defaults applied). */
export interface ServicePortView {
  readonly port: number;
  readonly name?: string;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

/** A profile's rule for the Service port a backend's `port` (number or name) means. */
export interface PortRule {
  readonly find: (ports: readonly ServicePortView[], wanted: number | string | undefined) => ServicePortView | undefined;
  /** How the rule matches, for the 503 trace line (e.g. ` (by port, targetPort or name)`). */
  readonly description: string;
}

/** Resolves `{ service, port }` backends of one namespace into route backends. */
export class BackendResolver {
  private readonly services = new Map<string, any>();

  public constructor(services: readonly unknown[], private readonly portRule: PortRule) {
    for (const s of services as any[]) this.services.set(`${s?.metadata?.namespace ?? 'default'}/${s?.metadata?.name}`, s);
  }

  /** The route backend for Service `name` port `wanted` (number or name), named by an Ingress in `namespace`. */
  public resolve(namespace: string, name: string, wanted: number | string | undefined): RouteBackend {
    const service = `${namespace}/${name}`;
    const svc = this.services.get(service);
    // ingress-nginx names the upstream after the port asked for (upstreamName), whether or not the Service has it.
    const asked = wanted === undefined ? {} : { requestedPort: wanted };
    if (!svc) return { service, problem: `Service ${service} does not exist`, ...asked, weight: 1 };
    if (svc.spec?.type === 'ExternalName') {
      return { service, problem: `Service ${service} is an ExternalName Service (${svc.spec.externalName}); upstreams outside the cluster are not modelled`, ...asked, weight: 1 };
    }
    const ports: ServicePortView[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
    const found = this.portRule.find(ports, wanted);
    if (!found) return { service, problem: `Service ${service} has no port matching ${JSON.stringify(wanted)}${this.portRule.description}: no upstream`, ...asked, weight: 1 };
    const port: ResolvedServicePort = {
      port: found.port,
      ...(found.name ? { name: found.name } : {}),
      targetPort: String(found.targetPort ?? found.port),
      protocol: found.protocol ?? 'TCP',
      ...(found.appProtocol ? { appProtocol: found.appProtocol } : {}),
    };
    return { service, port, weight: 1 };
  }
}

/** Adapts the cluster's endpoint lookup to the engine's. */
export function upstreamEndpoints(source: IngressEndpointSource): UpstreamEndpoints {
  return (backend) => {
    const slash = backend.service.indexOf('/');
    return backend.port ? source(backend.service.slice(0, slash), backend.service.slice(slash + 1), backend.port) : [];
  };
}
