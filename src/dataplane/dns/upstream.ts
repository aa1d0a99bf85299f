import { Trace } from '../trace';
import { DnsRecord } from '../types';

/** The model does not know an upstream's TTLs; its answers carry the cluster's. */
const UPSTREAM_TTL = 30;

/** One answer of a DNS server: records, or none (NODATA), or NXDOMAIN (internal). */
export interface ZoneAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
  readonly records: DnsRecord[];
}

/**
 * The resolver CoreDNS forwards everything else to (kubeadm's Corefile: `forward . /etc/resolv.conf`),
 * as `dns.upstream` describes it: a listed name answers A with its IPv4 and AAAA with its IPv6
 * addresses and is NODATA for other types; any other name is NXDOMAIN.
 */
export class Upstream {
  public constructor(private readonly names: ReadonlyMap<string, readonly string[]> | undefined) {}

  public lookup(fqdn: string, qtype: string, trace: Trace, why: string): ZoneAnswer {
    if (!this.names) {
      trace.add('dns', 'forward', `${fqdn} ${qtype}: ${why}: CoreDNS forwards it upstream (forward . /etc/resolv.conf); no upstream configured (dns.upstream), so NXDOMAIN`);
      return { rcode: 'NXDOMAIN', records: [] };
    }
    const addresses = this.names.get(fqdn);
    if (!addresses) {
      trace.add('dns', 'forward', `${fqdn} ${qtype}: ${why}: forwarded upstream, which does not know it (not in dns.upstream): NXDOMAIN`);
      return { rcode: 'NXDOMAIN', records: [] };
    }
    const family = qtype === 'A' ? (ip: string) => !ip.includes(':') : qtype === 'AAAA' ? (ip: string) => ip.includes(':') : () => false;
    const records = addresses.filter(family).map((ip): DnsRecord => ({ name: fqdn, type: qtype, ttl: UPSTREAM_TTL, value: ip }));
    trace.add('dns', 'forward', records.length
      ? `${fqdn} ${qtype}: ${why}: forwarded upstream: ${records.map((r) => r.value).join(', ')}`
      : `${fqdn} ${qtype}: ${why}: forwarded upstream, which has no ${qtype} record for it (NODATA)`);
    return { rcode: 'NOERROR', records };
  }
}
