/**
 * The Gateway API controller of the dataplane model (internal): the compiled Gateways, their
 * statuses and the routes' statuses, and the request path through one Gateway — the listener
 * by port, then by hostname (SNI for HTTPS, the Host header for HTTP; most specific first),
 * then that listener's route table in the routing engine.
 */
import { ClientValidation, compileGateways, CompiledGateway, CompiledListener, GatewayCompileInput, ShadowedMatch } from './compiler';
import { GATEWAY_COMPONENT as COMPONENT, GatewayClassStatus, GatewayStatus, PROFILE_SPEC, RouteParentStatus } from './types';
import { NGINX_URI_NORMALIZATION } from '../ingress/nginx';
import { TlsCertificate, verifyClientCertificate } from '../routing/certificates';
import { HttpRequest, RouteEngine, UpstreamEndpoints, hostWithoutPort } from '../routing/engine';
import type { PathNormalization, RandomSource, RouteTable } from '../routing/ir';
import { Trace } from '../trace';
import { RequestResult } from '../types';
import { canonicalHost } from '../util';

/** Profiles of the Gateway API controller. */
export const GATEWAY_PROFILES = [PROFILE_SPEC];

/** The front-door path normalisation of `GatewayControllerOptions.pathNormalization`. */
function listenerPathNormalization(option: string): PathNormalization | undefined {
  if (option === 'none') return undefined;
  if (option === 'nginx') return { ...NGINX_URI_NORMALIZATION, description: 'the Gateway normalises the URI as nginx does' };
  const mergeSlashes = option === 'rfc3986-merge-slashes';
  return {
    decodePercent: 'unreserved',
    resolveDotSegments: true,
    mergeSlashes,
    inPlace: true,
    description: `the Gateway normalises the path (${mergeSlashes ? 'RFC 3986 and merged slashes, as Envoy Gateway' : 'RFC 3986, as Envoy\'s normalize_path'})`,
  };
}

interface ServedListener {
  readonly listener: CompiledListener;
  readonly engine: RouteEngine;
}

/** A request at one port of a Gateway. */
export interface GatewayRequest extends HttpRequest {
  readonly port: number;
  /** The client certificate (PEM) presented in the TLS handshake. */
  readonly clientCertificate?: string;
}

export class GatewayController {
  public readonly controllerName?: string;
  /** Route matches no request reaches (for the checks). */
  public readonly shadowed: readonly ShadowedMatch[];
  private readonly classes: ReadonlyMap<string, GatewayClassStatus>;
  private readonly gateways: ReadonlyMap<string, CompiledGateway>;
  private readonly routes: ReadonlyMap<string, RouteParentStatus[]>;
  /** Programmed listeners by Gateway, then port. */
  private readonly served = new Map<string, Map<number, ServedListener[]>>();
  /** Gateways by address. */
  private readonly byAddress = new Map<string, string>();
  /** When client certificates are judged (epoch ms). */
  private readonly now: number;

  public constructor(input: GatewayCompileInput, endpoints: UpstreamEndpoints, random: RandomSource, pathNormalization = 'none') {
    const normalization = listenerPathNormalization(pathNormalization);
    const compiled = compileGateways(input);
    this.now = input.now;
    this.controllerName = compiled.controllerName;
    this.classes = compiled.classes;
    this.gateways = compiled.gateways;
    this.routes = compiled.routes;
    this.shadowed = compiled.shadowed;
    for (const [key, gw] of this.gateways) {
      if (gw.status.address) this.byAddress.set(gw.status.address, key);
      const ports = new Map<number, ServedListener[]>();
      for (const listener of gw.listeners) {
        if (!listener.table) continue;
        const list = ports.get(listener.status.port) ?? [];
        const table = normalization ? { ...listener.table, pathNormalization: normalization } : listener.table;
        list.push({ listener, engine: new RouteEngine(table, endpoints, random) });
        ports.set(listener.status.port, list);
      }
      this.served.set(key, ports);
    }
  }

  /** The route tables of every programmed listener, for comparing two clusters' routing. */
  public routeTables(): RouteTable[] {
    return [...this.gateways.values()].flatMap((gw) => gw.listeners.flatMap((l) => (l.table ? [l.table] : [])));
  }

