import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ManifestError } from './errors';

/** Where a parsed document was written (`file:line`), kept on the object under a symbol so that no manifest field changes. */
export const DOCUMENT_SOURCE = Symbol('cdk8s-traffic document source');

/** `file:line` of a document parsed from a file, when known. */
export function documentSource(doc: unknown): string | undefined {
  return typeof doc === 'object' && doc !== null ? (doc as Record<symbol, string | undefined>)[DOCUMENT_SOURCE] : undefined;
}

/**
 * Parses multi-document YAML (or JSON). Syntax errors are collected over all documents and
 * thrown as one ManifestError naming the source, document number and line of each.
 */
export function parseYamlDocuments(text: string, source = 'input'): unknown[] {
  if (typeof text !== 'string') throw new ManifestError(`${source}: expected YAML text, got ${text === null ? 'null' : typeof text}`);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const list = Array.isArray(docs) ? docs : [docs];
  const problems: string[] = [];
  const out: unknown[] = [];
  list.forEach((doc, i) => {
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const line = e.linePos?.[0]?.line;
        problems.push(`${source}: document ${i + 1}${line ? `, line ${line}` : ''}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
      }
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount: 100 });
      if (typeof value === 'object' && value !== null && source !== 'input') {
        const line = lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line;
        Object.defineProperty(value, DOCUMENT_SOURCE, { value: `${source}:${line}`, enumerable: false });
      }
      out.push(value);
    } catch (err) {
      problems.push(`${source}: document ${i + 1}: ${(err as Error).message.split('\n')[0]}`);
    }
  });
  if (problems.length) throw new ManifestError(`cannot read the manifests:\n${problems.join('\n')}`);
  return out;
}

/** The manifests of every `.yaml`, `.yml` and `.json` file of a directory (a cdk8s `dist/`), in name order, recursively. */
export function readManifestDirectory(dir: string): unknown[] {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new ManifestError(`${dir}: no such directory`);
  }
  if (!isDir) throw new ManifestError(`${dir}: not a directory`);
  const docs: unknown[] = [];
  for (const file of manifestFilesUnder(dir)) docs.push(...parseYamlDocuments(readFileSync(file, 'utf8'), file));
  return docs;
}

/** The `.yaml`, `.yml` and `.json` files under an existing directory, recursively, in name order. */
export function manifestFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...manifestFilesUnder(path));
    else if (/\.(ya?ml|json)$/i.test(entry.name)) files.push(path);
  }
  return files;
}
