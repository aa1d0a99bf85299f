/**
 * Dual-stack Services in kube-apiserver 1.27, restated from upstream kubernetes/kubernetes tests:
 *
 * - cmd/kube-apiserver/app/options/validation_test.go: TestClusterServiceIPRange and
 *   TestValidateMaxCIDRRange (`--service-cluster-ip-range`, here the `serviceClusterIpRange`
 *   option and serviceClusterIpFamilies).
 * - pkg/apis/core/validation/validation_test.go TestValidateServiceCreate, its "ip families
 *   validation" and "cluster IPs" blocks. Upstream runs ValidateServiceCreate alone; here each case
 *   goes through validateManifest on a dual-stack cluster (both orders), where the allocator
 *   accepts every case upstream's validation accepts except the two upstream marks as "validated in
 *   alloc code" (their outcome is TestCreateInitIPFields' for the same inputs, cited per case).
 * - pkg/registry/core/service/storage/storage_test.go TestCreateInitIPFields (the whole table:
 *   clusters singlestack:v4, singlestack:v6, dualstack:v4v6, dualstack:v6v4, each case by its
 *   upstream name) and TestCreateInvalidClusterIPInputs (error texts). Upstream creates the
 *   Service through the registry; here validateManifest says whether the API server refuses it,
 *   and initServiceIpFamilies gives the ipFamilyPolicy and ipFamilies it stores.
 *
 * TestValidateServiceUpdate is not restated: validateManifest judges creates only.
 */
import { applyDefaults, formatFieldError, validateManifest } from '../../src';
import { initServiceIpFamilies, serviceClusterIpFamilies } from '../../src/api/service-ip-families';
import { validService } from '../api/fixtures';

describe('--service-cluster-ip-range (validation_test.go TestClusterServiceIPRange, TestValidateMaxCIDRRange)', () => {
  test.each([
    ['primary and secondary are provided but not dual stack v4-v4', '10.0.0.0/16,11.0.0.0/16'],
    ['primary and secondary are provided but not dual stack v6-v6', '2000::/108,3000::/108'],
    ['service cidr is too big', '10.0.0.0/8'],
    ['dual-stack secondary cidr too big', '10.0.0.0/16,3000::/64'],
  ])('TestClusterServiceIPRange "%s" is refused', (_name, range) => {
    expect(() => serviceClusterIpFamilies(range)).toThrow(/--service-cluster-ip-range/);
    expect(() => validateManifest(service({}), { serviceClusterIpRange: range })).toThrow(/^serviceClusterIpRange: /);
  });

  test.each([
    ['valid primary', '10.0.0.0/16', ['IPv4']],
    ['valid primary, class E range', '244.0.0.0/16', ['IPv4']],
    ['valid v4-v6 dual stack', '10.0.0.0/16,3000::/108', ['IPv4', 'IPv6']],
    ['valid v6-v4 dual stack', '3000::/108,10.0.0.0/16', ['IPv6', 'IPv4']],
  ])('TestClusterServiceIPRange "%s" is accepted', (_name, range, families) => {
    expect(serviceClusterIpFamilies(range)).toEqual(families);
  });

  test.each([
    ['ipv4 cidr to big', '10.92.0.0/8', 'specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12'],
    ['ipv6 cidr to big', '3000::/64', 'specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108'],
  ])('TestValidateMaxCIDRRange "%s"', (_name, range, message) => {
    expect(() => serviceClusterIpFamilies(range)).toThrow(message);
  });

  test.each([['valid ipv4 cidr', '10.92.0.0/12'], ['valid ipv6 cidr', '3000::/108']])('TestValidateMaxCIDRRange "%s"', (_name, range) => {
    expect(() => serviceClusterIpFamilies(range)).not.toThrow();
  });
});

/** upstream makeValidService (validation_test.go) with `spec` fields set. */
const service = (spec: Record<string, unknown>): any => validService((s) => Object.assign(s, spec));

