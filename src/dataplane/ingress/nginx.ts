/**
 * The ingress-nginx profile (internal): kubernetes/ingress-nginx v1.15.1 compiled into the
 * route-table IR — its servers (createServers), locations (getBackendServers,
 * updateServerLocations), certificates (extractTLSSecretName, certificate.lua) and the routing
 * annotations, and nginx's own location lookup expressed as rule order.
 */
import { PortRule } from './backends';
import { NginxAnnotations, NGINX_ANNOTATION_PREFIX, NginxCanary, parseNginxAnnotations, parseNginxCanary } from './nginx-annotations';
import { alternativeOf, MergedCanary, recordAffinity, stickinessOf, UpstreamAffinity, upstreamName } from './nginx-traffic';
import { CompileContext, CompiledIngressRoutes } from './portable';
import { INGRESS_COMPONENT } from './types';
import { IngressView } from '../../api/ingress-reader';
import { certificateCovers, describeCertificate, TlsCertificate } from '../routing/certificates';
import { CertificateChoice, PathNormalization, RouteBackend, RouteFilter, RouteRule, RouteTerminal, VirtualHost } from '../routing/ir';

/** The catch-all server name of ingress-nginx. */
const DEFAULT_SERVER = '_';
/** ingress-nginx ConfigMap `http-redirect-code` default. */
const HTTP_REDIRECT_CODE = 308;
const PATH_EXACT = 'Exact';
const PATH_PREFIX = 'Prefix';
const PATH_IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific';

/** ingress-nginx serviceEndpoints: the first Service port whose number, targetPort or name equals the backend's port text. */
export const NGINX_PORT_RULE: PortRule = {
  find: (ports, wanted) => {
    const text = String(wanted);
    return ports.find((p) => String(p.port) === text || String(p.targetPort ?? p.port) === text || (p.name !== undefined && p.name === text));
  },
  description: ' (by port, targetPort or name)',
};

/** An ingress-nginx location before nginx sees it. */
interface LocationDraft {
  backend?: RouteBackend;
  /** Answered by the controller's default backend (404) rather than an Ingress's Service. */
  isDefBackend: boolean;
  ingress?: string;
  anns: NginxAnnotations;
  /** Later Ingresses whose identical host+path+type lost to this one. */
  readonly shadowed: string[];
  /** The owning Ingress's place in creation order (-1: the controller's own catch-all). */
  readonly created: number;
  /** Later Ingress paths that render to the same nginx location as this one (nginx refuses duplicates). */
  readonly duplicates: string[];
  /** The controller's upstream name (`namespace-service-port`); absent: the controller's default backend. */
  upstream?: string;
}

/** Affinity and canaries by upstream name, for the locations' backends. */
interface UpstreamTraffic {
  readonly affinity: ReadonlyMap<string, UpstreamAffinity>;
  /** The canary merged first into a primary upstream (the balancer uses only alternative_backends[1]). */
  readonly canaries: ReadonlyMap<string, MergedCanary>;
}

/** A canary Ingress the controller does not merge into any location, and why. */
export interface IgnoredCanary {
  /** `namespace/name`. */
  readonly ingress: string;
  readonly message: string;
}

interface LocationInput {
  readonly path: string;
  /** After SetDefaultNGINXPathType: `Exact` or `Prefix`. */
  readonly pathType: string;
  /** As the Ingress wrote it (checks name the path by it). */
  readonly declaredType: string;
  readonly loc: LocationDraft;
}

interface ServerDraft {
  readonly hostname: string;
  readonly inputs: LocationInput[];
  sslCert?: TlsCertificate;
  sslNote?: string;
}

type AnnotationsByIngress = ReadonlyMap<IngressView, NginxAnnotations>;

/** A location after ingress-nginx's normalisation, as nginx renders it. */
interface Location {
  readonly path: string;
  /** The Ingress's own path before normalisation (location.IngressPath). */
  readonly ingressPath: string;
  readonly declaredType: string;
  readonly pathType: string;
  /** Added as the Exact twin of a Prefix path. */
  readonly exactTwin: boolean;
  readonly loc: LocationDraft;
  readonly rendered: string;
}

