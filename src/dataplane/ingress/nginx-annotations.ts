/** The ingress-nginx annotations that change routing, parsed as the controller's parsers do (internal). */

export const NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

/** The annotations this model reproduces. */
export interface NginxAnnotations {
  readonly useRegex: boolean;
  readonly rewriteTarget: string;
  readonly sslRedirect: boolean;
  readonly forceSslRedirect: boolean;
  readonly preserveTrailingSlash: boolean;
  readonly appRoot: string;
  readonly redirectUrl: string;
  readonly redirectCode: number;
  readonly upstreamVhost: string;
  /** Cookie affinity (`affinity: cookie`). */
  readonly affinity?: NginxAffinity;
  /** Annotation values the controller rejects (it then uses the default), for traces. */
  readonly problems: readonly string[];
}

/** Go strconv.ParseBool, which ingress-nginx's annotation parser uses. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * The annotations of docs/user-guide/nginx-configuration/annotations.md that change routing:
 * use-regex, rewrite-target, ssl-redirect, force-ssl-redirect, preserve-trailing-slash,
 * app-root, permanent-redirect(-code), temporal-redirect, upstream-vhost.
 */
export function parseNginxAnnotations(raw: Readonly<Record<string, string>>, sslRedirectDefault: boolean): NginxAnnotations {
  const problems: string[] = [];
  const str = (name: string): string => raw[NGINX_ANNOTATION_PREFIX + name] ?? '';
  const bool = (name: string, dflt: boolean): boolean => {
    const v = str(name);
    if (v === '') return dflt;
    const parsed = parseGoBool(v);
    if (parsed === undefined) {
      problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}${name}: "${v}" is not a boolean; the default (${dflt}) applies`);
      return dflt;
    }
    return parsed;
  };
  let redirectUrl = '';
  let redirectCode = 0;
  const permanent = str('permanent-redirect');
  const temporal = str('temporal-redirect');
  // annotations/redirect/redirect.go: temporal-redirect is checked first and wins.
  if (temporal !== '') {
    redirectUrl = temporal;
    redirectCode = 302;
  } else if (permanent !== '') {
    redirectUrl = permanent;
    const codeText = str('permanent-redirect-code');
    const code = codeText === '' ? 301 : Number(codeText);
    redirectCode = Number.isInteger(code) && code >= 300 && code <= 308 ? code : 301;
    if (redirectCode !== code) problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}permanent-redirect-code: "${codeText}" is not a 3xx code; 301 applies`);
  }
  const affinity = parseNginxAffinity(raw, problems);
  return {
    ...(affinity ? { affinity } : {}),
    useRegex: bool('use-regex', false),
    rewriteTarget: str('rewrite-target'),
    sslRedirect: bool('ssl-redirect', sslRedirectDefault),
    forceSslRedirect: bool('force-ssl-redirect', false),
    preserveTrailingSlash: bool('preserve-trailing-slash', false),
    appRoot: str('app-root'),
    redirectUrl,
    redirectCode,
    upstreamVhost: str('upstream-vhost'),
    problems,
  };
}

/** Cookie affinity (annotations/sessionaffinity/main.go). */
export interface NginxAffinity {
  /** `balanced`, `persistent`, or empty (not given or not one of those): the upstream's first non-empty mode applies, else balanced. */
  readonly mode: string;
  /** `sticky` (default) or `legacy`: whether a canary backend shares the primary's affinity. */
  readonly canaryBehavior: string;
  readonly cookieName: string;
  readonly path?: string;
  readonly domain?: string;
  readonly maxAge?: number;
  readonly expires?: number;
  readonly sameSite?: string;
  readonly secure?: boolean;
  readonly changeOnFailure: boolean;
}

/** Canary traffic shaping (annotations/canary/main.go). */
export interface NginxCanary {
  readonly weight: number;
  readonly weightTotal: number;
  readonly header: string;
  readonly headerValue: string;
  readonly headerPattern: string;
  readonly cookie: string;
}

