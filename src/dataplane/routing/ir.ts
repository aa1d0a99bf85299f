/**
 * The route-table IR every L7 front door compiles into (internal): virtual hosts found by
 * name, each an ordered list of rules (match predicates → action). The routing engine answers
 * requests over it; a front door's quirks (ingress-nginx's location order, the portable
 * profile's host fall-through, a Gateway's precedence) are expressed by its compiler as rule
 * order, match kinds and filters, never as code in the engine.
 *
 * The IR is plain data (maps, arrays, strings): two route tables can be compared rule by rule.
 */
import type { TlsCertificate } from './certificates';

/**
 * How a rule's path predicate compares the request path:
 * - `Exact`: the whole path, case-sensitively;
 * - `PathPrefix`: element by element split by `/`, ignoring a trailing slash (Ingress Prefix,
 *   Gateway API PathPrefix);
 * - `StringPrefix`: the path starts with the value, character by character (nginx prefix location);
 * - `RegexPrefix`: a regular expression anchored at the start of the path (nginx `~`/`~*`,
 *   Gateway API RegularExpression with its own anchors).
 */
export type PathMatchKind = 'Exact' | 'PathPrefix' | 'StringPrefix' | 'RegexPrefix';

export interface PathMatch {
  readonly kind: PathMatchKind;
  readonly value: string;
  /** RegexPrefix only: compare case-insensitively (nginx `~*`). */
  readonly caseInsensitive?: boolean;
}

/** A header or query parameter predicate. */
export interface ValueMatch {
  readonly name: string;
  readonly value: string;
  /** `Exact` or `RegularExpression`. */
  readonly type: string;
}

/** Everything a rule requires of a request; all given predicates must hold. */
export interface RouteMatch {
  readonly path: PathMatch;
  /** Upper case, e.g. `GET`. */
  readonly method?: string;
  /** Header names compare case-insensitively. */
  readonly headers?: readonly ValueMatch[];
  readonly queryParams?: readonly ValueMatch[];
}

/**
 * A redirect's target. Each part left out keeps the request's; `url` replaces everything.
 */
export interface RedirectTarget {
  /** A fixed URL (ingress-nginx permanent-redirect). */
  readonly url?: string;
  readonly scheme?: string;
  /**
   * `header` (default: the Host header as sent), `header-name` (without its port), `name`
   * (without its port, lower case), or a literal host name.
   */
  readonly host?: string;
  /** A fixed path replacing the request's. */
  readonly path?: string;
  /** Append `/` to the request path (nginx's redirect to a `/`-terminated prefix location). */
  readonly appendSlash?: boolean;
  /** Drop one trailing `/` from the path and query (ingress-nginx ssl-redirect without preserve-trailing-slash). */
  readonly stripTrailingSlash?: boolean;
  /** Keep the request's query string. */
  readonly keepQuery: boolean;
  /** A port added to the host, left out when it is the scheme's default (80 for http, 443 for https). */
  readonly port?: number;
  /** Replace this leading path prefix (element-wise) with `replacement`, keeping the rest of the path. */
  readonly replacePrefix?: PrefixReplacement;
}

/** A path prefix and what replaces it (Gateway API ReplacePrefixMatch). */
export interface PrefixReplacement {
  readonly prefix: string;
  readonly replacement: string;
}

