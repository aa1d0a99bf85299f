/**
 * Output of `cdk8s-traffic diff <base> <head>`: what a change does to traffic, as text, JSON or
 * markdown for a pull-request comment. Manifest text is escaped for each medium.
 */
import { terminalSafe } from './format';
import type { TrafficChange } from '../cluster/diff';
import type { Diagnostic, RequestResult } from '../dataplane/types';

function answer(r: RequestResult): string {
  const parts = [r.status ? String(r.status) : `no response (${r.error ?? 'unknown'})`];
  if (r.service) parts.push(`${r.service}${r.servicePort ? `:${r.servicePort}` : ''}`);
  if (r.location) parts.push(`→ ${r.location}`);
  return parts.join(' ');
}

const finding = (d: Diagnostic) => `${d.severity} ${d.code} ${d.object}${d.field ? ` ${d.field}` : ''}: ${d.message}`;

function sections(c: TrafficChange): Array<{ title: string; items: string[] }> {
  return [
    { title: `Routes answered differently (${c.routes.length} of ${c.requests} requests; ${c.lostRoutes.length} lost)`, items: c.routes.map((d) => `${c.lostRoutes.includes(d) ? 'LOST ' : ''}${d.request.method ?? 'GET'} ${d.request.url}: ${answer(d.before)} ⇒ ${answer(d.after)}${d.hint ? ` (${d.hint.split(':')[0]})` : ''}`) },
    { title: 'Findings introduced', items: c.introduced.map(finding) },
    { title: 'Findings fixed', items: c.fixed.map(finding) },
    { title: 'Service ports added', items: c.servicePortsAdded },
    { title: 'Service ports removed', items: c.servicePortsRemoved },
    { title: 'Reachability lost (NetworkPolicy)', items: c.reachabilityLost },
    { title: 'Reachability gained (NetworkPolicy)', items: c.reachabilityGained },
  ];
}

export function diffText(c: TrafficChange): string {
  const lines = sections(c).flatMap((s) => (s.items.length ? [`${s.title}:`, ...s.items.map((i) => `  ${terminalSafe(i)}`), ''] : []));
  return lines.length ? lines.join('\n') : 'no change to traffic\n';
}

/** Markdown table cells and list items: manifest text must not become markup (links, HTML, tables). */
function md(text: string): string {
  return terminalSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\\`*_{}[\]()#+!|~]/g, (ch) => `\\${ch}`);
}

export function diffMarkdown(c: TrafficChange): string {
  const body = sections(c).filter((s) => s.items.length).flatMap((s) => [`### ${s.title}`, '', ...s.items.map((i) => `- ${md(i)}`), '']);
  return `## cdk8s-traffic: what this change does to traffic\n\n${body.length ? body.join('\n') : 'No change to routing, findings or Service ports.\n'}`;
}

export function diffJson(c: TrafficChange): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}
