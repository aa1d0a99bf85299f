import { IngressCanaryOptions, NginxCookieAffinity, NginxIngressOptions } from './nginx';

/** ingress-nginx annotation prefix (the controller's default `--annotations-prefix`). */
const PREFIX = 'nginx.ingress.kubernetes.io/';
/** Values ingress-nginx's backend-protocol parser accepts (annotations/backendprotocol). */
const BACKEND_PROTOCOLS = ['AUTO_HTTP', 'HTTP', 'HTTPS', 'AJP', 'GRPC', 'GRPCS', 'FCGI'];

/** The annotations for the given options; throws on a backend protocol ingress-nginx would ignore. */
export function nginxAnnotations(options: NginxIngressOptions): Record<string, string> {
  const annotations: Record<string, string> = {};
  const flag = (key: string, value: boolean | undefined) => {
    if (value !== undefined) annotations[PREFIX + key] = String(value);
  };
  flag('ssl-redirect', options.sslRedirect);
  flag('force-ssl-redirect', options.forceSslRedirect);
  flag('use-regex', options.useRegex);
  if (options.rewriteTarget !== undefined) annotations[PREFIX + 'rewrite-target'] = options.rewriteTarget;
  flag('preserve-trailing-slash', options.preserveTrailingSlash);
  if (options.backendProtocol !== undefined) {
    const protocol = options.backendProtocol.trim().toUpperCase();
    if (!BACKEND_PROTOCOLS.includes(protocol)) {
      throw new Error(`nginx.backendProtocol: Unsupported value: ${JSON.stringify(options.backendProtocol)}: supported values: ${BACKEND_PROTOCOLS.map((p) => JSON.stringify(p)).join(', ')}`);
    }
    annotations[PREFIX + 'backend-protocol'] = protocol;
  }
  if (options.affinity) Object.assign(annotations, affinityAnnotations(options.affinity, options.useRegex === true));
  return annotations;
}

/** ingress-nginx parser.BasicCharsRegex: the session-cookie-name validator (other names fall back to INGRESSCOOKIE). */
const COOKIE_NAME = /^[/\-._~a-zA-Z0-9:]+$/;

/** The cookie-affinity annotations; throws for values the controller would replace or drop. */
function affinityAnnotations(a: NginxCookieAffinity, useRegex: boolean): Record<string, string> {
  const out: Record<string, string> = { [PREFIX + 'affinity']: 'cookie' };
  if (a.name !== undefined) {
    if (!COOKIE_NAME.test(a.name)) {
      throw new Error(`nginx.affinity.name: Invalid value: ${JSON.stringify(a.name)}: ingress-nginx accepts letters, digits and -._~/: only (it would use INGRESSCOOKIE)`);
    }
    out[PREFIX + 'session-cookie-name'] = a.name;
  }
  if (a.mode !== undefined) out[PREFIX + 'affinity-mode'] = a.mode;
  if (a.maxAge !== undefined) {
    const seconds = a.maxAge.toSeconds({ integral: false });
    if (!Number.isInteger(seconds)) throw new Error(`nginx.affinity.maxAge: Invalid value: ${seconds}s: ingress-nginx takes whole seconds`);
    out[PREFIX + 'session-cookie-max-age'] = String(seconds);
  }
  if (a.path !== undefined) {
    if (!a.path.startsWith('/')) throw new Error(`nginx.affinity.path: Invalid value: ${JSON.stringify(a.path)}: a cookie path starts with /`);
    out[PREFIX + 'session-cookie-path'] = a.path;
  } else if (useRegex) {
    throw new Error('nginx.affinity.path: Required value: with useRegex the cookie path would be the regular expression; set a path the regex serves');
  }
  if (a.secure !== undefined) out[PREFIX + 'session-cookie-secure'] = String(a.secure);
  if (a.sameSite !== undefined) out[PREFIX + 'session-cookie-samesite'] = a.sameSite;
  if (a.changeOnFailure !== undefined) out[PREFIX + 'session-cookie-change-on-failure'] = String(a.changeOnFailure);
  return out;
}

/** The canary annotations; throws for settings ingress-nginx would ignore or that send no request to the canary. */
export function canaryAnnotations(o: IngressCanaryOptions, where: string): Record<string, string> {
  const fail = (field: string, why: string) => {
    throw new Error(`${where}: canary.${field}: ${why}`);
  };
  const total = o.weightTotal ?? 100;
  if (!Number.isInteger(total) || total < 100) fail('weightTotal', `Invalid value: ${total}: an integer of 100 or more (ingress-nginx ignores a smaller total)`);
  if (o.weight !== undefined && (!Number.isInteger(o.weight) || o.weight < 0 || o.weight > total)) fail('weight', `Invalid value: ${o.weight}: an integer from 0 to ${total}`);
  if ((o.headerValue !== undefined || o.headerPattern !== undefined) && o.header === undefined) fail('header', 'Required value: headerValue and headerPattern need a header');
  if (o.headerValue !== undefined && o.headerPattern !== undefined) fail('headerPattern', 'Forbidden: ingress-nginx ignores the pattern when a headerValue is set');
  if (!o.weight && o.header === undefined && o.cookie === undefined) fail('weight', 'Required value: without a weight, header or cookie no request reaches the canary');
  const out: Record<string, string> = { [PREFIX + 'canary']: 'true' };
  const put = (key: string, value: string | number | undefined) => {
    if (value !== undefined) out[PREFIX + key] = String(value);
  };
  put('canary-weight', o.weight);
  put('canary-weight-total', o.weightTotal);
  put('canary-by-header', o.header);
  put('canary-by-header-value', o.headerValue);
  put('canary-by-header-pattern', o.headerPattern);
  put('canary-by-cookie', o.cookie);
  return out;
}
