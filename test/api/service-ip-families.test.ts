// The cluster's Service families from --service-cluster-ip-range, and initIPFamilyFields
// (pkg/registry/core/service/storage/alloc.go) over them. The conformance restatement of the
// upstream tables is test/conformance/apiserver-dual-stack.test.ts.
import { initServiceIpFamilies, serviceClusterIpFamilies } from '../../src/api/service-ip-families';

describe('serviceClusterIpFamilies', () => {
  test.each([
    ['10.96.0.0/12', ['IPv4']],
    ['fd00:10:96::/112', ['IPv6']],
    ['10.96.0.0/12,fd00:10:96::/112', ['IPv4', 'IPv6']],
    ['fd00:10:96::/112,10.96.0.0/12', ['IPv6', 'IPv4']],
    // An empty flag is kube-apiserver's own default, 10.0.0.0/24.
    ['', ['IPv4']],
  ])('%s', (range, families) => {
    expect(serviceClusterIpFamilies(range)).toEqual(families);
  });

  test.each([
    ['not-a-cidr', 'service-cluster-ip-range[0] is not a valid cidr'],
    ['10.96.0.0/12,fd00::', 'service-cluster-ip-range[1] is not an ip net'],
    ['10.96.0.0/30', 'error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses'],
    ['10.96.0.0/12,10.100.0.0/16', '--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family'],
    ['10.96.0.0/12,fd00::/112,10.100.0.0/16', '--service-cluster-ip-range must not contain more than two entries'],
    ['10.0.0.0/8', 'specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12'],
    ['10.96.0.0/12,fd00::/64', 'specified --service-cluster-ip-range[1] is too large; for 128-bit addresses, the mask must be >= 108'],
  ])('%s is refused', (range, message) => {
    expect(() => serviceClusterIpFamilies(range)).toThrow(`--service-cluster-ip-range ${JSON.stringify(range)}: ${message}`);
  });
});

describe('initServiceIpFamilies (create)', () => {
  const v4 = ['IPv4'] as const;
  const v6 = ['IPv6'] as const;
  const dual = ['IPv4', 'IPv6'] as const;

  test('no policy: SingleStack in the primary family', () => {
    expect(initServiceIpFamilies({ type: 'ClusterIP', selector: { app: 'a' } }, v6)).toEqual({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], errors: [] });
  });

  test('PreferDualStack gets both families on a dual-stack cluster, one on a single-stack cluster', () => {
    expect(initServiceIpFamilies({ ipFamilyPolicy: 'PreferDualStack' }, dual).ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(initServiceIpFamilies({ ipFamilyPolicy: 'PreferDualStack' }, v4)).toEqual({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'], errors: [] });
  });

  test('RequireDualStack on a single-stack cluster is refused', () => {
    expect(initServiceIpFamilies({ ipFamilyPolicy: 'RequireDualStack' }, v4).errors).toEqual([
      { field: 'spec.ipFamilyPolicy', type: 'Invalid', value: 'RequireDualStack', message: 'this cluster is not configured for dual-stack services' },
    ]);
  });

  test('a family or an IP of a family the cluster does not serve is refused', () => {
    expect(initServiceIpFamilies({ ipFamilies: ['IPv6'] }, v4).errors).toEqual([
      { field: 'spec.ipFamilies[0]', type: 'Invalid', value: 'IPv6', message: 'not configured on this cluster' },
    ]);
    expect(initServiceIpFamilies({ clusterIP: 'fd00::1', clusterIPs: ['fd00::1'] }, v4).errors).toEqual([
      { field: 'spec.clusterIPs[0]', type: 'Invalid', value: ['fd00::1'], message: 'IPv6 is not configured on this cluster' },
    ]);
  });

  test('families follow explicit clusterIPs', () => {
    expect(initServiceIpFamilies({ clusterIP: 'fd00::1', clusterIPs: ['fd00::1', '10.96.0.5'], ipFamilyPolicy: 'RequireDualStack' }, dual))
      .toEqual({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'], errors: [] });
  });

  test('headless without selector defaults to RequireDualStack and both families, whatever the cluster serves', () => {
    expect(initServiceIpFamilies({ clusterIP: 'None', clusterIPs: ['None'] }, v4)).toEqual({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'], errors: [] });
    expect(initServiceIpFamilies({ clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'a' } }, v4)).toEqual({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], errors: [] });
  });

  test('ExternalName has no families', () => {
    expect(initServiceIpFamilies({ type: 'ExternalName' }, dual)).toEqual({ ipFamilyPolicy: '', ipFamilies: [], errors: [] });
  });
});