/** A step before the terminal action, applied in order. */
export type RouteFilter =
  | {
    /** Answer with a redirect; `onlyScheme`/`onlyPath` limit it to such requests. */
    readonly kind: 'redirect';
    readonly status: number;
    readonly target: RedirectTarget;
    readonly onlyScheme?: string;
    readonly onlyPath?: string;
    /** The trace line: why this redirect (the engine appends the status and location). */
    readonly why: string;
  }
  | {
    /**
     * Rewrite the upstream URI with a regular expression (`$n` captures): when it matches, the
     * whole URI becomes the replacement; the original query follows unless the replacement
     * ends with `?` (dropped) or has its own (then appended with `&`) — nginx `rewrite … break`.
     */
    readonly kind: 'regexRewrite';
    readonly pattern: string;
    readonly caseInsensitive: boolean;
    readonly replacement: string;
    readonly why: string;
  }
  | {
    /** Send another Host header upstream. */
    readonly kind: 'setHost';
    readonly host: string;
  }
  | {
    /** Replace the upstream path (the query is kept): the whole path, or a matched prefix. */
    readonly kind: 'pathRewrite';
    readonly fullPath?: string;
    readonly replacePrefix?: PrefixReplacement;
    readonly why: string;
  }
  | ({
    /** Change the request headers sent upstream. */
    readonly kind: 'requestHeaders';
  } & HeaderChanges)
  | ({
    /** Change the response headers the client receives (applied once the backend answered). */
    readonly kind: 'responseHeaders';
  } & HeaderChanges)
  | {
    /** Cross-origin resource sharing: answer preflight requests, add `Access-Control-*` headers to allowed origins' answers. */
    readonly kind: 'cors';
    readonly policy: CorsPolicy;
    readonly why: string;
  }
  | {
    /** Send a copy of the request to another backend; its answer is ignored (reported in `mirroredTo`). */
    readonly kind: 'mirror';
    readonly backend: RouteBackend;
    /** The share of requests mirrored, in percent (a seeded draw per request). @default 100 */
    readonly percent?: number;
    readonly why: string;
  };

/** A header filter's changes: set (overwrite), add (append with `,`), remove; names compare case-insensitively. */
export interface HeaderChanges {
  readonly set: ReadonlyArray<readonly [string, string]>;
  readonly add: ReadonlyArray<readonly [string, string]>;
  readonly remove: readonly string[];
  readonly why: string;
}

/**
 * Which cross-origin requests a rule allows (Gateway API HTTPCORSFilter). Origins are
 * `scheme://host[:port]` whose host may hold `*` (any number of labels), or `*` alone.
 * A list holding only `*` allows every method or header.
 */
export interface CorsPolicy {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  /** Seconds a client may cache a preflight answer. */
  readonly maxAge: number;
}

/** Time limits of a rule, in milliseconds; absent: none. */
export interface RouteTimeouts {
  /** From the request's arrival to the answer. */
  readonly requestMs?: number;
  /** One request from the front door to a backend. */
  readonly backendRequestMs?: number;
  /** The trace line naming where they are set. */
  readonly why: string;
}

/** A Service port a backend resolved to at compile time. */
export interface ResolvedServicePort {
  readonly port: number;
  readonly name?: string;
  readonly targetPort: string;
  readonly protocol: string;
  /** The port's `appProtocol`. */
  readonly appProtocol?: string;
}

/** A ready endpoint of a Service port. */
export interface UpstreamEndpoint {
  readonly ip: string;
  readonly port: number;
  /** `namespace/name` of the pod behind it, when it is a pod. */
  readonly pod?: string;
}

/** A backend after the compiler resolved its Service and port (each front door has its own port rule). */
export interface RouteBackend {
  /** `namespace/name` of the Service. */
  readonly service: string;
  /** Absent when the backend cannot be used; then `problem` says why (the answer is `problemStatus`). */
  readonly port?: ResolvedServicePort;
  readonly problem?: string;
  /** The port the backend asked for (number or name), which an unusable backend's 503 answer still names. */
  readonly requestedPort?: number | string;
  /** The status a request sent to an unusable backend gets (ingress controllers 503, Gateway API 500). @default 503 */
  readonly problemStatus?: number;
  /** Requests are split across a rule's backends in proportion to their weights (seeded pick); 0 takes none. */
  readonly weight: number;
  /** Filters applied after this backend was picked (Gateway API backendRef filters). */
  readonly filters?: readonly RouteFilter[];
  /** Keep a client on one endpoint by a cookie. @default - endpoints take turns */
  readonly sticky?: CookieStickiness;
  /** The protocol the front door speaks to this backend, e.g. `HTTP/2` (cleartext). @default 'HTTP/1.1' */
  readonly upstreamProtocol?: string;
}

/**
 * Endpoint stickiness by a cookie whose value is `<key>|<backendKey>`. `hash`: a new client gets
 * a seeded random key, hashed onto the ready endpoints (the same key keeps landing on the same
 * endpoint while the endpoints stay); `endpoint`: the key names the endpoint itself, and a new
 * one is picked (and the cookie replaced) when it is no longer ready.
 */
