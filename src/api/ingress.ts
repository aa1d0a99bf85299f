/**
 * Ingress and IngressClass rules of kube-apiserver 1.27
 * (pkg/apis/networking/validation/validation.go, pkg/apis/networking/v1/defaults.go).
 * Every function here takes untrusted JSON and never throws.
 */
import { FieldError } from './field-error';
import { FieldPath, forbidden, invalid, notSupported, required, tooLong } from './field-path';
import { KindRules } from './kind-rules';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isValidPortName, isValidPortNum, isWildcardDns1123Subdomain, ipFamilyOf } from './names';
import { isPlainObject } from './values';

/** The legacy class annotation that predates `spec.ingressClassName`. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The annotation that makes an IngressClass the cluster default. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** supportedPathTypes, sorted as sets.String.List() returns them. */
export const SUPPORTED_PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const MAX_LEN_INGRESS_CLASS_CONTROLLER = 250;
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];
/** apimachinery IsDomainPrefixedPath: RFC 3986 path characters after the domain. */
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

/** A string field; anything else is reported once instead of being coerced. */
function stringField(value: unknown, path: FieldPath, errs: FieldError[]): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  errs.push(invalid(path, value, 'must be a string'));
  return '';
}

function listField(value: unknown, path: FieldPath, errs: FieldError[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  errs.push(invalid(path, value, 'must be a list'));
  return [];
}

/** apimachinery path.IsValidPathSegmentName: names used in URL paths. */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of ['.', '..']) {
    if (name === illegal) return [`may not be '${illegal}'`];
  }
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** apimachinery IsDomainPrefixedPath, e.g. `k8s.io/ingress-nginx`. */
export function validateDomainPrefixedPath(value: string, path: FieldPath): FieldError[] {
  if (value.length === 0) return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDns1123Subdomain(host).map((msg) => invalid(path, host, msg));
  if (!HTTP_PATH_RE.test(rest)) errs.push(invalid(path, rest, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

/**
 * validateIngressTypedLocalObjectReference (resource backends) and the shared part of
 * validateIngressClassParametersReference: apiGroup a DNS subdomain when set; kind and name
 * required and usable as URL path segments.
 */
function validateTypedReference(ref: Record<string, any>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined && ref.apiGroup !== null) {
    if (typeof ref.apiGroup !== 'string') {
      errs.push(invalid(path.child('apiGroup'), ref.apiGroup, 'must be a string'));
    } else {
      for (const msg of isDns1123Subdomain(ref.apiGroup)) errs.push(invalid(path.child('apiGroup'), ref.apiGroup, msg));
    }
  }
  for (const key of ['kind', 'name']) {
    const raw = ref[key];
    if (raw === undefined || raw === null || raw === '') {
      errs.push(required(path.child(key), `${key} is required`));
    } else if (typeof raw !== 'string') {
      errs.push(invalid(path.child(key), raw, 'must be a string'));
    } else {
      for (const msg of isValidPathSegmentName(raw)) errs.push(invalid(path.child(key), raw, msg));
    }
  }
  return errs;
}

/** validateIngressBackend: exactly one of service or resource; a service port by name xor number. */
export function validateIngressBackend(backend: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(backend)) return [invalid(path, backend, 'must be an object')];
  const hasResource = backend.resource !== undefined && backend.resource !== null;
  const hasService = backend.service !== undefined && backend.service !== null;
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    if (!isPlainObject(backend.resource)) return [invalid(path.child('resource'), backend.resource, 'must be an object')];
    return validateTypedReference(backend.resource, path.child('resource'));
  }
  if (!hasService) return [invalid(path, '', 'resource or service backend is required')];
  const service = backend.service;
  const servicePath = path.child('service');
  if (!isPlainObject(service)) return [invalid(servicePath, service, 'must be an object')];
  const errs: FieldError[] = [];
  const name = stringField(service.name, servicePath.child('name'), errs);
  if (name === '') {
    if (typeof service.name === 'string' || service.name === undefined || service.name === null) errs.push(required(servicePath.child('name')));
  } else {
    // ValidateServiceName is NameIsDNS1035Label in 1.27 (RelaxedServiceNameValidation came later).
    for (const msg of isDns1035Label(name)) errs.push(invalid(servicePath.child('name'), name, msg));
  }
  const port = service.port;
  const portPath = servicePath.child('port');
  if (port !== undefined && port !== null && !isPlainObject(port)) {
    errs.push(invalid(portPath, port, 'must be an object'));
    return errs;
  }
  const portName = stringField(port?.name, portPath.child('name'), errs);
  let portNumber = 0;
  if (port?.number !== undefined && port?.number !== null) {
    if (typeof port.number === 'number' && Number.isInteger(port.number)) {
      portNumber = port.number;
    } else {
      errs.push(invalid(portPath.child('number'), port.number, 'must be an integer'));
      return errs;
    }
  }
  if (portName !== '' && portNumber !== 0) {
    errs.push(invalid(path, '', 'cannot set both port name & port number'));
  } else if (portName !== '') {
    for (const msg of isValidPortName(portName)) errs.push(invalid(portPath.child('name'), portName, msg));
  } else if (portNumber !== 0) {
    for (const msg of isValidPortNum(portNumber)) errs.push(invalid(portPath.child('number'), portNumber, msg));
  } else {
    errs.push(required(path, 'port name or number is required'));
  }
  return errs;
}