const regexAnnotated = (i: LocationInput) => i.loc.anns.useRegex || (i.loc.anns.rewriteTarget !== '' && i.loc.anns.rewriteTarget !== i.path);

/** nginx.tmpl buildLocation / template.go enforceRegexModifier: checked on the normalised locations. */
const regexLocation = (l: Omit<Location, 'rendered'>) => l.loc.anns.useRegex || (l.loc.anns.rewriteTarget !== '' && l.loc.anns.rewriteTarget !== l.path);

/**
 * getBackendServers sorts a server's locations by path descending, then (stably) by path length
 * descending; getConfiguration then runs updateServerLocations (location.go) over that order
 * without sorting again: a Prefix path other than `/` becomes a prefix location ending in `/`
 * followed by an Exact location of the original path — unless it uses regex, or an Exact
 * location of that path exists. Rendering (template.go buildLocation): when any location of the
 * server uses use-regex or a rewrite-target other than its (normalised) path, every location
 * becomes a case-insensitive regex `~* "^<path>"`; otherwise Exact renders as `= <path>`.
 * nginx refuses two static locations of the same name ("duplicate location"); the reload with the
 * later Ingress fails and ingress-nginx keeps the configuration without it, so the location of
 * the Ingress created first stays.
 */
function locationsOf(inputs: readonly LocationInput[]): { locations: Location[]; regexMode: boolean } {
  const sorted = [...inputs]
    .sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0))
    .sort((a, b) => b.path.length - a.path.length);
  const exactPaths = new Set(inputs.filter((l) => l.pathType === PATH_EXACT).map((l) => l.path));
  const normalised: Array<Omit<Location, 'rendered'>> = [];
  for (const i of sorted) {
    const base = { ingressPath: i.path, declaredType: i.declaredType, loc: i.loc };
    if (i.pathType !== PATH_PREFIX || regexAnnotated(i) || i.path === '/') {
      normalised.push({ ...base, path: i.path, pathType: i.pathType, exactTwin: false });
      continue;
    }
    normalised.push({ ...base, path: i.path.endsWith('/') ? i.path : `${i.path}/`, pathType: PATH_PREFIX, exactTwin: false });
    if (!exactPaths.has(i.path)) normalised.push({ ...base, path: i.path, pathType: PATH_EXACT, exactTwin: true });
  }
  const regexMode = normalised.some(regexLocation);
  const render = (l: Omit<Location, 'rendered'>) => (regexMode ? `~* "^${l.path}"` : l.pathType === PATH_EXACT ? `= ${l.path}` : l.path);
  if (regexMode) return { locations: normalised.map((l) => ({ ...l, rendered: render(l) })), regexMode };
  // Static locations: the oldest Ingress keeps a location name; a later one's whole path (its twin too) is left out.
  const owner = new Map<string, LocationDraft>();
  for (const l of [...normalised].sort((a, b) => a.loc.created - b.loc.created)) {
    const name = render(l);
    const first = owner.get(name);
    if (!first) {
      owner.set(name, l.loc);
    } else if (first !== l.loc && !l.exactTwin) {
      first.duplicates.push(`Ingress ${l.loc.ingress ?? '(default)'} path ${l.ingressPath} (location ${name})`);
      if (l.loc.ingress !== undefined && !first.shadowed.includes(l.loc.ingress)) first.shadowed.push(l.loc.ingress);
    }
  }
  const dropped = new Set<LocationDraft>();
  for (const l of normalised) if (owner.get(render(l)) !== l.loc) dropped.add(l.loc);
  const locations = normalised.filter((l) => !dropped.has(l.loc)).map((l) => ({ ...l, rendered: render(l) }));
  return { locations, regexMode };
}