export interface CookieStickiness {
  readonly cookieName: string;
  readonly mode: 'hash' | 'endpoint';
  /** Names the backend in the cookie value: a cookie with another backend's key does not pin to this one. */
  readonly backendKey: string;
  /** Whether a fresh pick on this rule sends `Set-Cookie` (another rule of the same backend may not). */
  readonly issue: boolean;
  readonly path: string;
  readonly domain?: string;
  readonly maxAge?: number;
  /** `Expires` this many seconds after the request. */
  readonly expiresAfter?: number;
  readonly sameSite?: string;
  /** Absent: `Secure` on HTTPS requests only. */
  readonly secure?: boolean;
  /** The trace line naming the policy, e.g. `cookie affinity (balanced)`. */
  readonly why: string;
}

/** A request predicate on a header or a cookie; `to` is the backend it sends the request to when it holds. */
export interface ChoiceStep {
  readonly source: 'header' | 'cookie';
  readonly name: string;
  readonly value: string;
  /** `Exact` or `RegularExpression` (unanchored, PCRE syntax). */
  readonly type: string;
  readonly to: 'alternative' | 'primary';
  /** Where the request goes when the pattern does not compile. @default - the step does not hold */
  readonly invalidPatternTo?: 'alternative' | 'primary';
  /** The trace text naming the rule. */
  readonly why: string;
}

/**
 * A second backend chosen per request instead of the rule's: first a cookie pinning the request
 * to either backend (stickiness), then the steps in order (the first that holds decides), then a
 * seeded draw: `weight` out of `weightTotal`.
 */
export interface AlternativeChoice {
  readonly backend: RouteBackend;
  readonly steps: readonly ChoiceStep[];
  readonly weight: number;
  readonly weightTotal: number;
  /** Who declares it, e.g. `canary Ingress shop/web-canary`. */
  readonly why: string;
  /** The object the trace names, `Kind/namespace/name`. */
  readonly object?: string;
}

/** What a matched rule finally does. */
export type RouteTerminal =
  | {
    readonly kind: 'forward';
    readonly backends: readonly RouteBackend[];
    /** A per-request alternative to the backends (ingress-nginx canary). @default - none */
    readonly alternative?: AlternativeChoice;
  }
  | { readonly kind: 'redirect'; readonly status: number; readonly target: RedirectTarget; readonly why: string }
  | {
    readonly kind: 'respond';
    readonly status: number;
    readonly why: string;
    /** The Ingress (`namespace/name`) whose answer this is, when it is one's rather than the front door's. */
    readonly ingress?: string;
  };

/** A trace line written after a rule matched. */
export interface RuleNote {
  readonly action: string;
  readonly text: string;
  readonly object?: string;
}

/** One rule of a virtual host. */
export interface RouteRule {
  readonly match: RouteMatch;
  readonly filters: readonly RouteFilter[];
  readonly terminal: RouteTerminal;
  /** How the front door names the rule in traces, e.g. `location = /api` or `Prefix /api`. */
  readonly label: string;
  /** What the trace says after the match (who owns the rule), e.g. `, Ingress shop/web`. */
  readonly ownerText: string;
  /** The object the rule comes from, `Kind/namespace/name`, for traces. */
  readonly object?: string;
  /** The Ingress (`namespace/name`) the answer names. */
  readonly ingress?: string;
  /** The route object (`namespace/name`, e.g. an HTTPRoute) the answer names. */
  readonly route?: string;
  /** Trace lines after the match (merged duplicates, rejected annotation values). */
  readonly notes: readonly RuleNote[];
  /** Where the rule comes from, for checks (which Ingress path a request lands on). */
  readonly origin?: RuleOrigin;
  /** How long the front door waits for the backend. @default - no limit */
  readonly timeouts?: RouteTimeouts;
}

/** The Ingress path behind a rule. */
export interface RuleOrigin {
  /** `namespace/name` of the Ingress. */
  readonly ingress: string;
  readonly path: string;
  readonly pathType: string;
  /** Later Ingresses whose identical host+path lost to this rule. */
  readonly shadowed: readonly string[];
  /** How the front door names the rule for checks, e.g. `location = /api of server a.example`. */
  readonly rule: string;
}

