import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ManifestError } from '../dataplane/errors';
import { isNamespacedKind, objectRef } from '../dataplane/inventory';
import { manifestFilesUnder, parseYamlDocuments } from '../dataplane/loader';

/** Where an object was written: file and 1-based line of its document. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
}

/** Manifests read from files, with the position of every named object (for SARIF and text output). */
export interface LoadedManifests {
  readonly documents: unknown[];
  readonly files: string[];
  /** By `Kind/namespace/name` (or `Kind/name`). */
  readonly positions: ReadonlyMap<string, SourcePosition>;
}

/** `.yaml`, `.yml` and `.json` files of a path: the file itself, or a directory's, recursively in name order. */
function manifestFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new ManifestError(`${path}: no such file or directory`);
  }
  return isDir ? manifestFilesUnder(path) : [path];
}

function refOf(doc: any): string | undefined {
  if (typeof doc !== 'object' || doc === null || typeof doc.kind !== 'string' || typeof doc.metadata?.name !== 'string') return undefined;
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  const namespace = isNamespacedKind(apiVersion, doc.kind) ? (doc.metadata.namespace || 'default') : undefined;
  return objectRef(doc.kind, namespace, doc.metadata.name);
}

/** Reads every manifest file under the given paths; throws ManifestError for missing paths and bad YAML. */
export function loadManifests(paths: readonly string[]): LoadedManifests {
  const documents: unknown[] = [];
  const files: string[] = [];
  const positions = new Map<string, SourcePosition>();
  for (const path of paths) {
    for (const file of manifestFiles(path)) {
      const text = readFileSync(file, 'utf8');
      const docs = parseYamlDocuments(text, file);
      const lineCounter = new LineCounter();
      const starts = parseAllDocuments(text, { lineCounter });
      const list = Array.isArray(starts) ? starts : [starts];
      docs.forEach((doc, i) => {
        const offset = list[i]?.contents?.range?.[0] ?? 0;
        const line = lineCounter.linePos(offset).line;
        const items = typeof doc === 'object' && doc !== null && Array.isArray((doc as any).items) ? (doc as any).items : [doc];
        for (const item of items) {
          const ref = refOf(item);
          if (ref && !positions.has(ref)) positions.set(ref, { file, line });
        }
      });
      documents.push(...docs);
      files.push(file);
    }
  }
  return { documents, files, positions };
}
