import { ipText } from './names';
import { isDns1123Subdomain } from '../../api/names';
import { isPlainObject } from '../../api/values';
import { DnsOptions } from '../types';

/** `pods` modes of the CoreDNS kubernetes plugin (plugin/kubernetes/kubernetes.go). */
export const POD_MODES = ['insecure', 'verified', 'disabled'];

/** The DNS options with every default applied (internal). */
export interface DnsSettings {
  readonly pods: string;
  readonly ignoreEmptyService: boolean;
  readonly endpointPodNames: boolean;
  /** Name → addresses (canonical text) the upstream resolver answers; undefined without an upstream. */
  readonly upstream?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Reads `ClusterOptions.dns`. The defaults are kubeadm's Corefile: `pods insecure`, neither
 * `ignore empty_service` nor `endpoint_pod_names` (the plugin's own default for `pods` is disabled).
 */
export function parseDnsOptions(o: DnsOptions | undefined, clusterDomain: string): DnsSettings {
  const fail = (msg: string): never => {
    throw new Error(`Cluster options: dns.${msg}`);
  };
  if (o === undefined) return { pods: 'insecure', ignoreEmptyService: false, endpointPodNames: false };
  if (!isPlainObject(o)) throw new Error(`Cluster options: dns must be an object, got ${JSON.stringify(o)}`);
  const pods = o.pods ?? 'insecure';
  if (!POD_MODES.includes(pods)) fail(`pods must be one of ${POD_MODES.join(', ')}, got ${JSON.stringify(o.pods)}`);
  const flag = (field: 'ignoreEmptyService' | 'endpointPodNames') => {
    const v = o[field] ?? false;
    if (typeof v !== 'boolean') fail(`${field} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };
  const settings = { pods, ignoreEmptyService: flag('ignoreEmptyService'), endpointPodNames: flag('endpointPodNames') };
  if (o.upstream === undefined) return settings;
  if (!isPlainObject(o.upstream)) fail(`upstream must be a map of name to addresses, got ${JSON.stringify(o.upstream)}`);
  const upstream = new Map<string, string[]>();
  for (const [given, addresses] of Object.entries(o.upstream)) {
    const name = given.toLowerCase().replace(/\.$/, '');
    if (isDns1123Subdomain(name).length) fail(`upstream[${JSON.stringify(given)}]: not a DNS name`);
    if (name === clusterDomain || name.endsWith(`.${clusterDomain}`)) {
      fail(`upstream[${JSON.stringify(given)}]: names in the cluster domain ${clusterDomain} are answered by the kubernetes plugin, not upstream`);
    }
    if (!Array.isArray(addresses)) fail(`upstream[${JSON.stringify(given)}] must be a list of IP addresses, got ${JSON.stringify(addresses)}`);
    const texts = addresses.map((a) => (typeof a === 'string' ? ipText(a) : undefined) ?? fail(`upstream[${JSON.stringify(given)}]: ${JSON.stringify(a)} is not an IP address`));
    if (upstream.has(name)) fail(`upstream: ${JSON.stringify(given)} is listed twice`);
    upstream.set(name, texts);
  }
  return { ...settings, upstream };
}
