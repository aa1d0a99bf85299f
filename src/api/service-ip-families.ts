/**
 * The IP families a cluster serves Services in, and the create-time family defaulting of
 * kube-apiserver 1.27: the `--service-cluster-ip-range` flag (cmd/kube-apiserver/app/options:
 * getServiceIPAndRanges in completion, validateClusterIPFlags in validation.go) and the
 * allocator's initIPFamilyFields (pkg/registry/core/service/storage/alloc.go), which runs before
 * ValidateService and decides `ipFamilyPolicy` and `ipFamilies` from what the cluster serves.
 */
import { FieldError } from './field-error';
import { FieldPath, invalid } from './field-path';
import { ipFamilyOf, isValidCIDR } from './names';
import { isPlainObject } from './values';

export type IpFamily = 'IPv4' | 'IPv6';

/** kubeadm's `--service-cluster-ip-range` (kube-apiserver itself falls back to 10.0.0.0/24 for an empty flag). */
export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
/** kube-apiserver's own fallback for an empty `--service-cluster-ip-range` (DefaultServiceIPCIDR). */
const EMPTY_FLAG_RANGE = '10.0.0.0/24';
/** validateClusterIPFlags' maxCIDRBits while MultiCIDRServiceAllocator is off (1.27): the bitmap lives in etcd. */
const MAX_CIDR_HOST_BITS = 20;
/** controlplane.ServiceIPRange: a range must hold at least 8 addresses. */
const MIN_RANGE_HOST_BITS = 3;

/** A parsed CIDR of the flag: its family and prefix length. */
interface FlagCidr {
  readonly family: IpFamily;
  readonly prefix: number;
}

function parseFlagCidr(text: string): FlagCidr | undefined {
  if (isValidCIDR(text).length) return undefined;
  const slash = text.indexOf('/');
  return { family: ipFamilyOf(text.slice(0, slash))!, prefix: Number(text.slice(slash + 1)) };
}

const addressBits = (family: IpFamily) => (family === 'IPv4' ? 32 : 128);

/**
 * What kube-apiserver says of a `--service-cluster-ip-range` value: the parse errors of its
 * completion step (which stop at the first), else every error of validateClusterIPFlags.
 */
function clusterIpRangeErrors(range: string): { families: IpFamily[]; errors: string[] } {
  const entries = (range === '' ? EMPTY_FLAG_RANGE : range).split(',');
  const primary = parseFlagCidr(entries[0]);
  if (!primary) return { families: [], errors: ['service-cluster-ip-range[0] is not a valid cidr'] };
  if (addressBits(primary.family) - primary.prefix < MIN_RANGE_HOST_BITS) {
    return { families: [], errors: ['error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses'] };
  }
  const secondary = entries.length > 1 ? parseFlagCidr(entries[1]) : undefined;
  if (entries.length > 1 && !secondary) return { families: [], errors: ['service-cluster-ip-range[1] is not an ip net'] };

  const errors: string[] = [];
  if (entries.length > 2) errors.push('--service-cluster-ip-range must not contain more than two entries');
  const tooLarge = (cidr: FlagCidr, flag: string) => {
    const bits = addressBits(cidr.family);
    if (bits - cidr.prefix > MAX_CIDR_HOST_BITS) {
      errors.push(`specified ${flag} is too large; for ${bits}-bit addresses, the mask must be >= ${bits - MAX_CIDR_HOST_BITS}`);
    }
  };
  tooLarge(primary, '--service-cluster-ip-range');
  if (secondary) {
    if (secondary.family === primary.family) errors.push('--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family');
    tooLarge(secondary, '--service-cluster-ip-range[1]');
  }
  return { families: secondary ? [primary.family, secondary.family] : [primary.family], errors };
}

/**
 * The IP families a cluster with this kube-apiserver `--service-cluster-ip-range` serves Services
 * in, primary (the default family) first: one CIDR is single-stack, two of different families
 * dual-stack. Throws an Error naming the flag and value, with kube-apiserver's wording, when the
 * API server would refuse to start with it (1.27 rules: at most two entries, one per family,
 * each holding 8 … 2^20 addresses).
 */
export function serviceClusterIpFamilies(range: string): IpFamily[] {
  const { families, errors } = clusterIpRangeErrors(range);
  if (errors.length) throw new Error(`--service-cluster-ip-range ${JSON.stringify(range)}: ${errors.join('; ')}`);
  return families;
}

