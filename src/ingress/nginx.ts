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
}
