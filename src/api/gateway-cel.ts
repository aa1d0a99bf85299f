/**
 * The CEL rules (`x-kubernetes-validations`) of the Gateway API v1.6.1 standard-channel CRDs,
 * restated as predicates over the defaulted JSON and keyed by the rule's message, which is what
 * the API server reports (`<field>: Invalid value: "<type>": <message>`). Every rule the schema in
 * gateway-schema.ts carries must have an entry here (test/api/gateway.test.ts checks it).
 * Each predicate receives `self` of the schema node the rule is attached to and never throws.
 */

type Json = any;

/** CEL `has(o.f)`: the field is present. */
const has = (o: Json, f: string): boolean => o !== null && typeof o === 'object' && o[f] !== undefined && o[f] !== null;
const list = (v: Json): Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json): string => (typeof v === 'string' ? v : '');
/** CEL `exists_one`. */
const exactlyOne = (items: Json[], p: (x: Json) => boolean): boolean => items.filter(p).length === 1;
const unset = (o: Json, f: string) => !has(o, f) || o[f] === '';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const ADDRESS_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

const exactOrPrefix = (self: Json) => ['Exact', 'PathPrefix'].includes(self.type);
const pathRule = (test: (value: string) => boolean) => (self: Json) => !exactOrPrefix(self) || test(str(self.value));

/** Whether two parentRefs name the same parent (group, kind, name, namespace with unset = ''). */
const sameParent = (a: Json, b: Json) => a.group === b.group && a.kind === b.kind && a.name === b.name
  && ((unset(a, 'namespace') && unset(b, 'namespace')) || (has(a, 'namespace') && has(b, 'namespace') && a.namespace === b.namespace));

/** Whether a filter list holds a ReplacePrefixMatch of `kind` (`requestRedirect` or `urlRewrite`). */
const usesPrefixReplace = (filters: Json, kind: string) => has({ f: filters }, 'f') && exactlyOne(list(filters),
  (f) => has(f, kind) && has(f[kind], 'path') && f[kind].path.type === 'ReplacePrefixMatch' && has(f[kind].path, 'replacePrefixMatch'));
/** The rule has exactly one match and it is a PathPrefix. */
const onePrefixMatch = (rule: Json) => list(rule.matches).length === 1 && has(rule.matches[0], 'path') && rule.matches[0].path.type === 'PathPrefix';
const prefixReplaceNeedsOnePrefixMatch = (kind: string) => (rule: Json) => !usesPrefixReplace(rule.filters, kind) || onePrefixMatch(rule);
const backendPrefixReplaceNeedsOnePrefixMatch = (kind: string) => (rule: Json) =>
  !(has(rule, 'backendRefs') && exactlyOne(list(rule.backendRefs), (b) => usesPrefixReplace(b.filters, kind))) || onePrefixMatch(rule);

const countOf = (filters: Json, type: string) => list(filters).filter((f) => f?.type === type).length;
const filterFieldNilUnlessType = (field: string, type: string) => (f: Json) => !(has(f, field) && f.type !== type);
const filterFieldRequiredForType = (field: string, type: string) => (f: Json) => !(!has(f, field) && f.type === type);
const starAlone = (self: Json) => !(list(self).includes('*') && list(self).length > 1);

/** A Go duration as CEL's `duration()` reads it, in milliseconds (undefined when unreadable). */
function durationMs(text: Json): number | undefined {
  if (typeof text !== 'string') return undefined;
  const units: Record<string, number> = { h: 3600000, m: 60000, s: 1000, ms: 1 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]];
    consumed = re.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

