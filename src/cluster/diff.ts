/**
 * What a change to the manifests does to traffic, for a pull request: the requests whose answer
 * changes (compareRouting over both sides' routes), the findings introduced and fixed, and the
 * Services and ports added or removed, and the workload pairs the NetworkPolicies now keep apart or
 * let through. A route is lost when it answered 2xx before and no longer does.
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
  /** `from → to port/protocol` (workloads) that connected before and no longer do under the NetworkPolicies. */
  readonly reachabilityLost: string[];
  /** `from → to port/protocol` that connect now and did not before. */
  readonly reachabilityGained: string[];
  /** The number of requests compared. */
  readonly requests: number;
}

/** Workload pairs by port that connect (`allow` or `partial`), keyed `from → to port/protocol`. */
function connectingPairs(c: Cluster): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const r = c.reachability();
  for (const t of r.tables) {
    t.cells.forEach((row, i) => row.forEach((cell, j) => {
      if (cell !== '-') out.set(`${r.groups[i]} → ${r.groups[j]} ${t.port}/${t.protocol}`, cell !== 'deny');
    }));
  }
  return out;
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
  const baseReach = connectingPairs(base);
  const headReach = connectingPairs(head);
  const both = [...baseReach.keys()].filter((k) => headReach.has(k));
  const basePorts = servicePorts(base);
  const headPorts = servicePorts(head);
  return {
    routes: routing.differences,
    lostRoutes: routing.differences.filter((d) => ok(d.before.status) && !ok(d.after.status)),
    introduced: headFindings.filter((d) => !baseKeys.has(findingKey(d))),
    fixed: baseFindings.filter((d) => !headKeys.has(findingKey(d))),
    servicePortsAdded: [...headPorts].filter((p) => !basePorts.has(p)).sort(),
    servicePortsRemoved: [...basePorts].filter((p) => !headPorts.has(p)).sort(),
    reachabilityLost: both.filter((k) => baseReach.get(k) && !headReach.get(k)),
    reachabilityGained: both.filter((k) => !baseReach.get(k) && headReach.get(k)),
    requests: routing.requests,
  };
}