/**
 * The fields of a v1 Service spec the family defaulting reads, as a manifest holds them after
 * the v1 defaults (a lone `clusterIP` has seeded `clusterIPs`).
 */
export interface ServiceFamilyFields {
  readonly type?: string;
  readonly clusterIP?: string;
  readonly clusterIPs?: ReadonlyArray<string | undefined>;
  readonly ipFamilies?: ReadonlyArray<string | undefined>;
  readonly ipFamilyPolicy?: string | null;
  readonly selector?: unknown;
}

/** The outcome of initServiceIpFamilies. */
export interface ServiceIpFamilies {
  /** The requested or defaulted policy; `''` for ExternalName, which has none. */
  readonly ipFamilyPolicy: string;
  /** The families the Service gets ClusterIPs in, primary first; empty for ExternalName. */
  readonly ipFamilies: IpFamily[];
  /** The API server's refusals (the Service is not created when there are any). */
  readonly errors: FieldError[];
}

const otherFamily = (family: IpFamily): IpFamily => (family === 'IPv4' ? 'IPv6' : 'IPv4');

/**
 * initIPFamilyFields of kube-apiserver 1.27 on create, for a spec that ValidateService's
 * clusterIP/family checks accept: defaults `ipFamilyPolicy` (RequireDualStack for a headless
 * Service without selector, SingleStack otherwise), infers families from explicit clusterIPs,
 * refuses what the cluster (`clusterFamilies`, primary first, see serviceClusterIpFamilies)
 * does not serve, then fills in the primary family and, for a dual-stack policy on a dual-stack
 * cluster, the other one. A headless Service without selector is never refused for families.
 */
export function initServiceIpFamilies(spec: ServiceFamilyFields, clusterFamilies: readonly IpFamily[]): ServiceIpFamilies {
  if (spec.type === 'ExternalName') return { ipFamilyPolicy: '', ipFamilies: [], errors: [] };
  const specPath = FieldPath.root('spec');
  const clusterIPs = (spec.clusterIPs ?? []).filter((ip): ip is string => typeof ip === 'string');
  const families = (spec.ipFamilies ?? []).filter((f): f is IpFamily => f === 'IPv4' || f === 'IPv6');
  const served = new Set(clusterFamilies);
  const headlessWithoutSelector = spec.clusterIP === 'None' && !(isPlainObject(spec.selector) && Object.keys(spec.selector).length > 0);
  const policy = spec.ipFamilyPolicy ?? (headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack');
  const errors: FieldError[] = [];

  if (policy === 'SingleStack') {
    if (clusterIPs.length === 2) {
      errors.push(invalid(specPath.child('ipFamilyPolicy'), policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (families.length === 2) {
      errors.push(invalid(specPath.child('ipFamilyPolicy'), policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  // An explicit IP without a family entry names its own family; reported on the IP, as the user wrote it.
  for (let i = 0; i < clusterIPs.length && clusterIPs[i] !== 'None'; i++) {
    const family = ipFamilyOf(clusterIPs[i]);
    if (!family || i < families.length) continue;
    if (served.has(family)) families.push(family);
    else errors.push(invalid(specPath.child('clusterIPs').index(i), [...clusterIPs], `${family} is not configured on this cluster`));
  }
  if (errors.length) return { ipFamilyPolicy: policy, ipFamilies: families, errors };

  // Headless without selector: the endpoints are the user's, so every family is allowed.
  if (headlessWithoutSelector) {
    if (families.length === 0) families.push(clusterFamilies[0]);
    if (families.length < 2 && policy !== 'SingleStack') families.push(otherFamily(families[0]));
    return { ipFamilyPolicy: policy, ipFamilies: families, errors };
  }

  if (policy === 'RequireDualStack' && served.size < 2) {
    errors.push(invalid(specPath.child('ipFamilyPolicy'), policy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((family, i) => {
    if (!served.has(family)) errors.push(invalid(specPath.child('ipFamilies').index(i), family, 'not configured on this cluster'));
  });
  if (errors.length) return { ipFamilyPolicy: policy, ipFamilies: families, errors };

  if (families.length === 0) families.push(clusterFamilies[0]);
  if (policy !== 'SingleStack' && families.length === 1 && served.size === 2) families.push(otherFamily(families[0]));
  return { ipFamilyPolicy: policy, ipFamilies: families, errors };
}
