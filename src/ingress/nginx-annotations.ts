import { NginxIngressOptions } from './nginx';

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
  return annotations;
}
