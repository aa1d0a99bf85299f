import { EndpointsTable } from './endpoints';
import { ServiceModel } from './services';
import { Trace } from './trace';
import { DnsRecord, ResolveResult } from './types';
import { PodModel } from './workloads';
import { ipFamilyOf } from '../api/names';

/** kubeadm's default Corefile sets `ttl 30` in the kubernetes block (the plugin's own default is 5). */
const DNS_TTL = 30;

/** kubelet writes `options ndots:5` into every ClusterFirst pod's resolv.conf. */
const NDOTS = 5;

/** glibc's ndots when resolv.conf has no `options ndots` (dnsPolicy None without it). */
const GLIBC_NDOTS = 1;

/** What a pod's resolv.conf says about search domains (internal). */
export interface ResolverConfig {
  readonly search: readonly string[];
  readonly ndots: number;
}

/** A pod's resolver: cluster DNS with its search list, or why the pod does not use cluster DNS (internal). */
export type PodResolver = { readonly config: ResolverConfig } | { readonly reason: string };

export const DNS_TYPES = ['A', 'AAAA', 'SRV', 'CNAME', 'PTR'];

/** Answers kept per cluster; the cache starts over when full, so arbitrary names cannot grow it without bound. */
const DNS_CACHE_LIMIT = 10000;

interface NameEntry {
  readonly a: string[];
  readonly aaaa: string[];
  cname?: string;
  readonly srv: { port: number; target: string }[];
  ptr?: string;
  /** The object behind the name, `Kind/namespace/name`. */
  readonly object: string;
}

