import { FieldError, FieldErrorType } from './field-error';
import { FieldPath, forbidden, invalid, required } from './field-path';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from './names';
import { isPlainObject } from './values';

/** apimachinery/pkg/api/validation/objectmeta.go: TotalAnnotationSizeLimitB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export type NameRule = (name: string) => string[];

export interface ObjectMetaRules {
  /** Whether the kind lives in a namespace. */
  readonly namespaced: boolean;
  /** The rule for metadata.name; most kinds use DNS-1123 subdomain. */
  readonly nameRule?: NameRule;
}

/** Label keys and values (ValidateLabels). */
export function validateLabels(labels: unknown, path: FieldPath): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isPlainObject(labels)) return [invalid(path, labels, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const msg of isQualifiedName(key)) errs.push(invalid(path, key, msg));
    if (typeof value !== 'string') {
      errs.push(invalid(path.key(key), value, 'must be a string'));
      continue;
    }
    for (const msg of isValidLabelValue(value)) errs.push(invalid(path, value, msg));
  }
  return errs;
}

/** Annotation keys and total size (ValidateAnnotations). */
export function validateAnnotations(annotations: unknown, path: FieldPath): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isPlainObject(annotations)) return [invalid(path, annotations, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(path, key, msg));
    if (typeof value !== 'string') {
      errs.push(invalid(path.key(key), value, 'must be a string'));
      continue;
    }
    size += key.length + value.length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push({ field: String(path), type: FieldErrorType.TOO_LONG, message: `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  }
  return errs;
}

/** ValidateObjectMeta: name, namespace, labels and annotations. */
export function validateObjectMeta(metadata: unknown, rules: ObjectMetaRules): FieldError[] {
  const path = FieldPath.root('metadata');
  if (!isPlainObject(metadata)) return [required(path.child('name'), 'name or generateName is required')];
  const errs: FieldError[] = [];
  const nameRule = rules.nameRule ?? isDns1123Subdomain;
  const { name, generateName, namespace } = metadata;
  if (typeof generateName === 'string' && generateName !== '') {
    // A prefix may end in a dash: the API server masks it before applying the name rule (maskTrailingDash).
    const masked = generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName;
    for (const msg of nameRule(masked)) errs.push(invalid(path.child('generateName'), generateName, msg));
  } else if (generateName !== undefined && generateName !== '') {
    errs.push(invalid(path.child('generateName'), generateName, 'must be a string'));
  }
  if (name === undefined || name === '') {
    if (!generateName) errs.push(required(path.child('name'), 'name or generateName is required'));
  } else if (typeof name !== 'string') {
    errs.push(invalid(path.child('name'), name, 'must be a string'));
  } else {
    for (const msg of nameRule(name)) errs.push(invalid(path.child('name'), name, msg));
  }
  if (rules.namespaced) {
    if (namespace !== undefined && namespace !== '') {
      if (typeof namespace !== 'string') {
        errs.push(invalid(path.child('namespace'), namespace, 'must be a string'));
      } else {
        for (const msg of isDns1123Label(namespace)) errs.push(invalid(path.child('namespace'), namespace, msg));
      }
    }
  } else if (namespace !== undefined && namespace !== '') {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateLabels(metadata.labels, path.child('labels')));
  errs.push(...validateAnnotations(metadata.annotations, path.child('annotations')));
  return errs;
}
