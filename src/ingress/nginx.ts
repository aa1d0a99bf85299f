import { Duration } from 'cdk8s';
import type { IngressBackend } from './backend';

/**
 * The ingress-nginx annotations that change how requests are routed. Anything else goes in
 * the Ingress's free-form `annotations`.
 */
export interface NginxIngressOptions {
  /**
   * Redirect HTTP to HTTPS (308) when the host has TLS (`ssl-redirect`).
   * @default - the controller's default: true when the Ingress has TLS
   */
  readonly sslRedirect?: boolean;
  /**
   * Redirect HTTP to HTTPS even without TLS on this Ingress, e.g. behind a TLS-terminating
   * load balancer (`force-ssl-redirect`).
   * @default false
   */
  readonly forceSslRedirect?: boolean;
  /**
   * Treat paths as regular expressions (`use-regex`); use PathType.IMPLEMENTATION_SPECIFIC.
   * @default false
   */
  readonly useRegex?: boolean;
  /**
   * Rewrite the matched path to this target before proxying (`rewrite-target`), e.g. `/$2`
   * with a capture-group path. ingress-nginx then treats paths as regexes.
   * @default - no rewrite
   */
  readonly rewriteTarget?: string;
  /**
   * Keep a trailing slash in the redirect to HTTPS (`preserve-trailing-slash`).
   * @default false
   */
  readonly preserveTrailingSlash?: boolean;
  /**
   * How the controller talks to the backend (`backend-protocol`): one of `HTTP`, `HTTPS`,
   * `GRPC`, `GRPCS`, `AUTO_HTTP`, `AJP`, `FCGI` (case-insensitive).
   * @default 'HTTP'
   */
  readonly backendProtocol?: string;
  /**
   * Keep a client on one pod by a cookie the controller sets (`affinity: cookie` and the
   * `session-cookie-*` annotations). ClientIP affinity on the Service does not work behind
   * ingress-nginx, which proxies straight to the pods.
   * @default - no affinity: requests spread over the pods
   */
  readonly affinity?: NginxCookieAffinity;
}

/** How a cookie-affinity session picks its pod (`affinity-mode`). */
export enum NginxAffinityMode {
  /** Sessions may move when pods are added (consistent hashing): the load rebalances. */
  BALANCED = 'balanced',
  /** A session stays on its pod as long as that pod is ready. */
  PERSISTENT = 'persistent',
}

/** The cookie's SameSite attribute (`session-cookie-samesite`). */
export enum NginxCookieSameSite {
  /** `SameSite=None`. */
  NONE = 'None',
  /** `SameSite=Lax`. */
  LAX = 'Lax',
  /** `SameSite=Strict`. */
  STRICT = 'Strict',
}

/** ingress-nginx cookie affinity. */
export interface NginxCookieAffinity {
  /**
   * The cookie name (`session-cookie-name`): letters, digits and `-._~/:`.
   * @default 'INGRESSCOOKIE'
   */
  readonly name?: string;
  /**
   * `affinity-mode`.
   * @default NginxAffinityMode.BALANCED
   */
  readonly mode?: NginxAffinityMode;
  /**
   * How long the browser keeps the cookie (`session-cookie-max-age`, whole seconds).
   * @default - a session cookie
   */
  readonly maxAge?: Duration;
  /**
   * The cookie's Path (`session-cookie-path`); it must cover the Ingress paths, or browsers
   * never send the cookie back there. Required with `useRegex`.
   * @default - the Ingress path of the location that set it
   */
  readonly path?: string;
  /**
   * Mark the cookie Secure on plain HTTP too (`session-cookie-secure`).
   * @default - Secure on HTTPS requests only
   */
  readonly secure?: boolean;
  /**
   * `session-cookie-samesite`.
   * @default - no SameSite attribute
   */
  readonly sameSite?: NginxCookieSameSite;
  /**
   * Move the session to another pod when its pod fails (`session-cookie-change-on-failure`).
   * @default false
   */
  readonly changeOnFailure?: boolean;
}

/** An ingress-nginx canary (`Ingress.addCanary`); at least one of weight, header and cookie. */
export interface IngressCanaryOptions {
  /** Where the canary's requests go. */
  readonly backend: IngressBackend;
  /**
   * The canary Ingress's name.
   * @default - the main Ingress's name + `-canary`
   */
  readonly name?: string;
  /**
   * The share of the remaining requests, out of `weightTotal` (`canary-weight`).
   * @default 0
   */
  readonly weight?: number;
  /**
   * What `weight` is out of (`canary-weight-total`, 100 or more).
   * @default 100
   */
  readonly weightTotal?: number;
  /**
   * A request header that decides (`canary-by-header`): `always` → canary, `never` → main.
   * @default - no header rule
   */
  readonly header?: string;
  /**
   * With `header`: only this value sends to the canary (`canary-by-header-value`).
   * @default - `always` / `never`
   */
  readonly headerValue?: string;
  /**
   * With `header`: a regular expression the value must match (`canary-by-header-pattern`).
   * @default - `always` / `never`
   */
  readonly headerPattern?: string;
  /**
   * A cookie that decides (`canary-by-cookie`): `always` → canary, `never` → main.
   * @default - no cookie rule
   */
  readonly cookie?: string;
}