const R = 'RequireDualStack';
const P = 'PreferDualStack';
const S = 'SingleStack';

describe('validation_test.go TestValidateServiceCreate, dual-stack blocks, on a dual-stack cluster', () => {
  /** [upstream case name, spec fields, upstream numErrs]. */
  const cases: Array<[string, Record<string, unknown>, number]> = [
    // ip families validation
    ['invalid, service with invalid ipFamilies', { ipFamilies: ['not-a-valid-ip-family'] }, 1],
    ['invalid, service with invalid ipFamilies (2nd)', { ipFamilyPolicy: R, ipFamilies: ['IPv4', 'not-a-valid-ip-family'] }, 1],
    ['valid, IPFamilyPolicy(preferDualStack) is set for two families (note: alloc sets families)', { ipFamilyPolicy: P, ipFamilies: ['IPv4', 'IPv6'] }, 0],
    ['invalid, service with 2+ ipFamilies', { ipFamilyPolicy: R, ipFamilies: ['IPv4', 'IPv6', 'IPv4'] }, 1],
    ['invalid, service with same ip families', { ipFamilyPolicy: R, ipFamilies: ['IPv6', 'IPv6'] }, 1],
    ['valid, nil service ipFamilies', {}, 0],
    ['valid, service with valid ipFamilies (v4)', { ipFamilies: ['IPv4'] }, 0],
    ['valid, service with valid ipFamilies (v6)', { ipFamilies: ['IPv6'] }, 0],
    ['valid, service with valid ipFamilies(v4,v6)', { ipFamilyPolicy: R, ipFamilies: ['IPv4', 'IPv6'] }, 0],
    ['valid, service with valid ipFamilies(v6,v4)', { ipFamilyPolicy: R, ipFamilies: ['IPv6', 'IPv4'] }, 0],
    ['valid, service preferred dual stack with single family', { ipFamilyPolicy: P, ipFamilies: ['IPv6'] }, 0],
    // cluster IPs
    ['invalid, garbage single ip', { clusterIP: 'garbage-ip', clusterIPs: ['garbage-ip'] }, 1],
    ['invalid, garbage ips', { ipFamilyPolicy: R, clusterIP: 'garbage-ip', clusterIPs: ['garbage-ip', 'garbage-second-ip'] }, 2],
    ['invalid, garbage first ip', { ipFamilyPolicy: R, clusterIP: 'garbage-ip', clusterIPs: ['garbage-ip', '2001::1'] }, 1],
    ['invalid, garbage second ip', { ipFamilyPolicy: R, clusterIP: '2001::1', clusterIPs: ['2001::1', 'garbage-ip'] }, 1],
    ['invalid, NONE + IP', { ipFamilyPolicy: R, clusterIP: 'None', clusterIPs: ['None', '2001::1'] }, 1],
    ['invalid, IP + NONE', { ipFamilyPolicy: R, clusterIP: '2001::1', clusterIPs: ['2001::1', 'None'] }, 1],
    ['invalid, EMPTY STRING + IP', { ipFamilyPolicy: R, clusterIP: '', clusterIPs: ['', '2001::1'] }, 2],
    ['invalid, IP + EMPTY STRING', { ipFamilyPolicy: R, clusterIP: '2001::1', clusterIPs: ['2001::1', ''] }, 1],
    ['invalid, same ip family (v6)', { ipFamilyPolicy: R, clusterIP: '2001::1', clusterIPs: ['2001::1', '2001::4'], ipFamilies: ['IPv4', 'IPv6'] }, 2],
    ['invalid, same ip family (v4)', { ipFamilyPolicy: R, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.10'], ipFamilies: ['IPv4', 'IPv6'] }, 2],
    ['invalid, more than two ips', { ipFamilyPolicy: R, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001::1', '10.0.0.10'], ipFamilies: ['IPv4', 'IPv6'] }, 1],
    ['valid, headless-no-selector + multi family + gate off', { ipFamilyPolicy: R, clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4', 'IPv6'], selector: undefined }, 0],
    ['valid, multi ip, single ipfamilies preferDualStack', { ipFamilyPolicy: P, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001::1'], ipFamilies: ['IPv4'] }, 0],
    ['valid, multi ip, single ipfamilies (must match when provided) + requireDualStack', { ipFamilyPolicy: R, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001::1'], ipFamilies: ['IPv4'] }, 0],
    ['invalid, families don\'t match (v4=>v6)', { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ipFamilies: ['IPv6'] }, 1],
    ['invalid, families don\'t match (v6=>v4)', { clusterIP: '2001::1', clusterIPs: ['2001::1'], ipFamilies: ['IPv4'] }, 1],
    ['valid. no field set', {}, 0],
    ['valid, single ip', { ipFamilyPolicy: S, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] }, 0],
    ['valid, single family', { ipFamilyPolicy: S, ipFamilies: ['IPv6'] }, 0],
    ['valid, single ip + single family', { ipFamilyPolicy: S, clusterIP: '2001::1', clusterIPs: ['2001::1'], ipFamilies: ['IPv6'] }, 0],
    ['valid, single ip + single family (dual stack requested)', { ipFamilyPolicy: P, clusterIP: '2001::1', clusterIPs: ['2001::1'], ipFamilies: ['IPv6'] }, 0],
    ['valid, single ip, multi ipfamilies', { ipFamilyPolicy: R, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ipFamilies: ['IPv4', 'IPv6'] }, 0],
    ['valid, multi ips, multi ipfamilies (4,6)', { ipFamilyPolicy: R, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001::1'], ipFamilies: ['IPv4', 'IPv6'] }, 0],
    ['valid, ips, multi ipfamilies (6,4)', { ipFamilyPolicy: R, clusterIP: '2001::1', clusterIPs: ['2001::1', '10.0.0.1'], ipFamilies: ['IPv6', 'IPv4'] }, 0],
    ['valid, multi ips (6,4)', { ipFamilyPolicy: R, clusterIP: '2001::1', clusterIPs: ['2001::1', '10.0.0.1'] }, 0],
    ['valid, multi ipfamilies (6,4)', { ipFamilyPolicy: R, ipFamilies: ['IPv6', 'IPv4'] }, 0],
    ['valid, multi ips (4,6)', { ipFamilyPolicy: R, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001::1'] }, 0],
    ['valid,  multi ipfamilies (4,6)', { ipFamilyPolicy: R, ipFamilies: ['IPv4', 'IPv6'] }, 0],
    ['valid, dual stack', { ipFamilyPolicy: R }, 0],
    ['invalid cluster ip != clusterIP in multi ip service', { ipFamilyPolicy: R, clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.1', '2001::1'] }, 1],
    ['invalid cluster ip != clusterIP in single ip service', { clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.1'] }, 1],
  ];

  describe.each([['10.0.0.0/16,2001::/112'], ['2001::/112,10.0.0.0/16']])('--service-cluster-ip-range=%s', (serviceClusterIpRange) => {
    test.each(cases)('%s', (_name, spec, numErrs) => {
      expect(validateManifest(service(spec), { serviceClusterIpRange })).toHaveLength(numErrs);
    });

    // Upstream: numErrs 0, "this validated in alloc code"; the allocator refuses both, as
    // TestCreateInitIPFields "ClusterIPs:unset_Policy:SingleStack_Families:v4v6" and
    // "ClusterIPs:v4v6_Policy:SingleStack_Families:v4v6" expect on every cluster.
    test.each([
      ['IPFamilyPolicy(singleStack) is set for two families', { ipFamilyPolicy: S, ipFamilies: ['IPv4', 'IPv6'] },
        ['spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified']],
      [' multi ip, dualstack not set (request for downgrade)', { ipFamilyPolicy: S, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001::1'], ipFamilies: ['IPv4', 'IPv6'] }, [
        'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple cluster IPs are specified',
        'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified',
      ]],
    ])('%s (refused by the allocator)', (_name, spec, lines) => {
      expect(validateManifest(service(spec), { serviceClusterIpRange }).map(formatFieldError)).toEqual(lines);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// storage_test.go TestCreateInitIPFields

const CLUSTERS = {
  'singlestack:v4': '10.0.0.0/16',
  'singlestack:v6': '2000::/108',
  'dualstack:v4v6': '10.0.0.0/16,2000::/108',
  'dualstack:v6v4': '2000::/108,10.0.0.0/16',
} as const;
type ClusterName = keyof typeof CLUSTERS;

const POLICIES = ['unset', 'SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
const FAMILIES = ['unset', 'v4', 'v6', 'v4v6', 'v6v4'] as const;
const IPS: Record<string, string[]> = { v4: ['10.0.0.1'], v6: ['2000::1'], v4v6: ['10.0.0.1', '2000::1'], v6v4: ['2000::1', '10.0.0.1'] };
const FAMILY_NAMES: Record<string, string[]> = { v4: ['IPv4'], v6: ['IPv6'], v4v6: ['IPv4', 'IPv6'], v6v4: ['IPv6', 'IPv4'], 4: ['IPv4'], 6: ['IPv6'], 46: ['IPv4', 'IPv6'], 64: ['IPv6', 'IPv4'] };

/**
 * Upstream's expectations, one row per policy (unset, SingleStack, PreferDualStack,
 * RequireDualStack), one column per requested families (unset, v4, v6, v4v6, v6v4): `E` is
 * expectError; otherwise the expected policy's initial (S, P, R) and families (`46` = IPv4, IPv6).
 */
const TABLE: Record<ClusterName, Record<string, string[]>> = {
  'singlestack:v4': {
    'ClusterIPs:unset': ['S4 S4 E E E', 'S4 S4 E E E', 'P4 P4 E E E', 'E E E E E'],
    'ClusterIPs:v4': ['S4 S4 E E E', 'S4 S4 E E E', 'P4 P4 E E E', 'E E E E E'],
    'ClusterIPs:v4v6': ['E E E E E', 'E E E E E', 'E E E E E', 'E E E E E'],
    'ClusterIPs:v6v4': ['E E E E E', 'E E E E E', 'E E E E E', 'E E E E E'],
    'Headless': ['S4 S4 E E E', 'S4 S4 E E E', 'P4 P4 E E E', 'E E E E E'],
    'HeadlessSelectorless': ['R46 R46 R64 R46 R64', 'S4 S4 S6 E E', 'P46 P46 P64 P46 P64', 'R46 R46 R64 R46 R64'],
  },
  'singlestack:v6': {
    'ClusterIPs:unset': ['S6 E S6 E E', 'S6 E S6 E E', 'P6 E P6 E E', 'E E E E E'],
    'ClusterIPs:v6': ['S6 E S6 E E', 'S6 E S6 E E', 'P6 E P6 E E', 'E E E E E'],
    'ClusterIPs:v4v6': ['E E E E E', 'E E E E E', 'E E E E E', 'E E E E E'],
    'ClusterIPs:v6v4': ['E E E E E', 'E E E E E', 'E E E E E', 'E E E E E'],
    'Headless': ['S6 E S6 E E', 'S6 E S6 E E', 'P6 E P6 E E', 'E E E E E'],
    'HeadlessSelectorless': ['R64 R46 R64 R46 R64', 'S6 S4 S6 E E', 'P64 P46 P64 P46 P64', 'R64 R46 R64 R46 R64'],
  },
  'dualstack:v4v6': {
    'ClusterIPs:unset': ['S4 S4 S6 E E', 'S4 S4 S6 E E', 'P46 P46 P64 P46 P64', 'R46 R46 R64 R46 R64'],
    'ClusterIPs:v4': ['S4 S4 E E E', 'S4 S4 E E E', 'P46 P46 E P46 E', 'R46 R46 E R46 E'],
    'ClusterIPs:v6': ['S6 E S6 E E', 'S6 E S6 E E', 'P64 E P64 E P64', 'R64 E R64 E R64'],
    'ClusterIPs:v4v6': ['E E E E E', 'E E E E E', 'P46 P46 E P46 E', 'R46 R46 E R46 E'],
    'ClusterIPs:v6v4': ['E E E E E', 'E E E E E', 'P64 E P64 E P64', 'R64 E R64 E R64'],
    'Headless': ['S4 S4 S6 E E', 'S4 S4 S6 E E', 'P46 P46 P64 P46 P64', 'R46 R46 R64 R46 R64'],
    'HeadlessSelectorless': ['R46 R46 R64 R46 R64', 'S4 S4 S6 E E', 'P46 P46 P64 P46 P64', 'R46 R46 R64 R46 R64'],
  },
  'dualstack:v6v4': {
    'ClusterIPs:unset': ['S6 S4 S6 E E', 'S6 S4 S6 E E', 'P64 P46 P64 P46 P64', 'R64 R46 R64 R46 R64'],
    'ClusterIPs:v4': ['S4 S4 E E E', 'S4 S4 E E E', 'P46 P46 E P46 E', 'R46 R46 E R46 E'],
    'ClusterIPs:v6': ['S6 E S6 E E', 'S6 E S6 E E', 'P64 E P64 E P64', 'R64 E R64 E R64'],
    'ClusterIPs:v4v6': ['E E E E E', 'E E E E E', 'P46 P46 E P46 E', 'R46 R46 E R46 E'],
    'ClusterIPs:v6v4': ['E E E E E', 'E E E E E', 'P64 E P64 E P64', 'R64 E R64 E R64'],
    'Headless': ['S6 S4 S6 E E', 'S6 S4 S6 E E', 'P64 P46 P64 P46 P64', 'R64 R46 R64 R46 R64'],
    'HeadlessSelectorless': ['R64 R46 R64 R46 R64', 'S6 S4 S6 E E', 'P64 P46 P64 P46 P64', 'R64 R46 R64 R46 R64'],
  },
};

const POLICY_BY_INITIAL: Record<string, string> = { S: 'SingleStack', P: 'PreferDualStack', R: 'RequireDualStack' };

/** upstream svctest.MakeService("foo", …) with the case's tweaks, as v1 JSON. */
function makeService(group: string, policy: string, families: string): any {
  const spec: Record<string, unknown> = { selector: { k: 'v' }, sessionAffinity: 'None', type: 'ClusterIP', ports: [{ port: 93, targetPort: 76, protocol: 'TCP' }] };
  const ips = group.startsWith('ClusterIPs:') ? IPS[group.slice('ClusterIPs:'.length)] : undefined;
  if (ips) Object.assign(spec, { clusterIP: ips[0], clusterIPs: ips });
  if (group.startsWith('Headless')) Object.assign(spec, { clusterIP: 'None', clusterIPs: ['None'] });
  if (group === 'HeadlessSelectorless') delete spec.selector;
  if (policy !== 'unset') spec.ipFamilyPolicy = policy;
  if (families !== 'unset') spec.ipFamilies = FAMILY_NAMES[families];
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'default' }, spec };
}

const initCases = Object.entries(TABLE).flatMap(([cluster, groups]) => Object.entries(groups).flatMap(([group, rows]) =>
  rows.flatMap((row, p) => row.split(' ').map((outcome, f) => ({
    cluster: cluster as ClusterName,
    name: `${group}_Policy:${POLICIES[p]}_Families:${FAMILIES[f]}`,
    svc: makeService(group, POLICIES[p], FAMILIES[f]),
    outcome,
  })))));

describe('storage_test.go TestCreateInitIPFields', () => {
  test('the table has every upstream case (120 per single-stack cluster, 140 per dual-stack cluster)', () => {
    expect(initCases.length).toBe(2 * 120 + 2 * 140);
  });

  describe.each(Object.keys(CLUSTERS) as ClusterName[])('%s', (cluster) => {
    const serviceClusterIpRange = CLUSTERS[cluster];
    test.each(initCases.filter((c) => c.cluster === cluster).map((c) => [c.name, c.svc, c.outcome]))('%s', (_name, svc, outcome) => {
      const errors = validateManifest(svc, { serviceClusterIpRange });
      if (outcome === 'E') {
        expect(errors.length).toBeGreaterThan(0);
        return;
      }
      expect(errors).toEqual([]);
      const clusterFamilies = serviceClusterIpFamilies(serviceClusterIpRange);
      const { ipFamilyPolicy, ipFamilies, errors: allocationErrors } = initServiceIpFamilies(applyDefaults(svc).spec, clusterFamilies);
      expect(allocationErrors).toEqual([]);
      expect({ ipFamilyPolicy, ipFamilies }).toEqual({ ipFamilyPolicy: POLICY_BY_INITIAL[outcome[0]], ipFamilies: FAMILY_NAMES[outcome.slice(1)] });
    });
  });
});

describe('storage_test.go TestCreateInvalidClusterIPInputs', () => {
  const V4 = '10.0.0.0/16';
  const DUAL = '10.0.0.0/16,2000::/108';
  test.each([
    ['bad_ipFamilyPolicy', V4, { ipFamilyPolicy: 'garbage' }, ['Unsupported value']],
    ['requiredual_ipFamilyPolicy_on_singlestack', V4, { ipFamilyPolicy: R }, ['cluster is not configured for dual-stack']],
    ['bad_ipFamilies_0_value', V4, { ipFamilies: ['garbage'] }, ['Unsupported value']],
    ['bad_ipFamilies_1_value', V4, { ipFamilies: ['IPv4', 'garbage'] }, ['Unsupported value']],
    ['bad_ipFamilies_2_value', DUAL, { ipFamilies: ['IPv4', 'IPv6', 'garbage'] }, ['Unsupported value']],
    ['wrong_ipFamily', V4, { ipFamilies: ['IPv6'] }, ['not configured on this cluster']],
    ['too_many_ipFamilies_on_singlestack', V4, { ipFamilies: ['IPv4', 'IPv6'] }, ['when multiple IP families are specified']],
    ['dup_ipFamily_singlestack', V4, { ipFamilies: ['IPv4', 'IPv4'] }, ['Duplicate value']],
    ['dup_ipFamily_dualstack', DUAL, { ipFamilies: ['IPv4', 'IPv6', 'IPv6'] }, ['Duplicate value']],
    ['bad_IP', V4, { clusterIP: 'garbage', clusterIPs: ['garbage'] }, ['must be a valid IP']],
    ['IP_wrong_family', V4, { clusterIP: '2000::1', clusterIPs: ['2000::1'] }, ['not configured on this cluster']],
    ['IP_doesnt_match_family', V4, { ipFamilies: ['IPv4'], clusterIP: '2000::1', clusterIPs: ['2000::1'] }, ['expected an IPv4 value as indicated']],
    ['too_many_IPs_singlestack', V4, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.2'] }, ['no more than one IP for each IP family']],
    ['too_many_IPs_dualstack', DUAL, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2000::1', '10.0.0.2'] }, ['only hold up to 2 values']],
    ['dup_IPs', V4, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.1'] }, ['no more than one IP for each IP family']],
    ['empty_IP', V4, { clusterIP: '', clusterIPs: [''] }, ['must be empty when', 'must be a valid IP']],
    ['None_IP_1', V4, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'None'] }, ['must be a valid IP']],
  ])('%s', (_name, serviceClusterIpRange, spec, fragments) => {
    const text = validateManifest(service(spec), { serviceClusterIpRange }).map(formatFieldError).join('\n');
    for (const fragment of fragments) expect(text).toContain(fragment);
  });
});
