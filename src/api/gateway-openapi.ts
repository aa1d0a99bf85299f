/**
 * Structural-schema defaulting and validation of custom resources, as kube-apiserver's
 * apiextensions does it for a CRD (k8s.io/apiextensions-apiserver structural defaulting, the
 * kube-openapi schema validator, listType checks, then the CEL rules), over the schemas in
 * gateway-schema.ts. Field errors are written the way apiextensions converts kube-openapi results
 * (kubeOpenAPIResultToFieldErrors): Required, NotSupported, TooLong, TooMany, else Invalid with
 * kube-openapi's `<field> in body …` text; a failing CEL rule is `Invalid value: "<type>": <message>`.
 * Every function takes untrusted JSON and never throws.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { FieldError } from './field-error';
import { duplicate, FieldPath, invalid, notSupported, required, tooLong, tooMany } from './field-path';
import { GATEWAY_CEL_RULES } from './gateway-cel';
import { isPlainObject } from './values';

type Schema = any;

/** Fills in schema defaults for absent fields of present objects, depth first (structural defaulting). */
export function applySchemaDefaults(value: unknown, schema: Schema): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applySchemaDefaults(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [name, prop] of Object.entries<Schema>(schema.properties ?? {})) {
    if (value[name] === undefined && prop.default !== undefined) value[name] = structuredClone(prop.default);
    if (value[name] !== undefined) applySchemaDefaults(value[name], prop);
  }
  if (isPlainObject(schema.additionalProperties)) {
    for (const v of Object.values(value)) applySchemaDefaults(v, schema.additionalProperties);
  }
}

/** The CEL type name the API server reports as a failing rule's value. */
function celTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, schema: Schema): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case 'object': return isPlainObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

/** Validates `value` (already defaulted) against `schema` at `path`. */
export function validateAgainstSchema(value: unknown, schema: Schema, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const at = String(path);
  if (!typeMatches(value, schema)) {
    const type = schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type;
    return [invalid(path, value, `${at} in body must be of type ${type}: ${JSON.stringify(celTypeName(value))}`)];
  }
  if (schema.enum && !schema.enum.includes(value)) errs.push(notSupported(path, value, schema.enum.map(String)));
  if (typeof value === 'string') {
    // kube-openapi counts characters (runes), not UTF-16 units.
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) errs.push(tooLong(path, schema.maxLength));
    if (schema.minLength !== undefined && length < schema.minLength) errs.push(invalid(path, value, `${at} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errs.push(invalid(path, value, `${at} in body should match '${schema.pattern}'`));
    const format = STRING_FORMATS[schema.format];
    if (format && !format(value)) errs.push(invalid(path, value, `${at} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errs.push(invalid(path, value, `${at} in body should be greater than or equal to ${schema.minimum}`));
    if (schema.maximum !== undefined && value > schema.maximum) errs.push(invalid(path, value, `${at} in body should be less than or equal to ${schema.maximum}`));
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(tooMany(path, value.length, schema.maxItems));
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(invalid(path, value, `${at} in body should have at least ${schema.minItems} items`));
    if (schema.items) value.forEach((item, i) => errs.push(...validateAgainstSchema(item, schema.items, path.index(i))));
    errs.push(...listTypeErrors(value, schema, path));
  }
  if (isPlainObject(value)) {
    for (const name of schema.required ?? []) if (value[name] === undefined || value[name] === null) errs.push(required(path.child(name)));
    for (const [name, prop] of Object.entries<Schema>(schema.properties ?? {})) {
      if (value[name] !== undefined && value[name] !== null) errs.push(...validateAgainstSchema(value[name], prop, path.child(name)));
    }
    if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) {
      errs.push(tooMany(path, Object.keys(value).length, schema.maxProperties));
    }
    if (isPlainObject(schema.additionalProperties)) {
      for (const [k, v] of Object.entries(value)) errs.push(...validateAgainstSchema(v, schema.additionalProperties, path.key(k)));
    }
  }
  errs.push(...combinatorErrors(value, schema, path));
  // The API server runs the CEL rules of every node of the right type, alongside the schema checks.
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const holds = GATEWAY_CEL_RULES[rule.message];
    if (holds && !safe(holds, value)) errs.push(invalid(path, celTypeName(value), rule.message));
  }
  return errs;
}

/** The string formats the Gateway API schemas use (kube-openapi's strfmt checks). */
const STRING_FORMATS: Readonly<Record<string, (v: string) => boolean>> = { ipv4: isIPv4, ipv6: isIPv6 };

/**
 * oneOf / anyOf / not (kube-openapi): a failed anyOf reports its first branch's errors, a oneOf
 * that no branch satisfies reports its closest branch's (the fewest errors, first on a tie) after
 * its own message, one that several satisfy only its own message.
 */
function combinatorErrors(value: unknown, schema: Schema, path: FieldPath): FieldError[] {
  const at = String(path);
  const errs: FieldError[] = [];
  if (Array.isArray(schema.anyOf)) {
    const results = schema.anyOf.map((branch: Schema) => validateAgainstSchema(value, branch, path));
    if (!results.some((r: FieldError[]) => r.length === 0)) errs.push(...results[0]);
  }
  if (Array.isArray(schema.oneOf)) {
    const results: FieldError[][] = schema.oneOf.map((branch: Schema) => validateAgainstSchema(value, branch, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing !== 1) {
      errs.push(invalid(path, value, `${at} in body must validate one and only one schema (oneOf)${passing === 0 ? '. Found none valid' : ''}`));
      if (passing === 0) errs.push(...results.reduce((best, r) => (r.length < best.length ? r : best)));
    }
  }
  if (schema.not && validateAgainstSchema(value, schema.not, path).length === 0) {
    errs.push(invalid(path, value, `${at} in body must not validate the schema (not)`));
  }
  return errs;
}

function safe(holds: (self: any) => boolean, value: unknown): boolean {
  try {
    return holds(value);
  } catch {
    return false;
  }
}

/** `x-kubernetes-list-type: set | map`: duplicate items, or items with the same map keys. */
function listTypeErrors(value: unknown[], schema: Schema, path: FieldPath): FieldError[] {
  const type = schema['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return [];
  const keys: string[] = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  value.forEach((item, i) => {
    const id = type === 'set' ? JSON.stringify(item) : JSON.stringify(keys.map((k) => (isPlainObject(item) ? item[k] : undefined)));
    if (seen.has(id)) errs.push(duplicate(path.index(i), type === 'set' ? item : Object.fromEntries(keys.map((k) => [k, (item as any)?.[k]]))));
    seen.add(id);
  });
  return errs;
}

/** The messages of every CEL rule in a schema, for the test that each has a predicate. */
export function celRuleMessages(schema: Schema): string[] {
  const out: string[] = [];
  const walk = (s: Schema) => {
    if (!isPlainObject(s)) return;
    for (const r of s['x-kubernetes-validations'] ?? []) out.push(r.message);
    for (const p of Object.values(s.properties ?? {})) walk(p);
    walk(s.items);
    walk(s.additionalProperties);
  };
  walk(schema);
  return out;
}
