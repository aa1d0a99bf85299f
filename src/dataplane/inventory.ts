import { diagnostic } from './diagnostic-codes';
import { documentSource } from './loader';
import { Diagnostic } from './types';
import { safeSuffix } from './util';
import { formatFieldError } from '../api/field-error';
import { ValidationOptions } from '../api/kind-rules';
import { rulesFor, validateAndDefault } from '../api/validate';
import { isPlainObject } from '../api/values';

/**
 * Kinds that are cluster-scoped although this library has no rules for them, so that their
 * references read `Kind/name` (kubectl api-resources --namespaced=false, 1.27).
 */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'IngressClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'APIService', 'CSIDriver', 'CSINode',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'VolumeAttachment', 'CertificateSigningRequest',
]);

/** One object the API server would accept, with its defaults applied (internal). */
export interface InventoryObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** The namespace, `default` when not given; undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
  /** `Kind/namespace/name` or `Kind/name`. */
  readonly ref: string;
  /** The defaulted manifest. */
  readonly manifest: any;
  /** 1-based position among the input documents; 0 for an object the cluster has built in. */
  readonly document: number;
}

/**
 * Objects a cluster holds before any manifest (internal): the group is added after the documents
 * unless a document declares `ref` itself (a cluster dump does), and then each of its objects
 * whose reference is still free.
 */
export interface BuiltInObjects {
  /** `Kind/namespace/name` of the object that stands for the group. */
  readonly ref: string;
  readonly objects: readonly unknown[];
}

/** The accepted objects by `apiVersion/kind` and the diagnostics of the rejected ones (internal). */
export interface Inventory {
  readonly objects: readonly InventoryObject[];
  readonly diagnostics: Diagnostic[];
  /** Accepted objects of one `apiVersion/kind` (e.g. `apps/v1/Deployment`), in input order. */
  ofKind(apiVersionKind: string): readonly InventoryObject[];
  /** Looks an accepted object up by `Kind/namespace/name`. */
  get(ref: string): InventoryObject | undefined;
}

export function isNamespacedKind(apiVersion: string, kind: string): boolean {
  const rules = rulesFor({ apiVersion, kind });
  return rules ? rules.meta.namespaced : !CLUSTER_SCOPED.has(kind);
}

export function objectRef(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** A best-effort reference for an object that may be malformed. */
function looseRef(doc: any, document: number): string {
  const kind = typeof doc.kind === 'string' && doc.kind ? doc.kind : 'Object';
  const meta = isPlainObject(doc.metadata) ? doc.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') return `${kind} (document ${document})`;
  const namespaced = typeof doc.apiVersion === 'string' ? isNamespacedKind(doc.apiVersion, kind) : true;
  const ns = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
  return objectRef(kind, namespaced ? ns : undefined, meta.name);
}

/**
 * Inventory: what the API server would hold after `kubectl apply` of these documents in order.
 * Each document gets the API server's defaults and validation; a rejected one becomes error
 * diagnostics (one per field) and takes no part in the model; a second object with the same
 * kind/namespace/name updates the first, as `kubectl apply -f` does, and is reported. `List` documents are flattened like kubectl does. Built-in objects come last.
 */
export function buildInventory(
  documents: readonly unknown[], validation: ValidationOptions = {}, builtIn: readonly BuiltInObjects[] = [],
): Inventory {
  const objects: InventoryObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const byRef = new Map<string, InventoryObject>();
  const byKind = new Map<string, InventoryObject[]>();

  /** A document by its number, with the file and line it was read from when known. */
  const where = (document: number) => {
    const source = documentSource(documents[document - 1]);
    return `document ${document}${source ? ` (${source})` : ''}`;
  };
  const admit = (doc: unknown, document: number) => {
    if (doc === null || doc === undefined) return; // an empty YAML document: kubectl skips it too
    if (!isPlainObject(doc)) {
      diagnostics.push(diagnostic({
        code: 'INVALID_OBJECT',
        object: `document ${document}`,
        message: `document ${document} is ${Array.isArray(doc) ? 'a list' : `a ${typeof doc}`}, not a Kubernetes object (a map with apiVersion, kind and metadata)`,
      }));
      return;
    }
    if (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
      for (const item of doc.items) admit(item, document);
      return;
    }
    const { errors, defaulted, warnings } = validateAndDefault(doc, validation);
    if (errors.length || !defaulted) {
      const ref = looseRef(doc, document);
      for (const e of errors) {
        diagnostics.push(diagnostic({ code: 'INVALID_OBJECT', object: ref, field: e.field, message: `the API server would reject it: ${formatFieldError(e)}` }));
      }
      return;
    }
    const manifest = defaulted;
    for (const warning of warnings ?? []) {
      diagnostics.push(diagnostic({ code: 'API_WARNING', object: looseRef(doc, document), message: `the API server warns: ${warning}` }));
    }
    const namespaced = isNamespacedKind(manifest.apiVersion, manifest.kind);
    const namespace = namespaced ? (manifest.metadata.namespace || 'default') : undefined;
    if (namespaced) manifest.metadata.namespace = namespace;
    // generateName: the API server appends five random characters; ours are derived from the
    // document position so that loading the same input twice gives the same names.
    if (!manifest.metadata.name) manifest.metadata.name = `${manifest.metadata.generateName}${safeSuffix(`${document}|${manifest.metadata.generateName}`)}`;
    const name: string = manifest.metadata.name;
    const ref = objectRef(manifest.kind, namespace, name);
    const obj: InventoryObject = { apiVersion: manifest.apiVersion, kind: manifest.kind, namespace, name, ref, manifest, document };
    const kindKey = `${obj.apiVersion}/${obj.kind}`;
    const existing = byRef.get(ref);
    if (existing) {
      // kubectl apply -f creates the object from the first document and updates it from the
      // later one: the cluster holds the later content, created when the first was.
      diagnostics.push(diagnostic({
        code: 'OBJECT_APPLIED_TWICE',
        object: ref,
        message: `defined twice (${where(existing.document)} and ${where(document)}); kubectl apply updates it with the later document, which the model keeps`,
      }));
      byRef.set(ref, obj);
      // The updated object keeps the place (creation order) the first document gave it.
      objects[objects.indexOf(existing)] = obj;
      const before = byKind.get(`${existing.apiVersion}/${existing.kind}`)!;
      if (`${existing.apiVersion}/${existing.kind}` === kindKey) {
        before[before.indexOf(existing)] = obj;
        return;
      }
      before.splice(before.indexOf(existing), 1);
    } else {
      byRef.set(ref, obj);
      objects.push(obj);
    }
    let list = byKind.get(kindKey);
    if (!list) byKind.set(kindKey, (list = []));
    list.push(obj);
  };

  documents.forEach((doc, i) => admit(doc, i + 1));
  for (const group of builtIn) {
    if (byRef.has(group.ref)) continue;
    for (const doc of group.objects) if (!byRef.has(looseRef(doc, 0))) admit(doc, 0);
  }
  return {
    objects,
    diagnostics,
    ofKind: (kind) => byKind.get(kind) ?? [],
    get: (ref) => byRef.get(ref),
  };
}
