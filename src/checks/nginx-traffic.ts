import { CheckContext, finding } from './context';
import { NGINX_ANNOTATION_PREFIX, parseNginxAffinity, parseNginxCanary } from '../dataplane/ingress/nginx-annotations';
import { PROFILE_NGINX } from '../dataplane/ingress/types';
import type { Diagnostic } from '../dataplane/types';

/** RFC 6265 §5.1.4 path-match: whether a browser sends a cookie of `cookiePath` with a request for `path`. */
function cookiePathMatches(cookiePath: string, path: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

/**
 * ingress-nginx cookie affinity and canary annotations that do not do what they seem to, on
 * Ingresses the nginx profile serves: a session-cookie-path that the Ingress's own paths are not
 * under (browsers never send the cookie back there), and canary weights outside 0 … total.
 */
export function checkNginxTraffic(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (ctx.ingress?.profile !== PROFILE_NGINX) return out;
  for (const ing of ctx.ingresses) {
    if (!ctx.ingress.ingressStatus(`${ing.namespace}/${ing.name}`).admitted) continue;
    const annotations: Record<string, string> = ing.manifest.metadata?.annotations ?? {};
    const canary = parseNginxCanary(annotations, []);
    if (canary) {
      const total = canary.weightTotal > 100 ? canary.weightTotal : 100;
      if (canary.weight < 0 || canary.weight > total || canary.weightTotal < 100) {
        const what = canary.weightTotal < 100
          ? `canary-weight-total ${canary.weightTotal} is below 100, which the balancer ignores: the weight counts out of 100`
          : canary.weight < 0 ? `canary-weight ${canary.weight} is negative: no request goes to the canary by weight`
            : `canary-weight ${canary.weight} is above the total ${total}: every request not decided by header or cookie goes to the canary`;
        const field = canary.weightTotal < 100 ? 'canary-weight-total' : 'canary-weight';
        out.push(finding('INGRESS_CANARY_WEIGHT_RANGE', ing.ref, `metadata.annotations[${NGINX_ANNOTATION_PREFIX}${field}]`, what,
          'use a canary-weight between 0 and canary-weight-total (default 100; a total is used only above 100)'));
      }
      continue;
    }
    const affinity = parseNginxAffinity(annotations, []);
    if (!affinity) continue;
    const rules: any[] = Array.isArray(ing.manifest.spec?.rules) ? ing.manifest.spec.rules : [];
    rules.forEach((rule, r) => {
      const paths: any[] = Array.isArray(rule?.http?.paths) ? rule.http.paths : [];
      paths.forEach((p, i) => {
        const path = typeof p?.path === 'string' && p.path !== '' ? p.path : '/';
        const field = `spec.rules[${r}].http.paths[${i}].path`;
        if (affinity.path === undefined) {
          // controller.go getBackendServers warns "session-cookie-path should be set when use-regex is true": the cookie's Path would be the regex.
          if (annotations[`${NGINX_ANNOTATION_PREFIX}use-regex`] === 'true') {
            out.push(finding('INGRESS_AFFINITY_COOKIE_PATH', ing.ref, field,
              `cookie affinity with use-regex but no session-cookie-path: the cookie's Path is the regular expression ${path}, which browsers compare as a literal path`,
              `set ${NGINX_ANNOTATION_PREFIX}session-cookie-path to the path prefix the regex serves`));
          }
          return;
        }
        if (!cookiePathMatches(affinity.path, path)) {
          out.push(finding('INGRESS_AFFINITY_COOKIE_PATH', ing.ref, field,
            `session-cookie-path ${affinity.path} does not cover the path ${path}: browsers do not send the affinity cookie (${affinity.cookieName}) with its requests, so they are never sticky`,
            `set ${NGINX_ANNOTATION_PREFIX}session-cookie-path to a prefix of ${path} (or remove it: the default is the Ingress path)`));
        }
      });
    });
  }
  return out;
}
