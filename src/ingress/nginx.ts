/** ingress-nginx annotation prefix (the controller's default `--annotations-prefix`). */
const PREFIX = 'nginx.ingress.kubernetes.io/';
/** Values ingress-nginx's backend-protocol parser accepts (annotations/backendprotocol). */
const BACKEND_PROTOCOLS = ['AUTO_HTTP', 'HTTP', 'HTTPS', 'AJP', 'GRPC', 'GRPCS', 'FCGI'];

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
  return annotations;
}
