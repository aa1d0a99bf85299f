/**
 * The ingress controller of the dataplane model: which Ingresses it serves (admission), and
 * how it answers an HTTP(S) request from outside — TLS certificate by SNI, server by Host,
 * location by path, then a redirect, a direct answer or a proxied request to a Service's
 * endpoints. Two profiles: `portable` (the Kubernetes Ingress specification and docs) and
 * `nginx` (kubernetes/ingress-nginx v1.15.1). Everything is compiled once into hash maps and
 * per-host path tables; `route()` never scans the Ingresses.
 */
import {
  NginxLocationMatch,
  NginxServerLocations,
  PATH_EXACT,
  PATH_IMPLEMENTATION_SPECIFIC,
  PATH_PREFIX,
  PortablePathTable,
  pcreToJs,
} from './ingress-controller-paths';
import { TlsCertificate, certificateCovers, describeCertificate, readSecretCertificate } from './ingress-controller-tls';
import { Trace } from './trace';
import { RequestResult } from './types';
import { canonicalHost } from './util';
import { certificateCoversHost } from '../api/tls';

/** Options of the modelled ingress controller (part of the Cluster options). */
export interface IngressControllerOptions {
  /**
   * `portable` follows the Kubernetes Ingress specification and docs; `nginx` follows
   * ingress-nginx v1.15.1.
   * @default - `nginx` when the served IngressClass's controller is `k8s.io/ingress-nginx` or the class is named `nginx`, else `portable`
   */
  readonly profile?: string;
  /**
   * The `spec.controller` of the IngressClasses this controller serves.
   * @default - `k8s.io/ingress-nginx` for `nginx`; for `portable` the controller of the default (else the first) IngressClass
   */
  readonly controllerName?: string;
  /**
   * The value of the legacy `kubernetes.io/ingress.class` annotation this controller answers to
   * (ingress-nginx `--ingress-class`).
   * @default - `nginx` for `nginx`; for `portable` the name of the served IngressClass
   */
  readonly className?: string;
  /**
   * Serve Ingresses that name no class at all (ingress-nginx `--watch-ingress-without-class`).
   * @default false
   */
  readonly watchIngressWithoutClass?: boolean;
  /**
   * The ingress-nginx ConfigMap key `ssl-redirect`: redirect HTTP to HTTPS for hosts that have
   * a certificate (the `nginx.ingress.kubernetes.io/ssl-redirect` annotation overrides it).
   * @default true
   */
  readonly sslRedirect?: boolean;
  /**
   * The Secret (`namespace/name`) holding the default certificate (ingress-nginx
   * `--default-ssl-certificate`); without it the controller presents a generated fake certificate.
   * @default - the generated fake certificate
   */
  readonly defaultSslCertificate?: string;
  /**
   * The controller's external IP address.
   * @default - one allocated by the model
   */
  readonly address?: string;
}

/** Whether the ingress controller serves an Ingress, and why. */
export interface IngressStatus {
  /** Whether the controller serves the Ingress. */
  readonly admitted: boolean;
  /**
   * The controller that serves it (an IngressClass `spec.controller` value).
   * @default - not served, or served by a controller of unknown name
   */
  readonly controller?: string;
  /**
   * Why it is (or is not) served, in one line.
   * @default - no explanation needed
   */
  readonly reason?: string;
}

/** The Ingress path that answers a host and path (internal, see `IngressController.locate`). */
export interface LocatedPath {
  /** `namespace/name` of the Ingress. */
  readonly ingress: string;
  readonly path: string;
  readonly pathType: string;
  /** How the controller names the match, e.g. `Prefix /api` or `location = /api of server a.example`. */
  readonly rule: string;
  /** Later Ingresses whose identical host+path lost to this one (ingress-nginx profile). */
  readonly shadowed: readonly string[];
}

/** A ready endpoint of a Service port (internal). */
export interface IngressEndpoint {
  readonly ip: string;
  readonly port: number;
  /** `namespace/name` of the pod behind it, when it is a pod. */
  readonly pod?: string;
}

/** The Service port a backend resolved to (internal). */
export interface ResolvedServicePort {
  readonly port: number;
  readonly name?: string;
  readonly targetPort: string;
  readonly protocol: string;
}

/** Looks up the ready endpoints of one Service port (internal; the Cluster supplies it). */
export type IngressEndpointSource = (namespace: string, service: string, port: ResolvedServicePort) => readonly IngressEndpoint[];

/** What the controller is compiled from: defaulted, API-server-accepted manifests in creation order (internal). */
export interface IngressControllerInput {
  readonly ingresses: readonly any[];
  readonly ingressClasses: readonly any[];
  readonly secrets: readonly any[];
  readonly services: readonly any[];
  readonly endpoints: IngressEndpointSource;
}

/** An HTTP request as it reaches the controller (internal). */
export interface IngressHttpRequest {
  readonly scheme: string;
  /** The `Host` header as sent, possibly with a port. */
  readonly host: string;
  /** The URI path, starting with `/`. */
  readonly path: string;
  /** The query string including its `?`, or empty. */
  readonly query: string;
  readonly method: string;
  /** The TLS server name the client sent (https only). */
  readonly sni?: string;
}

/**
 * The controller's answer (internal; the Cluster copies it into its RequestResult): always an
 * HTTP answer, so no `error`, and the source IP a pod sees is the Cluster's to fill in.
 */
export type IngressRouteResult = Omit<RequestResult, 'error' | 'sourceIp'>;

const PROFILE_PORTABLE = 'portable';
export const PROFILE_NGINX = 'nginx';
const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';
const COMPONENT = 'ingress-controller';
/** The catch-all server name of ingress-nginx. */
const DEFAULT_SERVER = '_';
/** ingress-nginx ConfigMap `http-redirect-code` default. */
const HTTP_REDIRECT_CODE = 308;
const DEFAULT_CERT: TlsCertificate = { secret: '@default' };

/** A backend an Ingress points at: a Service port (resource backends are not proxied). */
interface ServiceBackend {
  readonly ingress: string;
  readonly namespace: string;
  readonly service: string;
  /** The port by number or by name, as the Ingress writes it. */
  readonly port: number | string;
}

/** The ingress-nginx annotations this model reproduces, parsed like the controller's parsers. */
interface NginxAnnotations {
  readonly useRegex: boolean;
  readonly rewriteTarget: string;
  readonly sslRedirect: boolean;
  readonly forceSslRedirect: boolean;
  readonly preserveTrailingSlash: boolean;
  readonly appRoot: string;
  readonly redirectUrl: string;
  readonly redirectCode: number;
  readonly upstreamVhost: string;
  /** Annotation values the controller rejects (it then uses the default), for traces. */
  readonly problems: readonly string[];
}

