/**
 * The Gateway API's own CRD validation tests (kubernetes-sigs/gateway-api v1.6.1 tests/cel/*.go,
 * run there against a real API server with the standard-channel CRDs) restated against
 * validateManifest. As upstream, a case passes when each wanted text appears in the errors as
 * the API server prints them, and a valid case has no error.
 */
import { formatFieldError, validateManifest } from '../../src';

const V1 = 'gateway.networking.k8s.io/v1';
const route = (spec: any) => ({ apiVersion: V1, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: { parentRefs: [{ name: 'example' }], ...spec } });
const gw = (spec: any) => ({ apiVersion: V1, kind: 'Gateway', metadata: { name: 'g', namespace: 'default' }, spec: { gatewayClassName: 'example', ...spec } });
const listener = (name: string, port: number, protocol: string, extra: any = {}) => ({ name, port, protocol, ...extra });
const pathMatch = (type: string, value: string) => ({ matches: [{ path: { type, value } }] });
const filter = (type: string, body: any = {}) => ({ type, ...body });
const prefixRule = (filters: any[], extra: any = {}) => ({ ...pathMatch('PathPrefix', '/'), filters, ...extra });

function expectErrors(obj: any, want: string[]): void {
  const got = validateManifest(obj).map(formatFieldError);
  if (want.length === 0) expect(got).toEqual([]);
  for (const w of want) expect([w, got.some((g) => g.includes(w))]).toEqual([w, true]);
}

describe('tests/cel/httproute_test.go TestHTTPPathMatch', () => {
  test.each([
    ["invalid because path does not start with '/'", pathMatch('PathPrefix', 'foo'), ["value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"]],
    ['invalid httpRoute prefix (/.)', pathMatch('PathPrefix', '/.'), ["must not end with '/.' when type one of ['Exact', 'PathPrefix']"]],
    ['invalid exact (/./)', pathMatch('Exact', '/foo/./bar'), ["must not contain '/./' when type one of ['Exact', 'PathPrefix']"]],
    ['invalid type', pathMatch('FooBar', '/path'), ['supported values: "Exact", "PathPrefix", "RegularExpression"']],
    ['valid because type is RegularExpression but would not be valid for Exact', pathMatch('RegularExpression', '/foo/./bar'), []],
    ['valid httpRoute prefix', pathMatch('PathPrefix', '/path'), []],
    ['valid path with some special characters', pathMatch('Exact', "/abc/123'/a-b-c/d@gmail/%0A"), []],
    ['invalid prefix path (/[])', pathMatch('PathPrefix', '/[]'), ["must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"]],
    ['invalid exact path (/^)', pathMatch('Exact', '/^'), ["must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"]],
  ])('%s', (_name, rule, want) => expectErrors(route({ rules: [{ ...rule, backendRefs: [{ name: 's', port: 80 }] }] }), want as string[]));
});

describe('tests/cel/httproute_test.go TestBackendObjectReference', () => {
  test.each([
    ['default groupkind with port', { name: 'backend', port: 8080 }, []],
    ['default groupkind with no port', { name: 'backend' }, ['Must have port for Service reference']],
    ['explicit service with port', { group: '', kind: 'Service', name: 'backend', port: 8080 }, []],
    ['explicit service with no port', { group: '', kind: 'Service', name: 'backend' }, ['Must have port for Service reference']],
    ['explicit ref with no port', { group: 'foo.example.com', kind: 'Foo', name: 'backend' }, []],
  ])('%s', (_name, ref, want) => expectErrors(route({ rules: [{ backendRefs: [ref] }] }), want as string[]));
});