/** A server block / virtual host: its rules in precedence order (the first that matches wins). */
export interface VirtualHost {
  /** How the front door names it in traces, e.g. `server shop.example.com`. */
  readonly label: string;
  /** The name locate() reports, e.g. `shop.example.com` or `_`. */
  readonly name: string;
  readonly rules: readonly RouteRule[];
  /** Appended to the host hop (e.g. why every location is a regex). */
  readonly note?: string;
}

/** A certificate the front door presents for an SNI name, and why. */
export interface CertificateChoice {
  readonly certificate: TlsCertificate;
  /** Why this certificate, for the trace. */
  readonly why: string;
}

/** SNI → certificate: an exact name, else `*.` + the name without its first label, else the default. */
export interface TlsTable {
  readonly exact: ReadonlyMap<string, CertificateChoice>;
  /** By parent domain: `*.example.com` is stored as `example.com`. */
  readonly wildcard: ReadonlyMap<string, CertificateChoice>;
  readonly fallback: CertificateChoice;
  /** The `why` when no SNI was sent. */
  readonly noSniWhy: string;
  /** What the trace says before an SNI name no certificate is chosen for, e.g. `no server with a certificate for SNI`. */
  readonly unknownSniWhy: string;
  /** How the default certificate is described, when not by its Secret. */
  readonly fallbackDescription?: string;
}

/**
 * Virtual hosts by name: exact, then a wildcard (`*.parent`: one label matching `wildcardLabel`,
 * or with `wildcardAnyDepth` any number of labels, the longest parent first), then the catch-all. With `fallThrough` a host whose rules match nothing
 * hands the request to the next less specific host and finally to `fallback`; without it the
 * first host found answers alone.
 */
export interface RouteTable {
  /** The trace component, e.g. `ingress-controller`. */
  readonly component: string;
  readonly exact: ReadonlyMap<string, VirtualHost>;
  readonly wildcard: ReadonlyMap<string, VirtualHost>;
  /** A regular expression source the wildcard's one label must match. */
  readonly wildcardLabel: string;
  /** Whether a wildcard covers any number of labels (Gateway API), not exactly one. */
  readonly wildcardAnyDepth?: boolean;
  /** Whether answers report the request headers the backend receives (`upstream.headers`). */
  readonly reportsUpstreamHeaders?: boolean;
  /** Whether answers report the response side: `responseHeaders` and `upstream.protocol`. */
  readonly reportsResponses?: boolean;
  readonly catchAll?: VirtualHost;
  readonly fallThrough: boolean;
  /** The rule used when no host's rules match (fall-through tables); its label says why, e.g. `spec.defaultBackend of Ingress a/b`. */
  readonly fallback?: RouteRule;
  readonly tls: TlsTable;
  /** How the engine says no host name matched, when there is no catch-all. */
  readonly noHostText: string;
  /** Whether the host hop of an HTTPS request says that routing uses the Host header, not SNI. */
  readonly hostHeaderNote: boolean;
  /**
   * How the front door normalises the request path before matching rules (the upstream still
   * gets the path as sent, unless a rule rewrites it).
   * @default - matched as sent
   */
  readonly pathNormalization?: PathNormalization;
}

/** Request-path normalisation steps; a path they cannot normalise is answered 400. */
export interface PathNormalization {
  /**
   * Which `%XX` escapes are decoded: every one (nginx; an invalid escape is a 400), only those of
   * unreserved characters (RFC 3986 §6.2.2.2: letters, digits, `-._~`; Envoy), or none.
   */
  readonly decodePercent: 'all' | 'unreserved' | 'none';
  /** Resolve `.` and `..` segments (`..` above the root is a 400). */
  readonly resolveDotSegments: boolean;
  /** Merge runs of `/` into one. */
  readonly mergeSlashes: boolean;
  /**
   * Whether the normalised path replaces the request's path for everything after matching
   * (redirects, rewrites, the upstream), as Envoy rewrites `:path`; nginx matches the normalised
   * URI but proxies the path as sent.
   */
  readonly inPlace: boolean;
  /** How the trace names the normalisation, e.g. `nginx's URI normalisation`. */
  readonly description: string;
}

/** The seeded generator behind weighted backend picks (the cluster's, so answers stay deterministic). */
export interface RandomSource {
  /** An integer in [0, n). */
  below(n: number): number;
}

/** The wall-clock time in seconds since the epoch (cookie `Expires`). */
export type EpochSeconds = () => number;