function reverseName(ip: string): string | undefined {
  if (ipFamilyOf(ip) !== 'IPv4') return undefined;
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** `10.244.1.3` → `10-244-1-3`: the name CoreDNS gives an endpoint without a hostname. */
function dashedIp(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

/**
 * Cluster DNS as the CoreDNS `kubernetes` plugin serves it (kubernetes/dns
 * docs/specification.md, coredns plugin/kubernetes), compiled into one hash map by name.
 */
export class ClusterDns {
  private readonly names = new Map<string, NameEntry>();
  private readonly cache = new Map<string, ResolveResult>();
  private readonly domain: string;

  public constructor(domain: string, services: readonly ServiceModel[], endpoints: EndpointsTable) {
    this.domain = domain.toLowerCase();
    for (const svc of services) this.addService(svc, endpoints);
  }

  /** The search list kubelet writes for a ClusterFirst pod in `namespace`. */
  public searchPath(namespace: string): string[] {
    return [`${namespace}.svc.${this.domain}`, `svc.${this.domain}`, this.domain];
  }

  /** The resolv.conf of a ClusterFirst pod in `namespace` without dnsConfig. */
  public namespaceResolver(namespace: string): ResolverConfig {
    return { search: this.searchPath(namespace), ndots: NDOTS };
  }

  /**
   * A pod's resolv.conf as kubelet writes it (pkg/kubelet/network/dns GetPodDNS): ClusterFirst
   * (and ClusterFirstWithHostNet) get cluster DNS, the namespace search list and ndots:5, with
   * dnsConfig searches appended and options overriding; ClusterFirst on the host network and
   * Default use the node's resolver; None uses only dnsConfig, so cluster DNS only when its first
   * nameserver is the cluster DNS address.
   */
  public podResolver(pod: PodModel, clusterDnsIp: string): PodResolver {
    const cfg = pod.dnsConfig;
    const policy = pod.dnsPolicy === 'ClusterFirst' && pod.hostNetwork ? 'Default' : pod.dnsPolicy;
    if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
      const search = [...this.searchPath(pod.namespace)];
      for (const s of cfg.searches) if (!search.includes(s)) search.push(s);
      return { config: { search, ndots: cfg.ndots ?? NDOTS } };
    }
    if (policy === 'None') {
      if (cfg.nameservers[0] !== clusterDnsIp) {
        return { reason: `dnsPolicy None with nameservers [${cfg.nameservers.join(', ')}]: not the cluster DNS ${clusterDnsIp}` };
      }
      return { config: { search: cfg.searches, ndots: cfg.ndots ?? GLIBC_NDOTS } };
    }
    return {
      reason: pod.dnsPolicy === 'ClusterFirst'
        ? 'a hostNetwork pod with dnsPolicy ClusterFirst uses the node\'s resolv.conf (ClusterFirstWithHostNet would use cluster DNS)'
        : 'dnsPolicy Default uses the node\'s resolv.conf, not cluster DNS',
    };
  }

  /**
   * A stub resolver lookup (glibc res_search with the pod's resolv.conf): a name with fewer than
   * `ndots` dots tries each search domain first, then the name itself; a name with more tries
   * itself first; a trailing dot means no search. NXDOMAIN and NODATA move on to the next candidate.
   */
  public resolve(name: string, type: string, resolver: ResolverConfig | undefined): ResolveResult {
    // The tables never change after compile, so an answer can be reused; callers get fresh arrays.
    const key = resolver ? `${resolver.search.join(' ')}|${resolver.ndots}|${type}|${name}` : `|${type}|${name}`;
    let answer = this.cache.get(key);
    if (!answer) {
      if (this.cache.size >= DNS_CACHE_LIMIT) this.cache.clear();
      answer = this.resolveUncached(name, type, resolver);
      // Shared between answers, so frozen: a caller editing one result cannot change the next.
      for (const r of answer.records) Object.freeze(r);
      for (const h of answer.trace) Object.freeze(h);
      this.cache.set(key, answer);
    }
    return { rcode: answer.rcode, name: answer.name, records: [...answer.records], trace: [...answer.trace] };
  }

  private resolveUncached(name: string, type: string, resolver: ResolverConfig | undefined): ResolveResult {
    const trace = new Trace();
    const qtype = type.toUpperCase();
    let q = name.trim().toLowerCase();
    const absolute = q.endsWith('.');
    if (absolute) q = q.slice(0, -1);
    const candidates: string[] = [];
    if (absolute || resolver === undefined || resolver.search.length === 0) {
      candidates.push(q);
    } else {
      const searched = resolver.search.map((d) => `${q}.${d}`);
      let dots = 0;
      for (let i = q.indexOf('.'); i >= 0; i = q.indexOf('.', i + 1)) dots++;
      if (dots >= resolver.ndots) candidates.push(q, ...searched);
      else candidates.push(...searched, q);
      trace.add('dns', 'search', `${q} has ${dots} dot(s), ndots:${resolver.ndots}: try ${candidates.join(', ')}`);
    }
    let nodata: string | undefined;
    for (const candidate of candidates) {
      const answer = this.lookup(candidate, qtype, trace);
      if (answer === 'NXDOMAIN') continue;
      if (answer.length === 0) {
        nodata ??= candidate;
        continue;
      }
      return { rcode: 'NOERROR', name: candidate, records: answer, trace: trace.hops };
    }
    if (nodata !== undefined) return { rcode: 'NOERROR', name: nodata, records: [], trace: trace.hops };
    return { rcode: 'NXDOMAIN', name: candidates[candidates.length - 1] ?? q, records: [], trace: trace.hops };
  }

  /** One query for a fully qualified name: records, [] for NODATA, or NXDOMAIN. */
  private lookup(fqdn: string, qtype: string, trace: Trace, depth = 0): DnsRecord[] | 'NXDOMAIN' {
    if (fqdn !== this.domain && !fqdn.endsWith(`.${this.domain}`) && !fqdn.endsWith('.in-addr.arpa')) {
      trace.add('dns', 'forward', `${fqdn} is outside ${this.domain}: CoreDNS forwards it upstream, which the model does not know (NXDOMAIN)`);
      return 'NXDOMAIN';
    }
    const entry = this.names.get(fqdn) ?? this.podRecord(fqdn);
    if (!entry) {
      trace.add('dns', 'nxdomain', `${fqdn} ${qtype}: NXDOMAIN`);
      return 'NXDOMAIN';
    }
    const rr = (rtype: string, value: string, extra?: { port: number; target: string }): DnsRecord =>
      (extra
        ? { name: fqdn, type: rtype, ttl: DNS_TTL, value, port: extra.port, target: extra.target }
        : { name: fqdn, type: rtype, ttl: DNS_TTL, value });
    if (entry.cname !== undefined) {
      const cname = rr('CNAME', entry.cname);
      trace.add('dns', 'answer', `${fqdn} CNAME ${entry.cname}`, entry.object);
      if (qtype === 'CNAME' || depth > 8) return [cname];
      const rest = this.lookup(entry.cname, qtype, trace, depth + 1);
      return rest === 'NXDOMAIN' ? [cname] : [cname, ...rest];
    }
    let records: DnsRecord[] = [];
    if (qtype === 'A') {
      records = entry.a.map((ip) => rr('A', ip));
    } else if (qtype === 'AAAA') {
      records = entry.aaaa.map((ip) => rr('AAAA', ip));
    } else if (qtype === 'PTR' && entry.ptr) {
      records = [rr('PTR', entry.ptr)];
    } else if (qtype === 'SRV') {
      // plugin/backend_lookup.go: equal priorities, weight = floor(100 / number of records).
      const weight = Math.floor(100 / Math.max(1, entry.srv.length));
      records = entry.srv.map((s) => rr('SRV', `0 ${weight} ${s.port} ${s.target}`, s));
    }
    trace.add('dns', records.length ? 'answer' : 'nodata',
      records.length ? `${fqdn} ${qtype}: ${records.map((r) => r.value).join(', ')}` : `${fqdn} exists but has no ${qtype} record (NODATA)`, entry.object);
    return records;
  }

  /** `pods insecure` (kubeadm's Corefile): `a-b-c-d.<ns>.pod.<domain>` answers a.b.c.d without checking a pod has it. */
  private podRecord(fqdn: string): NameEntry | undefined {
    const suffix = `.pod.${this.domain}`;
    if (!fqdn.endsWith(suffix)) return undefined;
    const labels = fqdn.slice(0, -suffix.length).split('.');
    if (labels.length !== 2) return undefined;
    const ip = labels[0].replace(/-/g, '.');
    if (ipFamilyOf(ip) !== 'IPv4') return undefined;
    return { a: [ip], aaaa: [], srv: [], object: `pod IP ${ip}` };
  }

  private entry(name: string, object: string): NameEntry {
    let e = this.names.get(name);
    if (!e) this.names.set(name, (e = { a: [], aaaa: [], srv: [], object }));
    return e;
  }

  private addAddress(name: string, ip: string, object: string) {
    const e = this.entry(name, object);
    (ipFamilyOf(ip) === 'IPv6' ? e.aaaa : e.a).push(ip);
  }

  private addService(svc: ServiceModel, endpoints: EndpointsTable) {
    const base = `${svc.name}.${svc.namespace}.svc.${this.domain}`;
    if (svc.type === 'ExternalName') {
      if (svc.externalName) this.entry(base, svc.ref).cname = svc.externalName;
      return;
    }
    const proto = (p: string) => p.toLowerCase();
    if (!svc.headless) {
      if (!svc.clusterIP) return;
      this.addAddress(base, svc.clusterIP, svc.ref);
      const rev = reverseName(svc.clusterIP);
      if (rev) this.entry(rev, svc.ref).ptr = base;
      for (const p of svc.ports) {
        if (p.name) this.entry(`_${p.name}._${proto(p.protocol)}.${base}`, svc.ref).srv.push({ port: p.port, target: base });
      }
      return;
    }
    // Headless: one A per ready address (publishNotReadyAddresses already counts as ready), and a
    // name per endpoint: its hostname, else its dashed IP. No ready address → the name does not exist.
    for (const addr of endpoints.addresses.get(svc.key) ?? []) {
      if (!addr.ready) continue;
      this.addAddress(base, addr.ip, svc.ref);
      const host = `${addr.hostname ?? dashedIp(addr.ip)}.${base}`;
      this.addAddress(host, addr.ip, addr.pod ? `Pod/${addr.pod.namespace}/${addr.pod.name}` : svc.ref);
      const rev = reverseName(addr.ip);
      if (rev && addr.hostname) this.entry(rev, svc.ref).ptr ??= host;
    }
    for (const pe of endpoints.byService.get(svc.key) ?? []) {
      if (!pe.port.name) continue;
      for (const e of pe.ready) {
        this.entry(`_${pe.port.name}._${proto(pe.port.protocol)}.${base}`, svc.ref).srv.push({ port: e.port, target: `${e.hostname ?? dashedIp(e.ip)}.${base}` });
      }
    }
  }
}