describe('tests/cel/httproute_test.go TestHTTPRouteFilter', () => {
  const headers = { set: [{ name: 'name', value: 'foo' }] };
  const mirror = { backendRef: { name: 'mirror', port: 8080 } };
  test.each([
    ['valid HTTPRouteFilterRequestHeaderModifier route filter', filter('RequestHeaderModifier', { requestHeaderModifier: headers }), []],
    ['invalid HTTPRouteFilterRequestHeaderModifier type filter with non-matching field', filter('RequestHeaderModifier', { requestMirror: mirror }),
      ['filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type', 'filter.requestMirror must be nil if the filter.type is not RequestMirror']],
    ['invalid HTTPRouteFilterRequestHeaderModifier type filter with empty value field', filter('RequestHeaderModifier'), ['filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type']],
    ['valid HTTPRouteFilterRequestMirror route filter', filter('RequestMirror', { requestMirror: mirror }), []],
    ['invalid HTTPRouteFilterRequestMirror type filter with non-matching field', filter('RequestMirror', { requestHeaderModifier: headers }),
      ['filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier', 'filter.requestMirror must be specified for RequestMirror filter.type']],
    ['invalid HTTPRouteFilterRequestRedirect type filter with empty value field', filter('RequestRedirect'), ['filter.requestRedirect must be specified for RequestRedirect filter.type']],
    ['valid HTTPRouteFilterExtensionRef filter', filter('ExtensionRef', { extensionRef: { group: 'example.com', kind: 'Foo', name: 'foo' } }), []],
    ['invalid HTTPRouteFilterExtensionRef type filter with non-matching field', filter('ExtensionRef', { requestMirror: mirror }),
      ['filter.requestMirror must be nil if the filter.type is not RequestMirror', 'filter.extensionRef must be specified for ExtensionRef filter.type']],
    ['valid HTTPRouteFilterURLRewrite route filter', filter('URLRewrite', { urlRewrite: { hostname: 'foo.com', path: { type: 'ReplaceFullPath', replaceFullPath: '/foo' } } }), []],
    ['invalid HTTPRouteFilterURLRewrite type filter with empty value field', filter('URLRewrite'), ['filter.urlRewrite must be specified for URLRewrite filter.type']],
    ['invalid HTTPCORSFilter type filter with empty value field', filter('CORS'), ['filter.cors must be specified for CORS filter.type']],
  ])('%s', (_name, f, want) => expectErrors(route({ rules: [{ filters: [f] }] }), want as string[]));
});