/**
 * nginx's URI normalisation: ngx_http_parse_complex_uri with merge_slashes on (nginx.tmpl leaves
 * it at nginx's default). Locations match the normalised URI; proxy_pass without a URI sends the
 * path as the client did.
 */
export const NGINX_URI_NORMALIZATION: PathNormalization = {
  decodePercent: 'all', resolveDotSegments: true, mergeSlashes: true, inPlace: false, description: 'nginx normalises the URI',
};

/** Compiles ingress-nginx's servers and locations for the admitted Ingresses (creation order). */
export function compileNginx(
  admittedAll: readonly IngressView[], ctx: CompileContext, sslRedirect: boolean,
): CompiledIngressRoutes & { ignoredCanaries: IgnoredCanary[] } {
  // Canary Ingresses build no server or location: they only add alternative backends to other Ingresses' upstreams.
  const canaryConfigs = new Map<IngressView, NginxCanary>();
  for (const ing of admittedAll) {
    const canary = parseNginxCanary(ing.annotations, []);
    if (canary) canaryConfigs.set(ing, canary);
  }
  const admitted = admittedAll.filter((ing) => !canaryConfigs.has(ing));
  const annsOf = new Map<IngressView, NginxAnnotations>(admitted.map((ing) => [ing, parseNginxAnnotations(ing.annotations, sslRedirect)]));
  const servers = createServers(admitted, annsOf, ctx, sslRedirect);
  chooseCertificates(admitted, servers, ctx);
  const affinity = new Map<string, UpstreamAffinity>();
  addPathLocations(admitted, annsOf, servers, ctx, affinity);
  const ignoredCanaries: IgnoredCanary[] = [];
  const canaries = mergeCanaries(canaryConfigs, admitted.length > 0, servers, ctx, ignoredCanaries);
  const traffic: UpstreamTraffic = { affinity, canaries };

  const certServers = new Map<string, ServerDraft>();
  for (const s of servers.values()) if (s.sslCert && s.hostname !== DEFAULT_SERVER) certServers.set(s.hostname, s);
  // certificate.lua get_pem_cert_uid: the server name, then `*.` + all but its first label.
  const certServerFor = (host: string): ServerDraft | undefined => {
    const dot = host.indexOf('.');
    return certServers.get(host) ?? (dot > 0 ? certServers.get(`*.${host.slice(dot + 1)}`) : undefined);
  };

  const exact = new Map<string, VirtualHost>();
  const wildcard = new Map<string, VirtualHost>();
  let catchAll: VirtualHost | undefined;
  for (const draft of servers.values()) {
    // ssl-redirect needs a certificate for the request's host; for the catch-all server no name has one.
    const certServer = draft.hostname === DEFAULT_SERVER ? undefined : certServerFor(draft.hostname);
    const host = serverOf(draft, certServer?.hostname, traffic);
    if (draft.hostname === DEFAULT_SERVER) catchAll = host;
    else if (draft.hostname.startsWith('*.')) wildcard.set(draft.hostname.slice(2), host);
    else exact.set(draft.hostname, host);
  }
  const tlsExact = new Map<string, CertificateChoice>();
  const tlsWildcard = new Map<string, CertificateChoice>();
  for (const s of certServers.values()) {
    const choice = { certificate: s.sslCert!, why: `certificate of server ${s.hostname} (${s.sslNote ?? 'configured'})` };
    if (s.hostname.startsWith('*.')) tlsWildcard.set(s.hostname.slice(2), choice);
    else tlsExact.set(s.hostname, choice);
  }
  const catchAllDraft = servers.get(DEFAULT_SERVER)!;
  return {
    ignoredCanaries,
    answersAnyHost: catchAllDraft.inputs.some((i) => !i.loc.isDefBackend),
    table: {
      component: INGRESS_COMPONENT,
      exact,
      wildcard,
      // buildServerName renders `*.parent` as the regex ^[\w-]+\.parent$: one label.
      wildcardLabel: '[\\w-]+',
      catchAll,
      fallThrough: false,
      noHostText: 'no server named',
      hostHeaderNote: true,
      pathNormalization: NGINX_URI_NORMALIZATION,
      tls: {
        exact: tlsExact,
        wildcard: tlsWildcard,
        fallback: { certificate: ctx.defaultCertificate, why: 'default certificate' },
        noSniWhy: 'no SNI: default certificate',
        unknownSniWhy: 'no server with a certificate for SNI',
        fallbackDescription: ctx.defaultCertificateNote,
      },
    },
  };
}