  /** The keys of every Gateway, in input order. */
  public gatewayKeys(): string[] {
    return [...this.gateways.keys()];
  }

  /** The keys of every HTTPRoute, oldest first. */
  public routeKeys(): string[] {
    return [...this.routes.keys()];
  }

  /** The names of every GatewayClass, in input order. */
  public gatewayClassNames(): string[] {
    return [...this.classes.keys()];
  }

  public gatewayClassStatus(name: string): GatewayClassStatus | undefined {
    return this.classes.get(name);
  }

  public gatewayStatus(key: string): GatewayStatus | undefined {
    return this.gateways.get(key)?.status;
  }

  public routeStatus(key: string): RouteParentStatus[] | undefined {
    return this.routes.get(key);
  }

  /** The certificate each programmed HTTPS listener presents (for the checks). */
  public listenerCertificates(): Array<{ gateway: string; index: number; listener: string; hostname?: string; certificate: TlsCertificate }> {
    const out: Array<{ gateway: string; index: number; listener: string; hostname?: string; certificate: TlsCertificate }> = [];
    for (const [gateway, gw] of this.gateways) {
      gw.listeners.forEach((l, index) => {
        const certificate = l.table?.tls.fallback.certificate;
        if (l.status.protocol !== 'HTTPS' || !certificate?.x509) return;
        out.push({ gateway, index, listener: l.status.name, ...(l.hostname !== undefined ? { hostname: l.hostname } : {}), certificate });
      });
    }
    return out;
  }

  /** The Gateway (`namespace/name`) whose address this is. */
  public gatewayAt(address: string): string | undefined {
    return this.byAddress.get(address);
  }

  /** Whether some programmed listener of some Gateway serves this host name through a route. */
  public gatewayServing(host: string): string | undefined {
    for (const [key, ports] of this.served) {
      for (const list of ports.values()) if (list.some((s) => s.engine.servesHost(host))) return key;
    }
    return undefined;
  }

