import type { Cluster } from '../cluster';
import type { PortEndpoints } from '../dataplane/endpoints';
import { joinHostPort } from '../dataplane/util';

interface Edge {
  readonly ingress?: string;
  /** The Gateway (`namespace/name`) whose listener routes here, for HTTPRoute edges. */
  readonly gateway?: string;
  /** `host/path (type)` or `(default backend)`; for a Gateway `listener host/path (type) HTTPRoute ns/name`. */
  readonly route?: string;
  readonly service: string;
  /** `port` or `port (name)`, or a note when the backend is broken. */
  readonly port: string;
  readonly pods: readonly string[];
}

function podsOf(pe: PortEndpoints | undefined): string[] {
  if (!pe) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of pe.all) {
    const label = `${joinHostPort(e.pod ? e.pod.key : e.ip, e.port)}${e.ready ? '' : ' (not ready)'}`;
    if (!seen.has(label)) out.push(label);
    seen.add(label);
  }
  return out;
}

/** Ingress routes → Service ports → endpoints, then the Services no Ingress routes to. */
function edges(cluster: Cluster): Edge[] {
  const model = cluster._dataplane.model;
  const out: Edge[] = [];
  const routed = new Set<string>();
  const backend = (ingress: string, route: string, b: any) => {
    const svc = b?.service;
    if (!svc || typeof svc.name !== 'string') return;
    const ns = ingress.split('/')[0];
    const key = `${ns}/${svc.name}`;
    routed.add(key);
    const ports = model.endpoints.byService.get(key) ?? [];
    const wanted = svc.port?.number ?? svc.port?.name;
    const pe = ports.find((p) => p.port.port === wanted || (p.port.name !== '' && p.port.name === wanted));
    const port = !model.serviceByKey.has(key) ? `${wanted} (no such Service)` : pe ? `${pe.port.port}${pe.port.name ? ` (${pe.port.name})` : ''}` : `${wanted} (no such port)`;
    out.push({ ingress, route, service: key, port, pods: podsOf(pe) });
  };
  for (const ing of model.inventory.ofKind('networking.k8s.io/v1/Ingress')) {
    const key = `${ing.namespace}/${ing.name}`;
    const spec = ing.manifest.spec ?? {};
    if (spec.defaultBackend) backend(key, '(default backend)', spec.defaultBackend);
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      for (const p of Array.isArray(rule?.http?.paths) ? rule.http.paths : []) {
        backend(key, `${rule.host ?? '*'}${p.path ?? '/'} (${p.pathType})`, p.backend);
      }
    }
  }
  gatewayEdges(cluster, out, routed);
  for (const svc of model.services) {
    // Services the cluster has built in (document 0: default/kubernetes) are not the app's.
    if (routed.has(svc.key) || model.inventory.get(svc.ref)?.document === 0) continue;
    for (const pe of model.endpoints.byService.get(svc.key) ?? []) {
      out.push({ service: svc.key, port: `${pe.port.port}${pe.port.name ? ` (${pe.port.name})` : ''} ${svc.headless ? 'headless' : svc.type}`, pods: podsOf(pe) });
    }
    if (svc.type === 'ExternalName') out.push({ service: svc.key, port: `ExternalName ${svc.externalName ?? ''}`.trim(), pods: [] });
  }
  return out;
}

/** The topology as JSON: one entry per Ingress route or unrouted Service port, with its pods. */
export function graphJson(cluster: Cluster): string {
  return `${JSON.stringify({ edges: edges(cluster) }, null, 2)}\n`;
}

