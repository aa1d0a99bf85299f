import * as fc from 'fast-check';
import { FieldError, FieldErrorType, formatFieldError, validateManifest } from '../../src/api';
import { applyDefaults } from '../../src/api/validate';

// Tables restated from kubernetes/kubernetes pkg/apis/networking/validation/validation_test.go
// (TestValidateIngress, TestValidateIngressRuleValue, TestValidateIngressCreate,
// TestValidateIngressClass) against the 1.27 rules in validation.go.

const backend = { service: { name: 'defaultbackend', port: { number: 80 } } };

function ingress(spec: any, metadata: any = {}): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'foo', namespace: 'default', ...metadata }, spec };
}

function withPath(path: any, host = 'foo.bar.com'): any {
  return ingress({ rules: [{ host, http: { paths: [{ backend, ...path }] } }] });
}

function fields(obj: any): string[] {
  return validateManifest(obj).map((e) => e.field);
}

function messages(obj: any): string[] {
  return validateManifest(obj).map(formatFieldError);
}

describe('TestValidateIngress: valid ingresses', () => {
  test.each([
    ['a default backend only', ingress({ defaultBackend: backend })],
    ['a rule with a Prefix path', withPath({ path: '/foo', pathType: 'Prefix' })],
    ['a wildcard host (*.bar.com)', withPath({ path: '/foo', pathType: 'Exact' }, '*.bar.com')],
    ['a regex path under ImplementationSpecific', withPath({ path: '/([a-z0-9]*)', pathType: 'ImplementationSpecific' })],
    ['an invalid regex under ImplementationSpecific (v1 does not parse regexes)', withPath({ path: '/([a-z0-9]*)[', pathType: 'ImplementationSpecific' })],
    ['an empty ImplementationSpecific path', withPath({ path: '', pathType: 'ImplementationSpecific' })],
    ['a resource default backend', ingress({ defaultBackend: { resource: { apiGroup: 'example.com', kind: 'foo', name: 'bar' } } })],
    ['a resource path backend', withPath({ path: '/x', pathType: 'Prefix', backend: { resource: { apiGroup: 'example.com', kind: 'foo', name: 'bar' } } })],
    ['a named service port', withPath({ path: '/x', pathType: 'Prefix', backend: { service: { name: 'svc', port: { name: 'http' } } } })],
    ['a rule without http', ingress({ rules: [{ host: 'foo.bar.com' }] })],
    ['a TLS entry with a valid secret name', ingress({ defaultBackend: backend, tls: [{ secretName: 'valid', hosts: ['foo.bar.com', '*.bar.com'] }] })],
    ['a TLS entry without secretName', ingress({ defaultBackend: backend, tls: [{ hosts: ['*.bar.com'] }] })],
    ['the class field alone', ingress({ defaultBackend: backend, ingressClassName: 'bar' })],
    ['the class annotation alone', ingress({ defaultBackend: backend }, { annotations: { 'kubernetes.io/ingress.class': 'foo' } })],
  ])('%s', (_name, obj) => {
    expect(validateManifest(obj)).toEqual([]);
  });
});

