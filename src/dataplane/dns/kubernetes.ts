import { compareIpText, dashedIp, inZone, ipText, podNameAddress, reverseNameAddress } from './names';
import { DnsSettings } from './options';
import { DnsPort, givenEndpoints, SliceEndpoint } from './slices';
import { Upstream, ZoneAnswer } from './upstream';
import { INITIAL_NAMESPACES } from '../../api/cluster-builtins';
import type { KubernetesFeatures } from '../../api/versions';
import { EndpointsTable } from '../endpoints';
import { Inventory } from '../inventory';
import { ServiceModel } from '../services';
import { Trace } from '../trace';
import { DnsRecord } from '../types';
import { PodModel, Workloads } from '../workloads';

/** kubeadm's Corefile sets `ttl 30` in the kubernetes block (the plugin's own default is 5). */
const DNS_TTL = 30;

/** plugin/kubernetes DNSSchemaVersion, served as TXT at `dns-version.<zone>` with a TTL of 28800. */
const DNS_SCHEMA_VERSION = '1.1.0';
const DNS_SCHEMA_TTL = 28800;

/**
 * plugin/backend_lookup.go SOA: refresh 7200, retry 1800, expire 86400, minimum the `ttl`.
 * CoreDNS's serial is the time of the last Service/Endpoints change; the model's cluster never
 * changes, so it is 1.
 */
const SOA_TIMERS = '7200 1800 86400';
const SOA_SERIAL = 1;


/** A ready endpoint address of a Service, named as CoreDNS names it (endpointHostname). */
interface DnsEndpoint {
  readonly ip: string;
  /** Its name under the Service: the endpoint's hostname, else its pod's name or dashed IP. */
  readonly hostname: string;
  /** Whether the EndpointSlice gives it a hostname (CoreDNS 1.12.0 names only those in PTR answers). */
  readonly hasHostname: boolean;
  readonly ports: readonly DnsPort[];
  readonly object: string;
}

interface ServiceRecords {
  readonly svc: ServiceModel;
  /** `<svc>.<ns>.svc.<domain>`. */
  readonly name: string;
  readonly clusterIps: readonly string[];
  readonly endpoints: readonly DnsEndpoint[];
}

/**
 * One thing a name stands for (CoreDNS's msg.Service): an address or, for ExternalName, a target
 * name; the port (SRV) and the item's own name (the SRV target).
 */
interface Item {
  readonly host: string;
  readonly port: number;
  readonly owner: string;
  readonly object?: string;
}

/** What a name stands for ([] is NODATA) and why, or why it does not exist. */
type Found = { readonly items: readonly Item[]; readonly why: string; readonly object?: string } | { readonly nxdomain: string };

const SENTINEL_PORTS: readonly DnsPort[] = [{ name: '', protocol: '', port: -1 }];

/** What the kubernetes plugin reads (internal). */
export interface KubernetesZoneInputs {
  readonly domain: string;
  readonly settings: DnsSettings;
  readonly services: readonly ServiceModel[];
  readonly endpoints: EndpointsTable;
  readonly inventory: Inventory;
  readonly workloads: Workloads;
  /** The address `ns.dns.<domain>` answers with. */
  readonly nameserver: string;
  readonly upstream: Upstream;
  /** The Kubernetes minor: which CoreDNS release answers (kubeadm's). */
  readonly kubernetes: KubernetesFeatures;
}

/**
 * The CoreDNS `kubernetes` plugin for the cluster domain and the reverse zones (kubeadm's
 * Corefile: `kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough
 * in-addr.arpa ip6.arpa; ttl 30 }`), after plugin/kubernetes (kubernetes.go Services, Records,
 * findServices, findPods; parse.go parseRequest; reverse.go; handler.go ServeDNS; ns.go) and
 * plugin/backend_lookup.go (A, AAAA, SRV, CNAME, TXT, PTR, NS, SOA).
 */