/**
 * createServers: the catch-all server `_` with the controller's default backend at `/`; the
 * first Ingress naming a host creates its server and root location, backed by its
 * spec.defaultBackend or the controller's default backend.
 */
function createServers(
  admitted: readonly IngressView[], annsOf: AnnotationsByIngress, ctx: CompileContext, sslRedirect: boolean,
): Map<string, ServerDraft> {
  const servers = new Map<string, ServerDraft>();
  const catchAll: LocationDraft = { isDefBackend: true, anns: parseNginxAnnotations({}, sslRedirect), shadowed: [], duplicates: [], created: -1 };
  servers.set(DEFAULT_SERVER, { hostname: DEFAULT_SERVER, inputs: [{ path: '/', pathType: PATH_PREFIX, declaredType: PATH_PREFIX, loc: catchAll }], sslCert: ctx.defaultCertificate });
  admitted.forEach((ing, created) => {
    const anns = annsOf.get(ing)!;
    const dflt = ing.defaultBackend;
    const own = dflt?.service !== undefined ? ctx.backends.resolve(ing.namespace, dflt.service, dflt.port) : undefined;
    if (own && ing.rules.length === 0 && catchAll.isDefBackend) {
      // The oldest rule-less Ingress with a defaultBackend takes the catch-all server's root
      // location, with its annotations but not its redirect/rewrite ones.
      catchAll.backend = own;
      catchAll.upstream = upstreamName(ing.namespace, dflt!.service!, dflt!.port);
      catchAll.ingress = ing.key;
      catchAll.isDefBackend = false;
      catchAll.anns = { ...anns, rewriteTarget: '', redirectUrl: '', redirectCode: 0, appRoot: '' };
    }
    for (const rule of ing.rules) {
      const host = rule.host || DEFAULT_SERVER;
      if (servers.has(host)) continue;
      const root: LocationDraft = { isDefBackend: true, backend: own, ingress: ing.key, anns, shadowed: [], duplicates: [], created };
      if (own) root.upstream = upstreamName(ing.namespace, dflt!.service!, dflt!.port);
      servers.set(host, { hostname: host, inputs: [{ path: '/', pathType: PATH_PREFIX, declaredType: PATH_PREFIX, loc: root }] });
    }
  });
  return servers;
}

/** createServers, TLS: the first Ingress with a tls section decides a host's certificate. */
function chooseCertificates(admitted: readonly IngressView[], servers: Map<string, ServerDraft>, ctx: CompileContext): void {
  for (const ing of admitted) {
    if (ing.tls.length === 0) continue;
    for (const rule of ing.rules) {
      const host = rule.host || DEFAULT_SERVER;
      const server = servers.get(host)!;
      if (server.sslCert) continue;
      const chosen = tlsSecretName(host, ing, ctx);
      if (chosen === undefined) {
        server.sslCert = ctx.defaultCertificate;
        server.sslNote = `Ingress ${ing.key} has a tls section, but none of its entries lists ${host} or holds a certificate covering it: default certificate`;
        continue;
      }
      const ref = `${ing.namespace}/${chosen}`;
      const read = ctx.certificates.certificate(ref);
      if (!read.ok) {
        server.sslCert = ctx.defaultCertificate;
        server.sslNote = `Ingress ${ing.key} names Secret ${ref} for ${host}, but ${read.reason}: default certificate`;
      } else if (!certificateCovers(read.cert, host)) {
        server.sslCert = ctx.defaultCertificate;
        server.sslNote = `Secret ${ref} (${describeCertificate(read.cert)}) does not cover ${host}: default certificate`;
      } else {
        server.sslCert = read.cert;
        server.sslNote = `Ingress ${ing.key} tls section: Secret ${ref}`;
      }
    }
  }
}

