import { validateManifest, applyDefaults } from '../../src/api';
import { GATEWAY_CEL_RULES } from '../../src/api/gateway-cel';
import { celRuleMessages } from '../../src/api/gateway-openapi';
import { GATEWAY_SCHEMAS } from '../../src/api/gateway-schema';

const V1 = 'gateway.networking.k8s.io/v1';
const gateway = (listeners: any[]) => ({ apiVersion: V1, kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' }, spec: { gatewayClassName: 'example', listeners } });
const route = (spec: any) => ({ apiVersion: V1, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'infra' }, spec });

describe('Gateway API CRD rules (v1.6.1 standard channel)', () => {
  test('every CEL rule of the four CRDs has a predicate keyed by its message', () => {
    for (const [kind, { spec }] of Object.entries(GATEWAY_SCHEMAS)) {
      for (const message of celRuleMessages(spec)) expect([kind, message, message in GATEWAY_CEL_RULES]).toEqual([kind, message, true]);
    }
  });

  test('schema defaults: parentRef group/kind, match path PathPrefix "/", backendRef weight 1 and kind Service, listener allowedRoutes Same', () => {
    const r = applyDefaults(route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] }));
    expect(r.spec.parentRefs[0]).toEqual({ name: 'gw', group: V1.split('/')[0], kind: 'Gateway' });
    expect(r.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(r.spec.rules[0].backendRefs[0]).toEqual({ name: 'svc', port: 80, group: '', kind: 'Service', weight: 1 });
    const g = applyDefaults(gateway([{ name: 'http', port: 80, protocol: 'HTTP' }]));
    expect(g.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
  });

  test('a valid Gateway and HTTPRoute pass', () => {
    expect(validateManifest(gateway([{ name: 'http', port: 80, protocol: 'HTTP' }]))).toEqual([]);
    expect(validateManifest(route({ parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] }))).toEqual([]);
  });

  test('CEL: listener names must be unique; reported as the API server reports CEL failures', () => {
    const errs = validateManifest(gateway([{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'a', port: 81, protocol: 'HTTP' }]));
    expect(errs).toContainEqual({ field: 'spec.listeners', type: 'Invalid', value: 'array', message: 'Listener name must be unique within the Gateway' });
  });

  test('CEL: tls on an HTTP listener; HTTPS with Terminate needs certificateRefs', () => {
    expect(validateManifest(gateway([{ name: 'a', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }])).map((e) => e.message))
      .toContain("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
    expect(validateManifest(gateway([{ name: 'a', port: 443, protocol: 'HTTPS', tls: {} }])))
      .toContainEqual({ field: 'spec.listeners[0].tls', type: 'Invalid', value: 'object', message: 'certificateRefs or options must be specified when mode is Terminate' });
  });

  test('schema: port range, hostname pattern, enum of path types', () => {
    const errs = validateManifest(gateway([{ name: 'a', port: 0, protocol: 'HTTP', hostname: 'A_B' }]));
    expect(errs).toContainEqual(expect.objectContaining({
      field: 'spec.listeners[0].port',
      type: 'Invalid',
      value: 0,
      message: 'spec.listeners[0].port in body should be greater than or equal to 1',
    }));
    expect(errs.map((e) => e.field)).toContain('spec.listeners[0].hostname');
    const r = validateManifest(route({ rules: [{ matches: [{ path: { type: 'Regex', value: '/' } }] }] }));
    expect(r).toContainEqual(expect.objectContaining({ field: 'spec.rules[0].matches[0].path.type', type: 'NotSupported', value: 'Regex' }));
  });

  test('CEL: path values, redirect with backendRefs, ReplacePrefixMatch needs one PathPrefix match, port for a Service', () => {
    const msgs = (spec: any) => validateManifest(route(spec)).map((e) => `${e.field}: ${e.message}`);
    expect(msgs({ rules: [{ matches: [{ path: { type: 'Exact', value: 'foo' } }] }] }))
      .toContain("spec.rules[0].matches[0].path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']");
    expect(msgs({ rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }], backendRefs: [{ name: 's', port: 80 }] }] }))
      .toContain('spec.rules[0]: RequestRedirect filter must not be used together with backendRefs');
    expect(msgs({ rules: [{ matches: [{ path: { type: 'Exact', value: '/a' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/b' } } }] }] }))
      .toContain('spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified');
    expect(msgs({ rules: [{ backendRefs: [{ name: 's' }] }] })).toContain('spec.rules[0].backendRefs[0]: Must have port for Service reference');
  });

  test('CEL: two parentRefs to the same Gateway need distinct sectionNames', () => {
    expect(validateManifest(route({ parentRefs: [{ name: 'gw' }, { name: 'gw', sectionName: 'http' }] })).map((e) => e.message))
      .toContain('sectionName must be specified when parentRefs includes 2 or more references to the same parent');
  });

  test('GatewayClass is cluster-scoped and needs a domain-prefixed controllerName', () => {
    expect(validateManifest({ apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'c' }, spec: { controllerName: 'example.com/gw' } })).toEqual([]);
    const errs = validateManifest({ apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'c' }, spec: { controllerName: 'nodomain' } });
    expect(errs.map((e) => e.field)).toEqual(['spec.controllerName']);
  });

  test('ReferenceGrant requires from and to', () => {
    const errs = validateManifest({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'b' }, spec: {} });
    expect(errs.map((e) => `${e.field} ${e.type}`)).toEqual(['spec.from Required', 'spec.to Required']);
  });
});