/** validateHTTPIngressPath: pathType is required in v1; paths are checked per pathType. */
function validateHttpIngressPath(value: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(value)) return [invalid(path, value, 'must be an object')];
  const errs: FieldError[] = [];
  if (value.pathType === undefined || value.pathType === null) {
    return [required(path.child('pathType'), 'pathType must be specified')];
  }
  const text = stringField(value.path, path.child('path'), errs);
  switch (value.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!text.startsWith('/')) errs.push(invalid(path.child('path'), text, 'must be an absolute path'));
      for (const seq of INVALID_PATH_SEQUENCES) {
        if (text.includes(seq)) errs.push(invalid(path.child('path'), text, `must not contain '${seq}'`));
      }
      for (const suffix of INVALID_PATH_SUFFIXES) {
        if (text.endsWith(suffix)) errs.push(invalid(path.child('path'), text, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (text.length > 0 && !text.startsWith('/')) errs.push(invalid(path.child('path'), text, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(path.child('pathType'), value.pathType, SUPPORTED_PATH_TYPES));
  }
  errs.push(...validateIngressBackend(value.backend ?? {}, path.child('backend')));
  return errs;
}

/** A host is an IP when Go's ParseIPSloppy accepts it. */
function validateHost(host: string, path: FieldPath, allowIp: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!allowIp && ipFamilyOf(host)) errs.push(invalid(path, host, 'must be a DNS name, not an IP address'));
  const rule = host.includes('*') ? isWildcardDns1123Subdomain : isDns1123Subdomain;
  for (const msg of rule(host)) errs.push(invalid(path, host, msg));
  return errs;
}

/** validateIngressRules: host (no IPs, wildcard only as the leftmost label) and the HTTP paths. */
function validateIngressRules(rules: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const rulePath = path.index(i);
    if (!isPlainObject(rule)) {
      errs.push(invalid(rulePath, rule, 'must be an object'));
      return;
    }
    const host = stringField(rule.host, rulePath.child('host'), errs);
    if (host.length > 0) errs.push(...validateHost(host, rulePath.child('host'), false));
    if (rule.http === undefined || rule.http === null) return;
    const httpPath = rulePath.child('http');
    if (!isPlainObject(rule.http)) {
      errs.push(invalid(httpPath, rule.http, 'must be an object'));
      return;
    }
    const paths = listField(rule.http.paths, httpPath.child('paths'), errs);
    if (paths.length === 0 && Array.isArray(rule.http.paths ?? [])) errs.push(required(httpPath.child('paths')));
    paths.forEach((p, j) => errs.push(...validateHttpIngressPath(p, httpPath.child('paths').index(j))));
  });
  return errs;
}

/** validateIngressTLS: hosts are DNS names or wildcards; secretName, when set, a Secret name. */
function validateIngressTls(tls: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((entry, i) => {
    const entryPath = path.index(i);
    if (!isPlainObject(entry)) {
      errs.push(invalid(entryPath, entry, 'must be an object'));
      return;
    }
    listField(entry.hosts, entryPath.child('hosts'), errs).forEach((host, j) => {
      const hostPath = entryPath.child('hosts').index(j);
      if (typeof host !== 'string') {
        errs.push(invalid(hostPath, host, 'must be a string'));
        return;
      }
      // TLS hosts are not checked for IP literals (upstream leaves RFC 6125 to a TODO).
      errs.push(...validateHost(host, hostPath, true));
    });
    const secretName = stringField(entry.secretName, entryPath.child('secretName'), errs);
    if (secretName.length > 0) {
      for (const msg of isDns1123Subdomain(secretName)) errs.push(invalid(entryPath.child('secretName'), secretName, msg));
    }
  });
  return errs;
}

