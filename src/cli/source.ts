import { isIP } from 'node:net';
import type { Cluster } from '../cluster';
import type { Hop, TrafficSource } from '../dataplane/types';

/** A `--from` (or scenario `from:`) the command cannot use: one line, exit 2. */
export class SourceError extends Error {}

/** kubectl's resource names and short names for the kinds a request can come from. */
const WORKLOAD_KINDS: ReadonlyArray<{ readonly names: readonly string[]; readonly kind: string }> = [
  { names: ['deploy', 'deployment', 'deployments'], kind: 'Deployment' },
  { names: ['sts', 'statefulset', 'statefulsets'], kind: 'StatefulSet' },
  { names: ['ds', 'daemonset', 'daemonsets'], kind: 'DaemonSet' },
  { names: ['rs', 'replicaset', 'replicasets'], kind: 'ReplicaSet' },
  { names: ['job', 'jobs'], kind: 'Job' },
];
const POD_NAMES = ['po', 'pod', 'pods'];
const NODE_NAMES = ['no', 'node', 'nodes'];

/** Where a request comes from, as written: an IP, a pod, a workload's pod or a node. */
export type SourceSpec =
  | { readonly ip: string }
  | { readonly pod: string }
  | { readonly workload: string; readonly kind: string; readonly text: string }
  | { readonly node: string; readonly text: string };

const FORMS = 'an IP address, pod/<namespace>/<name>, deploy|sts|ds|rs|job/<namespace>/<name> or node/<name>';

/** Parses `--from`: kubectl's `TYPE/…` forms (with the namespace in the path) or an IP address. */
export function parseSource(text: string, where: string): SourceSpec {
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (isIP(text) === 0) throw new SourceError(`${where}: "${text}" is not ${FORMS}`);
    return { ip: text };
  }
  const type = text.slice(0, slash).toLowerCase();
  const rest = text.slice(slash + 1);
  const namespaced = /^[^/]+\/[^/]+$/.test(rest);
  if (POD_NAMES.includes(type)) {
    if (!namespaced) throw new SourceError(`${where}: write a pod as pod/<namespace>/<name>, got "${text}"`);
    return { pod: rest };
  }
  if (NODE_NAMES.includes(type)) {
    if (!/^[^/]+$/.test(rest)) throw new SourceError(`${where}: write a node as node/<name>, got "${text}"`);
    return { node: rest, text };
  }
  const workload = WORKLOAD_KINDS.find((w) => w.names.includes(type));
  if (!workload) throw new SourceError(`${where}: unknown resource type "${text.slice(0, slash)}" in "${text}"; use ${FORMS}`);
  if (!namespaced) throw new SourceError(`${where}: write a ${workload.kind} as ${type}/<namespace>/<name>, got "${text}"`);
  return { workload: `${workload.kind}/${rest}`, kind: workload.kind, text };
}

/**
 * The model's source for a parsed `--from`, and the hop saying which pod or node stands for a
 * workload or node (the first ready pod of the workload in the model's order, as `kubectl exec
 * deploy/…` picks one pod).
 */
export function resolveSource(cluster: Cluster, spec: SourceSpec, where: string): { from: TrafficSource; hops: Hop[] } {
  if ('ip' in spec) return { from: { ip: spec.ip }, hops: [] };
  if ('pod' in spec) return { from: { pod: spec.pod }, hops: [] };
  if ('node' in spec) {
    const node = cluster.nodes.find((n) => n.name === spec.node);
    if (!node) throw new SourceError(`${where}: no node ${spec.node} in the model (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
    return { from: { ip: node.ip }, hops: [{ component: 'client', action: 'source', text: `${spec.text}: the node's InternalIP ${node.ip} (host network)` }] };
  }
  const pods = cluster.pods.filter((p) => p.owner === spec.workload);
  const ready = pods.find((p) => p.ready && p.ip !== '');
  if (!ready) {
    const [, namespace, name] = spec.workload.split('/');
    const why = pods.length ? `none of its ${pods.length} pods is ready` : 'it has no pods in the model (is it in the manifests?)';
    throw new SourceError(`${where}: ${spec.text}: cannot send from ${spec.kind} ${namespace}/${name}: ${why}`);
  }
  const text = `${spec.text}: the first ready pod of ${spec.kind} ${spec.workload.slice(spec.kind.length + 1)} is ${ready.name} (${ready.ip})`;
  return { from: { pod: ready.name }, hops: [{ component: 'client', action: 'source', text, object: spec.workload }] };
}
