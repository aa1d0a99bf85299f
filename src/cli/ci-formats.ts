/**
 * `check` output CI systems read natively: JUnit XML (one test case per object and code) and
 * GitHub Actions workflow commands (annotations on the manifest lines). Manifest text is escaped
 * for each: XML entities, and GitHub's `%`/CR/LF (plus `:` and `,` in properties).
 */
import { relative, sep } from 'node:path';
import type { SourcePosition } from './load';
import type { Diagnostic } from '../dataplane/types';

const xml = (text: string) => text
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function line(d: Diagnostic): string {
  return `${d.object}${d.field ? ` ${d.field}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
}

/**
 * JUnit XML: a suite per object kind, a test case per object and code. Errors and warnings fail
 * the case, info passes with the finding as output, suppressed findings are skipped with the reason.
 */
export function formatJunit(diags: readonly Diagnostic[]): string {
  const cases = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    const key = `${d.object}\u0000${d.code}`;
    const list = cases.get(key);
    if (list) list.push(d);
    else cases.set(key, [d]);
  }
  const bySuite = new Map<string, string[]>();
  let failures = 0;
  let skipped = 0;
  for (const [key, list] of cases) {
    const [object, code] = key.split('\u0000');
    const suite = object.split('/')[0];
    const active = list.filter((d) => d.suppressed === undefined);
    const failing = active.filter((d) => d.severity !== 'info');
    let body: string;
    if (failing.length) {
      failures++;
      body = `<failure message="${xml(failing[0].message)}" type="${xml(failing[0].severity)}">${xml(failing.map(line).join('\n'))}</failure>`;
    } else if (active.length === 0) {
      skipped++;
      body = `<skipped message="${xml(`suppressed: ${list[0].suppressed}`)}"/>`;
    } else {
      body = `<system-out>${xml(active.map(line).join('\n'))}</system-out>`;
    }
    const cases2 = bySuite.get(suite) ?? [];
    cases2.push(`    <testcase classname="${xml(object)}" name="${xml(code)}">${body}</testcase>`);
    bySuite.set(suite, cases2);
  }
  const suites = [...bySuite].map(([name, list]) => [
    `  <testsuite name="${xml(name)}" tests="${list.length}" failures="${list.filter((c) => c.includes('<failure')).length}" skipped="${list.filter((c) => c.includes('<skipped')).length}">`,
    ...list,
    '  </testsuite>',
  ].join('\n'));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cdk8s-traffic" tests="${cases.size}" failures="${failures}" skipped="${skipped}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

const ghData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProperty = (text: string) => ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
const GH_LEVEL: Readonly<Record<string, string>> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub Actions workflow commands: `::error file=…,line=…,title=CODE::message`, one per unsuppressed finding. */
export function formatGithub(diags: readonly Diagnostic[], positions: ReadonlyMap<string, SourcePosition>, cwd: string): string {
  return diags.filter((d) => d.suppressed === undefined).map((d) => {
    const pos = positions.get(d.object);
    const props = [
      ...(pos ? [`file=${ghProperty(relative(cwd, pos.file).split(sep).join('/'))}`, `line=${pos.line}`] : []),
      `title=${ghProperty(d.code)}`,
    ].join(',');
    return `::${GH_LEVEL[d.severity] ?? 'warning'} ${props}::${ghData(line(d))}\n`;
  }).join('');
}