/** ValidateIngressSpec plus the create-time class checks of ValidateIngressCreate. */
export function validateIngress(obj: any): FieldError[] {
  const errs: FieldError[] = [];
  const specPath = FieldPath.root('spec');
  const spec = obj.spec ?? {};
  if (!isPlainObject(spec)) return [invalid(specPath, spec, 'must be an object')];
  const rules = listField(spec.rules, specPath.child('rules'), errs);
  const hasDefaultBackend = spec.defaultBackend !== undefined && spec.defaultBackend !== null;
  if (rules.length === 0 && !hasDefaultBackend) {
    errs.push(invalid(specPath, spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (hasDefaultBackend) errs.push(...validateIngressBackend(spec.defaultBackend, specPath.child('defaultBackend')));
  errs.push(...validateIngressRules(rules, specPath.child('rules')));
  errs.push(...validateIngressTls(listField(spec.tls, specPath.child('tls'), errs), specPath.child('tls')));
  const hasClassName = spec.ingressClassName !== undefined && spec.ingressClassName !== null;
  if (hasClassName) {
    const className = stringField(spec.ingressClassName, specPath.child('ingressClassName'), errs);
    if (typeof spec.ingressClassName === 'string') {
      for (const msg of isDns1123Subdomain(className)) errs.push(invalid(specPath.child('ingressClassName'), className, msg));
    }
  }
  const annotations = obj.metadata?.annotations;
  if (hasClassName && isPlainObject(annotations) && Object.prototype.hasOwnProperty.call(annotations, INGRESS_CLASS_ANNOTATION)) {
    // Since 1.27 (kubernetes#115447) equal values pass with only a deprecation warning; different
    // values are refused. The path has no `metadata.` prefix upstream.
    const value = annotations[INGRESS_CLASS_ANNOTATION];
    if (value !== spec.ingressClassName) {
      errs.push(invalid(FieldPath.root('annotations').child(INGRESS_CLASS_ANNOTATION), value, 'must match `ingressClassName` when both are specified'));
    }
  }
  return errs;
}

/** validateIngressClassParametersReference. */
function validateIngressClassParameters(params: unknown, path: FieldPath): FieldError[] {
  if (params === undefined || params === null) return [];
  if (!isPlainObject(params)) return [invalid(path, params, 'must be an object')];
  const errs: FieldError[] = [];
  errs.push(...validateTypedReference(params, path));
  if (params.scope === undefined || params.scope === null) {
    errs.push(required(path.child('scope')));
    return errs;
  }
  if (!PARAMETER_SCOPES.includes(params.scope)) {
    errs.push(notSupported(path.child('scope'), params.scope, PARAMETER_SCOPES));
    return errs;
  }
  const hasNamespace = params.namespace !== undefined && params.namespace !== null;
  if (params.scope === 'Namespace') {
    if (!hasNamespace) {
      errs.push(required(path.child('namespace'), '`parameters.scope` is set to \'Namespace\''));
    } else {
      const ns = stringField(params.namespace, path.child('namespace'), errs);
      if (typeof params.namespace === 'string') {
        for (const msg of isDns1123Label(ns)) errs.push(invalid(path.child('namespace'), ns, msg));
      }
    }
  } else if (hasNamespace) {
    errs.push(forbidden(path.child('namespace'), '`parameters.scope` is set to \'Cluster\''));
  }
  return errs;
}

/** validateIngressClassSpec: a domain-prefixed controller of at most 250 characters, parameters. */
export function validateIngressClass(obj: any): FieldError[] {
  const specPath = FieldPath.root('spec');
  const spec = obj.spec ?? {};
  if (!isPlainObject(spec)) return [invalid(specPath, spec, 'must be an object')];
  const errs: FieldError[] = [];
  const controllerPath = specPath.child('controller');
  const controller = stringField(spec.controller, controllerPath, errs);
  if (controller === '') {
    if (typeof spec.controller === 'string' || spec.controller === undefined || spec.controller === null) errs.push(required(controllerPath));
  } else {
    if (controller.length > MAX_LEN_INGRESS_CLASS_CONTROLLER) errs.push(tooLong(controllerPath, MAX_LEN_INGRESS_CLASS_CONTROLLER));
    errs.push(...validateDomainPrefixedPath(controller, controllerPath));
  }
  errs.push(...validateIngressClassParameters(spec.parameters, specPath.child('parameters')));
  return errs;
}

/** SetDefaults_IngressClass: parameters without a scope are cluster-scoped. */
function defaultIngressClass(obj: any): void {
  const params = obj?.spec?.parameters;
  if (isPlainObject(params) && (params.scope === undefined || params.scope === null)) params.scope = 'Cluster';
}

/** networking.k8s.io/v1 Ingress: namespaced, DNS-1123 subdomain name, no defaults in v1. */
export const INGRESS_RULES: KindRules = {
  meta: { namespaced: true, nameRule: isDns1123Subdomain },
  validate: validateIngress,
};

/** networking.k8s.io/v1 IngressClass: cluster-scoped, DNS-1123 subdomain name. */
export const INGRESS_CLASS_RULES: KindRules = {
  meta: { namespaced: false, nameRule: isDns1123Subdomain },
  applyDefaults: defaultIngressClass,
  validate: validateIngressClass,
};
