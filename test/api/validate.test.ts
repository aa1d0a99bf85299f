import { applyDefaults, FieldErrorType, formatFieldError, validateManifest } from '../../src';

describe('validateManifest', () => {
  test('rejects what is not an object, naming the problem', () => {
    expect(validateManifest('nope')[0].type).toBe(FieldErrorType.INVALID);
    expect(validateManifest({ kind: 'Service', metadata: { name: 'x' } })).toEqual([
      expect.objectContaining({ field: 'apiVersion', type: FieldErrorType.REQUIRED }),
    ]);
  });

  test('a known kind gets its metadata rules: Namespace names are DNS-1123 labels and cluster-scoped', () => {
    expect(validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'base' } })).toEqual([]);
    const errs = validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b', namespace: 'x' } });
    expect(errs.map((e) => [e.field, e.type])).toEqual([
      ['metadata.name', FieldErrorType.INVALID],
      ['metadata.namespace', FieldErrorType.FORBIDDEN],
    ]);
  });

  test('labels and annotations keys and values are checked', () => {
    const errs = validateManifest({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ok', labels: { 'bad key!': 'v', 'app': '-bad-' }, annotations: { 'example.com/x': 'ok' } },
    });
    expect(errs.map((e) => [e.field, e.value])).toEqual([
      ['metadata.labels', 'bad key!'],
      ['metadata.labels', '-bad-'],
    ]);
  });

  test('a missing name is Required', () => {
    expect(validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: {} })).toEqual([
      expect.objectContaining({ field: 'metadata.name', type: FieldErrorType.REQUIRED }),
    ]);
  });

  test('unknown kinds are accepted when they have a name', () => {
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([]);
  });

  test('applyDefaults copies and never mutates its input', () => {
    const input = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
    const out = applyDefaults(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });
});

test('formatFieldError renders like kubectl', () => {
  expect(formatFieldError({ field: 'spec.ports[0].port', type: FieldErrorType.INVALID, value: 0, message: 'must be between 1 and 65535, inclusive' }))
    .toBe('spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
  expect(formatFieldError({ field: 'spec.type', type: FieldErrorType.NOT_SUPPORTED, value: 'Foo', message: 'supported values: "ClusterIP"' }))
    .toBe('spec.type: Unsupported value: "Foo": supported values: "ClusterIP"');
  expect(formatFieldError({ field: 'metadata.name', type: FieldErrorType.REQUIRED, message: 'name or generateName is required' }))
    .toBe('metadata.name: Required value: name or generateName is required');
});