/** extractTLSSecretName: a tls entry listing the host, else one whose certificate covers it. */
function tlsSecretName(host: string, ing: IngressView, ctx: CompileContext): string | undefined {
  for (const tls of ing.tls) {
    if (tls.hosts.includes(host)) return tls.secretName;
  }
  for (const tls of ing.tls) {
    if (tls.secretName === undefined) continue;
    const read = ctx.certificates.certificate(`${ing.namespace}/${tls.secretName}`);
    if (read.ok && certificateCovers(read.cert, host)) return tls.secretName;
  }
  return undefined;
}

/**
 * getBackendServers: each path becomes a location, its pathType first set by
 * SetDefaultNGINXPathType (internal/k8s/main.go: a missing or ImplementationSpecific pathType is
 * Prefix). The first existing location of the same path decides: of the same type, the path
 * merges into it (the oldest Ingress keeps it, unless it is a server's default root); of another
 * type, the loop stops and a new location is added. Paths whose backend is not a Service are
 * skipped, as ingress-nginx does.
 */
function addPathLocations(
  admitted: readonly IngressView[], annsOf: AnnotationsByIngress, servers: Map<string, ServerDraft>, ctx: CompileContext,
  affinity: Map<string, UpstreamAffinity>,
): void {
  admitted.forEach((ing, created) => {
    const anns = annsOf.get(ing)!;
    for (const rule of ing.rules) {
      const server = servers.get(rule.host || DEFAULT_SERVER)!;
      for (const p of rule.paths) {
        if (p.backend.service === undefined) continue;
        const backend = ctx.backends.resolve(ing.namespace, p.backend.service, p.backend.port);
        const upstream = upstreamName(ing.namespace, p.backend.service, p.backend.port);
        const path = p.path;
        // Every path, merged or not, adds its affinity to its upstream.
        recordAffinity(affinity, upstream, server.hostname, path, anns.affinity);
        const declaredType = p.pathType ?? PATH_IMPLEMENTATION_SPECIFIC;
        const pathType = declaredType === PATH_EXACT ? PATH_EXACT : PATH_PREFIX;
        const existing = server.inputs.find((i) => i.path === path);
        if (existing && existing.pathType === pathType) {
          if (!existing.loc.isDefBackend) {
            existing.loc.shadowed.push(ing.key);
            continue;
          }
          existing.loc.backend = backend;
          existing.loc.upstream = upstream;
          existing.loc.isDefBackend = false;
          existing.loc.ingress = ing.key;
          existing.loc.anns = anns;
          continue;
        }
        const loc: LocationDraft = { backend, isDefBackend: false, ingress: ing.key, anns, shadowed: [], duplicates: [], created, upstream };
        server.inputs.push({ path, pathType, declaredType, loc });
      }
    }
  });
}

/**
 * One server as a virtual host. nginx's lookup (ngx_http_core_find_location) becomes rule order:
 * `=` locations first; then nginx's 301 for a request that lacks only the trailing slash of a
 * static location (`=` or prefix; proxy_pass sets auto_redirect, ngx_http_core_find_static_location
 * answers NGX_DONE) when that slash-less path is no location of its own; then prefix locations,
 * longest first. In regex mode every location is a regex, tried in order.
 */
