/**
 * The Gateway API controller's compiler (internal), profile `spec`: Gateway API v1.6.1 standard
 * channel as apis/v1/*_types.go documents it. It decides which GatewayClasses and Gateways this
 * controller serves, validates listeners, attaches HTTPRoutes (parentRefs, sectionName, port,
 * allowedRoutes, hostname intersection), resolves references (ReferenceGrant) and writes the
 * statuses; then it compiles each programmed listener into a route table of the routing core:
 * virtual hosts are the intersected hostnames, rules are ordered by the spec's precedence.
 */
import { GATEWAY_COMPONENT, GatewayClassStatus, GatewayStatus, ListenerStatus, RouteParentStatus } from './types';
import { APP_PROTOCOL_H2C, APP_PROTOCOL_WSS, CA_CERTIFICATE_KEY, GATEWAY_API_GROUP, gatewayDurationMs } from '../../api/gateway';
import { labelSelectorMatches } from '../../api/workloads';
import { BackendResolver, PortRule } from '../ingress/backends';
import { CertificateStore, readCertificateBundle, TlsCertificate, TrustedCa } from '../routing/certificates';
import {
  CorsPolicy, RouteBackend, RouteFilter, RouteMatch, RouteRule, RouteTable, RouteTerminal, RouteTimeouts, ValueMatch, VirtualHost,
} from '../routing/ir';
import { canonicalIp } from '../util';

/** A backendRef's port is the Service port number (BackendObjectReference.Port). */
const GATEWAY_PORT_RULE: PortRule = {
  find: (ports, wanted) => ports.find((p) => p.port === wanted),
  description: '',
};

/** Protocols whose routes this controller serves (HTTPRoute on HTTP and HTTPS listeners). */
const SUPPORTED_PROTOCOLS = ['HTTP', 'HTTPS'];

/** Listener fields the compiler fills in as it goes. */
interface ListenerDraft {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  accepted: boolean;
  resolvedRefs: boolean;
  conflicted: boolean;
  attachedRoutes: number;
  reason: string;
  message?: string;
  /** Whether HTTPRoute may attach (allowedRoutes.kinds). */
  allowsHttpRoute: boolean;
  namespaces: { from: string; selector?: any };
  certificate?: TlsCertificate;
  certificateWhy?: string;
  /** The Accepted condition's reason when it differs from `reason` (which names the ResolvedRefs problem). */
  acceptedReason?: string;
  clientValidation?: ClientValidation;
  /** Route rules by intersected hostname ('' for every host). */
  readonly hosts: Map<string, RuleEntry[]>;
}

/** Client certificate validation of an HTTPS listener (Gateway `spec.tls.frontend`, default or per port). */
export interface ClientValidation {
  /** `AllowValidOnly` or `AllowInsecureFallback`. */
  readonly mode: string;
  /** The CA certificates of the references that resolved. */
  readonly cas: readonly TrustedCa[];
  /** The field the configuration comes from, for the trace, e.g. `spec.tls.frontend.perPort[0].tls.validation`. */
  readonly why: string;
}

/** A compiled listener: its status and, when programmed, its route table. */
export interface CompiledListener {
  readonly status: ListenerStatus;
  readonly hostname?: string;
  readonly table?: RouteTable;
  readonly clientValidation?: ClientValidation;
}

/** A Gateway as the controller compiled it. */
export interface CompiledGateway {
  /** `namespace/name`. */
  readonly key: string;
  /** Whether this controller serves it (its class is ours). */
  readonly served: boolean;
  readonly status: GatewayStatus;
  readonly listeners: readonly CompiledListener[];
}

/** What the compiler reads: defaulted, API-server-accepted manifests in input order (internal). */
export interface GatewayCompileInput {
  readonly gatewayClasses: readonly any[];
  readonly gateways: readonly any[];
  readonly httpRoutes: readonly any[];
  readonly referenceGrants: readonly any[];
  readonly namespaces: readonly any[];
  readonly services: readonly any[];
  /** ConfigMaps, for the CA bundles of client certificate validation. */
  readonly configMaps: readonly any[];
  readonly certificates: CertificateStore;
  /** The time client certificates are judged at, in milliseconds since the epoch. */
  readonly now: number;
  /** Whether an object `Kind/namespace/name` (or `Kind/name`) exists, for parametersRef. */
  readonly exists: (group: string, kind: string, namespace: string | undefined, name: string) => boolean;
  /** Allocates the Gateway's address. */
  readonly allocateAddress: (gateway: string) => string | undefined;
  /** Claims a static address (`spec.addresses`) for the Gateway, or says why it cannot. */
  readonly claimAddress: (gateway: string, ip: string) => { ok: true } | { ok: false; reason: string };
  readonly controllerName?: string;
}

export interface CompiledGateways {
  readonly controllerName?: string;
  readonly classes: ReadonlyMap<string, GatewayClassStatus>;
  readonly gateways: ReadonlyMap<string, CompiledGateway>;
  readonly routes: ReadonlyMap<string, RouteParentStatus[]>;
  readonly shadowed: readonly ShadowedMatch[];
}

interface RuleEntry {
  readonly rule: RouteRule;
  readonly key: readonly (number | string)[];
  /** The match's field, `spec.rules[i].matches[j]`. */
  readonly field: string;
}

