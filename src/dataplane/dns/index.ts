export { ClusterDns, ClusterDnsInputs, DNS_TYPES, PodResolver, ResolverConfig } from './resolver';
export { DnsSettings, parseDnsOptions } from './options';
