/**
 * What a change to the manifests does to traffic, for a pull request: the requests whose answer
 * changes (compareRouting over both sides' routes), the findings introduced and fixed, and the
 * Services and ports added or removed. A route is lost when it answered 2xx before and no longer
 * does.
 */
import type { Cluster } from './cluster';
import { compareRouting, CompareRoutingOptions, RoutingDifference } from './compare';
import type { Diagnostic } from '../dataplane/types';

/** What changed between two versions of the manifests. */
export interface TrafficChange {
  /** Requests answered differently, with both answers and traces. */
  readonly routes: RoutingDifference[];
  /** Of `routes`, those that answered 2xx before and do not after. */
  readonly lostRoutes: RoutingDifference[];
  /** Findings (unsuppressed) only in the head. */
  readonly introduced: Diagnostic[];
  /** Findings (unsuppressed) only in the base. */
  readonly fixed: Diagnostic[];
  /** `namespace/name port/protocol` of Service ports only in the head. */
  readonly servicePortsAdded: string[];
  /** `namespace/name port/protocol` of Service ports only in the base. */
  readonly servicePortsRemoved: string[];
  /** The number of requests compared. */
  readonly requests: number;
}

const findingKey = (d: Diagnostic) => `${d.code}|${d.object}|${d.field ?? ''}`;
const ok = (status: number) => status >= 200 && status < 300;

function servicePorts(c: Cluster): Set<string> {
  return new Set(c.services.flatMap((s) => s.ports.map((p) => `${s.name} ${p.port}/${p.protocol}`)));
}

/** Compares the traffic of `base` (before the change) and `head` (after it). */
export function diffTraffic(base: Cluster, head: Cluster, options: CompareRoutingOptions = {}): TrafficChange {
  const routing = compareRouting(base, head, options);
  const active = (c: Cluster) => c.diagnostics.filter((d) => d.suppressed === undefined);
  const baseFindings = active(base);
  const headFindings = active(head);
  const baseKeys = new Set(baseFindings.map(findingKey));
  const headKeys = new Set(headFindings.map(findingKey));
  const basePorts = servicePorts(base);
  const headPorts = servicePorts(head);
  return {
    routes: routing.differences,
    lostRoutes: routing.differences.filter((d) => ok(d.before.status) && !ok(d.after.status)),
    introduced: headFindings.filter((d) => !baseKeys.has(findingKey(d))),
    fixed: baseFindings.filter((d) => !headKeys.has(findingKey(d))),
    servicePortsAdded: [...headPorts].filter((p) => !basePorts.has(p)).sort(),
    servicePortsRemoved: [...basePorts].filter((p) => !headPorts.has(p)).sort(),
    requests: routing.requests,
  };
}