  /** Answers one request that reached `gateway` (which must exist); hops go to `trace`. */
  public route(gateway: string, req: GatewayRequest, trace: Trace): RequestResult {
    const gw = this.gateways.get(gateway)!;
    if (!gw.served || !gw.status.programmed) {
      trace.add(COMPONENT, 'not-programmed', `Gateway ${gateway} is not programmed (${gw.status.reason}${gw.status.message ? `: ${gw.status.message}` : ''}): nothing listens`, `Gateway/${gateway}`);
      return { status: 0, error: 'connection refused', gateway, trace: trace.hops };
    }
    const listeners = this.served.get(gateway)?.get(req.port) ?? [];
    if (listeners.length === 0) {
      const ports = [...(this.served.get(gateway)?.keys() ?? [])].join(', ');
      trace.add(COMPONENT, 'no-listener', `Gateway ${gateway} has no programmed listener on port ${req.port} (ports: ${ports || 'none'}): connection refused`, `Gateway/${gateway}`);
      return { status: 0, error: 'connection refused', gateway, trace: trace.hops };
    }
    // Listeners on one port share a protocol (others are Conflicted and not programmed).
    const https = listeners[0].listener.status.protocol === 'HTTPS';
    if (https && req.scheme !== 'https') {
      trace.add(COMPONENT, 'respond', `plain HTTP sent to the HTTPS listener port ${req.port}: 400 Bad Request`, `Gateway/${gateway}`);
      return { status: 400, gateway, trace: trace.hops };
    }
    if (!https && req.scheme === 'https') {
      trace.add(COMPONENT, 'reject', `a TLS ClientHello sent to the HTTP listener port ${req.port}: the handshake fails`, `Gateway/${gateway}`);
      return { status: 0, error: 'TLS handshake failed', gateway, trace: trace.hops };
    }
    const host = canonicalHost(hostWithoutPort(req.host));
    const byHost = choose(listeners, host);
    let chosen = byHost;
    let verified: boolean | undefined;
    if (https) {
      const bySni = req.sni === undefined ? choose(listeners, '') : choose(listeners, canonicalHost(req.sni));
      if (!bySni) {
        trace.add(COMPONENT, 'reject', `no HTTPS listener on port ${req.port} of Gateway ${gateway} matches SNI ${req.sni ?? '(none)'}: the handshake fails`, `Gateway/${gateway}`);
        return { status: 0, error: 'TLS handshake failed', gateway, trace: trace.hops };
      }
      trace.add(COMPONENT, 'listener', `SNI ${req.sni ?? '(none)'} selects listener ${describe(bySni.listener)}`, `Gateway/${gateway}`);
      const validation = bySni.listener.clientValidation;
      if (validation) {
        verified = this.verifyClient(gateway, validation, req, trace);
        if (verified === undefined) return { status: 0, error: 'TLS handshake failed', gateway, listener: bySni.listener.status.name, trace: trace.hops };
      }
      if (byHost !== bySni) {
        trace.add(COMPONENT, 'respond', `Host ${host} belongs to ${byHost ? `listener ${byHost.listener.status.name}` : 'no listener'}, not the one the TLS connection was made to: 421 Misdirected Request`);
        return { status: 421, gateway, listener: bySni.listener.status.name, trace: trace.hops };
      }
      chosen = bySni;
    } else {
      if (!byHost) {
        trace.add(COMPONENT, 'respond', `no listener on port ${req.port} of Gateway ${gateway} matches Host ${host}: 404 Not Found`, `Gateway/${gateway}`);
        return { status: 404, gateway, trace: trace.hops };
      }
      trace.add(COMPONENT, 'listener', `Host ${host} selects listener ${describe(byHost.listener)}`, `Gateway/${gateway}`);
    }
    // Added by assignment: a spread of the answer would take V8's slow path on every request.
    const routed = chosen!.engine.route(req, trace) as { -readonly [K in keyof RequestResult]: RequestResult[K] };
    routed.gateway = gateway;
    routed.listener = chosen!.listener.status.name;
    if (verified !== undefined) routed.clientCertificateVerified = verified;
    return routed;
  }

  /** Client certificate validation in the TLS handshake: whether the certificate is verified, or undefined when the handshake fails. */
  private verifyClient(gateway: string, validation: ClientValidation, req: GatewayRequest, trace: Trace): boolean | undefined {
    const check = req.clientCertificate === undefined ? { ok: false as const, reason: 'the client sends no certificate' }
      : verifyClientCertificate(req.clientCertificate, validation.cas, this.now);
    const why = `Gateway ${gateway} ${validation.why} (${validation.mode})`;
    if (check.ok) {
      trace.add(COMPONENT, 'client-certificate', `${why}: the client certificate is issued by ${check.ca.source}: verified`, `Gateway/${gateway}`);
      return true;
    }
    if (validation.mode === 'AllowInsecureFallback') {
      trace.add(COMPONENT, 'client-certificate', `${why}: ${check.reason}; insecure fallback lets the connection in unverified`, `Gateway/${gateway}`);
      return false;
    }
    trace.add(COMPONENT, 'reject', `${why}: ${check.reason}: the handshake fails`, `Gateway/${gateway}`);
    return undefined;
  }
}

function describe(l: CompiledListener): string {
  return `${l.status.name} (${l.status.protocol} ${l.status.port}${l.hostname ? ` ${l.hostname}` : ''})`;
}

/**
 * The listener for a host name: the one naming it exactly, else the most specific wildcard
 * covering it (any number of labels), else one without hostname.
 */
function choose(listeners: readonly ServedListener[], host: string): ServedListener | undefined {
  let best: ServedListener | undefined;
  let bestRank = -1;
  for (const s of listeners) {
    const h = s.listener.hostname;
    let rank = -1;
    if (h === undefined) rank = 0;
    else if (h === host) rank = Number.MAX_SAFE_INTEGER;
    else if (h.startsWith('*.') && host.endsWith(h.slice(1)) && host.length > h.length - 1) rank = h.length;
    if (rank > bestRank) {
      best = s;
      bestRank = rank;
    }
  }
  return best;
}
