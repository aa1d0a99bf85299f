import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** One synthesized manifest and where it came from. */
export interface Labelled {
  readonly label: string;
  readonly object: any;
}

/**
 * Checks manifests against the Kubernetes OpenAPI schemas of kubernetes-models, in one child
 * Node process (the package is ES-modules only and cannot load inside Jest). Returns the failures.
 */
export function schemaFailures(items: Labelled[]): Array<{ label: string; error: string }> {
  const out = execFileSync(process.execPath, [join(__dirname, 'schema-check.mjs')], { input: JSON.stringify(items), encoding: 'utf8' });
  return JSON.parse(out);
}