export class KubernetesZone {
  private readonly domain: string;
  private readonly settings: DnsSettings;
  private readonly upstream: Upstream;
  private readonly nameserver: string;
  private readonly kubernetes: KubernetesFeatures;
  /** By `<svc>.<ns>`. */
  private readonly services = new Map<string, ServiceRecords>();
  private readonly namespaces = new Set<string>(INITIAL_NAMESPACES);
  /** ClusterIP → its Service (reverse.go checks ClusterIPs first). */
  private readonly clusterIpOwner = new Map<string, ServiceRecords>();
  /** Endpoint address → one name per Service that has it. */
  private readonly endpointNames = new Map<string, { readonly name: string; readonly object: string }[]>();
  /** `namespace|ip` → pods (`pods verified`). */
  private readonly podsByAddress = new Map<string, PodModel[]>();

  public constructor(inputs: KubernetesZoneInputs) {
    this.domain = inputs.domain;
    this.settings = inputs.settings;
    this.upstream = inputs.upstream;
    this.nameserver = inputs.nameserver;
    this.kubernetes = inputs.kubernetes;
    for (const o of inputs.inventory.objects) {
      if (o.namespace !== undefined) this.namespaces.add(o.namespace);
      else if (o.kind === 'Namespace') this.namespaces.add(o.name);
    }
    for (const pod of inputs.workloads.pods) {
      for (const ip of pod.ips) {
        const key = `${pod.namespace}|${ipText(ip) ?? ip}`;
        const list = this.podsByAddress.get(key);
        if (list) list.push(pod);
        else this.podsByAddress.set(key, [pod]);
      }
    }
    const given = givenEndpoints(inputs.inventory, inputs.workloads);
    for (const svc of inputs.services) this.addService(svc, inputs, given);
  }

  /** One query for a name in the cluster domain. */
  public query(fqdn: string, qtype: string, trace: Trace): ZoneAnswer {
    switch (qtype) {
      case 'A':
      case 'AAAA':
        return this.address(fqdn, qtype, trace, []);
      case 'SRV':
        return this.srv(fqdn, trace);
      case 'CNAME':
        return this.cname(fqdn, trace);
      case 'TXT':
        return this.txt(fqdn, trace);
      case 'NS':
        if (fqdn === this.domain) {
          // ns.go nsAddrs: the model has no CoreDNS pods among its endpoints, so the plugin names
          // itself ns.dns.<zone>, as when it finds no Service of its own.
          return this.answer(fqdn, [this.rr(fqdn, 'NS', `ns.dns.${this.domain}`)], trace);
        }
        return this.existence(fqdn, qtype, trace, this.lookupItems(fqdn, 'A'));
      case 'SOA':
        if (fqdn === this.domain) {
          const soa = `ns.dns.${this.domain} hostmaster.${this.domain} ${SOA_SERIAL} ${SOA_TIMERS} ${DNS_TTL}`;
          return this.answer(fqdn, [this.rr(fqdn, 'SOA', soa)], trace);
        }
        // handler.go answers SOA only at the apex and never looks the name up: NODATA.
        trace.add('dns', 'nodata', `${fqdn} SOA: only the zone apex ${this.domain} has an SOA record (NODATA)`);
        return { rcode: 'NOERROR', records: [] };
      default:
        // PTR for a forward name (reverse.go: no address in it, so only whether Records finds it).
        return this.existence(fqdn, qtype, trace, this.records(fqdn));
    }
  }

  /**
   * PTR for a reverse name: the Service that has the address as ClusterIP, else one name per
   * Service with a ready endpoint there; undefined when the plugin has none (it falls through).
   */
  public reverse(fqdn: string, trace: Trace): ZoneAnswer | undefined {
    const ip = reverseNameAddress(fqdn);
    if (ip === undefined) return undefined;
    const owner = this.clusterIpOwner.get(ip);
    if (owner) return this.answer(fqdn, [this.rr(fqdn, 'PTR', owner.name)], trace, owner.svc.ref);
    const names = this.endpointNames.get(ip);
    if (!names) return undefined;
    return this.answer(fqdn, names.map((n) => this.rr(fqdn, 'PTR', n.name)), trace, names[0].object);
  }