/** An ingress-nginx location before nginx sees it. */
interface NginxLocationDraft {
  backend?: ServiceBackend;
  /** Answered by the controller's default backend (404) rather than an Ingress's Service. */
  isDefBackend: boolean;
  ingress?: string;
  anns: NginxAnnotations;
  /** Later Ingresses whose identical host+path+type lost to this one. */
  readonly shadowed: string[];
}

interface NginxServer {
  readonly hostname: string;
  readonly locations: NginxServerLocations<NginxLocationDraft>;
  readonly sslCert?: TlsCertificate;
  readonly sslNote?: string;
}

interface PortableEntry {
  readonly backend?: ServiceBackend;
  readonly ingress: string;
}

interface PortableTls {
  readonly secret: string;
  readonly ingress: string;
}

function keyOf(obj: any): string {
  return `${obj?.metadata?.namespace ?? 'default'}/${obj?.metadata?.name}`;
}

/** The host part of a Host header: without the port (IPv6 literals keep their brackets). */
function hostWithoutPort(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end < 0 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.indexOf(':');
  return colon < 0 ? hostHeader : hostHeader.slice(0, colon);
}

/** The parent domain a one-label wildcard `*.parent` would cover `host` with, if any. */
function wildcardParent(host: string, labelPattern: RegExp): string | undefined {
  const dot = host.indexOf('.');
  if (dot <= 0) return undefined;
  return labelPattern.test(host.slice(0, dot)) ? host.slice(dot + 1) : undefined;
}

/**
 * Creation order (ingress-nginx store sortIngressSlice): by `metadata.creationTimestamp`,
 * ties broken by `namespace/name` descending. Objects without a timestamp count as created in
 * the order given (as `kubectl apply` of the documents would), after any stamped object.
 */
function creationOrder(ingresses: readonly any[]): any[] {
  const stamped = ingresses.map((ing, index) => {
    const ts = Date.parse(ing?.metadata?.creationTimestamp ?? '');
    return { ing, index, ts: Number.isNaN(ts) ? undefined : ts };
  });
  return stamped
    .sort((a, b) => {
      if (a.ts !== undefined && b.ts !== undefined) {
        if (a.ts !== b.ts) return a.ts - b.ts;
        const an = keyOf(a.ing);
        const bn = keyOf(b.ing);
        return an > bn ? -1 : an < bn ? 1 : 0;
      }
      if (a.ts !== undefined) return -1;
      if (b.ts !== undefined) return 1;
      return a.index - b.index;
    })
    .map((s) => s.ing);
}

/** Go strconv.ParseBool, which ingress-nginx's annotation parser uses. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * The annotations of docs/user-guide/nginx-configuration/annotations.md that change routing:
 * use-regex, rewrite-target, ssl-redirect, force-ssl-redirect, preserve-trailing-slash,
 * app-root, permanent-redirect(-code), temporal-redirect, upstream-vhost.
 */