describe('tests/cel/httproute_test.go TestHTTPRouteRule', () => {
  const backend = { backendRefs: [{ name: 'backend', port: 8080 }] };
  const prefixRewrite = filter('URLRewrite', { urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/foo' } } });
  const prefixRedirect = filter('RequestRedirect', { requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/foo' } } });
  const twoMatches = { matches: [{ path: { type: 'PathPrefix', value: '/foo' } }, { path: { type: 'PathPrefix', value: '/bar' } }] };
  const regexMatch = { matches: [{ path: { type: 'RegularExpression', value: '/foo' } }] };
  test.each([
    ['backendref with request redirect httpRoute filter', [{ ...prefixRule([filter('RequestRedirect', { requestRedirect: { scheme: 'https', statusCode: 301 } })]), ...backend }],
      ['RequestRedirect filter must not be used together with backendRefs']],
    ['request redirect without backendref in httpRoute filter', [prefixRule([filter('RequestRedirect', { requestRedirect: { scheme: 'https', statusCode: 301 } })])], []],
    ['valid use of URLRewrite filter', [{ ...prefixRule([prefixRewrite]), ...backend }], []],
    ['invalid URLRewrite filter because too many path matches', [{ ...twoMatches, filters: [prefixRewrite], ...backend }],
      ['When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']],
    ['invalid URLRewrite filter because wrong path match type', [{ ...regexMatch, filters: [prefixRewrite], ...backend }],
      ['When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']],
    ['invalid RequestRedirect filter because too many path matches', [{ ...twoMatches, filters: [prefixRedirect] }],
      ['When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']],
    ['invalid URLRewrite filter (within backendRefs) because too many path matches', [{ ...twoMatches, backendRefs: [{ name: 'backend', port: 8080, filters: [prefixRewrite] }] }],
      ['Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']],
    ['invalid RequestRedirect filter (within backendRefs) because path match has type RegularExpression', [{ ...regexMatch, backendRefs: [{ name: 'backend', port: 8080, filters: [prefixRedirect] }] }],
      ['Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']],
    ['rewrite and redirect filters combined (invalid)', [prefixRule([prefixRewrite, filter('RequestRedirect', { requestRedirect: { scheme: 'https' } })])],
      ['May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both']],
    ['invalid because repeated URLRewrite filter', [{ ...prefixRule([prefixRewrite, prefixRewrite]), ...backend }], ['URLRewrite filter cannot be repeated']],
    ['too many matches and rules', Array.from({ length: 7 }, () => ({ matches: Array.from({ length: 20 }, () => ({ path: { type: 'PathPrefix', value: '/' } })) })),
      ['total number of matches across all rules in a route must be less than 128']],
    ['many matches and few rules', Array.from({ length: 2 }, () => ({ matches: Array.from({ length: 64 }, () => ({ path: { type: 'PathPrefix', value: '/' } })) })), []],
  ])('%s', (_name, rules, want) => expectErrors(route({ rules }), want as string[]));
});

describe('tests/cel/httproute_test.go TestHTTPPathModifier', () => {
  test.each([
    ['valid ReplaceFullPath', { type: 'ReplaceFullPath', replaceFullPath: 'foo' }, []],
    ["replaceFullPath must be specified when type is set to 'ReplaceFullPath'", { type: 'ReplaceFullPath' }, ["replaceFullPath must be specified when type is set to 'ReplaceFullPath'"]],
    ["type must be 'ReplaceFullPath' when replaceFullPath is set", { type: 'ReplacePrefixMatch', replaceFullPath: 'foo' }, ["type must be 'ReplaceFullPath' when replaceFullPath is set"]],
    ["replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'", { type: 'ReplacePrefixMatch' }, ["replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'"]],
    ["type must be 'ReplacePrefixMatch' when replacePrefixMatch is set", { type: 'ReplaceFullPath', replacePrefixMatch: 'foo' }, ["type must be 'ReplacePrefixMatch' when replacePrefixMatch is set"]],
  ])('%s', (_name, path, want) => expectErrors(route({ rules: [{ filters: [filter('RequestRedirect', { requestRedirect: { path } })] }] }), want as string[]));
});

describe('tests/cel/httproute_test.go TestHTTPRouteCORS', () => {
  const cors = (allowOrigins: string[]) => route({ rules: [{ filters: [filter('CORS', { cors: { allowOrigins } })] }] });
  test.each([
    ['Valid cors should be accepted', ['https://xpto.com', 'http://*.abcd.com'], []],
    ['Using wildcard only is accepted', ['*'], []],
    ['Wildcard and other hosts on the same origin list should be denied', ['*', 'https://xpto.com'], ["AllowOrigins cannot contain '*' alongside other origins"]],
    ['An origin without the format scheme://host should be denied', ['https://xpto.com', 'xpto.com'], ['Invalid value: "xpto.com": spec.rules[0].filters[0].cors.allowOrigins[1] in body should match']],
    ['An origin with an invalid port should be denied', ['https://xpto.com:notaport'], ['Invalid value: "https://xpto.com:notaport": spec.rules[0].filters[0].cors.allowOrigins[0] in body should match']],
    ['invalid-origin-with-six-digit-port', ['http://www.example.com:111111'], ['Invalid value: "http://www.example.com:111111": spec.rules[0].filters[0].cors.allowOrigins[0] in body should match']],
  ])('%s', (_name, origins, want) => expectErrors(cors(origins as string[]), want as string[]));
});

describe('tests/cel/httproute_standard_test.go TestHTTPRouteParentRefStandard', () => {
  test.each([
    ['invalid because duplicate parent refs without section name', [{ name: 'example' }, { name: 'example' }], ['sectionName must be unique when parentRefs includes 2 or more references to the same parent']],
    ['invalid because duplicate parent refs with only one section name', [{ name: 'example' }, { name: 'example', sectionName: 'foo' }],
      ['sectionName must be specified when parentRefs includes 2 or more references to the same parent']],
    ['invalid because duplicate parent refs with duplicate section names', [{ name: 'example', sectionName: 'foo' }, { name: 'example', sectionName: 'foo' }],
      ['sectionName must be unique when parentRefs includes 2 or more references to the same parent']],
    ['valid single parentRef without sectionName', [{ name: 'example' }], []],
    ['valid because duplicate parent refs with different section names', [{ name: 'example', sectionName: 'foo' }, { name: 'example', sectionName: 'bar' }], []],
  ])('%s', (_name, parentRefs, want) => expectErrors(route({ parentRefs }), want as string[]));
});

describe('tests/cel/gateway_test.go TestValidateGateway', () => {
  const cert = { certificateRefs: [{ name: 'foo' }] };
  test.each([
    ['tls config present with http protocol', [listener('http', 8080, 'HTTP', { tls: cert })], ["tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"]],
    ['tls mode not set to terminate for https', [listener('https', 8443, 'HTTPS', { tls: { ...cert, mode: 'Passthrough' } })], ['tls mode must be Terminate for protocol HTTPS']],
    ['tls config present with tcp protocol', [listener('tcp', 8080, 'TCP', { tls: cert })], ["tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"]],
    ['tls config not set with tls protocol', [listener('tls', 8443, 'TLS')], ['tls mode must be set for protocol TLS']],
    ['hostname present with tcp protocol', [listener('tcp', 8080, 'TCP', { hostname: 'foo.bar.com' })], ["hostname must not be specified for protocols ['TCP', 'UDP']"]],
    ['certificateRefs not set with https protocol and TLS terminate mode', [listener('https', 8443, 'HTTPS', { tls: { mode: 'Terminate' } })],
      ['certificateRefs or options must be specified when mode is Terminate']],
    ['names are not unique within the Gateway', [listener('http', 80, 'HTTP'), listener('http', 8000, 'HTTP'), listener('http', 8080, 'HTTP')],
      ['Listener name must be unique within the Gateway']],
    ['names are unique within the Gateway', [listener('http-1', 80, 'HTTP'), listener('http-2', 8000, 'HTTP'), listener('http-3', 8080, 'HTTP')], []],
    ['combination of port, protocol, and hostname are not unique for each listener', [listener('foo', 80, 'HTTP', { hostname: 'foo.com' }), listener('bar', 80, 'HTTP', { hostname: 'foo.com' })],
      ['Combination of port, protocol and hostname must be unique for each listener']],
    ['combination of port and protocol are not unique for each listener when hostnames not set', [listener('foo', 80, 'HTTP'), listener('bar', 80, 'HTTP')],
      ['Combination of port, protocol and hostname must be unique for each listener']],
  ])('%s', (_name, listeners, want) => expectErrors(gw({ listeners }), want as string[]));

  test.each([
    ['ip address and hostname in addresses are valid', [{ type: 'IPAddress', value: '1.2.3.4' }, { type: 'IPAddress', value: '1111:2222:3333:4444::' }, { type: 'Hostname', value: 'foo.bar' }], []],
    ['ip address and hostname in addresses are invalid', [{ type: 'IPAddress', value: '1.2.3.4:8080' }, { type: 'Hostname', value: '*foo/bar' }, { type: 'Hostname', value: '12:34:56::' }],
      ['Invalid value: "1.2.3.4:8080": spec.addresses[0].value in body must be of type ipv4']],
    ['duplicate ip address or hostname', [{ type: 'IPAddress', value: '1.2.3.4' }, { type: 'IPAddress', value: '1.2.3.4' }, { type: 'Hostname', value: 'foo.bar' }, { type: 'Hostname', value: 'foo.bar' }],
      ['IPAddress values must be unique', 'Hostname values must be unique']],
    ['optional ip address or hostname values', [{ type: 'IPAddress' }, { type: 'Hostname' }], []],
  ])('%s', (_name, addresses, want) => expectErrors(gw({ listeners: [listener('http', 80, 'HTTP')], addresses }), want as string[]));
});