  private rr(name: string, type: string, value: string, ttl = DNS_TTL): DnsRecord {
    return { name, type, ttl, value };
  }

  private answer(fqdn: string, records: DnsRecord[], trace: Trace, object?: string): ZoneAnswer {
    trace.add('dns', 'answer', `${fqdn} ${records[0].type}: ${records.map((r) => r.value).join(', ')}`, object);
    return { rcode: 'NOERROR', records };
  }

  private nodata(fqdn: string, qtype: string, trace: Trace, why: string, object?: string): ZoneAnswer {
    trace.add('dns', 'nodata', `${fqdn} exists (${why}) but has no ${qtype} record (NODATA)`, object);
    return { rcode: 'NOERROR', records: [] };
  }

  private nxdomain(fqdn: string, qtype: string, trace: Trace, why: string): ZoneAnswer {
    trace.add('dns', 'nxdomain', `${fqdn} ${qtype}: NXDOMAIN (${why})`);
    return { rcode: 'NXDOMAIN', records: [] };
  }

  /** NODATA when the name exists, else NXDOMAIN (handler.go's fake A lookup for other types). */
  private existence(fqdn: string, qtype: string, trace: Trace, found: Found): ZoneAnswer {
    if ('nxdomain' in found) return this.nxdomain(fqdn, qtype, trace, found.nxdomain);
    return this.nodata(fqdn, qtype, trace, found.why, found.object);
  }

  /** backend_lookup.go A/AAAA: addresses of the wanted family, ExternalName CNAMEs followed. */
  private address(fqdn: string, qtype: 'A' | 'AAAA', trace: Trace, chain: readonly DnsRecord[]): ZoneAnswer {
    const found = this.lookupItems(fqdn, qtype);
    if ('nxdomain' in found) return this.nxdomain(fqdn, qtype, trace, found.nxdomain);
    const direct: DnsRecord[] = [];
    const followed: DnsRecord[] = [];
    const seen = new Set<string>();
    for (const item of found.items) {
      const ip = ipText(item.host);
      if (ip !== undefined) {
        if ((qtype === 'AAAA') === ip.includes(':') && !seen.has(ip)) {
          seen.add(ip);
          direct.push(this.rr(fqdn, qtype, ip));
        }
        continue;
      }
      const target = item.host;
      // An x CNAME x loop, a chain longer than CoreDNS follows, or a CNAME already in it: skipped.
      if (target === fqdn || chain.length > this.kubernetes.maxCnameChain || chain.some((r) => r.name === fqdn && r.value === target)) continue;
      const cname = this.rr(fqdn, 'CNAME', target);
      trace.add('dns', 'answer', `${fqdn} CNAME ${target}`, item.object);
      if (inZone(target, this.domain)) {
        const next = this.address(target, qtype, trace, [...chain, cname]);
        if (next.rcode === 'NOERROR' && next.records.length) {
          followed.push(cname, ...next.records);
        } else {
          trace.add('dns', 'nodata', `${target} has no ${qtype} answer, so CoreDNS leaves out the CNAME too`);
        }
        continue;
      }
      // Outside the zone CoreDNS asks upstream and returns the CNAME with whatever comes back.
      followed.push(cname, ...this.upstream.lookup(target, qtype, trace, `CNAME target outside ${this.domain}`).records);
    }
    if (direct.length) trace.add('dns', 'answer', `${fqdn} ${qtype}: ${direct.map((r) => r.value).join(', ')}`, found.object);
    else if (!followed.length) return this.nodata(fqdn, qtype, trace, found.why, found.object);
    return { rcode: 'NOERROR', records: [...direct, ...followed] };
  }

