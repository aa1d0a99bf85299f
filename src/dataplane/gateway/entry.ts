/**
 * Plugs the Gateway API controller model into the Cluster façade (internal): compiles it from
 * the cluster's inventory, gives each programmed Gateway an address from the load balancer pool,
 * and takes requests from outside that name a Gateway (`request({ gateway })`), go to a
 * Gateway's address, or (after the ingress controller) name a host only a Gateway route serves.
 */
import type { CompiledModel, ExternalEntry, ExternalRequest } from '../model';
import { readyEndpointLookup } from '../upstreams';
import { GatewayController, GatewayRequest, GATEWAY_PROFILES } from './controller';
import { CLIENT_PROTOCOLS, GATEWAY_COMPONENT as COMPONENT, GATEWAY_PATH_NORMALIZATIONS, PROFILE_SPEC } from './types';
import { GATEWAY_API_VERSION, isGatewayControllerName } from '../../api/gateway';
import { upstreamEndpoints } from '../ingress/backends';
import { CertificateStore } from '../routing/certificates';
import { Trace } from '../trace';
import { RequestResult } from '../types';
import { isIpLiteral } from '../util';

/** The controller of a compiled cluster plus its two entry points (internal). */
export interface GatewayEntry {
  readonly controller: GatewayController;
  /** Requests naming a Gateway or sent to a Gateway address: tried before the ingress controller. */
  readonly explicit: ExternalEntry;
  /** Requests for a host name a Gateway route serves: tried after the ingress controller. */
  readonly byHostname: ExternalEntry;
}

/** Checks `ClusterOptions.gatewayController`; throws `Cluster options: …` for a bad value. */
export function checkGatewayOptions(o: { controllerName?: unknown; profile?: unknown; pathNormalization?: unknown } | undefined): void {
  if (o === undefined) return;
  if (o.pathNormalization !== undefined && !GATEWAY_PATH_NORMALIZATIONS.includes(o.pathNormalization as string)) {
    throw new Error(`Cluster options: gatewayController.pathNormalization must be one of ${GATEWAY_PATH_NORMALIZATIONS.join(', ')}, got ${JSON.stringify(o.pathNormalization)}`);
  }
  if (o.profile !== undefined && !GATEWAY_PROFILES.includes(o.profile as string)) {
    throw new Error(`Cluster options: gatewayController.profile must be one of ${GATEWAY_PROFILES.join(', ')}, got ${JSON.stringify(o.profile)}`);
  }
  if (o.controllerName !== undefined && !isGatewayControllerName(o.controllerName)) {
    throw new Error(`Cluster options: gatewayController.controllerName must be a domain-prefixed path such as "example.com/gateway-controller", got ${JSON.stringify(o.controllerName)}`);
  }
}

/**
 * Checks the request options only a Gateway reads; throws `request: …` for a bad value, wherever
 * the request goes (other front doors ignore the options, but a typo should not pass silently).
 */
export function checkGatewayRequestOptions(o: ExternalRequest['options']): void {
  if (o.protocol !== undefined && !CLIENT_PROTOCOLS.includes(o.protocol)) {
    throw new Error(`request: protocol must be one of ${CLIENT_PROTOCOLS.join(', ')}, got ${JSON.stringify(o.protocol)}`);
  }
  const delay = o.backend?.delayMs;
  if (delay !== undefined && !(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)) {
    throw new Error(`request: backend.delayMs must be a number of milliseconds, 0 or more, got ${JSON.stringify(delay)}`);
  }
}

export function buildGatewayEntry(model: CompiledModel): GatewayEntry {
  const inv = model.inventory;
  const of = (kind: string) => inv.ofKind(`${GATEWAY_API_VERSION}/${kind}`).map((o) => o.manifest);
  const endpoints = readyEndpointLookup(model);
  const options = model.options.raw.gatewayController ?? {};
  const controller = new GatewayController({
    gatewayClasses: of('GatewayClass'),
    gateways: of('Gateway'),
    httpRoutes: of('HTTPRoute'),
    referenceGrants: of('ReferenceGrant'),
    namespaces: inv.ofKind('v1/Namespace').map((o) => o.manifest),
    services: model.services.map((s) => s.manifest),
    configMaps: inv.ofKind('v1/ConfigMap').map((o) => o.manifest),
    certificates: new CertificateStore(inv.ofKind('v1/Secret').map((o) => o.manifest)),
    now: model.options.raw.now?.getTime() ?? Date.now(),
    exists: (group, kind, namespace, name) => inv.objects.some((o) => o.kind === kind && o.name === name
      && (o.namespace === undefined || o.namespace === namespace) && (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '') === group),
    allocateAddress: (gateway) => model.ipam.allocateLoadBalancerIp(`gateway/${gateway}`, `Gateway/${gateway}`),
    claimAddress: (gateway, ip) => model.ipam.claimLoadBalancerIp(ip, `Gateway/${gateway}`),
    controllerName: options.controllerName,
  }, upstreamEndpoints(endpoints), model.prng, options.pathNormalization);

  const enter = (gateway: string, request: ExternalRequest, trace: Trace, why: string): RequestResult => {
    trace.add('client', 'route', why, `Gateway/${gateway}`);
    trace.add(COMPONENT, 'profile', `${options.profile ?? PROFILE_SPEC} profile (Gateway API v1.6.1 specification), controller ${controller.controllerName ?? '(none)'}`);
    const https = request.url.protocol === 'https:';
    const sni = https ? request.options.sni ?? (isIpLiteral(request.urlHost) ? undefined : request.urlHost) : undefined;
    const req: { -readonly [K in keyof GatewayRequest]: GatewayRequest[K] } = {
      scheme: https ? 'https' : 'http',
      host: request.hostHeader,
      path: request.url.pathname,
      query: request.url.search,
      method: (request.options.method ?? 'GET').toUpperCase(),
      port: request.port,
    };
    if (sni !== undefined) req.sni = sni;
    if (request.options.headers) req.headers = request.options.headers;
    if (request.options.protocol !== undefined) req.protocol = request.options.protocol;
    if (request.options.backend) req.backend = request.options.backend;
    if (https && request.options.clientCertificate !== undefined) req.clientCertificate = request.options.clientCertificate;
    const result = controller.route(gateway, req, trace);
    if ((result.status === 200 || result.status === 101) && result.pod) trace.add('pod', 'respond', `${result.pod} answers ${result.status} on port ${result.targetPort}`, `Pod/${result.pod}`);
    return result;
  };

  return {
    controller,
    explicit: {
      enter: (request, trace) => {
        const named = request.options.gateway;
        if (named !== undefined) {
          if (controller.gatewayStatus(named) === undefined) {
            throw new Error(`request: gateway ${JSON.stringify(named)} is not a Gateway of this cluster (use namespace/name; known: ${controller.gatewayKeys().join(', ') || 'none'})`);
          }
          return enter(named, request, trace, `sent to Gateway ${named} as asked (gateway option), port ${request.port}`);
        }
        const at = controller.gatewayAt(request.urlHost);
        return at === undefined ? undefined : enter(at, request, trace, `${request.urlHost} is the address of Gateway ${at}`);
      },
    },
    byHostname: {
      enter: (request, trace) => {
        if (isIpLiteral(request.urlHost)) return undefined;
        const gw = controller.gatewayServing(request.urlHost);
        const address = gw === undefined ? undefined : controller.gatewayStatus(gw)?.address;
        return gw === undefined ? undefined
          : enter(gw, request, trace, `${request.urlHost} is a hostname of an HTTPRoute on Gateway ${gw}: the model assumes its DNS points at the Gateway (${address})`);
      },
    },
  };
}
