/**
 * The portable profile (internal): the Kubernetes Ingress specification and docs, compiled into
 * the route-table IR. Hosts: exact, then a `*.` wildcard covering exactly one label, then rules
 * without host; a host whose paths match nothing falls through to the next, then to the first
 * `spec.defaultBackend`. Paths: Exact compares the whole path, Prefix matches element by element
 * ignoring a trailing slash; the longest match wins and Exact wins a tie (docs "Ingress",
 * "Examples" table); ImplementationSpecific is taken as Prefix. The first Ingress to define a
 * host+path keeps it.
 */
import { BackendResolver, PortRule } from './backends';
import { INGRESS_COMPONENT } from './types';
import { IngressBackendView, IngressView } from '../../api/ingress-reader';
import { CertificateStore, TlsCertificate } from '../routing/certificates';
import { CertificateChoice, RouteRule, RouteTable, RouteTerminal, VirtualHost } from '../routing/ir';

/** The specification's port rule: `port.number` is the Service port, `port.name` its name. */
export const SPEC_PORT_RULE: PortRule = {
  find: (ports, wanted) => ports.find((p) => (typeof wanted === 'number' ? p.port === wanted : p.name === wanted)),
  description: '',
};

/** What a profile compiler needs besides the admitted Ingresses. */
export interface CompileContext {
  readonly certificates: CertificateStore;
  readonly defaultCertificate: TlsCertificate;
  /** How the default certificate is described when it is not a Secret's. */
  readonly defaultCertificateNote?: string;
  readonly backends: BackendResolver;
}

/** A compiled profile: its route table and whether some Ingress answers every host name. */
export interface CompiledIngressRoutes {
  readonly table: RouteTable;
  readonly answersAnyHost: boolean;
}

interface Entry {
  readonly rule: RouteRule;
  readonly elements: number;
  readonly exact: boolean;
}

function terminalOf(ing: IngressView, backend: IngressBackendView, ctx: CompileContext): RouteTerminal {
  if (backend.service === undefined) {
    return { kind: 'respond', status: 404, why: `Ingress ${ing.key} points at a resource backend, which this model does not proxy`, ingress: ing.key };
  }
  return { kind: 'forward', backends: [ctx.backends.resolve(ing.namespace, backend.service, backend.port)] };
}

const elementCount = (path: string) => path.split('/').filter((e) => e !== '').length;

export function compilePortable(admitted: readonly IngressView[], ctx: CompileContext): CompiledIngressRoutes {
  const byHost = new Map<string, Entry[]>();
  const tlsExact = new Map<string, CertificateChoice>();
  const tlsWildcard = new Map<string, CertificateChoice>();
  let fallback: RouteRule | undefined;
  for (const ing of admitted) {
    if (ing.defaultBackend && !fallback) {
      fallback = {
        match: { path: { kind: 'PathPrefix', value: '/' } },
        filters: [],
        terminal: terminalOf(ing, ing.defaultBackend, ctx),
        label: `spec.defaultBackend of Ingress ${ing.key}`,
        ownerText: '',
        object: `Ingress/${ing.key}`,
        ingress: ing.key,
        notes: [],
      };
    }
    const ruleHosts: string[] = [];
    for (const r of ing.rules) {
      if (r.host) ruleHosts.push(r.host);
      let entries = byHost.get(r.host);
      if (!entries) byHost.set(r.host, (entries = []));
      for (const p of r.paths) {
        const pathType = p.pathType === 'ImplementationSpecific' ? 'Prefix' : p.pathType ?? 'Prefix';
        const exact = pathType === 'Exact';
        entries.push({
          exact,
          elements: elementCount(p.path),
          rule: {
            match: { path: { kind: exact ? 'Exact' : 'PathPrefix', value: p.path } },
            filters: [],
            terminal: terminalOf(ing, p.backend, ctx),
            label: `${pathType} ${p.path}`,
            ownerText: ` (longest match, Exact before Prefix), Ingress ${ing.key}`,
            object: `Ingress/${ing.key}`,
            ingress: ing.key,
            notes: [],
            origin: { ingress: ing.key, path: p.path, pathType, shadowed: [], rule: `${pathType} ${p.path}` },
          },
        });
      }
    }
    for (const tls of ing.tls) {
      if (tls.secretName === undefined) continue;
      const ref = `${ing.namespace}/${tls.secretName}`;
      const read = ctx.certificates.certificate(ref);
      const choice: CertificateChoice = read.ok
        ? { certificate: read.cert, why: `listed in the tls section of Ingress ${ing.key}` }
        : { certificate: ctx.defaultCertificate, why: `listed in Ingress ${ing.key} but ${read.reason}; default certificate` };
      // An entry without hosts covers the Ingress's own rule hosts.
      for (const host of tls.hosts.length ? tls.hosts : ruleHosts) {
        const [map, key] = host.startsWith('*.') ? [tlsWildcard, host.slice(2)] : [tlsExact, host];
        if (!map.has(key)) map.set(key, choice);
      }
    }
  }

  const hostOf = (label: string, name: string, entries: Entry[]): VirtualHost => ({
    label,
    name,
    // Longest match first (by path elements), Exact before Prefix on a tie; the sort is stable, so the first Ingress keeps a duplicate.
    rules: entries.slice().sort((a, b) => b.elements - a.elements || Number(b.exact) - Number(a.exact)).map((e) => e.rule),
  });
  const exact = new Map<string, VirtualHost>();
  const wildcard = new Map<string, VirtualHost>();
  let catchAll: VirtualHost | undefined;
  for (const [host, entries] of byHost) {
    if (host === '') catchAll = hostOf('rules without host (all hosts)', '', entries);
    else if (host.startsWith('*.')) wildcard.set(host.slice(2), hostOf(`wildcard host ${host} (covers exactly one label)`, host, entries));
    else exact.set(host, hostOf(`host ${host}`, host, entries));
  }
  const anyHost = catchAll !== undefined || fallback !== undefined;
  fallback ??= {
    match: { path: { kind: 'PathPrefix', value: '/' } },
    filters: [],
    terminal: { kind: 'respond', status: 404, why: 'the controller answers' },
    label: 'no Ingress has a defaultBackend',
    ownerText: '',
    notes: [],
  };
  return {
    answersAnyHost: anyHost,
    table: {
      component: INGRESS_COMPONENT,
      exact,
      wildcard,
      wildcardLabel: '[^.]+',
      catchAll,
      fallThrough: true,
      fallback,
      noHostText: 'no rule host matches',
      hostHeaderNote: false,
      tls: {
        exact: tlsExact,
        wildcard: tlsWildcard,
        fallback: { certificate: ctx.defaultCertificate, why: 'default certificate' },
        noSniWhy: 'no SNI; default certificate',
        unknownSniWhy: 'no Ingress tls section lists',
        fallbackDescription: ctx.defaultCertificateNote,
      },
    },
  };
}