  /**
   * backend_lookup.go SRV over the items (ExternalName targets already left out): every item
   * counts towards the weight floor(100 / n) (priority 0), portless items (-1) give no record,
   * and records are deduplicated by target and port.
   */
  private srv(fqdn: string, trace: Trace): ZoneAnswer {
    const found = this.lookupItems(fqdn, 'SRV');
    if ('nxdomain' in found) return this.nxdomain(fqdn, 'SRV', trace, found.nxdomain);
    const items = found.items;
    const weight = Math.max(1, Math.floor(100 / Math.max(1, items.length)));
    const records: DnsRecord[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const key = `${item.owner}|${item.port}`;
      if (item.port === -1 || seen.has(key)) continue;
      seen.add(key);
      records.push({ name: fqdn, type: 'SRV', ttl: DNS_TTL, value: `0 ${weight} ${item.port} ${item.owner}`, port: item.port, target: item.owner });
    }
    if (!records.length) return this.nodata(fqdn, 'SRV', trace, found.why, found.object);
    return this.answer(fqdn, records, trace, found.object);
  }

  /** backend_lookup.go CNAME: the first item's target when it is a name. */
  private cname(fqdn: string, trace: Trace): ZoneAnswer {
    const found = this.lookupItems(fqdn, 'CNAME');
    if ('nxdomain' in found) return this.nxdomain(fqdn, 'CNAME', trace, found.nxdomain);
    const first = found.items[0];
    if (!first || ipText(first.host) !== undefined) return this.nodata(fqdn, 'CNAME', trace, found.why, found.object);
    return this.answer(fqdn, [this.rr(fqdn, 'CNAME', first.host)], trace, first.object);
  }

  /**
   * kubernetes.go Services, TXT: `dns-version.<zone>` has the schema version; any other name is
   * NODATA when it stands for something and NXDOMAIN otherwise — so also for parents such as
   * `svc.<zone>`, which are NODATA for other types.
   */
  private txt(fqdn: string, trace: Trace): ZoneAnswer {
    if (fqdn === `dns-version.${this.domain}`) {
      return this.answer(fqdn, [this.rr(fqdn, 'TXT', DNS_SCHEMA_VERSION, DNS_SCHEMA_TTL)], trace);
    }
    const found = this.records(fqdn);
    if ('nxdomain' in found) return this.nxdomain(fqdn, 'TXT', trace, found.nxdomain);
    if (found.items.length === 0) return this.nxdomain(fqdn, 'TXT', trace, `${found.why}; for TXT the plugin needs records of another type there`);
    return this.nodata(fqdn, 'TXT', trace, found.why, found.object);
  }

  /**
   * kubernetes.go Services: `ns.dns.<zone>` is the plugin's own address, anything else Records;
   * for SRV without ExternalName targets ("SRV for external services is not yet implemented").
   */
  private lookupItems(fqdn: string, qtype: string): Found {
    if (fqdn === `ns.dns.${this.domain}`) {
      const family = this.nameserver.includes(':') ? 'AAAA' : 'A';
      return { items: qtype === family ? [{ host: this.nameserver, port: 0, owner: fqdn }] : [], why: 'the name CoreDNS gives itself' };
    }
    const found = this.records(fqdn);
    if ('nxdomain' in found || qtype !== 'SRV') return found;
    return { ...found, items: found.items.filter((i) => ipText(i.host) !== undefined) };
  }

  /** kubernetes.go Records with parse.go parseRequest (no multicluster, no zonal names). */
  private records(fqdn: string): Found {
    const base = fqdn === this.domain ? '' : fqdn.slice(0, -(this.domain.length + 1));
    if (base === '' || base === 'svc' || base === 'pod') return { items: [], why: base === '' ? 'the zone apex' : `a parent of the ${base} names` };
    const segs = base.split('.');
    const kind = segs[segs.length - 1];
    if (kind !== 'svc' && kind !== 'pod') return { nxdomain: `not a <...>.svc.${this.domain} or <...>.pod.${this.domain} name` };
    const namespace = segs[segs.length - 2];
    const name = segs.length > 2 ? segs[segs.length - 3] : '';
    const rest = segs.slice(0, Math.max(0, segs.length - 3));
    if (rest.length > 2) return { nxdomain: 'more labels than any record has' };
    if (!this.namespaces.has(namespace)) return { nxdomain: `namespace ${namespace} does not exist` };
    if (kind === 'pod') return this.findPods(namespace, name);
    const strip = (label: string) => (label.startsWith('_') ? label.slice(1) : label);
    const endpoint = rest.length === 1 ? rest[0] : '';
    const [port, protocol] = rest.length === 2 ? [strip(rest[0]), strip(rest[1])] : ['', ''];
    return this.findServices(namespace, name, endpoint, port, protocol);
  }

