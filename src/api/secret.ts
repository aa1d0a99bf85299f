/**
 * v1 Secret rules of kube-apiserver 1.27 (pkg/apis/core/validation ValidateSecret,
 * pkg/apis/core/v1/defaults.go SetDefaults_Secret), enough for the TLS secrets an Ingress uses.
 * Takes untrusted JSON and never throws.
 */
import { FieldError, FieldErrorType } from './field-error';
import { FieldPath, invalid, required } from './field-path';
import { KindRules } from './kind-rules';
import { DNS1123_SUBDOMAIN_MAX_LENGTH, isDns1123Subdomain } from './names';
import { isPlainObject } from './values';

/** core.MaxSecretSize: 1 MiB of decoded data. */
const MAX_SECRET_SIZE = 1024 * 1024;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_RE = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);

/** The keys a `kubernetes.io/tls` Secret must carry. */
export const TLS_CERT_KEY = 'tls.crt';
export const TLS_PRIVATE_KEY_KEY = 'tls.key';
export const SECRET_TYPE_TLS = 'kubernetes.io/tls';

/** apimachinery IsConfigMapKey: the rule for Secret and ConfigMap data keys. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  if (!CONFIG_MAP_KEY_RE.test(key)) {
    errs.push(`a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${CONFIG_MAP_KEY_FMT}')`);
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Decoded size of a base64 value, or undefined when the value is not base64 (a decode error upstream). */
function decodedLength(value: string): number | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  return Buffer.from(value, 'base64').length;
}

/** The per-type required keys of ValidateSecret; `keys` maps each data key to its decoded size. */
function validateSecretType(obj: any, keys: Map<string, number>, values: Map<string, string>): FieldError[] {
  const dataPath = FieldPath.root('data');
  const errs: FieldError[] = [];
  switch (obj.type) {
    case 'kubernetes.io/service-account-token': {
      const name = obj.metadata?.annotations?.['kubernetes.io/service-account.name'];
      if (typeof name !== 'string' || name === '') {
        errs.push(required(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      const content = values.get(key);
      if (content === undefined) {
        errs.push(required(dataPath.key(key)));
      } else if (!isJsonObject(content)) {
        errs.push(invalid(dataPath.key(key), '<secret contents redacted>', 'must be a JSON object'));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      // Either key may be empty, but one of them must be present.
      if (!keys.has('username') && !keys.has('password')) {
        errs.push(required(dataPath.key('username')), required(dataPath.key('password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!keys.get('ssh-privatekey')) errs.push(required(dataPath.key('ssh-privatekey')));
      break;
    case SECRET_TYPE_TLS:
      // Presence only: upstream leaves "verify that the key matches the cert" as a TODO.
      if (!keys.has(TLS_CERT_KEY)) errs.push(required(dataPath.key(TLS_CERT_KEY)));
      if (!keys.has(TLS_PRIVATE_KEY_KEY)) errs.push(required(dataPath.key(TLS_PRIVATE_KEY_KEY)));
      break;
    default:
      if (typeof obj.type !== 'string') errs.push(invalid('type', obj.type, 'must be a string'));
  }
  return errs;
}

function isJsonObject(text: string): boolean {
  try {
    return isPlainObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/**
 * The v1 → internal conversion merges `stringData` into `data` (stringData wins) before
 * ValidateSecret runs, so both maps are checked as one.
 */
export function validateSecret(obj: any): FieldError[] {
  const errs: FieldError[] = [];
  const dataPath = FieldPath.root('data');
  const keys = new Map<string, number>();
  const values = new Map<string, string>();
  for (const field of ['data', 'stringData']) {
    const map = obj[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      errs.push(invalid(field, map, 'must be a map of string keys to string values'));
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') {
        errs.push(invalid(FieldPath.root(field).key(key), value, 'must be a string'));
        continue;
      }
      if (field === 'data') {
        const size = decodedLength(value);
        if (size === undefined) {
          errs.push(invalid(dataPath.key(key), '<secret contents redacted>', 'must be base64-encoded'));
          continue;
        }
        keys.set(key, size);
        values.set(key, Buffer.from(value, 'base64').toString('utf8'));
      } else {
        keys.set(key, Buffer.byteLength(value, 'utf8'));
        values.set(key, value);
      }
    }
  }
  let total = 0;
  for (const [key, size] of keys) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(dataPath.key(key), key, msg));
    total += size;
  }
  if (total > MAX_SECRET_SIZE) {
    errs.push({ field: String(dataPath), type: FieldErrorType.TOO_LONG, message: `may not be longer than ${MAX_SECRET_SIZE}`, value: '' });
  }
  errs.push(...validateSecretType(obj, keys, values));
  return errs;
}

/** SetDefaults_Secret: an untyped Secret is Opaque. */
function defaultSecret(obj: any): void {
  if (obj.type === undefined || obj.type === null || obj.type === '') obj.type = 'Opaque';
}

/** v1 Secret: namespaced, DNS-1123 subdomain name. */
export const SECRET_RULES: KindRules = {
  meta: { namespaced: true, nameRule: isDns1123Subdomain },
  applyDefaults: defaultSecret,
  validate: validateSecret,
};
