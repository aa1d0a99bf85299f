/**
 * Suppressions: a finding accepted on purpose, with a reason, stays visible as suppressed instead
 * of disappearing. Two sources: the annotation `cdk8s-traffic/ignore: "CODE[,CODE]: reason"` on
 * the object itself, and rules given to the Cluster (the CLI reads them from `.cdk8s-traffic.yaml`),
 * each naming a code, optionally an object pattern, and a reason.
 */
import { codeOf, diagnostic } from '../dataplane/diagnostic-codes';
import type { Inventory } from '../dataplane/inventory';
import type { Diagnostic, Suppression } from '../dataplane/types';

/** The annotation that accepts findings on the object it is set on. */
export const IGNORE_ANNOTATION = 'cdk8s-traffic/ignore';

interface Rule {
  readonly codes: readonly string[];
  /** Exact `Kind/namespace/name`, or a pattern where `*` stands for any run of characters. */
  readonly object: RegExp;
  readonly reason: string;
  /** Where the rule was written, for findings about the rule itself. */
  readonly where: { readonly object: string; readonly field?: string };
  used: boolean;
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** Parses `CODE[,CODE]: reason`; undefined when the value does not have that shape. */
function parseAnnotation(value: string): { codes: string[]; reason: string } | undefined {
  const colon = value.indexOf(':');
  if (colon < 0) return undefined;
  const codes = value.slice(0, colon).split(',').map((c) => c.trim()).filter(Boolean);
  const reason = value.slice(colon + 1).trim();
  return codes.length && reason ? { codes, reason } : undefined;
}

function knownCode(code: string): boolean {
  try {
    codeOf(code);
    return true;
  } catch {
    return false;
  }
}

/**
 * Marks the findings the rules accept (`suppressed` holds the reason) and adds a finding for
 * every rule that is malformed, names an unknown code, or accepts nothing.
 */
export function applySuppressions(diagnostics: readonly Diagnostic[], inventory: Inventory, given: readonly Suppression[]): Diagnostic[] {
  const rules: Rule[] = [];
  const problems: Diagnostic[] = [];
  const annotationField = `metadata.annotations[${IGNORE_ANNOTATION}]`;
  for (const o of inventory.objects) {
    const value = o.manifest?.metadata?.annotations?.[IGNORE_ANNOTATION];
    if (typeof value !== 'string') continue;
    const parsed = parseAnnotation(value);
    if (!parsed) {
      problems.push(diagnostic({ code: 'SUPPRESSION_INVALID', object: o.ref, field: annotationField, message: `${JSON.stringify(value)} is not "CODE[,CODE]: reason"; nothing is suppressed`, hint: 'write the codes, a colon and why the finding is accepted' }));
      continue;
    }
    rules.push({ codes: parsed.codes, object: globToRegExp(o.ref.replace(/\*/g, '\\*')), reason: parsed.reason, where: { object: o.ref, field: annotationField }, used: false });
  }
  given.forEach((s, i) => {
    const where = { object: 'Cluster', field: `suppressions[${i}]` };
    if (typeof s?.code !== 'string' || s.code === '' || typeof s.reason !== 'string' || s.reason.trim() === '') {
      problems.push(diagnostic({ code: 'SUPPRESSION_INVALID', ...where, message: 'a suppression needs a code and a reason; nothing is suppressed', hint: 'give code, reason and optionally object (Kind/namespace/name, * allowed)' }));
      return;
    }
    rules.push({ codes: [s.code], object: globToRegExp(s.object ?? '*'), reason: s.reason.trim(), where, used: false });
  });
  for (const r of rules) {
    for (const code of r.codes) {
      if (!knownCode(code)) problems.push(diagnostic({ code: 'SUPPRESSION_INVALID', ...r.where, message: `${code} is not a diagnostic code of cdk8s-traffic`, hint: 'use a code from the README\'s tables' }));
    }
  }
  const out = diagnostics.map((d) => {
    const rule = rules.find((r) => r.codes.includes(d.code) && r.object.test(d.object));
    if (!rule) return d;
    rule.used = true;
    return { ...d, suppressed: rule.reason };
  });
  for (const r of rules) {
    if (r.used || !r.codes.every(knownCode)) continue;
    problems.push(diagnostic({ code: 'SUPPRESSION_UNUSED', ...r.where, message: `suppresses ${r.codes.join(', ')}, but no such finding is reported${r.where.object === 'Cluster' ? '' : ' for this object'}`, hint: 'remove the suppression: the finding it accepted is gone' }));
  }
  return [...out, ...problems];
}