function parseNginxAnnotations(ing: any, sslRedirectDefault: boolean): NginxAnnotations {
  const raw: Record<string, unknown> = ing?.metadata?.annotations ?? {};
  const problems: string[] = [];
  const str = (name: string): string => {
    const v = raw[NGINX_ANNOTATION_PREFIX + name];
    return typeof v === 'string' ? v : '';
  };
  const bool = (name: string, dflt: boolean): boolean => {
    const v = str(name);
    if (v === '') return dflt;
    const parsed = parseGoBool(v);
    if (parsed === undefined) {
      problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}${name}: "${v}" is not a boolean; the default (${dflt}) applies`);
      return dflt;
    }
    return parsed;
  };
  let redirectUrl = '';
  let redirectCode = 0;
  const permanent = str('permanent-redirect');
  const temporal = str('temporal-redirect');
  // annotations/redirect/redirect.go: temporal-redirect is checked first and wins.
  if (temporal !== '') {
    redirectUrl = temporal;
    redirectCode = 302;
  } else if (permanent !== '') {
    redirectUrl = permanent;
    const codeText = str('permanent-redirect-code');
    const code = codeText === '' ? 301 : Number(codeText);
    redirectCode = Number.isInteger(code) && code >= 300 && code <= 308 ? code : 301;
    if (redirectCode !== code) problems.push(`annotation ${NGINX_ANNOTATION_PREFIX}permanent-redirect-code: "${codeText}" is not a 3xx code; 301 applies`);
  }
  return {
    useRegex: bool('use-regex', false),
    rewriteTarget: str('rewrite-target'),
    sslRedirect: bool('ssl-redirect', sslRedirectDefault),
    forceSslRedirect: bool('force-ssl-redirect', false),
    preserveTrailingSlash: bool('preserve-trailing-slash', false),
    appRoot: str('app-root'),
    redirectUrl,
    redirectCode,
    upstreamVhost: str('upstream-vhost'),
    problems,
  };
}

function serviceBackend(ing: any, backend: any): ServiceBackend | undefined {
  const svc = backend?.service;
  if (!svc || typeof svc.name !== 'string') return undefined;
  const port = svc.port?.number ?? svc.port?.name;
  return { ingress: keyOf(ing), namespace: ing.metadata?.namespace ?? 'default', service: svc.name, port };
}

/**
 * A compiled ingress controller. Build it with `IngressController.compile`, then ask
 * `ingressStatus()` and `route()` as often as needed.
 */
export class IngressController {
  /**
   * Compiles the controller's tables from manifests the API server accepted (defaults applied).
   * Throws an Error naming the option for an unusable option value.
   */
  public static compile(input: IngressControllerInput, options: IngressControllerOptions = {}): IngressController {
    return new IngressController(input, options);
  }

  /** `portable` or `nginx`. */
  public readonly profile: string;
  /** The `spec.controller` value this controller answers to, when known. */
  public readonly controllerName?: string;
  /** The legacy class annotation value it answers to, when known. */
  public readonly className?: string;
  /** How the profile was chosen, for traces. */
  public readonly profileReason: string;

  /** By Ingress `namespace/name`, in creation order. */
  private readonly statuses = new Map<string, IngressStatus>();
  private readonly services = new Map<string, any>();
  private readonly endpoints: IngressEndpointSource;
  /** Round-robin turns by upstream `namespace/service:port`, shared by every backend naming it. */
  private readonly roundRobin = new Map<string, { next: number }>();
  /** Each backend's Service, port and ready endpoints: they never change after compile. */
  private readonly upstreams = new Map<ServiceBackend, Upstream>();
  private readonly defaultCert: TlsCertificate;
  private readonly defaultCertNote?: string;

  // portable tables
  private readonly pExact = new Map<string, PortablePathTable<PortableEntry>>();
  private readonly pWildcard = new Map<string, PortablePathTable<PortableEntry>>();
  private readonly pAnyHost = new PortablePathTable<PortableEntry>();
  private pHasAnyHost = false;
  private readonly pDefaultBackends: PortableEntry[] = [];
  private readonly pTlsExact = new Map<string, PortableTls>();
  private readonly pTlsWildcard = new Map<string, PortableTls>();

  // nginx tables
  private readonly nServers = new Map<string, NginxServer>();
  private readonly nWildcardServers = new Map<string, NginxServer>();
  private nDefaultServer?: NginxServer;
  private readonly nCertServers = new Map<string, TlsCertificate>();

  /** See servesAnyHost: asked for every request to a host no rule names, so decided at compile. */
  private readonly anyHost: boolean;
  private readonly certCache = new Map<string, ReturnType<typeof readSecretCertificate>>();
  private readonly secrets = new Map<string, any>();

  private constructor(input: IngressControllerInput, options: IngressControllerOptions) {
    for (const svc of input.services) this.services.set(keyOf(svc), svc);
    for (const secret of input.secrets) this.secrets.set(keyOf(secret), secret);
    this.endpoints = input.endpoints;

    const classes = indexClasses(input.ingressClasses);
    const chosen = chooseProfile(input, classes, options);
    this.profile = chosen.profile;
    this.profileReason = chosen.reason;
    this.controllerName = chosen.controllerName;
    this.className = chosen.className;

    if (options.defaultSslCertificate !== undefined) {
      const read = this.readCertificate(options.defaultSslCertificate);
      if (read.ok) {
        this.defaultCert = { secret: '@default', x509: read.cert.x509 };
        this.defaultCertNote = `the default certificate from Secret ${options.defaultSslCertificate}`;
      } else {
        this.defaultCert = DEFAULT_CERT;
        this.defaultCertNote = `--default-ssl-certificate ${options.defaultSslCertificate} is unusable (${read.reason}); the generated fake certificate is the default`;
      }
    } else {
      this.defaultCert = DEFAULT_CERT;
    }

    const sslRedirect = options.sslRedirect ?? true;
    const admitted: any[] = [];
    for (const ing of creationOrder(input.ingresses)) {
      const status = admit(ing, classes, options, this);
      this.statuses.set(keyOf(ing), status);
      if (status.admitted) admitted.push(ing);
    }
    if (this.profile === PROFILE_NGINX) {
      // Canary Ingresses only add weighted alternative backends to other Ingresses' locations
      // (not modelled); ingress-nginx builds no server or location from them.
      const canary = (ing: any) => parseGoBool(String(ing.metadata?.annotations?.[`${NGINX_ANNOTATION_PREFIX}canary`] ?? '')) === true;
      this.compileNginx(admitted.filter((ing) => !canary(ing)), sslRedirect);
    }
    if (this.profile === PROFILE_PORTABLE) this.compilePortable(admitted);
    this.anyHost = this.profile === PROFILE_NGINX
      ? this.nDefaultServer!.locations.locations.some((l) => !l.value.isDefBackend)
      : this.pHasAnyHost || this.pDefaultBackends.length > 0;
  }

  /** Whether the controller serves the Ingress `namespace/name`, and why. */
  public ingressStatus(key: string): IngressStatus {
    return this.statuses.get(key) ?? { admitted: false, reason: `there is no Ingress ${key} among the accepted manifests` };
  }

  /** The keys of every Ingress the controller knows, in creation order. */
  public ingressKeys(): string[] {
    return [...this.statuses.keys()];
  }

  /** Whether a host name (no port) is one an admitted Ingress rule names, exactly or by wildcard. */
  public servesHost(host: string): boolean {
    const h = canonicalHost(host);
    if (this.profile === PROFILE_NGINX) {
      if (this.nServers.has(h) && h !== DEFAULT_SERVER) return true;
      const parent = wildcardParent(h, /^[\w-]+$/);
      return parent !== undefined && this.nWildcardServers.has(parent);
    }
    if (this.pExact.has(h)) return true;
    const parent = wildcardParent(h, /^[^.]+$/);
    return parent !== undefined && this.pWildcard.has(parent);
  }

  /**
   * Whether some admitted Ingress answers any host name: a rule without host, or (nginx) a
   * rule-less Ingress holding the catch-all server, or (portable) any defaultBackend.
   */
  public servesAnyHost(): boolean {
    return this.anyHost;
  }

  /**
   * Which Ingress path answers `host` + `path`, without routing a request (no TLS, redirect or
   * endpoint pick, so no state changes): for the checks' shadowing analysis (internal).
   */
  public locate(host: string, path: string): LocatedPath | undefined {
    const h = canonicalHost(host);
    if (this.profile === PROFILE_NGINX) {
      const parent = wildcardParent(h, /^[\w-]+$/);
      const server = this.nServers.get(h) ?? (parent === undefined ? undefined : this.nWildcardServers.get(parent)) ?? this.nDefaultServer!;
      const m = server.locations.match(path);
      if (m.kind === 'none' || !m.location.value.ingress) return undefined;
      const loc = m.location;
      return { ingress: loc.value.ingress!, path: loc.path, pathType: loc.exactTwin ? PATH_PREFIX : loc.pathType, rule: `location ${loc.rendered} of server ${server.hostname}`, shadowed: [...loc.value.shadowed] };
    }
    const parent = wildcardParent(h, /^[^.]+$/);
    const tables = [this.pExact.get(h), parent === undefined ? undefined : this.pWildcard.get(parent), this.pHasAnyHost ? this.pAnyHost : undefined];
    for (const table of tables) {
      const m = table?.match(path);
      if (m) return { ingress: m.value.ingress, path: m.path, pathType: m.pathType, rule: `${m.pathType} ${m.path}`, shadowed: [] };
    }
    return undefined;
  }

  /**
   * Answers one HTTP(S) request that reached the controller; its hops are added to `trace`
   * (the caller's, so a request entering from outside is not copied into a second trace).
   */
  public route(req: IngressHttpRequest, trace: Trace = new Trace()): IngressRouteResult {
    trace.add(COMPONENT, 'profile', `${this.profile} profile (${this.profileReason})`);
    return this.profile === PROFILE_NGINX ? this.routeNginx(req, trace) : this.routePortable(req, trace);
  }

  // ---------------------------------------------------------------- shared

  private readCertificate(ref: string) {
    let read = this.certCache.get(ref);
    if (!read) {
      const secret = this.secrets.get(ref);
      read = secret ? readSecretCertificate(ref, secret) : { ok: false as const, reason: `Secret ${ref} not found` };
      this.certCache.set(ref, read);
    }
    return read;
  }

  private tlsResult(cert: TlsCertificate, sni: string | undefined, trace: Trace, why: string) {
    // The controller picks a certificate by ingress-nginx's rule (CN too); the client accepts it only by its DNS SANs.
    const verified = sni !== undefined && cert.x509 !== undefined && certificateCoversHost(cert.x509, sni);
    const what = cert.secret === '@default' ? (this.defaultCertNote ?? describeCertificate(cert)) : `Secret ${cert.secret} (${describeCertificate(cert)})`;
    trace.add(COMPONENT, 'tls', `${why}: presents ${what}; ${sni === undefined ? 'no SNI name to verify' : verified ? `it covers ${sni}` : `it does NOT cover ${sni} (clients reject it)`}`,
      cert.secret === '@default' ? undefined : `Secret/${cert.secret}`);
    return { tlsSecret: cert.secret, tlsHostnameVerified: verified };
  }

  /**
   * Resolves a backend's Service port and picks a ready endpoint. ingress-nginx proxies to the
   * endpoints directly (not via the ClusterIP) and answers 503 when there is none; endpoints
   * take turns (the default `load-balance: round_robin`).
   */
  private proxy(
    backend: ServiceBackend, req: IngressHttpRequest, upstreamHost: string, upstreamPath: string,
    trace: Trace, extra: RouteExtra,
  ): IngressRouteResult {
    const upstream = this.upstreamOf(backend);
    const svcKey = upstream.serviceKey;
    // Filled in by assignment, keys in the order the answer always had (the extra's fields,
    // then ingress, service, ...): spreads cost V8's slow path, and this runs for every request.
    const out: RouteResultDraft = {};
    if (extra.ingress !== undefined) out.ingress = backend.ingress;
    if (extra.tlsSecret !== undefined) {
      out.tlsSecret = extra.tlsSecret;
      out.tlsHostnameVerified = extra.tlsHostnameVerified;
    }
    out.ingress = backend.ingress;
    out.service = svcKey;
    const svc = upstream.service;
    if (!svc) {
      trace.add(COMPONENT, 'respond', `Service ${svcKey} does not exist: 503 Service Temporarily Unavailable`, `Service/${svcKey}`);
      return finish(out, 503, trace);
    }
    if (svc.spec?.type === 'ExternalName') {
      trace.add(COMPONENT, 'respond', `Service ${svcKey} is an ExternalName Service (${svc.spec.externalName}); upstreams outside the cluster are not modelled: 503`, `Service/${svcKey}`);
      return finish(out, 503, trace);
    }
    const port = upstream.port;
    if (!port) {
      trace.add(COMPONENT, 'respond', `Service ${svcKey} has no port matching ${JSON.stringify(backend.port)}${this.profile === PROFILE_NGINX ? ' (by port, targetPort or name)' : ''}: no upstream, 503`, `Service/${svcKey}`);
      return finish(out, 503, trace);
    }
    out.servicePort = port.port;
    if (port.name) out.servicePortName = port.name;
    const ready = upstream.ready;
    if (ready.length === 0) {
      trace.add(COMPONENT, 'respond', `Service ${svcKey} port ${port.name ?? port.port} has no ready endpoint: 503 Service Temporarily Unavailable`, `Service/${svcKey}`);
      return finish(out, 503, trace);
    }
    const ep = ready[upstream.turns.next++ % ready.length];
    trace.add(COMPONENT, 'pick', `upstream ${svcKey}:${port.port} has ${ready.length} ready endpoint(s); round robin picks ${ep.ip}:${ep.port}${ep.pod ? ` (pod ${ep.pod})` : ''}, straight to the pod, not via the ClusterIP`,
      ep.pod ? `Pod/${ep.pod}` : `Service/${svcKey}`);
    const forwarded = { method: req.method, host: upstreamHost, path: upstreamPath };
    trace.add(COMPONENT, 'proxy', `${forwarded.method} ${forwarded.path} Host: ${forwarded.host} → ${ep.ip}:${ep.port}`);
    out.status = 200;
    out.endpoint = `${ep.ip}:${ep.port}`;
    out.targetPort = ep.port;
    if (ep.pod) out.pod = ep.pod;
    out.upstream = forwarded;
    out.trace = trace.hops;
    return out as IngressRouteResult;
  }

  /** A backend's Service, port and ready endpoints, looked up on its first request. */
  private upstreamOf(backend: ServiceBackend): Upstream {
    let upstream = this.upstreams.get(backend);
    if (upstream) return upstream;
    const serviceKey = `${backend.namespace}/${backend.service}`;
    const service = this.services.get(serviceKey);
    const port = service && service.spec?.type !== 'ExternalName' ? this.resolvePort(service, backend.port) : undefined;
    const ready = port ? this.endpoints(backend.namespace, backend.service, port) : [];
    // Without a port there is no pick, so no turn to share.
    let turns = port ? this.roundRobin.get(`${serviceKey}:${port.port}`) : undefined;
    if (!turns) {
      turns = { next: 0 };
      if (port) this.roundRobin.set(`${serviceKey}:${port.port}`, turns);
    }
    upstream = { serviceKey, service, port, ready, turns };
    this.upstreams.set(backend, upstream);
    return upstream;
  }

  /**
   * Which Service port a backend means. The specification: `port.number` is the Service port,
   * `port.name` its name. ingress-nginx (serviceEndpoints) accepts the first Service port whose
   * number, targetPort or name equals the backend's port text.
   */
  private resolvePort(svc: any, wanted: number | string): ResolvedServicePort | undefined {
    const ports: any[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
    const text = String(wanted);
    const found = ports.find((p) => this.profile === PROFILE_NGINX
      ? String(p.port) === text || String(p.targetPort ?? p.port) === text || (p.name !== undefined && p.name === text)
      : typeof wanted === 'number' ? p.port === wanted : p.name === wanted);
    if (!found) return undefined;
    return {
      port: found.port,
      ...(found.name ? { name: found.name } : {}),
      targetPort: String(found.targetPort ?? found.port),
      protocol: found.protocol ?? 'TCP',
    };
  }

  // ---------------------------------------------------------------- portable

  private compilePortable(admitted: readonly any[]): void {
    for (const ing of admitted) {
      const key = keyOf(ing);
      const spec = ing.spec ?? {};
      if (spec.defaultBackend) this.pDefaultBackends.push({ ingress: key, backend: serviceBackend(ing, spec.defaultBackend) });
      const ruleHosts: string[] = [];
      for (const rule of spec.rules ?? []) {
        const host = typeof rule.host === 'string' ? canonicalHost(rule.host) : '';
        if (host) ruleHosts.push(host);
        let table: PortablePathTable<PortableEntry>;
        if (host === '') {
          table = this.pAnyHost;
          this.pHasAnyHost = true;
        } else {
          const map = host.startsWith('*.') ? this.pWildcard : this.pExact;
          const k = host.startsWith('*.') ? host.slice(2) : host;
          table = map.get(k) ?? new PortablePathTable<PortableEntry>();
          map.set(k, table);
        }
        for (const p of rule.http?.paths ?? []) {
          table.add(p.path ?? '/', p.pathType === PATH_IMPLEMENTATION_SPECIFIC ? PATH_PREFIX : p.pathType, { ingress: key, backend: serviceBackend(ing, p.backend) });
        }
      }
      for (const tls of spec.tls ?? []) {
        if (typeof tls.secretName !== 'string' || tls.secretName === '') continue;
        const entry = { secret: `${ing.metadata?.namespace ?? 'default'}/${tls.secretName}`, ingress: key };
        // An entry without hosts covers the Ingress's own rule hosts.
        const hosts: string[] = Array.isArray(tls.hosts) && tls.hosts.length ? tls.hosts.map(canonicalHost) : ruleHosts;
        for (const host of hosts) {
          const map = host.startsWith('*.') ? this.pTlsWildcard : this.pTlsExact;
          const k = host.startsWith('*.') ? host.slice(2) : host;
          if (!map.has(k)) map.set(k, entry);
        }
      }
    }
  }

  private routePortable(req: IngressHttpRequest, trace: Trace): IngressRouteResult {
    let tls: { tlsSecret: string; tlsHostnameVerified: boolean } | undefined;
    if (req.scheme === 'https') {
      const sni = req.sni === undefined ? undefined : canonicalHost(req.sni);
      let entry = sni ? this.pTlsExact.get(sni) : undefined;
      const parent = sni ? wildcardParent(sni, /^[^.]+$/) : undefined;
      if (!entry && parent !== undefined) entry = this.pTlsWildcard.get(parent);
      if (entry) {
        const read = this.readCertificate(entry.secret);
        tls = read.ok
          ? this.tlsResult(read.cert, sni, trace, `SNI ${sni} is listed in the tls section of Ingress ${entry.ingress}`)
          : this.tlsResult(this.defaultCert, sni, trace, `SNI ${sni} is listed in Ingress ${entry.ingress} but ${read.reason}; default certificate`);
      } else {
        tls = this.tlsResult(this.defaultCert, sni, trace, sni ? `no Ingress tls section lists ${sni}; default certificate` : 'no SNI; default certificate');
      }
    }
    const host = canonicalHost(hostWithoutPort(req.host));
    const candidates: Array<[string, PortablePathTable<PortableEntry>]> = [];
    const exact = this.pExact.get(host);
    if (exact) candidates.push([`host ${host}`, exact]);
    const parent = wildcardParent(host, /^[^.]+$/);
    const wild = parent === undefined ? undefined : this.pWildcard.get(parent);
    if (wild) candidates.push([`wildcard host *.${parent} (covers exactly one label)`, wild]);
    if (this.pHasAnyHost) candidates.push(['rules without host (all hosts)', this.pAnyHost]);
    if (candidates.length === 0) trace.add(COMPONENT, 'host', `no rule host matches ${host} (exact, or a *. wildcard covering one label)`);
    for (const [what, table] of candidates) {
      const m = table.match(req.path);
      if (!m) {
        trace.add(COMPONENT, 'match', `${what}: no path matches ${req.path}`);
        continue;
      }
      trace.add(COMPONENT, 'match', `${what}: ${m.pathType} ${m.path} matches ${req.path} (longest match, Exact before Prefix), Ingress ${m.value.ingress}`, `Ingress/${m.value.ingress}`);
      return this.portableBackend(m.value, req, trace, tls);
    }
    const dflt = this.pDefaultBackends[0];
    if (dflt) {
      trace.add(COMPONENT, 'match', `no rule matches; spec.defaultBackend of Ingress ${dflt.ingress}`, `Ingress/${dflt.ingress}`);
      return this.portableBackend(dflt, req, trace, tls);
    }
    trace.add(COMPONENT, 'respond', 'no rule matches and no Ingress has a defaultBackend: 404 Not Found');
    return { status: 404, ...tls, trace: trace.hops };
  }

  private portableBackend(entry: PortableEntry, req: IngressHttpRequest, trace: Trace, tls: object | undefined): IngressRouteResult {
    if (!entry.backend) {
      trace.add(COMPONENT, 'respond', `Ingress ${entry.ingress} points at a resource backend, which this model does not proxy: 404`, `Ingress/${entry.ingress}`);
      return { status: 404, ingress: entry.ingress, ...tls, trace: trace.hops };
    }
    return this.proxy(entry.backend, req, req.host, req.path + req.query, trace, tls ?? NO_EXTRA);
  }

  // ---------------------------------------------------------------- nginx

  private compileNginx(admitted: readonly any[], sslRedirect: boolean): void {
    type Draft = {
      hostname: string;
      inputs: Array<{ path: string; pathType: string; loc: NginxLocationDraft }>;
      sslCert?: TlsCertificate;
      sslNote?: string;
    };
    const noAnns = parseNginxAnnotations({}, sslRedirect);
    const rootDraft = (loc: NginxLocationDraft) => ({ path: '/', pathType: PATH_PREFIX, loc });
    const servers = new Map<string, Draft>();
    const catchAll: NginxLocationDraft = { isDefBackend: true, anns: noAnns, shadowed: [] };
    servers.set(DEFAULT_SERVER, { hostname: DEFAULT_SERVER, inputs: [rootDraft(catchAll)], sslCert: this.defaultCert });
    const annsOf = new Map<any, NginxAnnotations>();
    for (const ing of admitted) annsOf.set(ing, parseNginxAnnotations(ing, sslRedirect));

    // createServers: the first Ingress naming a host creates its server and root location,
    // backed by its spec.defaultBackend or the controller's default backend.
    for (const ing of admitted) {
      const anns = annsOf.get(ing)!;
      const spec = ing.spec ?? {};
      const own = serviceBackend(ing, spec.defaultBackend);
      const rules: any[] = spec.rules ?? [];
      if (own && rules.length === 0 && catchAll.isDefBackend) {
        // The oldest rule-less Ingress with a defaultBackend takes the catch-all server's root
        // location, with its annotations but not its redirect/rewrite ones.
        catchAll.backend = own;
        catchAll.ingress = own.ingress;
        catchAll.isDefBackend = false;
        catchAll.anns = { ...anns, rewriteTarget: '', redirectUrl: '', redirectCode: 0, appRoot: '' };
      }
      for (const rule of rules) {
        const host = rule.host ? canonicalHost(rule.host) : DEFAULT_SERVER;
        if (servers.has(host)) continue;
        const root: NginxLocationDraft = { isDefBackend: true, backend: own, ingress: keyOf(ing), anns, shadowed: [] };
        servers.set(host, { hostname: host, inputs: [rootDraft(root)] });
      }
    }

    // createServers, TLS: the first Ingress with a tls section decides a host's certificate.
    for (const ing of admitted) {
      const tlsList: any[] = ing.spec?.tls ?? [];
      for (const rule of ing.spec?.rules ?? []) {
        const host = rule.host ? canonicalHost(rule.host) : DEFAULT_SERVER;
        const server = servers.get(host)!;
        if (server.sslCert || tlsList.length === 0) continue;
        const chosen = this.nginxTlsSecretName(host, ing, tlsList);
        const ns = ing.metadata?.namespace ?? 'default';
        if (chosen === '') {
          server.sslCert = this.defaultCert;
          server.sslNote = `Ingress ${keyOf(ing)} has a tls section, but none of its entries lists ${host} or holds a certificate covering it: default certificate`;
          continue;
        }
        const ref = `${ns}/${chosen}`;
        const read = this.readCertificate(ref);
        if (!read.ok) {
          server.sslCert = this.defaultCert;
          server.sslNote = `Ingress ${keyOf(ing)} names Secret ${ref} for ${host}, but ${read.reason}: default certificate`;
        } else if (!certificateCovers(read.cert, host)) {
          server.sslCert = this.defaultCert;
          server.sslNote = `Secret ${ref} (${describeCertificate(read.cert)}) does not cover ${host}: default certificate`;
        } else {
          server.sslCert = read.cert;
          server.sslNote = `Ingress ${keyOf(ing)} tls section: Secret ${ref}`;
        }
      }
    }

    // getBackendServers: add each path as a location; an identical path+type keeps the first
    // (oldest) Ingress unless the existing location is a server's default root.
    for (const ing of admitted) {
      const anns = annsOf.get(ing)!;
      for (const rule of ing.spec?.rules ?? []) {
        const host = rule.host ? canonicalHost(rule.host) : DEFAULT_SERVER;
        const server = servers.get(host)!;
        for (const p of rule.http?.paths ?? []) {
          const backend = serviceBackend(ing, p.backend);
          if (!backend) continue; // ingress-nginx skips non-service backends
          const path = p.path || '/';
          const pathType = p.pathType ?? PATH_IMPLEMENTATION_SPECIFIC;
          // `/` as Prefix or ImplementationSpecific is the same nginx `location /`.
          const sameType = (t: string) => t === pathType || (path === '/' && t !== PATH_EXACT && pathType !== PATH_EXACT);
          const existing = server.inputs.find((i) => i.path === path && sameType(i.pathType));
          if (existing) {
            if (!existing.loc.isDefBackend) {
              existing.loc.shadowed.push(keyOf(ing));
              continue;
            }
            existing.loc.backend = backend;
            existing.loc.isDefBackend = false;
            existing.loc.ingress = keyOf(ing);
            existing.loc.anns = anns;
            continue;
          }
          server.inputs.push({ path, pathType, loc: { backend, isDefBackend: false, ingress: keyOf(ing), anns, shadowed: [] } });
        }
      }
    }

    for (const draft of servers.values()) {
      const locations = new NginxServerLocations(draft.inputs.map((i) => ({
        path: i.path,
        pathType: i.pathType,
        regexAnnotated: i.loc.anns.useRegex || (i.loc.anns.rewriteTarget !== '' && i.loc.anns.rewriteTarget !== i.path),
        value: i.loc,
      })));
      const server: NginxServer = { hostname: draft.hostname, locations, sslCert: draft.sslCert, sslNote: draft.sslNote };
      if (draft.hostname === DEFAULT_SERVER) this.nDefaultServer = server;
      else if (draft.hostname.startsWith('*.')) this.nWildcardServers.set(draft.hostname.slice(2), server);
      else this.nServers.set(draft.hostname, server);
      if (draft.sslCert && draft.hostname !== DEFAULT_SERVER) this.nCertServers.set(draft.hostname, draft.sslCert);
    }
  }

  /** ingress-nginx extractTLSSecretName: a tls entry listing the host, else one whose certificate covers it. */
  private nginxTlsSecretName(host: string, ing: any, tlsList: readonly any[]): string {
    for (const tls of tlsList) {
      for (const h of tls.hosts ?? []) {
        if (canonicalHost(String(h)) === host) return tls.secretName ?? '';
      }
    }
    const ns = ing.metadata?.namespace ?? 'default';
    for (const tls of tlsList) {
      if (!tls.secretName) continue;
      const read = this.readCertificate(`${ns}/${tls.secretName}`);
      if (read.ok && certificateCovers(read.cert, host)) return tls.secretName;
    }
    return '';
  }

  /** certificate.lua get_pem_cert_uid: the server name, then `*.` + all but its first label. */
  private nginxCertFor(name: string): { cert: TlsCertificate; server: string } | undefined {
    const host = canonicalHost(name);
    const exact = this.nCertServers.get(host);
    if (exact) return { cert: exact, server: host };
    const dot = host.indexOf('.');
    if (dot <= 0) return undefined;
    const wildcard = `*.${host.slice(dot + 1)}`;
    const cert = this.nCertServers.get(wildcard);
    return cert ? { cert, server: wildcard } : undefined;
  }

  private routeNginx(req: IngressHttpRequest, trace: Trace): IngressRouteResult {
    let tls: { tlsSecret: string; tlsHostnameVerified: boolean } | undefined;
    if (req.scheme === 'https') {
      const sni = req.sni === undefined ? undefined : canonicalHost(req.sni);
      const found = sni ? this.nginxCertFor(sni) : undefined;
      if (found) {
        const server = found.server === sni ? this.nServers.get(sni) : this.nWildcardServers.get(found.server.slice(2));
        tls = this.tlsResult(found.cert, sni, trace, `certificate chosen by SNI ${sni} (server ${found.server}: ${server?.sslNote ?? 'configured'})`);
      } else {
        tls = this.tlsResult(this.defaultCert, sni, trace, sni ? `no server with a certificate for SNI ${sni}: default certificate` : 'no SNI: default certificate');
      }
    }

    // Server by Host: exact name, then a wildcard `*.parent` (rendered by buildServerName as
    // the regex ^[\w-]+\.parent$, one label), else the catch-all `_`. No fall-through later.
    const hostHeader = req.host;
    const host = canonicalHost(hostWithoutPort(hostHeader));
    let server = this.nServers.get(host);
    let serverWhy = `server ${host}`;
    if (!server) {
      const parent = wildcardParent(host, /^[\w-]+$/);
      server = parent === undefined ? undefined : this.nWildcardServers.get(parent);
      serverWhy = `wildcard server *.${parent} (one label)`;
    }
    if (!server) {
      server = this.nDefaultServer!;
      serverWhy = `no server named ${host}: catch-all server _`;
    }
    trace.add(COMPONENT, 'host', `Host ${host || '(none)'}${tls ? ' (routing uses the Host header, not SNI)' : ''} → ${serverWhy}${server.locations.regexMode ? '; a location uses use-regex/rewrite-target, so every location of this server is a case-insensitive regex' : ''}`);

    const match: NginxLocationMatch<NginxLocationDraft> = server.locations.match(req.path);
    if (match.kind === 'slash-redirect') {
      const location = `${req.scheme}://${host}${req.path}/${req.query}`;
      trace.add(COMPONENT, 'redirect', `location ${match.location.rendered} proxies, and ${req.path} lacks only its trailing slash: nginx answers 301 to ${location}`);
      return { status: 301, location, ...tls, trace: trace.hops };
    }
    if (match.kind === 'none') {
      trace.add(COMPONENT, 'respond', `no location of server ${server.hostname} matches ${req.path}: 404`);
      return { status: 404, ...tls, trace: trace.hops };
    }
    const loc = match.location;
    const draft = loc.value;
    const owner = !draft.ingress ? '' : draft.isDefBackend ? ` (the root location of the server Ingress ${draft.ingress} created)` : `, Ingress ${draft.ingress}`;
    trace.add(COMPONENT, 'match', `location ${loc.rendered}${loc.exactTwin ? ' (the Exact twin ingress-nginx adds for a Prefix path)' : ''} matches ${req.path}${owner}`,
      draft.ingress ? `Ingress/${draft.ingress}` : undefined);
    if (draft.shadowed.length) {
      trace.add(COMPONENT, 'merge', `the same host+path is also defined by ${draft.shadowed.map((k) => `Ingress ${k}`).join(', ')}; ingress-nginx keeps the oldest Ingress's`);
    }
    for (const problem of draft.anns.problems) trace.add(COMPONENT, 'annotation', problem, draft.ingress ? `Ingress/${draft.ingress}` : undefined);
    const anns = draft.anns;
    const extra = routeExtra(draft.ingress, tls);

    // Rewrite phase: nginx `return` directives from annotations run before the Lua SSL redirect.
    if (anns.appRoot !== '' && req.path === '/') {
      const location = `${req.scheme}://${hostHeader}${anns.appRoot}`;
      trace.add(COMPONENT, 'redirect', `app-root annotation: / answers 302 to ${location}`);
      return { status: 302, location, ...extra, trace: trace.hops };
    }
    if (anns.redirectUrl !== '') {
      trace.add(COMPONENT, 'redirect', `${anns.redirectCode === 302 ? 'temporal' : 'permanent'}-redirect annotation: ${anns.redirectCode} to ${anns.redirectUrl}`);
      return { status: anns.redirectCode, location: anns.redirectUrl, ...extra, trace: trace.hops };
    }
    if (req.scheme === 'http') {
      const certServer = this.nginxCertFor(host);
      const redirect = anns.forceSslRedirect || (anns.sslRedirect && certServer !== undefined);
      if (redirect) {
        let uri = req.path + req.query;
        if (!anns.preserveTrailingSlash && uri.endsWith('/')) uri = uri.slice(0, -1);
        const location = `https://${hostWithoutPort(hostHeader)}${uri}`;
        const why = anns.forceSslRedirect ? 'force-ssl-redirect' : `ssl-redirect is on and server ${certServer!.server} has a certificate`;
        trace.add(COMPONENT, 'redirect', `${why}: ${HTTP_REDIRECT_CODE} to ${location}${anns.preserveTrailingSlash ? '' : ' (a trailing slash is dropped unless preserve-trailing-slash)'}`);
        return { status: HTTP_REDIRECT_CODE, location, ...extra, trace: trace.hops };
      }
    }

    if (draft.isDefBackend && !draft.backend) {
      trace.add(COMPONENT, 'respond', 'the location is served by the controller\'s default backend: 404 Not Found');
      return { status: 404, ...tls, trace: trace.hops };
    }
    let upstreamPath = req.path + req.query;
    if (anns.rewriteTarget !== '' && anns.rewriteTarget !== loc.path) {
      upstreamPath = rewrite(loc.path, anns.rewriteTarget, req.path, req.query);
      trace.add(COMPONENT, 'rewrite', `rewrite-target ${anns.rewriteTarget}: rewrite "(?i)${loc.path}" → ${upstreamPath}`);
    }
    const upstreamHost = anns.upstreamVhost !== '' ? anns.upstreamVhost : hostHeader;
    return this.proxy(draft.backend!, req, upstreamHost, upstreamPath, trace, extra);
  }
}