function serverOf(draft: ServerDraft, certServer: string | undefined, traffic: UpstreamTraffic): VirtualHost {
  const { locations, regexMode } = locationsOf(draft.inputs);
  const label = draft.hostname === DEFAULT_SERVER ? 'catch-all server _' : draft.hostname.startsWith('*.') ? `wildcard server ${draft.hostname} (one label)` : `server ${draft.hostname}`;
  const rules: RouteRule[] = [];
  const appRoot = locations.find((l) => l.loc.anns.appRoot !== '');
  if (appRoot) rules.push(appRootRule(appRoot));
  if (regexMode) {
    for (const l of locations) rules.push(locationRule(l, draft.hostname, certServer, traffic, { kind: 'RegexPrefix', value: l.path, caseInsensitive: true }));
  } else {
    const prefixes = locations.filter((l) => l.pathType !== PATH_EXACT);
    const prefixPaths = new Set(prefixes.map((l) => l.path));
    for (const l of locations) if (l.pathType === PATH_EXACT) rules.push(locationRule(l, draft.hostname, certServer, traffic, { kind: 'Exact', value: l.path }));
    const redirected = new Set<string>();
    for (const l of [...prefixes, ...locations.filter((x) => x.pathType === PATH_EXACT)]) {
      const slashless = l.path.slice(0, -1);
      if (l.path.length < 2 || !l.path.endsWith('/') || prefixPaths.has(slashless) || redirected.has(slashless)) continue;
      redirected.add(slashless);
      rules.push(slashRedirectRule(l, slashless, draft.hostname));
    }
    for (const l of prefixes) rules.push(locationRule(l, draft.hostname, certServer, traffic, { kind: 'StringPrefix', value: l.path }));
  }
  const host: { -readonly [K in keyof VirtualHost]: VirtualHost[K] } = { label, name: draft.hostname, rules };
  if (regexMode) host.note = '; a location uses use-regex/rewrite-target, so every location of this server is a case-insensitive regex';
  return host;
}

/**
 * nginx.tmpl renders app-root as `if ($uri = /) { return 302 $scheme://$http_host<app-root>; }` in
 * the server block, before any location is chosen: it answers `/` whichever location would match
 * (the first location carrying the annotation wins).
 */
function appRootRule(l: Location): RouteRule {
  const d = l.loc;
  const ingress = d.ingress!;
  return {
    match: { path: { kind: 'Exact', value: '/' } },
    filters: [],
    terminal: { kind: 'redirect', status: 302, target: { path: d.anns.appRoot, keepQuery: false }, why: 'app-root annotation: / answers' },
    label: 'if ($uri = /) in the server block',
    ownerText: ` (the app-root annotation of Ingress ${ingress}, applied before any location)`,
    object: `Ingress/${ingress}`,
    ingress,
    notes: [],
  };
}

/** The Ingress path behind a location: its own path, and its type after SetDefaultNGINXPathType. */
function originOf(l: Location, hostname: string) {
  const d = l.loc;
  return d.ingress === undefined ? undefined
    : { ingress: d.ingress, path: l.ingressPath, pathType: l.exactTwin ? PATH_PREFIX : l.pathType, shadowed: d.shadowed, rule: `location ${l.rendered} of server ${hostname}` };
}

function slashRedirectRule(l: Location, slashless: string, hostname: string): RouteRule {
  const origin = originOf(l, hostname);
  return {
    match: { path: { kind: 'Exact', value: slashless } },
    filters: [],
    terminal: { kind: 'redirect', status: 301, target: { host: 'name', appendSlash: true, keepQuery: true }, why: 'nginx redirects to the location with the trailing slash' },
    label: `location ${l.rendered}`,
    ownerText: ' (a proxy_pass location; the request lacks only its trailing slash)',
    notes: [],
    ...(origin ? { origin } : {}),
  };
}

