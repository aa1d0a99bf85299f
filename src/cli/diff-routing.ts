/** Output of `cdk8s-traffic diff-routing`: a routing comparison as text, JSON or SARIF. */
import { terminalSafe } from './format';
import type { RoutingComparison, RoutingDifference } from '../cluster/compare';
import { formatHop } from '../dataplane/trace';
import type { RequestResult } from '../dataplane/types';

function answerText(r: RequestResult): string {
  const parts = [r.status ? String(r.status) : `no response (${r.error ?? 'unknown'})`];
  if (r.service) parts.push(`service ${r.service}${r.servicePort ? `:${r.servicePort}` : ''}`);
  if (r.location) parts.push(`location ${r.location}`);
  if (r.upstream) parts.push(`upstream ${r.upstream.host}${r.upstream.path}`);
  if (r.tlsSecret) parts.push(`tls ${r.tlsSecret}${r.tlsHostnameVerified === false ? ' (hostname NOT verified)' : ''}`);
  return parts.join('  ');
}

function differenceText(d: RoutingDifference): string[] {
  const side = (name: string, r: RequestResult) => [
    `  ${name}: ${terminalSafe(answerText(r))}`,
    ...r.trace.map((h) => `      ${terminalSafe(formatHop(h))}`),
  ];
  return [
    `${requestText(d)}  differs in ${d.fields.join(', ')}${d.beforeRedirects ? ' where its redirects lead' : ''}`,
    `  probe: ${terminalSafe(d.request.probe)}`,
    ...(d.hint ? [`  hint: ${d.hint}`] : []),
    ...chainText(d),
    ...side('before', d.before),
    ...side('after', d.after),
    '',
  ];
}

function requestText(d: RoutingDifference): string {
  return `${d.request.method ?? 'GET'} ${terminalSafe(d.request.url)}${d.request.headers ? ` ${terminalSafe(JSON.stringify(d.request.headers))}` : ''}`;
}

function chainText(d: RoutingDifference): string[] {
  const chain = (urls: readonly string[] | undefined) => (urls?.length ? urls.map(terminalSafe).join(' → ') : '(no redirect)');
  return d.beforeRedirects === undefined ? [] : [`  redirects before: ${chain(d.beforeRedirects)}`, `  redirects after:  ${chain(d.afterRedirects)}`];
}

/** A first answer that differs while both redirect chains end alike: one block, no traces. */
function redirectDifferenceText(d: RoutingDifference): string[] {
  return [
    `${requestText(d)}  first answers differ in ${d.fields.join(', ')}, both redirect chains end alike`,
    ...(d.hint ? [`  hint: ${d.hint}`] : []),
    `  before: ${terminalSafe(answerText(d.before))}`,
    `  after:  ${terminalSafe(answerText(d.after))}`,
    ...chainText(d),
    '',
  ];
}

export function diffRoutingText(c: RoutingComparison): string {
  const head = c.equivalent
    ? `equivalent: ${c.requests} requests answered alike`
    : `${c.differences.length} of ${c.requests} requests answered differently`;
  const followed = c.redirectDifferences.length ? `; ${c.redirectDifferences.length} of them only after following redirects` : '';
  const coverage = `(${c.coverage.hosts} hosts, ${c.coverage.paths} paths, ${c.coverage.generated} requests generated${c.coverage.sampled ? `, a seeded sample of ${c.requests} compared` : ''}${followed})`;
  return `${[...c.redirectDifferences.flatMap(redirectDifferenceText), ...c.differences.flatMap(differenceText), `${head} ${coverage}`].join('\n')}\n`;
}

export function diffRoutingJson(c: RoutingComparison): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/**
 * SARIF 2.1.0: one result per difference, the rule being its hint code (or ROUTING_DIFFERENCE);
 * first answers that differ while both redirect chains end alike are notes.
 */
export function diffRoutingSarif(c: RoutingComparison): string {
  const ruleOf = (d: RoutingDifference) => d.hint?.split(':')[0] ?? 'ROUTING_DIFFERENCE';
  const all = [...c.differences, ...c.redirectDifferences];
  const ids = [...new Set(all.map(ruleOf))];
  const rules = ids.map((id) => ({
    id,
    shortDescription: { text: id === 'ROUTING_DIFFERENCE' ? 'A request is answered differently' : all.find((d) => ruleOf(d) === id)!.hint!.slice(id.length + 2) },
    defaultConfiguration: { level: 'error' },
  }));
  const result = (d: RoutingDifference, level: string, what: string) => ({
    ruleId: ruleOf(d),
    ruleIndex: ids.indexOf(ruleOf(d)),
    level,
    message: { text: `${d.request.method ?? 'GET'} ${d.request.url} ${what} ${d.fields.join(', ')}: before ${answerText(d.before)}; after ${answerText(d.after)}` },
    locations: [{ logicalLocations: [{ fullyQualifiedName: d.request.url, kind: 'resource' }] }],
  });
  const results = [
    ...c.differences.map((d) => result(d, 'error', d.beforeRedirects ? 'differs, where its redirects lead, in' : 'differs in')),
    ...c.redirectDifferences.map((d) => result(d, 'note', 'ends alike after redirects; its first answers differ in')),
  ];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'cdk8s-traffic diff-routing', informationUri: 'https://example.com/cdk8s-traffic', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
