/**
 * The model's view of a Service that kube-apiserver accepted: typed fields with the v1 defaults
 * (SetDefaults_Service, applied by `setServiceDefaults` in service.ts) already in place.
 */
import { DEFAULT_CLIENT_IP_AFFINITY_SECONDS, LB_SOURCE_RANGES_ANNOTATION } from './service';

/** A port of a Service the API server accepted, with its defaults (internal). */
export interface ServicePortSpec {
  /** The port name, `''` when unnamed. */
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  /** A port number, or a container port name (FindPort resolves it per pod). */
  readonly targetPort: number | string;
  /** The requested node port; undefined when the allocator is to pick one. */
  readonly nodePort?: number;
}

/** The spec of a Service the API server accepted, typed, with SetDefaults_Service applied (internal). */
export interface ServiceSpec {
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  readonly type: string;
  readonly ports: readonly ServicePortSpec[];
  /** `{}` when the Service has none. */
  readonly selector: Readonly<Record<string, string>>;
  /** The requested `spec.clusterIP` (`None` for headless); undefined when the allocator is to pick one. */
  readonly clusterIP?: string;
  readonly externalIPs: readonly string[];
  readonly externalName?: string;
  /** `None` or `ClientIP`. */
  readonly sessionAffinity: string;
  /** The ClientIP affinity timeout; the API server's default when affinity is None. */
  readonly affinityTimeoutSeconds: number;
  /** `Cluster` or `Local`; undefined for a Service that is not externally accessible. */
  readonly externalTrafficPolicy?: string;
  /** `Cluster` or `Local`; undefined for ExternalName. */
  readonly internalTrafficPolicy?: string;
  readonly publishNotReadyAddresses: boolean;
  readonly allocateLoadBalancerNodePorts: boolean;
  readonly loadBalancerIP?: string;
  /** `spec.loadBalancerSourceRanges`, else the legacy annotation's list (GetLoadBalancerSourceRanges), trimmed. */
  readonly loadBalancerSourceRanges: readonly string[];
  /** `PreferClose`, `PreferSameZone` or `PreferSameNode`, as the version accepted it; undefined when absent or dropped. */
  readonly trafficDistribution?: string;
}

/**
 * The typed view of a Service that `setServiceDefaults` and `validateService` have passed (the
 * model's inventory holds only such objects), so every field has its checked type and default.
 */
export function readServiceSpec(manifest: any): ServiceSpec {
  const spec = manifest.spec;
  const ports: ServicePortSpec[] = (spec.ports ?? []).map((p: any) => ({
    name: p.name ?? '',
    port: p.port,
    protocol: p.protocol,
    targetPort: p.targetPort,
    nodePort: p.nodePort || undefined,
  }));
  return {
    type: spec.type,
    ports,
    selector: spec.selector ?? {},
    clusterIP: spec.clusterIP || undefined,
    externalIPs: spec.externalIPs ?? [],
    externalName: spec.externalName || undefined,
    sessionAffinity: spec.sessionAffinity,
    affinityTimeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_AFFINITY_SECONDS,
    externalTrafficPolicy: spec.externalTrafficPolicy || undefined,
    internalTrafficPolicy: spec.internalTrafficPolicy ?? undefined,
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts !== false,
    loadBalancerIP: spec.loadBalancerIP || undefined,
    loadBalancerSourceRanges: loadBalancerSourceRanges(spec.loadBalancerSourceRanges, manifest.metadata?.annotations?.[LB_SOURCE_RANGES_ANNOTATION]),
    trafficDistribution: spec.trafficDistribution ?? undefined,
  };
}

/** pkg/apis/core/v1/helper GetLoadBalancerSourceRanges: the spec's list, else the annotation's comma-separated one. */
function loadBalancerSourceRanges(specRanges: string[] | undefined, annotation: string | undefined): string[] {
  if (specRanges?.length) return specRanges.map((r) => r.trim());
  const value = annotation?.trim();
  return value ? value.split(',').map((r) => r.trim()) : [];
}
