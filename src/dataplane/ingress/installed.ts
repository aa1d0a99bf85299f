/**
 * An ingress-nginx controller the manifests install themselves (its Deployment or DaemonSet and
 * its Service, as the project's deploy manifests and chart ship them): the model then uses it —
 * its Service's LoadBalancer IP is the controller's address and kube-proxy carries the traffic
 * to its pods — instead of a controller of its own.
 */
import type { CompiledModel } from '../model';
import type { ServiceModel } from '../services';

/** The controller image of the project (registry.k8s.io/ingress-nginx/controller). */
const CONTROLLER_IMAGE = /(^|\/)ingress-nginx\/controller(:|@|$)/;

/** The controller's container: its image, or the controller binary or class flag in its command line (a mirrored image). */
function isController(c: any): boolean {
  if (typeof c?.image === 'string' && CONTROLLER_IMAGE.test(c.image)) return true;
  const argv = [...(Array.isArray(c?.command) ? c.command : []), ...(Array.isArray(c?.args) ? c.args : [])].map(String);
  return argv.some((a) => a.endsWith('/nginx-ingress-controller') || a === '--controller-class=k8s.io/ingress-nginx');
}

export interface InstalledController {
  /** `Deployment/namespace/name` or `DaemonSet/namespace/name`. */
  readonly workload: string;
  readonly service: ServiceModel;
  /** The Service's LoadBalancer IP. */
  readonly address: string;
}

/** The installed ingress-nginx controller reachable through a LoadBalancer Service, if any. */
export function findInstalledController(model: CompiledModel): InstalledController | undefined {
  const workloads = new Set<string>();
  for (const kind of ['apps/v1/Deployment', 'apps/v1/DaemonSet']) {
    for (const o of model.inventory.ofKind(kind)) {
      const containers: any[] = o.manifest.spec?.template?.spec?.containers ?? [];
      if (containers.some(isController)) workloads.add(o.ref);
    }
  }
  if (workloads.size === 0) return undefined;
  for (const service of model.services) {
    if (service.type !== 'LoadBalancer' || service.loadBalancerIPs.length === 0) continue;
    const pods = model.endpoints.selected.get(service.key) ?? [];
    const owner = pods.find((p) => p.owner !== undefined && workloads.has(p.owner))?.owner;
    if (owner) return { workload: owner, service, address: service.loadBalancerIPs[0] };
  }
  return undefined;
}