/** A backend resolved against the compiled Services and endpoints (see upstreamOf). */
interface Upstream {
  readonly serviceKey: string;
  readonly service?: any;
  readonly port?: ResolvedServicePort;
  readonly ready: readonly IngressEndpoint[];
  readonly turns: { next: number };
}

/** What the answer carries before the backend's fields: the matched Ingress and the TLS outcome. */
interface RouteExtra {
  readonly ingress?: string;
  readonly tlsSecret?: string;
  readonly tlsHostnameVerified?: boolean;
}

const NO_EXTRA: RouteExtra = {};

/** A RouteExtra built by assignment (a second spread in a literal takes V8's slow path). */
function routeExtra(ingress: string | undefined, tls: { tlsSecret: string; tlsHostnameVerified: boolean } | undefined): RouteExtra {
  if (ingress) {
    return tls ? { ingress, tlsSecret: tls.tlsSecret, tlsHostnameVerified: tls.tlsHostnameVerified } : { ingress };
  }
  return tls ? { tlsSecret: tls.tlsSecret, tlsHostnameVerified: tls.tlsHostnameVerified } : NO_EXTRA;
}

type RouteResultDraft = { -readonly [K in keyof IngressRouteResult]?: IngressRouteResult[K] };

/** Completes an answer without a pick: the status, then the trace. */
function finish(out: RouteResultDraft, status: number, trace: Trace): IngressRouteResult {
  out.status = status;
  out.trace = trace.hops;
  return out as IngressRouteResult;
}