  /** kubernetes.go findPods: `<dashed-ip>.<ns>.pod.<zone>` under the `pods` mode. */
  private findPods(namespace: string, podname: string): Found {
    if (this.settings.pods === 'disabled') return { nxdomain: 'pod records are disabled (dns.pods disabled)' };
    if (podname === '') return { items: [], why: `namespace ${namespace} exists; ${namespace}.pod.${this.domain} is only a parent name` };
    const ip = podNameAddress(podname);
    if (ip === undefined) return { nxdomain: `${podname} is not a dashed IP address` };
    const owner = `${podname}.${namespace}.pod.${this.domain}`;
    if (this.settings.pods === 'insecure') return { items: [{ host: ip, port: 0, owner }], why: 'pods insecure: any address in an existing namespace' };
    const pods = this.podsByAddress.get(`${namespace}|${ip}`);
    if (!pods) return { nxdomain: `pods verified: no pod in namespace ${namespace} has IP ${ip}` };
    const object = `Pod/${pods[0].key}`;
    return { items: pods.map(() => ({ host: ip, port: 0, owner, object })), why: `pods verified: pod ${pods[0].key}`, object };
  }

  /** kubernetes.go findServices. */
  private findServices(namespace: string, service: string, endpoint: string, port: string, protocol: string): Found {
    if (service === '') return { items: [], why: `namespace ${namespace} exists; ${namespace}.svc.${this.domain} is only a parent name` };
    const rec = this.services.get(`${service}.${namespace}`);
    if (!rec) return { nxdomain: `no Service ${namespace}/${service}` };
    const { svc } = rec;
    if (svc.type === 'ExternalName') {
      // CoreDNS 1.10 (Kubernetes 1.27–1.28) answered names below an ExternalName Service with its CNAME too (coredns#6162).
      if ((endpoint || port || protocol) && this.kubernetes.externalNameOwnNameOnly) {
        return { nxdomain: `ExternalName Service ${svc.key} has no endpoint or port names below it` };
      }
      const target = svc.externalName;
      // Only a name becomes a CNAME; an externalName that is an IP address answers nothing.
      if (target === undefined || ipText(target) !== undefined) return { nxdomain: `ExternalName Service ${svc.key} has no name to point to` };
      return { items: [{ host: target, port: 0, owner: rec.name, object: svc.ref }], why: `ExternalName Service ${svc.key}`, object: svc.ref };
    }
    const wanted = (p: DnsPort) => (port === '' || port === p.name) && (protocol === '' || protocol === p.protocol.toLowerCase());
    const portText = port || protocol ? ` with port _${port}._${protocol}` : '';
    if (svc.headless || endpoint) {
      const items: Item[] = [];
      for (const e of rec.endpoints) {
        if (endpoint && endpoint !== e.hostname) continue;
        for (const p of e.ports) if (wanted(p)) items.push({ host: e.ip, port: p.port, owner: `${e.hostname}.${rec.name}`, object: e.object });
      }
      if (!items.length) {
        const what = endpoint ? `endpoint ${endpoint}` : 'ready endpoint';
        return { nxdomain: `${svc.headless ? 'headless ' : ''}Service ${svc.key} has no ${what}${portText}` };
      }
      const object = endpoint ? items[0].object : svc.ref;
      return { items, why: endpoint ? `endpoint ${endpoint} of ${svc.key}` : `ready endpoints of headless Service ${svc.key}`, object };
    }
    if (this.settings.ignoreEmptyService && rec.endpoints.length === 0) {
      return { nxdomain: `ignore empty_service (dns.ignoreEmptyService): Service ${svc.key} has no ready endpoint` };
    }
    const items: Item[] = [];
    for (const p of svc.ports) {
      if (!wanted({ name: p.name, protocol: p.protocol, port: p.port })) continue;
      for (const ip of rec.clusterIps) items.push({ host: ip, port: p.port, owner: rec.name, object: svc.ref });
    }
    if (!items.length) return { nxdomain: `Service ${svc.key} has no port${portText}` };
    return { items, why: `ClusterIP of ${svc.key}`, object: svc.ref };
  }

