/** `.cdk8s-traffic.yaml`: the app repo's suppressions, each with a code, an object pattern and a reason. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isPlainObject } from '../api/values';
import type { Suppression } from '../dataplane/types';

export const CONFIG_FILE = '.cdk8s-traffic.yaml';

/** Thrown for a config file that cannot be used; the CLI prints it as one line. */
export class ConfigError extends Error {}

/**
 * Reads the suppressions of `file`, or of `.cdk8s-traffic.yaml` in `cwd` when it exists.
 * Format: `suppressions: [{ code, object?, reason }]`.
 */
export function readSuppressions(file: string | undefined, cwd: string): Suppression[] {
  const path = file ?? join(cwd, CONFIG_FILE);
  if (file === undefined && !existsSync(path)) return [];
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return [];
  if (!isPlainObject(doc) || (doc.suppressions !== undefined && !Array.isArray(doc.suppressions))) {
    throw new ConfigError(`${path}: expected "suppressions:" with a list of { code, object, reason }`);
  }
  return (doc.suppressions ?? []).map((s: unknown, i: number): Suppression => {
    if (!isPlainObject(s) || typeof s.code !== 'string' || typeof s.reason !== 'string' || s.reason.trim() === '' || (s.object !== undefined && typeof s.object !== 'string')) {
      throw new ConfigError(`${path}: suppressions[${i}] needs code and reason (strings) and optionally object`);
    }
    return { code: s.code, reason: s.reason, ...(s.object !== undefined ? { object: s.object } : {}) };
  });
}