function locationRule(l: Location, hostname: string, certServer: string | undefined, traffic: UpstreamTraffic, path: RouteRule['match']['path']): RouteRule {
  const d = l.loc;
  const anns = d.anns;
  const object = d.ingress ? `Ingress/${d.ingress}` : undefined;
  const merged = d.shadowed.filter((k) => !d.duplicates.some((text) => text.startsWith(`Ingress ${k} `)));
  const owner = !d.ingress ? '' : d.isDefBackend ? ` (the root location of the server Ingress ${d.ingress} created)` : `, Ingress ${d.ingress}`;
  const notes = [
    ...(merged.length ? [{ action: 'merge', text: `the same host+path is also defined by ${merged.map((k) => `Ingress ${k}`).join(', ')}; ingress-nginx keeps the oldest Ingress's` }] : []),
    ...(d.duplicates.length ? [{
      action: 'merge',
      text: `${d.duplicates.join(', ')} renders to this same location: nginx refuses duplicate locations, so the reload with the later Ingress fails and the configuration without it stays`,
    }] : []),
    ...(l.declaredType !== PATH_EXACT && l.declaredType !== PATH_PREFIX
      ? [{ action: 'path-type', text: `pathType ${l.declaredType} of ${l.ingressPath} is Prefix in ingress-nginx (SetDefaultNGINXPathType)` }] : []),
    ...anns.problems.map((text) => ({ action: 'annotation', text, ...(object ? { object } : {}) })),
  ];
  // The rewrite phase: nginx `return` directives from annotations run before the Lua SSL redirect.
  const filters: RouteFilter[] = [];
  if (anns.redirectUrl !== '') {
    filters.push({ kind: 'redirect', status: anns.redirectCode, target: { url: anns.redirectUrl, keepQuery: false }, why: `${anns.redirectCode === 302 ? 'temporal' : 'permanent'}-redirect annotation` });
  }
  if (anns.forceSslRedirect || (anns.sslRedirect && certServer !== undefined)) {
    const why = anns.forceSslRedirect ? 'force-ssl-redirect' : `ssl-redirect is on and server ${certServer} has a certificate`;
    filters.push({
      kind: 'redirect',
      status: HTTP_REDIRECT_CODE,
      onlyScheme: 'http',
      target: { scheme: 'https', host: 'header-name', keepQuery: true, stripTrailingSlash: !anns.preserveTrailingSlash },
      why: `${why}${anns.preserveTrailingSlash ? '' : ' (a trailing slash is dropped unless preserve-trailing-slash)'}`,
    });
  }
  let terminal: RouteTerminal;
  if (d.isDefBackend && !d.backend) {
    terminal = { kind: 'respond', status: 404, why: 'the location is served by the controller\'s default backend' };
  } else {
    if (anns.rewriteTarget !== '' && anns.rewriteTarget !== l.path) {
      filters.push({ kind: 'regexRewrite', pattern: l.path, caseInsensitive: true, replacement: anns.rewriteTarget, why: `rewrite-target ${anns.rewriteTarget}: rewrite "(?i)${l.path}"` });
    }
    if (anns.upstreamVhost !== '') filters.push({ kind: 'setHost', host: anns.upstreamVhost });
    terminal = forwardTerminal(d, l.ingressPath, hostname, traffic);
  }
  const origin = originOf(l, hostname);
  return {
    match: { path },
    filters,
    terminal,
    label: `location ${l.rendered}${l.exactTwin ? ' (the Exact twin ingress-nginx adds for a Prefix path)' : ''}`,
    ownerText: owner,
    ...(object ? { object } : {}),
    ...(d.ingress ? { ingress: d.ingress } : {}),
    notes,
    ...(origin ? { origin } : {}),
  };
}

/** A location's backend with its upstream's cookie affinity, and the canary merged into that upstream. */
function forwardTerminal(d: LocationDraft, ingressPath: string, hostname: string, traffic: UpstreamTraffic): RouteTerminal {
  const upstream = d.upstream;
  const affinity = upstream === undefined ? undefined : traffic.affinity.get(upstream);
  const backend: RouteBackend = affinity ? { ...d.backend!, sticky: stickinessOf(affinity, upstream!, hostname, ingressPath) } : d.backend!;
  const merged = upstream === undefined ? undefined : traffic.canaries.get(upstream);
  if (!merged) return { kind: 'forward', backends: [backend] };
  // mergeAlternativeBackend copies the primary's affinity to the canary unless affinity-canary-behavior is legacy.
  const canaryAffinity = merged.affinityBehavior === 'legacy' ? undefined : affinity;
  const alternativeBackend: RouteBackend = canaryAffinity
    ? { ...merged.backend, sticky: stickinessOf(canaryAffinity, merged.upstream, hostname, ingressPath) } : merged.backend;
  return { kind: 'forward', backends: [backend], alternative: { ...alternativeOf(merged), backend: alternativeBackend } };
}