/** sessionaffinity's affinityCookieExpiresRegex, as unanchored as upstream's. */
const COOKIE_SECONDS = /(^0|-?[1-9]\d*$)/;
/** parser.BasicCharsRegex (the cookie name and domain validator). */
const BASIC_CHARS = /^[/\-._~a-zA-Z0-9:]*$/;

/**
 * The `affinity: cookie` annotations as sessionaffinity's parser reads them: a cookie name that
 * fails parser.BasicCharsRegex falls back to INGRESSCOOKIE; expires and max-age must be whole
 * seconds (else left out); an unknown affinity-mode is balanced. Other affinity types are none.
 */
export function parseNginxAffinity(raw: Readonly<Record<string, string>>, problems: string[]): NginxAffinity | undefined {
  const str = (name: string): string => raw[NGINX_ANNOTATION_PREFIX + name] ?? '';
  if (str('affinity') !== 'cookie') return undefined;
  const seconds = (name: string): number | undefined => {
    const v = str(`session-cookie-${name}`);
    if (v === '') return undefined;
    if (COOKIE_SECONDS.test(v) && Number.isInteger(Number(v))) return Number(v);
    problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}session-cookie-${name}: "${v}" is not a number of seconds; it is left out`);
    return undefined;
  };
  let cookieName = str('session-cookie-name');
  if (cookieName !== '' && !BASIC_CHARS.test(cookieName)) {
    problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}session-cookie-name: "${cookieName}" is not a valid cookie name; INGRESSCOOKIE applies`);
    cookieName = '';
  }
  // The controller omits a false `secure` from the balancer's config: then the request's scheme decides.
  const secure = parseGoBool(str('session-cookie-secure')) === true;
  const maxAge = seconds('max-age');
  let sameSite = str('session-cookie-samesite');
  if (sameSite !== '' && !['none', 'lax', 'strict'].includes(sameSite.trim().toLowerCase())) {
    problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}session-cookie-samesite: "${sameSite}" is not None, Lax or Strict; the cookie has no SameSite`);
    sameSite = '';
  }
  const expires = seconds('expires');
  return {
    mode: ['balanced', 'persistent'].includes(str('affinity-mode')) ? str('affinity-mode') : '',
    canaryBehavior: str('affinity-canary-behavior') === 'legacy' ? 'legacy' : 'sticky',
    cookieName: cookieName || 'INGRESSCOOKIE',
    ...(str('session-cookie-path') ? { path: str('session-cookie-path') } : {}),
    ...(str('session-cookie-domain') ? { domain: str('session-cookie-domain') } : {}),
    ...(maxAge !== undefined ? { maxAge } : {}),
    ...(expires !== undefined ? { expires } : {}),
    ...(sameSite ? { sameSite } : {}),
    ...(secure ? { secure } : {}),
    changeOnFailure: parseGoBool(str('session-cookie-change-on-failure')) === true,
  };
}

/**
 * The canary annotations, or undefined when `canary` is not true. A weight or weight-total that
 * is not an integer is 0 / 100, as the parser's defaults.
 */
export function parseNginxCanary(raw: Readonly<Record<string, string>>, problems: string[]): NginxCanary | undefined {
  const str = (name: string): string => raw[NGINX_ANNOTATION_PREFIX + name] ?? '';
  if (parseGoBool(str('canary')) !== true) return undefined;
  const int = (name: string, dflt: number): number => {
    const v = str(name);
    if (v === '') return dflt;
    if (/^-?\d+$/.test(v)) return Number(v);
    problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}${name}: "${v}" is not an integer; ${dflt} applies`);
    return dflt;
  };
  return {
    weight: int('canary-weight', 0),
    weightTotal: int('canary-weight-total', 100),
    header: str('canary-by-header'),
    headerValue: str('canary-by-header-value'),
    headerPattern: str('canary-by-header-pattern'),
    cookie: str('canary-by-cookie'),
  };
}