/** A route match no request reaches: an earlier rule on the same listener and host has the same predicates. */
export interface ShadowedMatch {
  /** `namespace/name` of the HTTPRoute. */
  readonly route: string;
  readonly field: string;
  readonly gateway: string;
  readonly listener: string;
  /** The host name ('' for every host). */
  readonly host: string;
  /** The route and field that win. */
  readonly by: string;
}

const keyOf = (o: any) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`;
/** The API server sets generation 1 on create and bumps it on each spec change; manifests rarely say. */
const generationOf = (o: any): number => (Number.isInteger(o.metadata?.generation) ? o.metadata.generation : 1);

/** Whether `pattern` (`*.example.com`) covers `name` (one or more extra labels, or a more specific wildcard). */
function wildcardCovers(pattern: string, name: string): boolean {
  const suffix = pattern.slice(1);
  const bare = name.startsWith('*.') ? name.slice(1) : name;
  return bare.endsWith(suffix) && bare.length > suffix.length;
}

/**
 * The hostnames a route serves on a listener (HTTPRoute.spec.hostnames doc): every host when both
 * leave it open; else the route's names that the listener's name equals or covers, and the
 * listener's name where a route wildcard covers it.
 */
export function intersectHostnames(listener: string | undefined, route: readonly string[]): string[] {
  if (route.length === 0) return [listener ?? ''];
  if (listener === undefined) return [...route];
  const out = new Set<string>();
  for (const h of route) {
    if (h === listener) out.add(h);
    else if (listener.startsWith('*.') && wildcardCovers(listener, h)) out.add(h);
    else if (h.startsWith('*.') && wildcardCovers(h, listener)) out.add(listener);
  }
  return [...out];
}

/** Compiles every Gateway API object into listener route tables and statuses. */
export function compileGateways(input: GatewayCompileInput): CompiledGateways {
  const controllerName = input.controllerName ?? input.gatewayClasses[0]?.spec?.controllerName;
  const classes = new Map<string, any>(input.gatewayClasses.map((c) => [c.metadata.name, c]));
  const namespaceLabels = new Map<string, Record<string, string>>(
    input.namespaces.map((n) => [n.metadata.name, { ...(n.metadata.labels ?? {}), 'kubernetes.io/metadata.name': n.metadata.name }]));
  const labelsOf = (ns: string) => namespaceLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
  const grants = new ReferenceGrants(input.referenceGrants);
  const backends = new BackendResolver(input.services, GATEWAY_PORT_RULE);
  const configMaps = new Map<string, any>(input.configMaps.map((c) => [keyOf(c), c]));

  // Gateways and their listeners.
  const drafts = new Map<string, { gw: any; served: boolean; status: Omit<GatewayStatus, 'listeners'>; listeners: ListenerDraft[] }>();
  for (const gw of input.gateways) {
    const key = keyOf(gw);
    const ns = gw.metadata.namespace ?? 'default';
    const className = gw.spec.gatewayClassName;
    const cls = classes.get(className);
    const served = cls !== undefined && cls.spec.controllerName === controllerName;
    const frontend = gw.spec.tls?.frontend;
    const listeners = (gw.spec.listeners as any[]).map((l) => {
      const draft = readListener(l, ns, input.certificates, grants);
      if (draft.protocol === 'HTTPS' && frontend) readClientValidation(draft, frontend, ns, configMaps, grants);
      return draft;
    });
    markConflicts(listeners);
    let status: Omit<GatewayStatus, 'listeners'>;
    const params = gw.spec.infrastructure?.parametersRef;
    const observedGeneration = generationOf(gw);
    const addresses: any[] = gw.spec.addresses ?? [];
    const unsupported = addresses.find((a) => (a.type ?? 'IPAddress') !== 'IPAddress');
    const notServed = (reason: string, message: string) => ({ accepted: false, programmed: false, programmedReason: 'Pending', observedGeneration, reason, message });
    if (!cls) {
      status = notServed('Pending', `GatewayClass ${className} does not exist; no controller reconciles this Gateway`);
    } else if (!served) {
      status = notServed('Pending', `GatewayClass ${className} belongs to controller ${cls.spec.controllerName}, not ${controllerName}`);
    } else if (params && !input.exists(params.group, params.kind, ns, params.name)) {
      status = notServed('InvalidParameters', `spec.infrastructure.parametersRef ${params.group}/${params.kind} ${params.name} does not exist`);
    } else if (unsupported) {
      status = notServed('UnsupportedAddress', `spec.addresses type ${unsupported.type} is not supported; this controller assigns IPAddress addresses`);
    } else {
      const valid = listeners.filter((l) => l.accepted);
      const invalid = listeners.filter((l) => !l.accepted).map((l) => l.name);
      const assigned = valid.length ? assignAddress(key, addresses, input) : { problem: 'no valid listener' };
      status = {
        accepted: valid.length > 0,
        programmed: valid.length > 0 && assigned.address !== undefined,
        programmedReason: valid.length === 0 ? 'Invalid' : assigned.address === undefined ? 'AddressNotUsable' : 'Programmed',
        observedGeneration,
        reason: invalid.length ? 'ListenersNotValid' : 'Accepted',
        ...(invalid.length ? { message: `listener(s) ${invalid.join(', ')} not valid` } : assigned.problem ? { message: assigned.problem } : {}),
        ...(assigned.address !== undefined ? { address: assigned.address } : {}),
        ...(insecureFallback(frontend) ? { insecureFrontendValidationMode: true } : {}),
      };
    }
    drafts.set(key, { gw, served, status, listeners });
  }

  // Routes, oldest first, then by namespace/name: the precedence ties are broken this way too.
  const routes = input.httpRoutes.map((r) => ({ r, key: keyOf(r), created: Date.parse(r.metadata.creationTimestamp ?? '') || 0 }));
  routes.sort((a, b) => a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const routeStatuses = new Map<string, RouteParentStatus[]>();
  routes.forEach(({ r, key }, order) => {
    const ns = r.metadata.namespace ?? 'default';
    const compiled = compileRouteRules(r, key, ns, backends, grants);
    const parents: RouteParentStatus[] = [];
    for (const ref of r.spec.parentRefs ?? []) {
      const parentNs = ref.namespace ?? ns;
      const parent = `${parentNs}/${ref.name}`;
      const where = {
        parent,
        ...(ref.sectionName !== undefined ? { sectionName: ref.sectionName } : {}),
        ...(ref.port !== undefined ? { port: ref.port } : {}),
      };
      const observedGeneration = generationOf(r);
      const refused = (reason: string, message: string): RouteParentStatus =>
        ({ ...where, accepted: false, resolvedRefs: compiled.resolvedRefs, observedGeneration, reason, message, listeners: [] });
      if (ref.group !== GATEWAY_API_GROUP || ref.kind !== 'Gateway') {
        parents.push(refused('InvalidKind', `parentRef ${ref.group}/${ref.kind} is not a Gateway; this controller only serves Gateways`));
        continue;
      }
      const draft = drafts.get(parent);
      if (!draft || !draft.served || !draft.status.accepted) {
        parents.push(refused('NoMatchingParent', !draft ? `Gateway ${parent} does not exist` : `Gateway ${parent} is not served: ${draft.status.message ?? draft.status.reason}`));
        continue;
      }
      const candidates = draft.listeners.filter((l) =>
        (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
      if (candidates.length === 0) {
        parents.push(refused('NoMatchingParent', `Gateway ${parent} has no listener${ref.sectionName !== undefined ? ` named ${ref.sectionName}` : ''}${ref.port !== undefined ? ` on port ${ref.port}` : ''}`));
        continue;
      }
      const allowed = candidates.filter((l) => l.allowsHttpRoute && namespaceAllowed(l, draft.gw.metadata.namespace ?? 'default', ns, labelsOf(ns)));
      if (allowed.length === 0) {
        parents.push(refused('NotAllowedByListeners', `no listener of Gateway ${parent} (${candidates.map((l) => l.name).join(', ')}) allows HTTPRoutes from namespace ${ns}`));
        continue;
      }
      const hostnames: string[] = r.spec.hostnames ?? [];
      const attached: string[] = [];
      for (const l of allowed) {
        const hosts = intersectHostnames(l.hostname, hostnames);
        if (hosts.length === 0) continue;
        attached.push(l.name);
        l.attachedRoutes++;
        if (!l.accepted) continue;
        for (const host of hosts) {
          let list = l.hosts.get(host);
          if (!list) l.hosts.set(host, (list = []));
          for (const e of compiled.entries) list.push({ rule: e.rule, field: e.field, key: [...e.key.slice(0, 5), order, ...e.key.slice(5)] });
        }
      }
      if (attached.length === 0) {
        parents.push(refused('NoMatchingListenerHostname', `no hostname of the route (${hostnames.join(', ')}) intersects a listener hostname of Gateway ${parent} (${allowed.map((l) => l.hostname ?? '(any)').join(', ')})`));
        continue;
      }
      parents.push({
        ...where,
        accepted: true,
        resolvedRefs: compiled.resolvedRefs,
        observedGeneration,
        reason: compiled.resolvedRefs ? 'Accepted' : compiled.reason!,
        ...(compiled.resolvedRefs ? {} : { message: compiled.message }),
        listeners: attached,
      });
    }
    routeStatuses.set(key, parents);
  });

  const gateways = new Map<string, CompiledGateway>();
  const shadowed: ShadowedMatch[] = [];
  for (const [key, d] of drafts) {
    const listeners = d.listeners.map((l): CompiledListener => {
      // A listener whose allowed kinds include HTTPRoute serves it even when other kinds are invalid.
      const programmed = d.served && d.status.programmed && l.accepted && l.allowsHttpRoute && (l.protocol !== 'HTTPS' || l.certificate !== undefined);
      const status: ListenerStatus = {
        name: l.name,
        port: l.port,
        protocol: l.protocol,
        accepted: l.accepted,
        resolvedRefs: l.resolvedRefs,
        programmed,
        conflicted: l.conflicted,
        attachedRoutes: l.attachedRoutes,
        reason: l.reason,
        ...(l.acceptedReason !== undefined ? { acceptedReason: l.acceptedReason } : {}),
        ...(l.message !== undefined ? { message: l.message } : {}),
      };
      return {
        status,
        ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
        ...(l.clientValidation ? { clientValidation: l.clientValidation } : {}),
        ...(programmed ? { table: listenerTable(key, l, shadowed) } : {}),
      };
    });
    gateways.set(key, { key, served: d.served, status: { ...d.status, listeners: listeners.map((l) => l.status) }, listeners });
  }
  const classStatuses = new Map<string, GatewayClassStatus>();
  for (const [name, cls] of classes) {
    const observedGeneration = generationOf(cls);
    const params = cls.spec.parametersRef;
    classStatuses.set(name, cls.spec.controllerName !== controllerName
      ? { accepted: false, reason: 'Pending', observedGeneration, message: `controller ${cls.spec.controllerName} is not the modelled one (${controllerName})` }
      : params && !input.exists(params.group, params.kind, params.namespace, params.name)
        ? { accepted: false, reason: 'InvalidParameters', observedGeneration, message: `spec.parametersRef ${params.group}/${params.kind} ${params.name} does not exist` }
        : { accepted: true, reason: 'Accepted', observedGeneration });
  }
  return { controllerName, classes: classStatuses, gateways, routes: routeStatuses, shadowed };
}

/**
 * The Gateway's address: its static IPAddress values (spec.addresses, each must be usable, the
 * first is the one reported), else one from the load balancer pool.
 */
function assignAddress(gateway: string, addresses: readonly any[], input: GatewayCompileInput): { address?: string; problem?: string } {
  // Keyed as the model keys addresses, so an IPv6 value in any spelling is the address requests name.
  const statics = addresses.filter((a) => typeof a.value === 'string' && a.value !== '').map((a) => canonicalIp(a.value));
  if (statics.length === 0) {
    const address = input.allocateAddress(gateway);
    return address === undefined ? { problem: 'no address left in the load balancer pool' } : { address };
  }
  for (const ip of statics) {
    const claimed = input.claimAddress(gateway, ip);
    if (!claimed.ok) return { problem: `spec.addresses ${ip}: ${claimed.reason}` };
  }
  return { address: statics[0] };
}

/** Reads one listener: protocol support, allowed route kinds and (HTTPS) its certificate. */
function readListener(l: any, gatewayNs: string, certificates: CertificateStore, grants: ReferenceGrants): ListenerDraft {
  const draft: ListenerDraft = {
    name: l.name,
    port: l.port,
    protocol: l.protocol,
    ...(l.hostname ? { hostname: l.hostname } : {}),
    accepted: true,
    resolvedRefs: true,
    conflicted: false,
    attachedRoutes: 0,
    reason: 'Accepted',
    allowsHttpRoute: true,
    namespaces: l.allowedRoutes?.namespaces ?? { from: 'Same' },
    hosts: new Map(),
  };
  const fail = (condition: 'accepted' | 'resolvedRefs', reason: string, message: string) => {
    draft[condition] = false;
    if (draft.reason === 'Accepted') {
      draft.reason = reason;
      draft.message = message;
    }
  };
  if (!SUPPORTED_PROTOCOLS.includes(l.protocol)) {
    fail('accepted', 'UnsupportedProtocol', `protocol ${l.protocol} is not supported; this controller serves HTTP and HTTPS`);
    draft.allowsHttpRoute = false;
    return draft;
  }
  const kinds: any[] | undefined = l.allowedRoutes?.kinds;
  if (kinds && kinds.length > 0) {
    draft.allowsHttpRoute = kinds.some((k) => (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === 'HTTPRoute');
    const invalid = kinds.filter((k) => !((k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === 'HTTPRoute'));
    if (invalid.length) fail('resolvedRefs', 'InvalidRouteKinds', `route kind(s) ${invalid.map((k) => `${k.group}/${k.kind}`).join(', ')} are not supported on an ${l.protocol} listener`);
  }
  if (l.protocol === 'HTTPS') {
    const ref = (l.tls?.certificateRefs ?? [])[0];
    if (!ref) {
      fail('resolvedRefs', 'InvalidCertificateRef', 'no certificateRefs');
    } else {
      const ns = ref.namespace ?? gatewayNs;
      const secret = `${ns}/${ref.name}`;
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') {
        fail('resolvedRefs', 'InvalidCertificateRef', `certificateRefs[0] ${ref.group}/${ref.kind} ${ref.name} is not a core Secret`);
      } else if (ns !== gatewayNs && !grants.permits(GATEWAY_API_GROUP, 'Gateway', gatewayNs, '', 'Secret', ns, ref.name)) {
        fail('resolvedRefs', 'RefNotPermitted', `Secret ${secret} is in another namespace and no ReferenceGrant in ${ns} allows Gateways from ${gatewayNs}`);
      } else {
        const read = certificates.certificate(secret);
        if (read.ok) {
          draft.certificate = read.cert;
          draft.certificateWhy = `listener ${l.name} certificateRefs[0]`;
        } else {
          fail('resolvedRefs', 'InvalidCertificateRef', read.reason);
        }
      }
    }
  }
  return draft;
}

/** Whether the frontend TLS configuration lets clients in without a valid certificate anywhere (the InsecureFrontendValidationMode condition). */
function insecureFallback(frontend: any): boolean {
  const modes = [frontend?.default?.validation?.mode, ...((frontend?.perPort ?? []) as any[]).map((p) => p.tls?.validation?.mode)];
  return modes.includes('AllowInsecureFallback');
}

/**
 * Client certificate validation of an HTTPS listener (FrontendTLSConfig): the per-port
 * configuration for its port, else the default. Each caCertificateRef must be a core ConfigMap
 * (else `InvalidCACertificateKind`), in the Gateway's namespace or granted by a ReferenceGrant
 * (else `RefNotPermitted`), existing with certificates under `ca.crt` (else
 * `InvalidCACertificateRef`): any failure sets ResolvedRefs False; when none resolves the
 * listener is not Accepted (`NoValidCACertificate`).
 */
function readClientValidation(
  draft: ListenerDraft, frontend: any, gatewayNs: string, configMaps: ReadonlyMap<string, any>, grants: ReferenceGrants,
): void {
  const perPort = ((frontend.perPort ?? []) as any[]).findIndex((p) => p.port === draft.port);
  const validation = perPort >= 0 ? frontend.perPort[perPort].tls?.validation : frontend.default?.validation;
  if (!validation) return;
  const field = perPort >= 0 ? `spec.tls.frontend.perPort[${perPort}].tls.validation` : 'spec.tls.frontend.default.validation';
  const cas: TrustedCa[] = [];
  const problems: Array<{ reason: string; message: string }> = [];
  ((validation.caCertificateRefs ?? []) as any[]).forEach((ref, i) => {
    const what = `${field}.caCertificateRefs[${i}]`;
    const ns = ref.namespace ?? gatewayNs;
    if ((ref.group ?? '') !== '' || ref.kind !== 'ConfigMap') {
      problems.push({ reason: 'InvalidCACertificateKind', message: `${what} ${ref.group ? `${ref.group}/` : ''}${ref.kind} ${ref.name} is not a ConfigMap` });
    } else if (ns !== gatewayNs && !grants.permits(GATEWAY_API_GROUP, 'Gateway', gatewayNs, '', 'ConfigMap', ns, ref.name)) {
      problems.push({ reason: 'RefNotPermitted', message: `${what} ConfigMap ${ns}/${ref.name} is in another namespace and no ReferenceGrant in ${ns} allows Gateways from ${gatewayNs}` });
    } else {
      const cm = configMaps.get(`${ns}/${ref.name}`);
      const pem = cm?.data?.[CA_CERTIFICATE_KEY];
      const read = typeof pem === 'string' ? readCertificateBundle(pem) : [];
      if (read.length === 0) {
        const why = !cm ? 'does not exist' : typeof pem !== 'string' ? `has no ${CA_CERTIFICATE_KEY}` : `has no readable certificate in ${CA_CERTIFICATE_KEY}`;
        problems.push({ reason: 'InvalidCACertificateRef', message: `${what} ConfigMap ${ns}/${ref.name} ${why}` });
      } else {
        for (const x509 of read) cas.push({ x509, source: `ConfigMap ${ns}/${ref.name}` });
      }
    }
  });
  if (problems.length) {
    draft.resolvedRefs = false;
    if (draft.reason === 'Accepted') {
      draft.reason = problems[0].reason;
      draft.message = problems.map((p) => p.message).join('; ');
    }
  }
  if (cas.length === 0) {
    draft.accepted = false;
    draft.acceptedReason = 'NoValidCACertificate';
    return;
  }
  // The CRD schema defaults mode to AllowValidOnly.
  draft.clientValidation = { mode: validation.mode, cas, why: field };
}

/** Listeners sharing a port must share its protocol (ProtocolConflict); hostnames are unique per port+protocol by CEL. */
function markConflicts(listeners: ListenerDraft[]): void {
  const byPort = new Map<number, ListenerDraft[]>();
  for (const l of listeners) {
    if (!l.accepted) continue;
    const list = byPort.get(l.port) ?? [];
    list.push(l);
    byPort.set(l.port, list);
  }
  for (const [port, list] of byPort) {
    const protocols = new Set(list.map((l) => l.protocol));
    if (protocols.size < 2) continue;
    for (const l of list) {
      l.conflicted = true;
      l.accepted = false;
      l.reason = 'ProtocolConflict';
      l.message = `port ${port} is shared by listeners of protocols ${[...protocols].join(' and ')}`;
    }
  }
}

function namespaceAllowed(l: ListenerDraft, gatewayNs: string, routeNs: string, routeNsLabels: Record<string, string>): boolean {
  switch (l.namespaces.from) {
    case 'All': return true;
    case 'Selector': return l.namespaces.selector !== undefined && labelSelectorMatches(l.namespaces.selector, routeNsLabels);
    default: return routeNs === gatewayNs;
  }
}

/** ReferenceGrants by the namespace they live in (the target's). */
class ReferenceGrants {
  private readonly byNamespace = new Map<string, any[]>();

  public constructor(grants: readonly any[]) {
    for (const g of grants) {
      const ns = g.metadata.namespace ?? 'default';
      const list = this.byNamespace.get(ns) ?? [];
      list.push(g);
      this.byNamespace.set(ns, list);
    }
  }

  /** Whether a `fromKind` in `fromNs` may refer to `toKind` `toName` in `toNs`. */
  public permits(fromGroup: string, fromKind: string, fromNs: string, toGroup: string, toKind: string, toNs: string, toName: string): boolean {
    return (this.byNamespace.get(toNs) ?? []).some((g) =>
      (g.spec.from as any[]).some((f) => f.group === fromGroup && f.kind === fromKind && f.namespace === fromNs)
      && (g.spec.to as any[]).some((t) => t.group === toGroup && t.kind === toKind && (t.name === undefined || t.name === '' || t.name === toName)));
  }
}

interface CompiledRoute {
  readonly entries: RuleEntry[];
  readonly resolvedRefs: boolean;
  readonly reason?: string;
  readonly message?: string;
}

/** The route's rules as IR rules (one per match), each with its precedence key, plus ResolvedRefs. */
function compileRouteRules(r: any, key: string, ns: string, resolver: BackendResolver, grants: ReferenceGrants): CompiledRoute {
  let problem: { reason: string; message: string } | undefined;
  const note = (reason: string, message: string) => {
    problem ??= { reason, message };
  };
  const resolveRef = (ref: any, what: string): RouteBackend => {
    const group = ref.group ?? '';
    const kind = ref.kind ?? 'Service';
    const refNs = ref.namespace ?? ns;
    const service = `${refNs}/${ref.name}`;
    const weight = ref.weight ?? 1;
    const bad = (reason: string, message: string): RouteBackend => {
      note(reason, message);
      return { service, problem: message, problemStatus: 500, weight };
    };
    if (group !== '' || kind !== 'Service') return bad('InvalidKind', `${what} ${group}/${kind} ${ref.name} is not a core Service`);
    if (refNs !== ns && !grants.permits(GATEWAY_API_GROUP, 'HTTPRoute', ns, '', 'Service', refNs, ref.name)) {
      return bad('RefNotPermitted', `${what} Service ${service} is in another namespace and no ReferenceGrant in ${refNs} allows HTTPRoutes from ${ns}`);
    }
    const resolved = resolver.resolve(refNs, ref.name, ref.port);
    if (!resolved.port) return bad('BackendNotFound', `${what} ${resolved.problem}`);
    // GEP-1911: the Service port's appProtocol says what the backend speaks.
    const appProtocol = resolved.port.appProtocol;
    if (appProtocol === APP_PROTOCOL_WSS) {
      return bad('UnsupportedProtocol', `${what} Service ${service} port ${resolved.port.port} has appProtocol ${appProtocol}, which needs TLS to the backend (BackendTLSPolicy, not modelled)`);
    }
    return appProtocol === APP_PROTOCOL_H2C ? { ...resolved, weight, upstreamProtocol: 'HTTP/2' } : { ...resolved, weight };
  };

  const entries: RuleEntry[] = [];
  (r.spec.rules as any[] ?? []).forEach((rule, ri) => {
    const ruleName = rule.name !== undefined ? ` (${rule.name})` : '';
    const filters: RouteFilter[] = [];
    let terminal: RouteTerminal | undefined;
    const notes: Array<{ action: string; text: string }> = [];
    const matches: any[] = rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }];
    const prefixOf = () => (matches.length === 1 && matches[0].path?.type === 'PathPrefix' ? matches[0].path.value : '/');
    (rule.filters as any[] ?? []).forEach((f, fi) => {
      const why = `HTTPRoute ${key} rules[${ri}].filters[${fi}] ${f.type}`;
      switch (f.type) {
        case 'RequestHeaderModifier': filters.push(headerFilter(f.requestHeaderModifier, why)); break;
        case 'ResponseHeaderModifier': filters.push(headerFilter(f.responseHeaderModifier, why, 'responseHeaders')); break;
        case 'CORS': filters.push({ kind: 'cors', policy: corsPolicy(f.cors), why }); break;
        case 'URLRewrite': filters.push(...rewriteFilters(f.urlRewrite, prefixOf(), why)); break;
        case 'RequestMirror': {
          const backend = resolveRef(f.requestMirror.backendRef, `rules[${ri}].filters[${fi}].requestMirror.backendRef`);
          const m = f.requestMirror;
          const percent = m.percent ?? (m.fraction ? (100 * m.fraction.numerator) / (m.fraction.denominator ?? 100) : undefined);
          if (backend.port) filters.push({ kind: 'mirror', backend, why, ...(percent !== undefined ? { percent } : {}) });
          else notes.push({ action: 'mirror', text: `${why}: not mirrored, ${backend.problem}` });
          break;
        }
        case 'RequestRedirect': terminal = redirectTerminal(f.requestRedirect, prefixOf(), why); break;
        case 'ExtensionRef':
          terminal = { kind: 'respond', status: 500, why: `${why} ${f.extensionRef?.kind} ${f.extensionRef?.name} is not known to this controller (the spec answers 500 rather than skip a filter)` };
          note('IncompatibleFilters', `rules[${ri}].filters[${fi}]: ExtensionRef ${f.extensionRef?.kind} is not supported`);
          break;
        default: notes.push({ action: 'filter', text: `${why} is not modelled` });
      }
    });
    if (!terminal) {
      const refs: any[] = rule.backendRefs ?? [];
      const list = refs.map((b, bi) => {
        const backend = resolveRef(b, `rules[${ri}].backendRefs[${bi}]`);
        const bf = (b.filters as any[] ?? []).flatMap((f, fi): RouteFilter[] => {
          const why = `HTTPRoute ${key} rules[${ri}].backendRefs[${bi}].filters[${fi}] ${f.type}`;
          if (f.type === 'RequestHeaderModifier') return [headerFilter(f.requestHeaderModifier, why)];
          if (f.type === 'ResponseHeaderModifier') return [headerFilter(f.responseHeaderModifier, why, 'responseHeaders')];
          if (f.type === 'URLRewrite') return rewriteFilters(f.urlRewrite, prefixOf(), why);
          return [];
        });
        return bf.length ? { ...backend, filters: bf } : backend;
      });
      if (list.length === 0) terminal = { kind: 'respond', status: 500, why: `HTTPRoute ${key} rules[${ri}]${ruleName} has no backendRefs and no filter that answers` };
      else if (list.every((b) => b.weight === 0)) terminal = { kind: 'respond', status: 500, why: `every backendRef of HTTPRoute ${key} rules[${ri}]${ruleName} has weight 0` };
      else terminal = { kind: 'forward', backends: list };
    }
    const timeouts = ruleTimeouts(rule.timeouts, `HTTPRoute ${key} rules[${ri}]${ruleName}.timeouts`);
    if (rule.retry !== undefined) {
      notes.push({ action: 'retry', text: `HTTPRoute ${key} rules[${ri}]${ruleName}.retry is an experimental-channel field: the standard-channel CRD prunes it, so no request is retried` });
    }
    matches.forEach((m, mi) => {
      const match = irMatch(m);
      const label = `${m.path.type} ${m.path.value}${m.method ? ` ${m.method}` : ''}${(m.headers ?? []).map((h: any) => ` [${h.name}${h.type === 'RegularExpression' ? '~' : '='}${h.value}]`).join('')}`
        + `${(m.queryParams ?? []).map((q: any) => ` ?${q.name}${q.type === 'RegularExpression' ? '~' : '='}${q.value}`).join('')}`;
      entries.push({
        field: `spec.rules[${ri}].matches[${mi}]`,
        key: [
          m.path.type === 'Exact' ? 0 : m.path.type === 'PathPrefix' ? 1 : 2,
          -String(m.path.value).length,
          m.method ? 0 : 1,
          -(m.headers ?? []).length,
          -(m.queryParams ?? []).length,
          // the route's order among routes goes here (added per parent), then rule and match index
          ri, mi,
        ],
        rule: {
          match,
          filters,
          terminal: terminal!,
          label,
          route: key,
          ownerText: `, HTTPRoute ${key} rules[${ri}]${ruleName}.matches[${mi}]`,
          object: `HTTPRoute/${key}`,
          notes: notes.map((n) => ({ ...n, object: `HTTPRoute/${key}` })),
          ...(timeouts ? { timeouts } : {}),
        },
      });
    });
  });
  return problem ? { entries, resolvedRefs: false, reason: problem.reason, message: problem.message } : { entries, resolvedRefs: true };
}

function irMatch(m: any): RouteMatch {
  // A RegularExpression value must match the whole header or parameter value, as a path does.
  const valueMatches = (list: any[] | undefined): ValueMatch[] | undefined => (list && list.length
    ? list.map((v) => ({ name: v.name, value: v.type === 'RegularExpression' ? `^(?:${v.value})$` : v.value, type: v.type ?? 'Exact' }))
    : undefined);
  const path = m.path.type === 'Exact' ? { kind: 'Exact' as const, value: m.path.value }
    : m.path.type === 'PathPrefix' ? { kind: 'PathPrefix' as const, value: m.path.value }
      // A RegularExpression path must match the whole path.
      : { kind: 'RegexPrefix' as const, value: `(?:${m.path.value})$` };
  const headers = valueMatches(m.headers);
  const queryParams = valueMatches(m.queryParams);
  return { path, ...(m.method ? { method: m.method } : {}), ...(headers ? { headers } : {}), ...(queryParams ? { queryParams } : {}) };
}

function headerFilter(h: any, why: string, kind: 'requestHeaders' | 'responseHeaders' = 'requestHeaders'): RouteFilter {
  const pairs = (list: any[] | undefined) => (list ?? []).map((x) => [x.name, x.value] as const);
  return { kind, set: pairs(h?.set), add: pairs(h?.add), remove: [...(h?.remove ?? [])], why };
}

/** HTTPCORSFilter as the engine's policy (`maxAge` has its schema default). */
function corsPolicy(c: any): CorsPolicy {
  return {
    allowOrigins: [...(c?.allowOrigins ?? [])],
    allowMethods: [...(c?.allowMethods ?? [])],
    allowHeaders: [...(c?.allowHeaders ?? [])],
    exposeHeaders: [...(c?.exposeHeaders ?? [])],
    allowCredentials: c?.allowCredentials === true,
    maxAge: c?.maxAge,
  };
}

/** HTTPRouteTimeouts in milliseconds; a zero duration disables a timeout (HTTPRouteTimeouts doc). */
function ruleTimeouts(t: any, why: string): RouteTimeouts | undefined {
  const requestMs = gatewayDurationMs(t?.request);
  const backendRequestMs = gatewayDurationMs(t?.backendRequest);
  if (!requestMs && !backendRequestMs) return undefined;
  return { ...(requestMs ? { requestMs } : {}), ...(backendRequestMs ? { backendRequestMs } : {}), why };
}

function rewriteFilters(u: any, prefix: string, why: string): RouteFilter[] {
  const out: RouteFilter[] = [];
  if (u?.hostname) out.push({ kind: 'setHost', host: u.hostname });
  if (u?.path?.type === 'ReplaceFullPath') out.push({ kind: 'pathRewrite', fullPath: u.path.replaceFullPath, why });
  if (u?.path?.type === 'ReplacePrefixMatch') out.push({ kind: 'pathRewrite', replacePrefix: { prefix, replacement: u.path.replacePrefixMatch }, why });
  return out;
}

const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * RequestRedirect (HTTPRequestRedirectFilter doc): scheme, hostname and path default to the
 * request's; the port is the given one, else the scheme's well-known port when a scheme is
 * given, else the listener's — `listenerPort` is filled in per listener by `listenerTable`.
 */
function redirectTerminal(r: any, prefix: string, why: string): RouteTerminal {
  return {
    kind: 'redirect',
    status: r.statusCode ?? 302,
    why,
    target: {
      ...(r.scheme ? { scheme: r.scheme } : {}),
      host: r.hostname ?? 'header-name',
      ...(r.port !== undefined ? { port: r.port } : r.scheme && WELL_KNOWN_PORTS[r.scheme] !== undefined ? { port: WELL_KNOWN_PORTS[r.scheme] } : {}),
      ...(r.path?.type === 'ReplaceFullPath' ? { path: r.path.replaceFullPath } : {}),
      ...(r.path?.type === 'ReplacePrefixMatch' ? { replacePrefix: { prefix, replacement: r.path.replacePrefixMatch } } : {}),
      keepQuery: true,
    },
  };
}

function compareKeys(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** A redirect without port or scheme goes to the listener's port. */
function withListenerPort(rule: RouteRule, port: number): RouteRule {
  const t = rule.terminal;
  if (t.kind !== 'redirect' || t.target.port !== undefined) return rule;
  return { ...rule, terminal: { ...t, target: { ...t.target, port } } };
}

/** What a request must have for a match to hold: two matches with the same signature take the same requests. */
function matchSignature(m: RouteMatch): string {
  const values = (list: readonly ValueMatch[] | undefined, fold: boolean) =>
    (list ?? []).map((v) => `${fold ? v.name.toLowerCase() : v.name}|${v.type}|${v.value}`).sort().join(',');
  return `${m.path.kind} ${m.path.value} ${m.method ?? ''} ${values(m.headers, true)} ${values(m.queryParams, false)}`;
}

/** One listener's route table: hostnames exact / wildcard (any depth) / every host; rules in precedence order. */
function listenerTable(gateway: string, l: ListenerDraft, shadowed: ShadowedMatch[]): RouteTable {
  const exact = new Map<string, VirtualHost>();
  const wildcard = new Map<string, VirtualHost>();
  let catchAll: VirtualHost | undefined;
  for (const [host, entries] of l.hosts) {
    const sorted = entries.slice().sort((a, b) => compareKeys(a.key, b.key));
    const first = new Map<string, RuleEntry>();
    for (const e of sorted) {
      const signature = matchSignature(e.rule.match);
      const winner = first.get(signature);
      if (!winner) first.set(signature, e);
      else shadowed.push({ route: e.rule.route!, field: e.field, gateway, listener: l.name, host, by: `HTTPRoute ${winner.rule.route} ${winner.field}` });
    }
    const rules = sorted.map((e) => withListenerPort(e.rule, l.port));
    const vhost: VirtualHost = { label: host === '' ? 'routes for every host' : `routes for ${host}`, name: host || '*', rules };
    if (host === '') catchAll = vhost;
    else if (host.startsWith('*.')) wildcard.set(host.slice(2), vhost);
    else exact.set(host, vhost);
  }
  const certificate: TlsCertificate = l.certificate ?? { secret: '@none' };
  return {
    component: GATEWAY_COMPONENT,
    exact,
    wildcard,
    wildcardLabel: '[^.]+',
    wildcardAnyDepth: true,
    reportsUpstreamHeaders: true,
    reportsResponses: true,
    catchAll,
    fallThrough: true,
    fallback: {
      match: { path: { kind: 'PathPrefix', value: '/' } },
      filters: [],
      terminal: { kind: 'respond', status: 404, why: `no HTTPRoute rule on listener ${l.name} of Gateway ${gateway} matches` },
      label: 'the Gateway answers',
      ownerText: '',
      notes: [],
    },
    noHostText: `no route on listener ${l.name} names`,
    hostHeaderNote: false,
    tls: {
      exact: new Map(),
      wildcard: new Map(),
      fallback: { certificate, why: l.certificateWhy ?? 'no certificate' },
      noSniWhy: `no SNI; ${l.certificateWhy ?? 'no certificate'}`,
      unknownSniWhy: 'SNI',
    },
  };
}
