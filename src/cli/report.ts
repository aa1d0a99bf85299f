import { relative } from 'node:path';
import type { Viz } from '@viz-js/viz' with { 'resolution-mode': 'import' };
import { plural } from './format';
import { graphDot } from './graph';
import { SourcePosition } from './load';
import type { Cluster } from '../cluster';
import { formatHop } from '../dataplane/trace';
import type { Diagnostic, RequestResult } from '../dataplane/types';

/** What one report shows, gathered before rendering so the page is a pure function of it. */
export interface ReportInput {
  readonly cluster: Cluster;
  readonly files: readonly string[];
  readonly positions: ReadonlyMap<string, SourcePosition>;
  /** Paths are shown relative to this directory. */
  readonly cwd: string;
}

/** One Ingress route and the request that exercises it. */
interface RouteRequest {
  readonly ingress: string;
  readonly route: string;
  readonly url: string;
  readonly result: RequestResult;
}

// @viz-js/viz is an ES module with a CommonJS build (its `require` export); the command stays CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { instance } = require('@viz-js/viz') as { instance(): Promise<Viz> };

const SEVERITY_ORDER = ['error', 'warning', 'info'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One request per Ingress rule path: https when the Ingress lists the host under tls, the path as
 * written, sent from outside as a browser would. A wildcard host's `*` becomes `a`; a rule without
 * a host is asked at the ingress controller's address.
 */
function routeRequests(cluster: Cluster): RouteRequest[] {
  const out: RouteRequest[] = [];
  for (const ing of cluster._dataplane.model.inventory.ofKind('networking.k8s.io/v1/Ingress')) {
    const spec = ing.manifest.spec ?? {};
    const tlsHosts = new Set<string>((Array.isArray(spec.tls) ? spec.tls : []).flatMap((t: any) => (Array.isArray(t?.hosts) ? t.hosts : [])));
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      const named = typeof rule?.host === 'string' && rule.host !== '';
      const host = named ? rule.host.replace(/^\*\./, 'a.') : cluster.ingressControllerAddress;
      if (host === undefined) continue;
      for (const p of Array.isArray(rule.http?.paths) ? rule.http.paths : []) {
        const path = typeof p?.path === 'string' && p.path.startsWith('/') ? p.path : '/';
        const url = `${named && tlsHosts.has(rule.host) ? 'https' : 'http'}://${host}${path}`;
        const route = `${named ? rule.host : '*'}${path} (${p?.pathType ?? 'unset'})`;
        out.push({ ingress: `${ing.namespace}/${ing.name}`, route, url, result: cluster.request({ url }) });
      }
    }
  }
  return out;
}

function outcome(r: RequestResult): string {
  if (r.status === 0) return `no response (${r.error ?? 'unknown'})`;
  const parts = [String(r.status)];
  if (r.service) parts.push(`Service ${r.service}${r.servicePort ? `:${r.servicePort}` : ''}`);
  if (r.pod) parts.push(`pod ${r.pod}`);
  if (r.location) parts.push(`→ ${r.location}`);
  if (r.tlsHostnameVerified === false) parts.push('certificate does not cover the host');
  return parts.join(' · ');
}

function statusClass(r: RequestResult): string {
  return r.status === 0 || r.status >= 400 || r.tlsHostnameVerified === false ? 'bad' : r.status >= 300 ? 'redirect' : 'ok';
}

function diagnosticsTable(diags: readonly Diagnostic[], input: ReportInput): string {
  if (diags.length === 0) return '<p id="no-diagnostics">No findings.</p>';
  const sorted = [...diags].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const rows = sorted.map((d) => {
    const pos = input.positions.get(d.object);
    const where = pos ? `${relative(input.cwd, pos.file)}:${pos.line}` : '';
    return `<tr class="${escapeHtml(d.severity)}"><td>${escapeHtml(d.severity)}</td><td><code>${escapeHtml(d.code)}</code></td>`
      + `<td>${escapeHtml(d.object)}${d.field ? `<br><code>${escapeHtml(d.field)}</code>` : ''}</td><td>${escapeHtml(where)}</td>`
      + `<td>${escapeHtml(d.message)}</td><td>${escapeHtml(d.hint ?? '')}</td></tr>`;
  });
  return `<table id="diagnostics"><thead><tr><th>Severity</th><th>Code</th><th>Object</th><th>Source</th><th>Finding</th><th>Fix</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function requestsSection(requests: readonly RouteRequest[]): string {
  if (requests.length === 0) return '<p id="no-requests">No Ingress routes with a host.</p>';
  return requests.map((q) => `<details class="request ${statusClass(q.result)}"${statusClass(q.result) === 'bad' ? ' open' : ''}>`
    + `<summary><code>GET ${escapeHtml(q.url)}</code> — ${escapeHtml(outcome(q.result))} <small>(Ingress ${escapeHtml(q.ingress)}, ${escapeHtml(q.route)})</small></summary>`
    + `<ol class="trace">${q.result.trace.map((h) => `<li>${escapeHtml(formatHop(h))}</li>`).join('')}</ol></details>`).join('\n');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
tr.error td:first-child{color:#b00020;font-weight:600}tr.warning td:first-child{color:#9a6700;font-weight:600}tr.info td:first-child{color:#0969da}
#topology svg{max-width:100%;height:auto}.summary span{margin-right:1.5rem}
details.request{margin:4px 0}details.bad summary{color:#b00020}details.redirect summary{color:#6e40c9}ol.trace{font:12px ui-monospace,monospace}`;

/**
 * The pull-request report: one self-contained HTML page (inline CSS, the topology as inline SVG
 * rendered here by Graphviz compiled to WebAssembly) with the diagnostics and their fixes and one
 * traced request per Ingress route. Nothing is fetched when the page is viewed.
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const viz = await instance();
  const svg = viz.renderString(graphDot(input.cluster), { format: 'svg', engine: 'dot' }).replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?/, '');
  const diags = input.cluster.diagnostics;
  const count = (s: string) => diags.filter((d) => d.severity === s).length;
  const requests = routeRequests(input.cluster);
  const files = input.files.map((f) => `<li><code>${escapeHtml(relative(input.cwd, f))}</code></li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>cdk8s-traffic report</title><style>${STYLE}</style></head>
<body>
<h1>cdk8s-traffic report</h1>
<p class="summary"><span id="count-error">${plural(count('error'), 'error')}</span><span id="count-warning">${plural(count('warning'), 'warning')}</span>`
    + `<span id="count-info">${count('info')} info</span><span>${plural(requests.length, 'route')} traced</span></p>
<details><summary>Manifests (${plural(input.files.length, 'file')})</summary><ul>${files}</ul></details>
<h2>Topology</h2>
<p>Ingress host/path → Service:port → pods, as the model compiled them.</p>
<div id="topology">${svg}</div>
<h2>Diagnostics</h2>
${diagnosticsTable(diags, input)}
<h2>Requests</h2>
<p>One request per Ingress route, from outside the cluster, with its hop-by-hop trace.</p>
<div id="requests">
${requestsSection(requests)}
</div>
</body>
</html>
`;
}