/** The controller's default backend upstream (canMergeBackend refuses it as a primary). */
const DEFAULT_UPSTREAM = 'upstream-default-backend';

/**
 * mergeAlternativeBackends for each canary Ingress path: the server of its host, then its
 * locations in order — a location whose upstream is the canary's own stops the search; one of
 * the same path and pathType whose upstream is a real primary takes the canary. Only when some
 * non-canary Ingress exists. A canary path merged nowhere is deleted ("unable to find real
 * backend"), and reported.
 */
function mergeCanaries(
  configs: ReadonlyMap<IngressView, NginxCanary>, mainExists: boolean, servers: ReadonlyMap<string, ServerDraft>, ctx: CompileContext,
  ignored: IgnoredCanary[],
): Map<string, MergedCanary> {
  const merged = new Map<string, MergedCanary>();
  const canaryUpstreams = new Set<string>();
  for (const ing of configs.keys()) {
    for (const rule of ing.rules) {
      for (const p of rule.paths) {
        if (p.backend.service !== undefined) canaryUpstreams.add(upstreamName(ing.namespace, p.backend.service, p.backend.port));
      }
    }
  }
  for (const [ing, canary] of configs) {
    if (!mainExists) {
      ignored.push({ ingress: ing.key, message: `canary Ingress ${ing.key} is ignored: there is no non-canary Ingress to merge it into` });
      continue;
    }
    const behavior = (ing.annotations[`${NGINX_ANNOTATION_PREFIX}affinity-canary-behavior`] ?? '').trim().toLowerCase() === 'legacy' ? 'legacy' : 'sticky';
    for (const rule of ing.rules) {
      const host = rule.host || DEFAULT_SERVER;
      for (const p of rule.paths) {
        if (p.backend.service === undefined) continue;
        const alt = upstreamName(ing.namespace, p.backend.service, p.backend.port);
        const server = servers.get(host);
        if (!server) {
          ignored.push({ ingress: ing.key, message: `canary Ingress ${ing.key} path ${p.path} is ignored: no non-canary Ingress defines host ${host}` });
          continue;
        }
        const pathType = (p.pathType ?? PATH_IMPLEMENTATION_SPECIFIC) === PATH_EXACT ? PATH_EXACT : PATH_PREFIX;
        let done = false;
        let altEqualsPrimary = false;
        for (const input of server.inputs) {
          const primary = input.loc.upstream ?? DEFAULT_UPSTREAM;
          altEqualsPrimary = primary === alt;
          if (altEqualsPrimary) break;
          if (primary === DEFAULT_UPSTREAM || canaryUpstreams.has(primary) || input.path !== p.path || input.pathType !== pathType) continue;
          done = true;
          if (!merged.has(primary)) {
            const backend = ctx.backends.resolve(ing.namespace, p.backend.service, p.backend.port);
            merged.set(primary, { ingress: ing, canary, affinityBehavior: behavior, upstream: alt, backend });
          }
        }
        if (altEqualsPrimary) {
          ignored.push({ ingress: ing.key, message: `canary Ingress ${ing.key} path ${p.path} on host ${host} has no effect: its Service port is the primary backend of a location there` });
        } else if (!done) {
          ignored.push({ ingress: ing.key, message: `canary Ingress ${ing.key} path ${p.path} (${pathType}) on host ${host} is ignored: no non-canary Ingress location has that path and type` });
        }
      }
    }
  }
  return merged;
}
