/**
 * Cross-origin resource sharing as a front door answers it (internal), after the Gateway API
 * HTTPCORSFilter doc (apis/v1/httproute_types.go) and the Fetch standard's CORS protocol: a
 * preflight request (OPTIONS with `Origin` and `Access-Control-Request-Method`) is answered by the
 * front door itself; other requests go on, and an allowed origin's answer gets the
 * `Access-Control-*` headers. Where the spec lets the front door echo the request or send `*`,
 * this model echoes — the answer that is valid with and without credentials.
 */
import type { CorsPolicy } from './ir';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/** `scheme://host[:port]` split, the port defaulted by scheme; undefined when it is not of that form. */
function parseOrigin(origin: string): { scheme: string; host: string; port: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:?#]+)(?::([0-9]{1,5}))?$/.exec(origin.trim());
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  return { scheme, host: m[2].toLowerCase(), port: m[3] ?? DEFAULT_PORTS[scheme] ?? '' };
}

/**
 * Whether `origin` is one `patterns` allow: `*` alone allows every origin; otherwise scheme and
 * port must be equal (an origin without a port has its scheme's default) and the host equal,
 * where a `*` in the pattern's host stands for one or more characters, dots included.
 */
export function originAllowed(patterns: readonly string[], origin: string): boolean {
  const o = parseOrigin(origin);
  if (!o) return false;
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    const p = parseOrigin(pattern);
    if (!p || p.scheme !== o.scheme || p.port !== o.port) return false;
    if (!p.host.includes('*')) return p.host === o.host;
    const re = new RegExp(`^${p.host.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
    return re.test(o.host);
  });
}

/** What a CORS policy makes of one request. */
export type CorsDecision =
  /** Not a cross-origin request (no `Origin`): the policy does nothing. */
  | { readonly kind: 'none' }
  /** A preflight the front door answers itself; `headers` is empty when the origin is not allowed. */
  | { readonly kind: 'preflight'; readonly allowed: boolean; readonly origin: string; readonly headers: ReadonlyArray<readonly [string, string]> }
  /** An actual request: it goes on, and its answer gets `headers` (none when the origin is not allowed). */
  | { readonly kind: 'actual'; readonly allowed: boolean; readonly origin: string; readonly headers: ReadonlyArray<readonly [string, string]> };

/** Applies a CORS policy to a request's method and headers (`header` looks one up by case-insensitive name). */
export function corsDecision(p: CorsPolicy, method: string, header: (name: string) => string | undefined): CorsDecision {
  const origin = header('origin');
  if (origin === undefined) return { kind: 'none' };
  const requestedMethod = header('access-control-request-method');
  const preflight = method === 'OPTIONS' && requestedMethod !== undefined;
  const allowed = originAllowed(p.allowOrigins, origin);
  const out: Array<readonly [string, string]> = [];
  if (allowed) {
    out.push(['Access-Control-Allow-Origin', origin]);
    if (p.allowCredentials) out.push(['Access-Control-Allow-Credentials', 'true']);
    const expose = p.exposeHeaders.filter((h) => !(h === '*' && p.allowCredentials));
    if (expose.length) out.push(['Access-Control-Expose-Headers', expose.join(', ')]);
    if (preflight) {
      const wildcard = (list: readonly string[]) => list.length === 1 && list[0] === '*';
      if (p.allowMethods.length) out.push(['Access-Control-Allow-Methods', wildcard(p.allowMethods) ? requestedMethod! : p.allowMethods.join(', ')]);
      const requestedHeaders = header('access-control-request-headers');
      if (requestedHeaders !== undefined && p.allowHeaders.length) {
        out.push(['Access-Control-Allow-Headers', wildcard(p.allowHeaders) ? requestedHeaders : p.allowHeaders.join(', ')]);
      }
      out.push(['Access-Control-Max-Age', String(p.maxAge)]);
    }
  }
  return { kind: preflight ? 'preflight' : 'actual', allowed, origin, headers: out };
}