/** HTTPRoute rules → Service ports → endpoints, per Gateway the route is attached to. */
function gatewayEdges(cluster: Cluster, out: Edge[], routed: Set<string>): void {
  const model = cluster._dataplane.model;
  for (const r of model.inventory.ofKind('gateway.networking.k8s.io/v1/HTTPRoute')) {
    const key = `${r.namespace}/${r.name}`;
    const hosts: string[] = r.manifest.spec.hostnames?.length ? r.manifest.spec.hostnames : ['*'];
    for (const parent of cluster.routeStatus(key).filter((p) => p.accepted)) {
      for (const rule of r.manifest.spec.rules ?? []) {
        const paths = (rule.matches ?? []).map((m: any) => `${m.path.value} (${m.path.type})`);
        for (const b of rule.backendRefs ?? []) {
          const svc = `${b.namespace ?? r.namespace}/${b.name}`;
          routed.add(svc);
          const pe = (model.endpoints.byService.get(svc) ?? []).find((p) => p.port.port === b.port);
          const port = (b.kind ?? 'Service') !== 'Service' ? `${b.kind} (not a Service)` : !model.serviceByKey.has(svc) ? `${b.port} (no such Service)`
            : pe ? `${pe.port.port}${pe.port.name ? ` (${pe.port.name})` : ''}` : `${b.port} (no such port)`;
          for (const host of hosts) {
            for (const path of paths) {
              out.push({ gateway: parent.parent, route: `${parent.listeners.join(',')} ${host}${path} HTTPRoute ${key}`, service: svc, port, pods: podsOf(pe) });
            }
          }
        }
      }
    }
  }
}

/** The topology as indented text. */
export function graphText(cluster: Cluster): string {
  const lines: string[] = [];
  let current: string | undefined = '';
  for (const e of edges(cluster)) {
    const front = e.ingress ?? (e.gateway ? `gateway ${e.gateway}` : undefined);
    if (front !== current) {
      current = front;
      if (lines.length) lines.push('');
      if (e.gateway) {
        const status = cluster.gatewayStatus(e.gateway);
        lines.push(`Gateway ${e.gateway}${status.programmed ? '' : ` (not served: ${status.reason})`}`);
      } else if (e.ingress) {
        const status = cluster.ingressStatus(e.ingress);
        lines.push(`Ingress ${e.ingress}${status.admitted ? '' : ` (not served: ${status.reason})`}`);
      } else {
        lines.push('Services not routed by an Ingress');
      }
    }
    const target = `Service ${e.service}:${e.port} → ${e.pods.length ? e.pods.join(', ') : 'no endpoints'}`;
    lines.push(e.route ? `  ${e.route} → ${target}` : `  ${target}`);
  }
  return `${lines.length ? lines.join('\n') : 'no Ingresses, Gateways or Services'}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** The topology in Graphviz dot. */
export function graphDot(cluster: Cluster): string {
  const lines = ['digraph traffic {', '  rankdir=LR;', '  node [shape=box];'];
  const seen = new Set<string>();
  const line = (l: string) => {
    if (!seen.has(l)) lines.push(l);
    seen.add(l);
  };
  for (const e of edges(cluster)) {
    const svc = quote(`Service ${e.service}`);
    if (e.ingress) line(`  ${quote(`Ingress ${e.ingress}`)} -> ${svc} [label=${quote(`${e.route} → ${e.port}`)}];`);
    else if (e.gateway) line(`  ${quote(`Gateway ${e.gateway}`)} -> ${svc} [label=${quote(`${e.route} → ${e.port}`)}];`);
    else line(`  ${svc};`);
    for (const pod of e.pods) line(`  ${svc} -> ${quote(pod)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The topology as a Mermaid flowchart (renders in GitHub Markdown). */
export function graphMermaid(cluster: Cluster): string {
  const ids = new Map<string, string>();
  const lines = ['flowchart LR'];
  const node = (label: string) => {
    let id = ids.get(label);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(label, id);
      lines.push(`  ${id}["${label.replace(/"/g, '#quot;')}"]`);
    }
    return id;
  };
  const seen = new Set<string>();
  const edge = (text: string) => {
    if (!seen.has(text)) lines.push(text);
    seen.add(text);
  };
  for (const e of edges(cluster)) {
    const svc = node(`Service ${e.service}`);
    const front = e.ingress ? `Ingress ${e.ingress}` : e.gateway ? `Gateway ${e.gateway}` : undefined;
    if (front) edge(`  ${node(front)} -->|"${`${e.route} → ${e.port}`.replace(/"/g, '#quot;')}"| ${svc}`);
    for (const pod of e.pods) edge(`  ${svc} --> ${node(pod)}`);
  }
  return `${lines.join('\n')}\n`;
}