export const GATEWAY_CEL_RULES: Readonly<Record<string, (self: Json) => boolean>> = {
  // GatewayClass: immutability only applies to updates; a create always passes.
  'Value is immutable': () => true,

  // Gateway
  'IPAddress values must be unique': (self) => list(self).every((a1) => !(a1?.type === 'IPAddress' && has(a1, 'value'))
    || exactlyOne(list(self), (a2) => a2?.type === a1.type && has(a2, 'value') && a2.value === a1.value)),
  'Hostname values must be unique': (self) => list(self).every((a1) => !(a1?.type === 'Hostname' && has(a1, 'value'))
    || exactlyOne(list(self), (a2) => a2?.type === a1.type && has(a2, 'value') && a2.value === a1.value)),
  [`Hostname value must be empty or contain only valid characters (matching ${ADDRESS_HOSTNAME.source})`]: (self) =>
    self.type !== 'Hostname' || !has(self, 'value') || ADDRESS_HOSTNAME.test(str(self.value)),
  'Annotation keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.': (self) =>
    Object.keys(self ?? {}).every((k) => LABEL_KEY.test(k)),
  "If specified, the annotation key's prefix must be a DNS subdomain not longer than 253 characters in total.": (self) =>
    Object.keys(self ?? {}).every((k) => k.split('/')[0].length < 253),
  'Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.': (self) =>
    Object.keys(self ?? {}).every((k) => LABEL_KEY.test(k)),
  "If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total.": (self) =>
    Object.keys(self ?? {}).every((k) => k.split('/')[0].length < 253),
  "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']": (self) => list(self).every((l) => !['HTTP', 'TCP', 'UDP'].includes(l?.protocol) || !has(l, 'tls')),
  'tls mode must be Terminate for protocol HTTPS': (self) => list(self).every((l) => !(l?.protocol === 'HTTPS' && has(l, 'tls'))
    || l.tls.mode === '' || l.tls.mode === 'Terminate'),
  'tls mode must be set for protocol TLS': (self) => list(self).every((l) => l?.protocol !== 'TLS' || (has(l, 'tls') && has(l.tls, 'mode') && l.tls.mode !== '')),
  "hostname must not be specified for protocols ['TCP', 'UDP']": (self) => list(self).every((l) => !['TCP', 'UDP'].includes(l?.protocol) || unset(l, 'hostname')),
  'Listener name must be unique within the Gateway': (self) => list(self).every((l1) => exactlyOne(list(self), (l2) => l1?.name === l2?.name)),
  'Combination of port, protocol and hostname must be unique for each listener': (self) => list(self).every((l1) => exactlyOne(list(self), (l2) =>
    l1?.port === l2?.port && l1?.protocol === l2?.protocol
    && (has(l1, 'hostname') && has(l2, 'hostname') ? l1.hostname === l2.hostname : !has(l1, 'hostname') && !has(l2, 'hostname')))),
  'certificateRefs or options must be specified when mode is Terminate': (self) => self.mode !== 'Terminate'
    || list(self.certificateRefs).length > 0 || Object.keys(self.options ?? {}).length > 0,
  'Port for TLS configuration must be unique within the Gateway': (self) => list(self).every((t1) => exactlyOne(list(self), (t2) => t1?.port === t2?.port)),

  // HTTPRoute
  'sectionName must be specified when parentRefs includes 2 or more references to the same parent': (self) =>
    list(self).every((p1) => list(self).every((p2) => !sameParent(p1, p2) || unset(p1, 'sectionName') === unset(p2, 'sectionName'))),
  'sectionName must be unique when parentRefs includes 2 or more references to the same parent': (self) =>
    list(self).every((p1) => exactlyOne(list(self), (p2) => sameParent(p1, p2)
      && ((unset(p1, 'sectionName') && unset(p2, 'sectionName')) || (has(p1, 'sectionName') && has(p2, 'sectionName') && p1.sectionName === p2.sectionName)))),
  // The rule sums the matches of the first 16 rules (the most a route may have).
  'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128': (self) =>
    list(self).slice(0, 16).reduce((n: number, r: Json) => n + list(r?.matches).length, 0) <= 128,
  'RequestRedirect filter must not be used together with backendRefs': (rule) =>
    !(has(rule, 'backendRefs') && list(rule.backendRefs).length > 0) || !has(rule, 'filters') || list(rule.filters).every((f) => !has(f, 'requestRedirect')),
  'When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified': prefixReplaceNeedsOnePrefixMatch('requestRedirect'),
  'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified': prefixReplaceNeedsOnePrefixMatch('urlRewrite'),
  'Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified':
    backendPrefixReplaceNeedsOnePrefixMatch('requestRedirect'),
  'Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified':
    backendPrefixReplaceNeedsOnePrefixMatch('urlRewrite'),
  'Must have port for Service reference': (self) => !(str(self.group).length === 0 && self.kind === 'Service') || has(self, 'port'),
  'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both': (self) =>
    !(countOf(self, 'RequestRedirect') > 0 && countOf(self, 'URLRewrite') > 0),
  'CORS filter cannot be repeated': (self) => countOf(self, 'CORS') <= 1,
  'RequestHeaderModifier filter cannot be repeated': (self) => countOf(self, 'RequestHeaderModifier') <= 1,
  'ResponseHeaderModifier filter cannot be repeated': (self) => countOf(self, 'ResponseHeaderModifier') <= 1,
  'RequestRedirect filter cannot be repeated': (self) => countOf(self, 'RequestRedirect') <= 1,
  'URLRewrite filter cannot be repeated': (self) => countOf(self, 'URLRewrite') <= 1,
  'filter.cors must be nil if the filter.type is not CORS': filterFieldNilUnlessType('cors', 'CORS'),
  'filter.cors must be specified for CORS filter.type': filterFieldRequiredForType('cors', 'CORS'),
  'filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier': filterFieldNilUnlessType('requestHeaderModifier', 'RequestHeaderModifier'),
  'filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type': filterFieldRequiredForType('requestHeaderModifier', 'RequestHeaderModifier'),
  'filter.responseHeaderModifier must be nil if the filter.type is not ResponseHeaderModifier': filterFieldNilUnlessType('responseHeaderModifier', 'ResponseHeaderModifier'),
  'filter.responseHeaderModifier must be specified for ResponseHeaderModifier filter.type': filterFieldRequiredForType('responseHeaderModifier', 'ResponseHeaderModifier'),
  'filter.requestMirror must be nil if the filter.type is not RequestMirror': filterFieldNilUnlessType('requestMirror', 'RequestMirror'),
  'filter.requestMirror must be specified for RequestMirror filter.type': filterFieldRequiredForType('requestMirror', 'RequestMirror'),
  'filter.requestRedirect must be nil if the filter.type is not RequestRedirect': filterFieldNilUnlessType('requestRedirect', 'RequestRedirect'),
  'filter.requestRedirect must be specified for RequestRedirect filter.type': filterFieldRequiredForType('requestRedirect', 'RequestRedirect'),
  'filter.urlRewrite must be nil if the filter.type is not URLRewrite': filterFieldNilUnlessType('urlRewrite', 'URLRewrite'),
  'filter.urlRewrite must be specified for URLRewrite filter.type': filterFieldRequiredForType('urlRewrite', 'URLRewrite'),
  'filter.extensionRef must be nil if the filter.type is not ExtensionRef': filterFieldNilUnlessType('extensionRef', 'ExtensionRef'),
  'filter.extensionRef must be specified for ExtensionRef filter.type': filterFieldRequiredForType('extensionRef', 'ExtensionRef'),
  "AllowHeaders cannot contain '*' alongside other methods": starAlone,
  "AllowMethods cannot contain '*' alongside other methods": starAlone,
  "AllowOrigins cannot contain '*' alongside other origins": starAlone,
  'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter': (self) => !(has(self, 'percent') && has(self, 'fraction')),
  'numerator must be less than or equal to denominator': (self) => !(self.numerator > (self.denominator ?? 100)),
  "replaceFullPath must be specified when type is set to 'ReplaceFullPath'": (self) => self.type !== 'ReplaceFullPath' || has(self, 'replaceFullPath'),
  "type must be 'ReplaceFullPath' when replaceFullPath is set": (self) => !has(self, 'replaceFullPath') || self.type === 'ReplaceFullPath',
  "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'": (self) => self.type !== 'ReplacePrefixMatch' || has(self, 'replacePrefixMatch'),
  "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set": (self) => !has(self, 'replacePrefixMatch') || self.type === 'ReplacePrefixMatch',
  "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']": pathRule((v) => v.startsWith('/')),
  "must not contain '//' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.includes('//')),
  "must not contain '/./' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.includes('/./')),
  "must not contain '/../' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.includes('/../')),
  "must not contain '%2f' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.includes('%2f')),
  "must not contain '%2F' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.includes('%2F')),
  "must not contain '#' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.includes('#')),
  "must not end with '/..' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.endsWith('/..')),
  "must not end with '/.' when type one of ['Exact', 'PathPrefix']": pathRule((v) => !v.endsWith('/.')),
  "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']": (self) => ['Exact', 'PathPrefix', 'RegularExpression'].includes(self.type),
  [`must only contain valid characters (matching ${PATH_CHARACTERS.source}) for types ['Exact', 'PathPrefix']`]: pathRule((v) => PATH_CHARACTERS.test(v)),
  'backendRequest timeout cannot be longer than request timeout': (self) => {
    const request = durationMs(self.request);
    const backend = durationMs(self.backendRequest);
    return !(request !== undefined && backend !== undefined && request !== 0 && backend > request);
  },
};
