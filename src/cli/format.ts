import { relative, sep } from 'node:path';
import { SourcePosition } from './load';
import { checkRules } from '../checks';
import type { Diagnostic } from '../dataplane/types';

/** Severities from most to least serious. */
export const SEVERITIES = ['error', 'warning', 'info'];

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: string, text: string): string;
}

export function makeStyle(colour: boolean): Style {
  const wrap = (code: string) => (text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const colours: Record<string, (t: string) => string> = { error: wrap('31'), warning: wrap('33'), info: wrap('36') };
  return { bold: wrap('1'), dim: wrap('2'), severity: (s, t) => (colours[s] ?? ((x: string) => x))(t) };
}

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

function summarize(diags: readonly Diagnostic[]): Summary {
  return {
    errors: diags.filter((d) => d.severity === 'error').length,
    warnings: diags.filter((d) => d.severity === 'warning').length,
    infos: diags.filter((d) => d.severity === 'info').length,
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Diagnostics grouped by object, in order of first appearance. */
export function formatText(diags: readonly Diagnostic[], positions: ReadonlyMap<string, SourcePosition>, style: Style, cwd: string): string {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    let list = groups.get(d.object);
    if (!list) groups.set(d.object, (list = []));
    list.push(d);
  }
  const lines: string[] = [];
  for (const [object, list] of groups) {
    const pos = positions.get(object);
    lines.push(`${style.bold(object)}${pos ? style.dim(` (${relative(cwd, pos.file)}:${pos.line})`) : ''}`);
    for (const d of list) {
      lines.push(`  ${style.severity(d.severity, d.severity.padEnd(7))} ${d.code}${d.field ? ` ${d.field}` : ''}: ${d.message}`);
      if (d.hint) lines.push(`          ${style.dim(`hint: ${d.hint}`)}`);
    }
    lines.push('');
  }
  const s = summarize(diags);
  lines.push(diags.length === 0 ? 'no findings' : `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info in ${plural(groups.size, 'object')}`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(diags: readonly Diagnostic[], positions: ReadonlyMap<string, SourcePosition>, cwd: string): string {
  const withPos = diags.map((d) => {
    const pos = positions.get(d.object);
    return pos ? { ...d, file: relative(cwd, pos.file), line: pos.line } : d;
  });
  return `${JSON.stringify({ diagnostics: withPos, summary: summarize(diags) }, null, 2)}\n`;
}

/** Codes the model core reports (src/dataplane), described for SARIF rule metadata. */
const CORE_RULES: Record<string, string> = {
  INVALID_OBJECT: 'The API server would reject the object',
  DUPLICATE_OBJECT: 'The same kind/namespace/name is defined twice',
  ALLOCATION_CONFLICT: 'A ClusterIP or node port is claimed twice or out of range',
  ENDPOINTS_OVERWRITTEN: 'Endpoints given for a Service that has a selector are replaced',
  LOAD_BALANCER_PENDING: 'No LoadBalancer IP could be assigned',
  POD_NODE_UNKNOWN: 'A pod is bound to a node that does not exist',
  POD_CIDR_EXHAUSTED: 'The pod CIDR cannot hold the pods',
  POD_IP_CONFLICT: 'Two pods claim the same IP',
  UNKNOWN_POD: 'An option names a pod that does not exist',
};

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0 (OASIS), one run; rule metadata from the checks table; locations point at the manifest documents. */
export function formatSarif(diags: readonly Diagnostic[], positions: ReadonlyMap<string, SourcePosition>, cwd: string): string {
  const rules: any[] = checkRules().map((r) => ({
    id: r.code,
    shortDescription: { text: r.summary },
    helpUri: r.source,
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
  }));
  const index = new Map<string, number>(rules.map((r, i) => [r.id, i]));
  for (const d of diags) {
    if (index.has(d.code)) continue;
    index.set(d.code, rules.length);
    rules.push({ id: d.code, shortDescription: { text: CORE_RULES[d.code] ?? d.code }, defaultConfiguration: { level: SARIF_LEVEL[d.severity] ?? 'warning' } });
  }
  const results = diags.map((d) => {
    const pos = positions.get(d.object);
    const location: any = {
      logicalLocations: [{ fullyQualifiedName: d.field ? `${d.object}#${d.field}` : d.object, kind: 'object' }],
    };
    if (pos) {
      location.physicalLocation = {
        artifactLocation: { uri: relative(cwd, pos.file).split(sep).join('/') },
        region: { startLine: pos.line },
      };
    }
    return {
      ruleId: d.code,
      ruleIndex: index.get(d.code),
      level: SARIF_LEVEL[d.severity] ?? 'warning',
      message: { text: `${d.object}${d.field ? ` ${d.field}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}` },
      locations: [location],
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'cdk8s-traffic', informationUri: 'https://example.com/cdk8s-traffic', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
