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
  return {
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
