/**
 * networking.k8s.io/v1 ServiceCIDR (KEP-1880, MultiCIDRServiceAllocator GA in 1.33): extra
 * ranges ClusterIPs may come from. ValidateServiceCIDR (pkg/apis/networking/validation).
 * Before 1.33 the API server does not serve the v1 kind (1.31–1.32 only v1beta1, behind a gate
 * that is off), so `kubectl apply` finds no such kind.
 */
import { FieldError } from './field-error';
import { FieldPath, forbidden, invalid, required } from './field-path';
import { KindRules } from './kind-rules';
import { ipFamilyOf, isValidCIDR } from './names';
import { isPlainObject } from './values';

function validateServiceCidr(obj: any, minor: number, version: string): FieldError[] {
  if (minor < 33) {
    return [forbidden('kind', `no matches for kind "ServiceCIDR" in version "networking.k8s.io/v1": Kubernetes ${version} does not serve it (from 1.33)`)];
  }
  const path = FieldPath.root('spec').child('cidrs');
  const spec = obj.spec;
  if (spec !== undefined && spec !== null && !isPlainObject(spec)) return [invalid(FieldPath.root('spec'), spec, 'must be an object')];
  const cidrs = spec?.cidrs;
  if (cidrs !== undefined && cidrs !== null && (!Array.isArray(cidrs) || cidrs.some((c) => typeof c !== 'string'))) {
    return [invalid(path, cidrs, 'must be a list of strings')];
  }
  const list: string[] = cidrs ?? [];
  if (list.length === 0) return [required(path, 'at least one CIDR required')];
  if (list.length > 2) return [invalid(path, spec, 'may only hold up to 2 values')];
  if (list.length === 2) {
    // netutils.IsDualStackCIDRStrings: both parse, one per family.
    const families = list.map((c) => (isValidCIDR(c).length ? undefined : ipFamilyOf(c.slice(0, c.indexOf('/')))));
    if (families.includes(undefined) || families[0] === families[1]) {
      return [invalid(path, spec, 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64')];
    }
  }
  return list.flatMap((cidr, i) => isValidCIDR(cidr).map((msg) => invalid(path.index(i), cidr, msg)));
}

/** networking.k8s.io/v1/ServiceCIDR: cluster-scoped, named by DNS-1123 subdomains. */
export const SERVICE_CIDR_RULES: KindRules = {
  meta: { namespaced: false },
  validate: (obj, _options, features) => validateServiceCidr(obj, features.minor, features.version),
};