describe('TestValidateIngress: rejected ingresses (field and type as the API server reports them)', () => {
  test.each([
    ['no rules and no default backend', ingress({}), 'spec', 'Invalid'],
    ['invalid path type', withPath({ path: '/foo', pathType: 'foo' }), 'spec.rules[0].http.paths[0].pathType', 'NotSupported'],
    ['missing path type (v1 has no default)', withPath({ path: '/foo' }), 'spec.rules[0].http.paths[0].pathType', 'Required'],
    ['empty path (prefix)', withPath({ path: '', pathType: 'Prefix' }), 'spec.rules[0].http.paths[0].path', 'Invalid'],
    ['no paths', ingress({ rules: [{ host: 'foo.bar.com', http: { paths: [] } }] }), 'spec.rules[0].http.paths', 'Required'],
    ['invalid host (foobar:80)', withPath({ path: '/', pathType: 'Prefix' }, 'foobar:80'), 'spec.rules[0].host', 'Invalid'],
    ['invalid wildcard host (foo.*.bar.com)', withPath({ path: '/', pathType: 'Prefix' }, 'foo.*.bar.com'), 'spec.rules[0].host', 'Invalid'],
    ['invalid wildcard host (*)', withPath({ path: '/', pathType: 'Prefix' }, '*'), 'spec.rules[0].host', 'Invalid'],
    ['invalid wildcard host (*.*.bad)', withPath({ path: '/', pathType: 'Prefix' }, '*.*.bad'), 'spec.rules[0].host', 'Invalid'],
    ['service and resource backends together', withPath({ path: '/foo', pathType: 'ImplementationSpecific', backend: { ...backend, resource: { apiGroup: 'example.com', kind: 'foo', name: 'bar' } } }), 'spec.rules[0].http.paths[0].backend', 'Invalid'],
    ['default backend with neither service nor resource', ingress({ defaultBackend: {} }), 'spec.defaultBackend', 'Invalid'],
    ['service port name and number together', ingress({ defaultBackend: { service: { name: 'svc', port: { name: 'http', number: 80 } } } }), 'spec.defaultBackend', 'Invalid'],
    ['service port neither name nor number', ingress({ defaultBackend: { service: { name: 'svc', port: {} } } }), 'spec.defaultBackend', 'Required'],
    ['service port number out of range', ingress({ defaultBackend: { service: { name: 'svc', port: { number: 65536 } } } }), 'spec.defaultBackend.service.port.number', 'Invalid'],
    ['service port name not an IANA name', ingress({ defaultBackend: { service: { name: 'svc', port: { name: 'HTTP' } } } }), 'spec.defaultBackend.service.port.name', 'Invalid'],
    ['service name missing', ingress({ defaultBackend: { service: { port: { number: 80 } } } }), 'spec.defaultBackend.service.name', 'Required'],
    ['service name not a DNS-1035 label', ingress({ defaultBackend: { service: { name: '1svc', port: { number: 80 } } } }), 'spec.defaultBackend.service.name', 'Invalid'],
    ['resource backend without kind', ingress({ defaultBackend: { resource: { name: 'bar' } } }), 'spec.defaultBackend.resource.kind', 'Required'],
    ['resource backend name with a slash', ingress({ defaultBackend: { resource: { kind: 'foo', name: 'a/b' } } }), 'spec.defaultBackend.resource.name', 'Invalid'],
    ['resource backend apiGroup not a subdomain', ingress({ defaultBackend: { resource: { apiGroup: 'Example.com', kind: 'foo', name: 'bar' } } }), 'spec.defaultBackend.resource.apiGroup', 'Invalid'],
    ['TLS host not a DNS name', ingress({ defaultBackend: backend, tls: [{ hosts: ['Foo.com'] }] }), 'spec.tls[0].hosts[0]', 'Invalid'],
    ['TLS wildcard host not leftmost', ingress({ defaultBackend: backend, tls: [{ hosts: ['foo.*.com'] }] }), 'spec.tls[0].hosts[0]', 'Invalid'],
    ['ingressClassName not a subdomain', ingress({ defaultBackend: backend, ingressClassName: 'Nginx' }), 'spec.ingressClassName', 'Invalid'],
  ])('%s', (_name, obj, field, type) => {
    const errs = validateManifest(obj);
    expect(errs.map((e) => [e.field, e.type])).toContainEqual([field, type]);
  });

  test('an IP address host is refused as an IP, not only as a malformed name (127.0.0.1)', () => {
    expect(messages(withPath({ path: '/', pathType: 'Prefix' }, '127.0.0.1'))).toEqual([
      'spec.rules[0].host: Invalid value: "127.0.0.1": must be a DNS name, not an IP address',
    ]);
  });

  test('Go ParseIPSloppy accepts leading zeros, so 010.0.0.1 is an IP too', () => {
    expect(fields(withPath({ path: '/', pathType: 'Prefix' }, '010.0.0.1'))).toEqual(['spec.rules[0].host']);
  });

  test('the default-backend-or-rules message', () => {
    expect(messages(ingress({}))).toEqual(['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
  });
});

describe('TestValidateIngressRuleValue: paths per pathType', () => {
  const p = 'spec.rules[0].http.paths[0].path';
  test.each([
    ['implementation specific: no leading slash', 'ImplementationSpecific', 'foo', [`${p}: Invalid value: "foo": must be an absolute path`]],
    ['implementation specific: leading slash', 'ImplementationSpecific', '/foo', []],
    ['implementation specific: repeating slashes', 'ImplementationSpecific', '/foo//bar/foo', []],
    ['prefix: no leading slash', 'Prefix', 'foo', [`${p}: Invalid value: "foo": must be an absolute path`]],
    ['prefix: many slashes', 'Prefix', '/foo/bar/foo', []],
    ['prefix: repeating slashes', 'Prefix', '/foo//bar/foo', [`${p}: Invalid value: "/foo//bar/foo": must not contain '//'`]],
    ['exact: no leading slash', 'Exact', 'foo', [`${p}: Invalid value: "foo": must be an absolute path`]],
    ['exact: repeating slashes', 'Exact', '/foo//bar/foo', [`${p}: Invalid value: "/foo//bar/foo": must not contain '//'`]],
    ['prefix: with /./', 'Prefix', '/foo/./foo', [`${p}: Invalid value: "/foo/./foo": must not contain '/./'`]],
    ['exact: with /../', 'Exact', '/foo/../foo', [`${p}: Invalid value: "/foo/../foo": must not contain '/../'`]],
    ['prefix: with %2f', 'Prefix', '/foo/%2f/foo', [`${p}: Invalid value: "/foo/%2f/foo": must not contain '%2f'`]],
    ['exact: with %2F', 'Exact', '/foo/%2F/foo', [`${p}: Invalid value: "/foo/%2F/foo": must not contain '%2F'`]],
    ['prefix: ending in /..', 'Prefix', '/foo/..', [`${p}: Invalid value: "/foo/..": cannot end with '/..'`]],
    ['exact: ending in /.', 'Exact', '/foo/.', [`${p}: Invalid value: "/foo/.": cannot end with '/.'`]],
    ['implementation specific: dot segments are the controller\'s business', 'ImplementationSpecific', '/foo/../x/.', []],
    ['prefix: # is not one of the invalid sequences', 'Prefix', '/a#b', []],
  ])('%s', (_name, pathType, path, expected) => {
    expect(messages(withPath({ path, pathType }))).toEqual(expected);
  });
});

describe('TestValidateIngressCreate: class field vs legacy annotation (1.27, kubernetes#115447)', () => {
  const both = (annotation: string) => ingress({ defaultBackend: backend, ingressClassName: 'bar' }, { annotations: { 'kubernetes.io/ingress.class': annotation } });

  test('both set to the same class is accepted (the API server only warns)', () => {
    expect(validateManifest(both('bar'))).toEqual([]);
  });

  test('both set to different classes is refused, at the annotation', () => {
    expect(validateManifest(both('foo'))).toEqual([
      { field: 'annotations.kubernetes.io/ingress.class', type: 'Invalid', value: 'foo', message: 'must match `ingressClassName` when both are specified' },
    ]);
  });

  test('v1: invalid secret name', () => {
    expect(messages(ingress({ defaultBackend: backend, tls: [{ secretName: 'invalid name' }] }))).toEqual([
      'spec.tls[0].secretName: Invalid value: "invalid name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]);
  });

  test('v1: invalid rules with a wildcard host are still checked on create', () => {
    const obj = ingress({ tls: [{ hosts: ['*.bar.com'] }], rules: [{ host: '*.foo.com', http: { paths: [{ path: 'foo', pathType: 'Exact', backend }] } }] });
    expect(messages(obj)).toEqual(['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path']);
  });
});

describe('TestValidateIngressClass', () => {
  function ingressClass(spec: any, metadata: any = {}): any {
    return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'test123', ...metadata }, spec };
  }

  test.each([
    ['a domain-prefixed controller', { controller: 'foo.co/bar' }],
    ['parameters with Cluster scope', { controller: 'foo.co/bar', parameters: { apiGroup: 'example.com', kind: 'foo', name: 'bar', scope: 'Cluster' } }],
    ['parameters with Namespace scope and namespace', { controller: 'foo.co/bar', parameters: { kind: 'foo', name: 'bar', scope: 'Namespace', namespace: 'foo-ns' } }],
    ['parameters without scope (defaulted to Cluster)', { controller: 'foo.co/bar', parameters: { kind: 'foo', name: 'bar' } }],
  ])('valid: %s', (_name, spec) => {
    expect(validateManifest(ingressClass(spec))).toEqual([]);
  });

  test.each([
    ['empty controller', { controller: '' }, ['spec.controller: Required value']],
    ['controller without a domain', { controller: 'foo' }, ['spec.controller: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")']],
    ['controller with a bad domain', { controller: 'Foo.co/bar' }, [expect.stringMatching(/^spec\.controller: Invalid value: "Foo\.co": a lowercase RFC 1123 subdomain/)]],
    ['controller with a space in the path', { controller: 'foo.co/b ar' }, ['spec.controller: Invalid value: "b ar": Invalid path (regex used for validation is \'[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+\')']],
    ['controller longer than 250', { controller: `foo.co/${'a'.repeat(250)}` }, ['spec.controller: Too long: may not be longer than 250']],
    ['parameters without kind and name', { controller: 'foo.co/bar', parameters: { scope: 'Cluster' } }, ['spec.parameters.kind: Required value: kind is required', 'spec.parameters.name: Required value: name is required']],
    ['parameters with an unknown scope', { controller: 'foo.co/bar', parameters: { kind: 'foo', name: 'bar', scope: 'foo' } }, ['spec.parameters.scope: Unsupported value: "foo": supported values: "Cluster", "Namespace"']],
    ['Namespace scope without namespace', { controller: 'foo.co/bar', parameters: { kind: 'foo', name: 'bar', scope: 'Namespace' } }, ['spec.parameters.namespace: Required value: `parameters.scope` is set to \'Namespace\'']],
    ['Cluster scope with namespace', { controller: 'foo.co/bar', parameters: { kind: 'foo', name: 'bar', scope: 'Cluster', namespace: 'foo-ns' } }, ['spec.parameters.namespace: Forbidden: `parameters.scope` is set to \'Cluster\'']],
    ['kind may not be ..', { controller: 'foo.co/bar', parameters: { kind: '..', name: 'bar' } }, ['spec.parameters.kind: Invalid value: "..": may not be \'..\'']],
  ])('rejected: %s', (_name, spec, expected) => {
    expect(messages(ingressClass(spec))).toEqual(expected);
  });

  test('an IngressClass is cluster-scoped', () => {
    expect(fields(ingressClass({ controller: 'foo.co/bar' }, { namespace: 'default' }))).toEqual(['metadata.namespace']);
  });

  test('SetDefaults_IngressClass fills parameters.scope with Cluster', () => {
    expect(applyDefaults(ingressClass({ controller: 'a.io/b', parameters: { kind: 'k', name: 'n' } })).spec.parameters.scope).toBe('Cluster');
  });
});

describe('wrongly-typed input never throws', () => {
  const samples: any[] = [
    ingress(null), ingress('x'), ingress({ rules: 'x' }), ingress({ rules: [null, 3, { host: 5, http: 'x' }] }),
    ingress({ rules: [{ http: { paths: [null, { pathType: 7, path: 9, backend: 'x' }] } }] }),
    ingress({ defaultBackend: { service: { name: 3, port: { number: '80', name: 4 } } } }),
    ingress({ defaultBackend: { service: 'svc' } }), ingress({ defaultBackend: { resource: [] } }),
    ingress({ defaultBackend: { resource: { apiGroup: 1, kind: 2, name: null } } }),
    ingress({ defaultBackend: backend, tls: 'x' }), ingress({ defaultBackend: backend, tls: [1, { hosts: 'x' }, { hosts: [1], secretName: 2 }] }),
    ingress({ defaultBackend: backend, ingressClassName: 3 }, { annotations: 'x' }),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'x' }, spec: { controller: 5, parameters: { scope: 3, namespace: 4, kind: [] } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'x' }, spec: 'x' },
  ];
  test.each(samples.map((s, i) => [i, s]))('sample %i yields errors, not exceptions', (_i, obj) => {
    expect(() => validateManifest(obj)).not.toThrow();
    expect(validateManifest(obj).length).toBeGreaterThan(0);
  });
});

