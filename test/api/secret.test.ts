import { formatFieldError, validateManifest } from '../../src/api';
import { applyDefaults } from '../../src/api/validate';

// Restated from kubernetes/kubernetes pkg/apis/core/validation/validation_test.go
// (TestValidateSecret, TestValidateTLSSecret, TestValidateBasicAuthSecret, TestValidateSSHAuth…)
// against ValidateSecret in validation.go (1.27).

function secret(fields: any, metadata: any = {}): any {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'foo', namespace: 'bar', ...metadata }, ...fields };
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

function messages(obj: any): string[] {
  return validateManifest(obj).map(formatFieldError);
}

test('SetDefaults_Secret: an untyped Secret is Opaque', () => {
  expect(applyDefaults(secret({})).type).toBe('Opaque');
});

test.each([
  ['an Opaque secret with data', secret({ data: { 'data-1': b64('bar') } })],
  ['a TLS secret with tls.crt and tls.key in data', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } })],
  ['a TLS secret with stringData (merged into data before validation)', secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } })],
  ['a basic-auth secret with only a username', secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'u' } })],
  ['a dockerconfigjson secret', secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } })],
  ['an unknown type', secret({ type: 'example.com/custom' })],
])('valid: %s', (_name, obj) => {
  expect(validateManifest(obj)).toEqual([]);
});

test.each([
  ['TLS without tls.key', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), ['data[tls.key]: Required value']],
  ['TLS without either key', secret({ type: 'kubernetes.io/tls' }), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
  ['a bad data key', secret({ data: { 'a b': b64('x') } }), ["data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
  ['a data key starting with ..', secret({ data: { '..a': b64('x') } }), ["data[..a]: Invalid value: \"..a\": must not start with '..'"]],
  ['data that is not base64', secret({ data: { a: 'not base64!' } }), ['data[a]: Invalid value: "<secret contents redacted>": must be base64-encoded']],
  ['more than 1 MiB of data', secret({ stringData: { a: 'x'.repeat(1024 * 1024 + 1) } }), ['data: Too long: may not be longer than 1048576']],
  ['basic-auth without username or password', secret({ type: 'kubernetes.io/basic-auth' }), ['data[username]: Required value', 'data[password]: Required value']],
  ['ssh-auth without a key', secret({ type: 'kubernetes.io/ssh-auth' }), ['data[ssh-privatekey]: Required value']],
  ['dockercfg that is not JSON', secret({ type: 'kubernetes.io/dockercfg', stringData: { '.dockercfg': '{' } }), ['data[.dockercfg]: Invalid value: "<secret contents redacted>": must be a JSON object']],
  ['service-account-token without the account annotation', secret({ type: 'kubernetes.io/service-account-token' }), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
  ['a name that is not a subdomain', secret({}, { name: 'Foo' }), [expect.stringMatching(/^metadata\.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain/)]],
])('rejected: %s', (_name, obj, expected) => {
  expect(messages(obj)).toEqual(expected);
});

test.each([
  secret({ data: 'x' }), secret({ data: { a: 1 } }), secret({ stringData: [1] }), secret({ type: 5 }),
  secret({ type: 'kubernetes.io/service-account-token' }, { annotations: { 'kubernetes.io/service-account.name': 3 } }),
])('wrongly-typed input yields errors, not exceptions (%#)', (obj) => {
  expect(() => validateManifest(obj)).not.toThrow();
  expect(validateManifest(obj).length).toBeGreaterThan(0);
});
