/**
 * `cdk8s-traffic reach`: the NetworkPolicy truth table as text, written the way the upstream
 * netpol e2e suite prints its reachability tables (`.` connects, `X` is denied), with `~` for
 * a workload pair where only some pods connect and `-` where there is no pair to probe.
 */
import { terminalSafe } from './format';
import { ReachabilityResult } from '../dataplane/types';

const MARK: Readonly<Record<string, string>> = { 'allow': '.', 'deny': 'X', 'partial': '~', '-': '-' };

/** How many denied pod pairs are listed per table before the rest is counted. */
const DENIALS_SHOWN = 20;

export function reachText(result: ReachabilityResult): string {
  if (result.groups.length === 0) return 'no running pods\n';
  const width = String(result.groups.length).length;
  const num = (i: number) => String(i + 1).padStart(width);
  const legend = result.groups.map((g, i) => `${num(i)}  ${terminalSafe(g)}`).join('\n');
  const out = [`workloads (rows: from, columns: to):\n${legend}\n`];
  for (const t of result.tables) {
    const header = `${' '.repeat(width)}  ${result.groups.map((_, j) => num(j)).join(' ')}`;
    const rows = t.cells.map((row, i) => `${num(i)}  ${row.map((c) => MARK[c].padStart(width)).join(' ')}`);
    const denials = t.denied.slice(0, DENIALS_SHOWN).map((d) => `  ${terminalSafe(`${d.from} → ${d.to}: ${d.direction} isolated by ${d.policies.join(', ')}`)}`);
    if (t.denied.length > DENIALS_SHOWN) denials.push(`  … and ${t.denied.length - DENIALS_SHOWN} more`);
    out.push(`port ${t.port}/${t.protocol}  (. connects, X denied, ~ some pods, - nothing to probe)\n${header}\n${rows.join('\n')}\n`
      + (t.denied.length ? `denied (${t.denied.length} pod pair${t.denied.length === 1 ? '' : 's'}):\n${denials.join('\n')}\n` : 'every pod pair connects\n'));
  }
  return out.join('\n');
}