describe('property: validateManifest never throws, whatever the shape', () => {
  const json = fc.jsonValue({ maxDepth: 5 });
  const ingressLike = fc.record({
    defaultBackend: fc.oneof(json, fc.record({
      service: fc.oneof(json, fc.record({ name: json, port: fc.oneof(json, fc.record({ name: json, number: json })) })),
      resource: json,
    })),
    rules: fc.oneof(json, fc.array(fc.record({
      host: json,
      http: fc.oneof(json, fc.record({ paths: fc.oneof(json, fc.array(fc.record({ path: json, pathType: json, backend: json }))) })),
    }))),
    tls: fc.oneof(json, fc.array(fc.record({ hosts: json, secretName: json }))),
    ingressClassName: json,
  }, { requiredKeys: [] });
  // Not only "no throw": every error names a field, has a known type and formats like kubectl.
  const wellFormed = (errs: FieldError[]) => {
    expect(Array.isArray(errs)).toBe(true);
    for (const e of errs) {
      expect(e.field).toMatch(/^(metadata|spec|data|stringData|type)\b/);
      expect(Object.values(FieldErrorType)).toContain(e.type);
      expect(formatFieldError(e)).toContain(`${e.field}: `);
    }
  };
  test.each([
    ['networking.k8s.io/v1', 'Ingress', ingressLike],
    ['networking.k8s.io/v1', 'IngressClass', fc.record({
      controller: json,
      parameters: fc.oneof(json, fc.record({ apiGroup: json, kind: json, name: json, scope: json, namespace: json }, { requiredKeys: [] })),
    }, { requiredKeys: [] })],
  ] as Array<[string, string, fc.Arbitrary<unknown>]>)('%s %s', (apiVersion, kind, spec) => {
    fc.assert(fc.property(spec, json, (s: any, annotations: any) => {
      wellFormed(validateManifest({ apiVersion, kind, metadata: { name: 'x', annotations }, spec: s }));
    }), { numRuns: 300, seed: 11 });
  });

  test('v1 Secret', () => {
    fc.assert(fc.property(json, json, json, (data: any, stringData: any, type: any) => {
      wellFormed(validateManifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data, stringData, type }));
    }), { numRuns: 300, seed: 12 });
  });
});
