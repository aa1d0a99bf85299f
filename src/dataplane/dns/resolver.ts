import { KubernetesZone, KubernetesZoneInputs } from './kubernetes';
import { inZone } from './names';
import { Upstream, ZoneAnswer } from './upstream';
import { Trace } from '../trace';
import { ResolveResult } from '../types';
import { PodModel } from '../workloads';

/** kubelet writes `options ndots:5` into every ClusterFirst pod's resolv.conf. */
const NDOTS = 5;

/** glibc's ndots when resolv.conf has no `options ndots` (dnsPolicy None without it). */
const GLIBC_NDOTS = 1;

/** The query types `resolve()` answers. */
export const DNS_TYPES = ['A', 'AAAA', 'SRV', 'CNAME', 'PTR', 'TXT', 'NS', 'SOA'];

/** The reverse zones kubeadm's Corefile gives the kubernetes plugin (with `fallthrough` for them). */
const REVERSE_ZONES = ['in-addr.arpa', 'ip6.arpa'];

/** Answers kept per cluster; the cache starts over when full, so arbitrary names cannot grow it without bound. */
const DNS_CACHE_LIMIT = 10000;

/** What a pod's resolv.conf says about search domains (internal). */
export interface ResolverConfig {
  readonly search: readonly string[];
  readonly ndots: number;
}

/** A pod's resolver: cluster DNS with its search list, or why the pod does not use cluster DNS (internal). */
export type PodResolver = { readonly config: ResolverConfig } | { readonly reason: string };

/** What cluster DNS is compiled from (internal): the kubernetes plugin's inputs, with the nameserver it answers as. */
export interface ClusterDnsInputs extends Omit<KubernetesZoneInputs, 'nameserver' | 'upstream'> {
  /** The kube-dns ClusterIP, the nameserver in pods' resolv.conf. */
  readonly dnsServiceIp: string;
}

/**
 * Cluster DNS: CoreDNS as kubeadm configures it (the `kubernetes` plugin for the cluster domain
 * and reverse zones, everything else forwarded upstream) behind a pod's stub resolver.
 */
export class ClusterDns {
  private readonly domain: string;
  private readonly zone: KubernetesZone;
  private readonly upstream: Upstream;
  private readonly cache = new Map<string, ResolveResult>();

  public constructor(inputs: ClusterDnsInputs) {
    this.domain = inputs.domain.toLowerCase();
    this.upstream = new Upstream(inputs.settings.upstream);
    this.zone = new KubernetesZone({ ...inputs, domain: this.domain, nameserver: inputs.dnsServiceIp, upstream: this.upstream });
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

  /** A lookup with the stub resolver (`resolver`) or, without one, of the name as given. */
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

  /**
   * glibc res_search (resolv/res_query.c __res_context_search) with the pod's resolv.conf: a name with fewer than `ndots` dots tries each
   * search domain, then itself; one with more tries itself first, then the search domains; a
   * trailing dot means no search. NXDOMAIN and NODATA both move on to the next candidate. When
   * none answers, a name tried as is first ends with that first answer; otherwise the walk ends
   * NODATA if any candidate was NODATA, else NXDOMAIN.
   */
  private resolveUncached(name: string, type: string, resolver: ResolverConfig | undefined): ResolveResult {
    const trace = new Trace();
    const qtype = type.toUpperCase();
    let q = name.trim().toLowerCase();
    const absolute = q.endsWith('.');
    if (absolute) q = q.slice(0, -1);
    const candidates: string[] = [];
    let asIsFirst = true;
    if (absolute || resolver === undefined || resolver.search.length === 0) {
      candidates.push(q);
    } else {
      const searched = resolver.search.map((d) => `${q}.${d}`);
      let dots = 0;
      for (let i = q.indexOf('.'); i >= 0; i = q.indexOf('.', i + 1)) dots++;
      asIsFirst = dots >= resolver.ndots;
      if (asIsFirst) candidates.push(q, ...searched);
      else candidates.push(...searched, q);
      trace.add('dns', 'search', `${q} has ${dots} dot(s), ndots:${resolver.ndots}: try ${candidates.join(', ')}`);
    }
    let first: { name: string; answer: ZoneAnswer } | undefined;
    let nodata: string | undefined;
    for (const candidate of candidates) {
      const answer = this.lookup(candidate, qtype, trace);
      if (answer.rcode === 'NOERROR' && answer.records.length) return { rcode: 'NOERROR', name: candidate, records: answer.records, trace: trace.hops };
      first ??= { name: candidate, answer };
      if (answer.rcode === 'NOERROR') nodata ??= candidate;
    }
    if (candidates.length > 1) {
      if (asIsFirst) {
        trace.add('dns', 'result', `no candidate answered; ${q} was tried as is first, so its ${first!.answer.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'NODATA'} is the answer (glibc res_search)`);
        return { rcode: first!.answer.rcode, name: first!.name, records: [], trace: trace.hops };
      }
      if (nodata !== undefined) trace.add('dns', 'result', `no candidate answered; the walk met NODATA at ${nodata}, so the answer is NODATA, not NXDOMAIN (glibc res_search)`);
    }
    if (nodata !== undefined) return { rcode: 'NOERROR', name: nodata, records: [], trace: trace.hops };
    return { rcode: 'NXDOMAIN', name: candidates[candidates.length - 1], records: [], trace: trace.hops };
  }

  /** One query for a fully qualified name, as CoreDNS answers it. */
  private lookup(fqdn: string, qtype: string, trace: Trace): ZoneAnswer {
    if (inZone(fqdn, this.domain)) return this.zone.query(fqdn, qtype, trace);
    if (REVERSE_ZONES.some((z) => inZone(fqdn, z))) {
      const answer = qtype === 'PTR' ? this.zone.reverse(fqdn, trace) : undefined;
      return answer ?? this.upstream.lookup(fqdn, qtype, trace, 'no cluster record in the reverse zone, so the kubernetes plugin falls through');
    }
    return this.upstream.lookup(fqdn, qtype, trace, `outside ${this.domain}`);
  }
}