/**
 * nginx `rewrite "(?i)<path>" <target> break;`: when the regex matches the URI, the whole URI
 * becomes the target with `$n` captures filled in; the original arguments follow unless the
 * target has its own (then they are appended) or ends with `?`.
 */
function rewrite(path: string, target: string, uri: string, query: string): string {
  let m: RegExpExecArray | null = null;
  try {
    m = new RegExp(pcreToJs(path), 'i').exec(uri);
  } catch {
    m = null;
  }
  if (!m) return uri + query;
  const groups = m;
  const replaced = target.replace(/\$(\d)/g, (_s, d: string) => groups[Number(d)] ?? '');
  if (replaced.endsWith('?')) return replaced.slice(0, -1);
  if (replaced.includes('?')) return query ? `${replaced}&${query.slice(1)}` : replaced;
  return replaced + query;
}

interface ChosenProfile {
  readonly profile: string;
  readonly reason: string;
  readonly controllerName?: string;
  readonly className?: string;
}

/** The IngressClasses as admission reads them: by name, and the ones marked default. */
interface ClassIndex {
  readonly all: readonly any[];
  readonly byName: ReadonlyMap<string, any>;
  readonly defaults: readonly any[];
}

function indexClasses(classes: readonly any[]): ClassIndex {
  const byName = new Map<string, any>();
  for (const c of classes) if (!byName.has(c.metadata?.name)) byName.set(c.metadata?.name, c);
  return { all: classes, byName, defaults: classes.filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') };
}

function chooseProfile(input: IngressControllerInput, index: ClassIndex, options: IngressControllerOptions): ChosenProfile {
  if (options.profile !== undefined && options.profile !== PROFILE_NGINX && options.profile !== PROFILE_PORTABLE) {
    throw new Error(`ingressController.profile: Unsupported value: "${options.profile}": supported values: "nginx", "portable"`);
  }
  const classes = index.all;
  const defaults = index.defaults;
  // The class this controller serves, when the options do not say.
  const served = options.controllerName !== undefined
    ? classes.find((c) => c.spec?.controller === options.controllerName)
    : options.className !== undefined
      ? classes.find((c) => c.metadata?.name === options.className)
      : classes.find((c) => c.spec?.controller === NGINX_CONTROLLER) ?? defaults[0] ?? classes[0];
  const isNginxClass = served !== undefined && (served.spec?.controller === NGINX_CONTROLLER || served.metadata?.name === 'nginx');
  let profile = options.profile;
  let reason = 'set in the options';
  if (profile === undefined) {
    if (options.controllerName !== undefined) {
      profile = options.controllerName === NGINX_CONTROLLER ? PROFILE_NGINX : PROFILE_PORTABLE;
      reason = `controllerName ${options.controllerName}`;
    } else if (served) {
      profile = isNginxClass ? PROFILE_NGINX : PROFILE_PORTABLE;
      reason = `IngressClass ${served.metadata?.name} (controller ${served.spec?.controller})`;
    } else {
      const usesNginx = options.className === 'nginx' || input.ingresses.some((i) =>
        i.spec?.ingressClassName === 'nginx' || i.metadata?.annotations?.[CLASS_ANNOTATION] === 'nginx');
      profile = usesNginx ? PROFILE_NGINX : PROFILE_PORTABLE;
      reason = usesNginx ? 'no IngressClass in the manifests; the Ingresses use class nginx' : 'no IngressClass in the manifests names ingress-nginx';
    }
  }
  const controllerName = options.controllerName ?? (profile === PROFILE_NGINX ? NGINX_CONTROLLER : served?.spec?.controller);
  const className = options.className ?? (profile === PROFILE_NGINX ? 'nginx' : served?.metadata?.name);
  return { profile, reason, controllerName, className };
}

/**
 * Whether the controller serves an Ingress. The API server's DefaultIngressClass admission
 * (1.27: rejects the Ingress when more than one class is marked default) gives a class to an
 * Ingress that names none; then the controller serves IngressClasses whose `spec.controller`
 * is its own, the legacy annotation when it equals its class name, and class-less Ingresses
 * only with watchIngressWithoutClass. With no IngressClass in the manifests at all the
 * controller is taken to be installed separately and serves every Ingress.
 */
function admit(ing: any, classes: ClassIndex, options: IngressControllerOptions, ctl: IngressController): IngressStatus {
  const controller = ctl.controllerName;
  const withController = (s: Omit<IngressStatus, 'controller'>): IngressStatus => (controller ? { ...s, controller } : s);
  const annotation = ing.metadata?.annotations?.[CLASS_ANNOTATION];
  let className: string | undefined = typeof ing.spec?.ingressClassName === 'string' ? ing.spec.ingressClassName : undefined;
  let defaulted = false;
  if (className === undefined && annotation === undefined) {
    const defaults = classes.defaults;
    if (defaults.length > 1) {
      return { admitted: false, reason: `${defaults.length} default IngressClasses were found, only 1 allowed: kube-apiserver 1.27 rejects the Ingress (DefaultIngressClass admission)` };
    }
    if (defaults.length === 1) {
      className = defaults[0].metadata?.name;
      defaulted = true;
    }
  }
  if (classes.all.length === 0) {
    return withController({ admitted: true, reason: 'no IngressClass in the manifests: the controller is taken to be installed separately and serves every Ingress' });
  }
  if (className !== undefined) {
    const cls = classes.byName.get(className);
    const via = defaulted ? `default IngressClass ${className} (set by the API server)` : `IngressClass ${className}`;
    if (!cls) return { admitted: false, reason: `IngressClass ${className} does not exist` };
    if (cls.spec?.controller !== controller) {
      return { admitted: false, reason: `${via} belongs to controller ${cls.spec?.controller}, not ${controller ?? 'this controller'}` };
    }
    return withController({ admitted: true, reason: `${via} names controller ${controller}` });
  }
  if (annotation !== undefined) {
    if (annotation === ctl.className) return withController({ admitted: true, reason: `annotation ${CLASS_ANNOTATION}: ${annotation}` });
    return { admitted: false, reason: `annotation ${CLASS_ANNOTATION}: ${annotation} is not this controller's class (${ctl.className ?? 'none'})` };
  }
  if (options.watchIngressWithoutClass) return withController({ admitted: true, reason: 'no class; served because watchIngressWithoutClass is set' });
  return { admitted: false, reason: 'no class, no default IngressClass, and watchIngressWithoutClass is off' };
}