  private addService(svc: ServiceModel, inputs: KubernetesZoneInputs, given: ReadonlyMap<string, readonly SliceEndpoint[]>) {
    const name = `${svc.name}.${svc.namespace}.svc.${this.domain}`;
    // One ClusterIP per family: A answers the IPv4 one, AAAA the IPv6 one, and a single-stack Service NODATA for the other family.
    const clusterIps = svc.headless ? [] : svc.clusterIPs.map((ip) => ipText(ip)).filter((ip): ip is string => ip !== undefined);
    const endpoints = svc.type === 'ExternalName' ? [] : this.endpointsOf(svc, inputs, given);
    const rec: ServiceRecords = { svc, name, clusterIps, endpoints };
    this.services.set(`${svc.name}.${svc.namespace}`, rec);
    for (const ip of clusterIps) if (!this.clusterIpOwner.has(ip)) this.clusterIpOwner.set(ip, rec);
    for (const e of endpoints) {
      // CoreDNS 1.12.0 (Kubernetes 1.33) gave PTR records only to endpoints with a hostname (coredns#6898, reverted by #7194).
      if (this.kubernetes.ptrForHostnamesOnly && !e.hasHostname) continue;
      const ptr = `${e.hostname}.${name}`;
      const list = this.endpointNames.get(e.ip);
      if (!list) this.endpointNames.set(e.ip, [{ name: ptr, object: svc.ref }]);
      else if (!list.some((n) => n.name === ptr)) list.push({ name: ptr, object: svc.ref });
    }
  }

  /**
   * The ready endpoint addresses of a Service as CoreDNS reads its EndpointSlices: each with the
   * ports of its slice (none: a portless slice), named by its hostname, else (with
   * `endpoint_pod_names`) its pod's name when shorter than 64, else its dashed IP. A selector's
   * slices are the endpoints table (what the EndpointSlice controller writes); a selector-less
   * Service's are read as given, ports and all, since CoreDNS does not match them to the
   * Service's ports.
   */
  private endpointsOf(svc: ServiceModel, inputs: KubernetesZoneInputs, given: ReadonlyMap<string, readonly SliceEndpoint[]>): DnsEndpoint[] {
    const out: DnsEndpoint[] = [];
    const add = (e: SliceEndpoint) => {
      const ip = ipText(e.ip);
      if (ip === undefined) return;
      const named = e.hostname ?? (this.settings.endpointPodNames && e.podName && e.podName.length < 64 ? e.podName : dashedIp(ip));
      const ports = e.ports.length ? e.ports : SENTINEL_PORTS;
      out.push({ ip, hostname: named.toLowerCase(), hasHostname: e.hostname !== undefined, ports, object: e.object });
    };
    if (!svc.selector) {
      for (const e of given.get(svc.key) ?? []) add(e);
      // Sorted like the endpoints table, so answers do not depend on manifest order.
      return out.sort((a, b) => compareIpText(a.ip, b.ip));
    }
    const portsByIp = new Map<string, DnsPort[]>();
    for (const pe of inputs.endpoints.byService.get(svc.key) ?? []) {
      for (const e of pe.ready) {
        const list = portsByIp.get(e.ip);
        const port = { name: pe.port.name, protocol: pe.port.protocol, port: e.port };
        if (list) list.push(port);
        else portsByIp.set(e.ip, [port]);
      }
    }
    for (const a of inputs.endpoints.addresses.get(svc.key) ?? []) {
      if (a.ready) add({ ip: a.ip, hostname: a.hostname, podName: a.pod?.name, ports: portsByIp.get(a.ip) ?? [], object: `Pod/${a.pod!.key}` });
    }
    return out;
  }
}
