/**
 * ingress-nginx cookie affinity and canaries (internal), compiled into the route-table IR's
 * generic stickiness and alternative-backend choice. Both belong to an upstream (a Service port
 * as the Ingress names it), not to a location: getBackendServers gives the upstream the affinity
 * type and mode of the first Ingress path that sets them and the cookie settings of the last,
 * and collects the paths allowed to set the cookie (`locations`); mergeAlternativeBackends adds
 * a canary's upstream to the primary upstream of the location with the canary path's path and
 * type, and the Lua balancer (balancer.lua route_to_alternative_balancer) decides per request.
 */
import { createHash } from 'crypto';
import { NginxAffinity, NginxCanary } from './nginx-annotations';
import { IngressView } from '../../api/ingress-reader';
import { AlternativeChoice, ChoiceStep, CookieStickiness, RouteBackend } from '../routing/ir';

/** What the controller's upstream (`namespace-service-port`) holds of cookie affinity. */
export interface UpstreamAffinity {
  /** The first non-empty affinity-mode of its paths; empty is balanced. */
  mode: string;
  /** The cookie settings of the last Ingress path with cookie affinity. */
  cookie: NginxAffinity;
  /** Host (`_` for none) → the Ingress paths whose location sets the cookie. */
  readonly locations: Map<string, string[]>;
}

/** A canary's upstream merged into a primary upstream. */
export interface MergedCanary {
  readonly ingress: IngressView;
  readonly canary: NginxCanary;
  readonly affinityBehavior: string;
  readonly backend: RouteBackend;
  readonly upstream: string;
}

/** internal/ingress/controller/util.go upstreamName: `namespace-service-port` (the port as the Ingress names it). */
export function upstreamName(namespace: string, service: string, port: number | string | undefined): string {
  return `${namespace}-${service}-${port ?? ''}`;
}

/** sticky.lua sync: the backend key in the cookie value, md5(md5(name) .. name). */
export function backendKey(upstream: string): string {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  return md5(md5(upstream) + upstream);
}

/** Records one Ingress path's affinity annotations on its upstream, as getBackendServers does. */
export function recordAffinity(
  byUpstream: Map<string, UpstreamAffinity>, upstream: string, host: string, path: string, affinity: NginxAffinity | undefined,
): void {
  if (!affinity) return;
  let ups = byUpstream.get(upstream);
  if (!ups) byUpstream.set(upstream, (ups = { mode: affinity.mode, cookie: affinity, locations: new Map() }));
  if (ups.mode === '') ups.mode = affinity.mode;
  ups.cookie = affinity;
  const paths = ups.locations.get(host);
  if (paths) paths.push(path);
  else ups.locations.set(host, [path]);
}

/**
 * The stickiness of a location of `upstream`: the cookie path is session-cookie-path, else the
 * location's Ingress path ($location_path); only locations listed for the server's host set the
 * cookie (sticky.lua should_set_cookie), though every location of the upstream honours it.
 */
export function stickinessOf(ups: UpstreamAffinity, upstream: string, host: string, ingressPath: string): CookieStickiness {
  const c = ups.cookie;
  // should_set_cookie looks up the request's host, then `*.` + its parent: for a server block that is its own name.
  const listed = ups.locations.get(host);
  const mode = ups.mode === 'persistent' ? 'persistent' : 'balanced';
  return {
    cookieName: c.cookieName,
    mode: mode === 'persistent' ? 'endpoint' : 'hash',
    backendKey: backendKey(upstream),
    issue: listed?.includes(ingressPath) ?? false,
    path: c.path ?? ingressPath,
    ...(c.domain !== undefined ? { domain: c.domain } : {}),
    ...(c.maxAge !== undefined ? { maxAge: c.maxAge } : {}),
    ...(c.expires !== undefined ? { expiresAfter: c.expires } : {}),
    ...(c.sameSite !== undefined ? { sameSite: c.sameSite } : {}),
    ...(c.secure ? { secure: true } : {}),
    why: `cookie affinity (${mode}${c.changeOnFailure ? ', change-on-failure' : ''})`,
  };
}

/**
 * balancer.lua route_to_alternative_balancer as steps: canary-by-header with a value (equal →
 * canary), else with a pattern (match → canary), else `always` → canary and `never` → primary;
 * any other header value falls through to canary-by-cookie (`always` / `never`), then to the
 * weight: math.random(total) <= weight, total being canary-weight-total when above 100.
 */
export function alternativeOf(merged: MergedCanary): Omit<AlternativeChoice, 'backend'> {
  const c = merged.canary;
  const steps: ChoiceStep[] = [];
  if (c.header !== '') {
    const by = `canary-by-header ${c.header}`;
    if (c.headerValue !== '') {
      steps.push({ source: 'header', name: c.header, value: c.headerValue, type: 'Exact', to: 'alternative', why: `${by} equals canary-by-header-value "${c.headerValue}"` });
    } else if (c.headerPattern !== '') {
      // ngx.re.match failing on the pattern ends the decision: the primary backend.
      steps.push({
        source: 'header',
        name: c.header,
        value: c.headerPattern,
        type: 'RegularExpression',
        to: 'alternative',
        invalidPatternTo: 'primary',
        why: `${by} matches canary-by-header-pattern "${c.headerPattern}"`,
      });
    } else {
      steps.push({ source: 'header', name: c.header, value: 'always', type: 'Exact', to: 'alternative', why: `${by} is "always"` });
      steps.push({ source: 'header', name: c.header, value: 'never', type: 'Exact', to: 'primary', why: `${by} is "never"` });
    }
  }
  if (c.cookie !== '') {
    steps.push({ source: 'cookie', name: c.cookie, value: 'always', type: 'Exact', to: 'alternative', why: `canary-by-cookie ${c.cookie} is "always"` });
    steps.push({ source: 'cookie', name: c.cookie, value: 'never', type: 'Exact', to: 'primary', why: `canary-by-cookie ${c.cookie} is "never"` });
  }
  return {
    steps,
    weight: c.weight,
    weightTotal: c.weightTotal > 100 ? c.weightTotal : 100,
    why: `canary Ingress ${merged.ingress.key}`,
    object: `Ingress/${merged.ingress.key}`,
  };
}
