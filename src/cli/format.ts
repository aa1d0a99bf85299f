import { relative, sep } from 'node:path';
import { SourcePosition } from './load';
import { diagnosticCodes } from '../dataplane/diagnostic-codes';
import type { Diagnostic } from '../dataplane/types';

/** Severities from most to least serious. */
export const SEVERITIES = ['error', 'warning', 'info'];

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: string, text: string): string;
}

/**
 * Text from manifests (names, annotation values, messages quoting them) made safe for a terminal:
 * control characters, which could move the cursor or recolour the screen, are shown escaped.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
    lines.push(`${style.bold(terminalSafe(object))}${pos ? style.dim(` (${terminalSafe(relative(cwd, pos.file))}:${pos.line})`) : ''}`);
    for (const d of list) {
      const label = d.suppressed === undefined ? style.severity(d.severity, d.severity.padEnd(7)) : style.dim('ignored');
      lines.push(`  ${label} ${d.code}${d.field ? ` ${terminalSafe(d.field)}` : ''}: ${terminalSafe(d.message)}`);
      if (d.suppressed !== undefined) lines.push(`          ${style.dim(`suppressed: ${terminalSafe(d.suppressed)}`)}`);
      else if (d.hint) lines.push(`          ${style.dim(`hint: ${terminalSafe(d.hint)}`)}`);
    }
    lines.push('');
  }
  const active = diags.filter((d) => d.suppressed === undefined);
  const s = summarize(active);
  const ignored = diags.length - active.length;
  lines.push(diags.length === 0 ? 'no findings'
    : `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info in ${plural(groups.size, 'object')}${ignored ? `, ${ignored} suppressed` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(diags: readonly Diagnostic[], positions: ReadonlyMap<string, SourcePosition>, cwd: string): string {
  const withPos = diags.map((d) => {
    const pos = positions.get(d.object);
    return pos ? { ...d, file: relative(cwd, pos.file), line: pos.line } : d;
  });
  const active = diags.filter((d) => d.suppressed === undefined);
  return `${JSON.stringify({ diagnostics: withPos, summary: { ...summarize(active), suppressed: diags.length - active.length } }, null, 2)}\n`;
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0 (OASIS), one run; rules are the registered diagnostic codes; locations point at the manifest documents. */
export function formatSarif(diags: readonly Diagnostic[], positions: ReadonlyMap<string, SourcePosition>, cwd: string): string {
  const rules = diagnosticCodes().map((r) => ({
    id: r.code,
    shortDescription: { text: r.summary },
    // A source that is not a web address (this library's own docs) is left out: helpUri must be an absolute URI.
    ...(/^https?:\/\//.test(r.source) ? { helpUri: r.source } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
  }));
  const index = new Map<string, number>(rules.map((r, i) => [r.id, i]));
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
      ...(d.suppressed !== undefined ? { suppressions: [{ kind: 'external', justification: d.suppressed }] } : {}),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'cdk8s-traffic', informationUri: 'https://example.com/cdk8s-traffic', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
