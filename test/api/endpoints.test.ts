// Endpoints and EndpointSlice rules restated from kubernetes/kubernetes 1.27:
// pkg/apis/core/validation/validation.go (ValidateEndpoints, validateEndpointSubsets,
// validateEndpointPort, ValidateNonSpecialIP) and pkg/apis/discovery/validation/validation.go.
import { applyDefaults, validateManifest } from '../../src';

const endpoints = (subsets: any) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db' }, subsets });
const slice = (extra: any) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-1' }, addressType: 'IPv4', ...extra });
const fields = (obj: any) => validateManifest(obj).map((e) => `${e.field} ${e.type}`);

describe('v1/Endpoints', () => {
  test('a subset with an address and a port is accepted; protocol defaults to TCP', () => {
    const e = endpoints([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }]);
    expect(validateManifest(e)).toEqual([]);
    expect(applyDefaults(e).subsets[0].ports[0].protocol).toBe('TCP');
  });

  test.each([
    ['0.0.0.0', 'may not be unspecified (0.0.0.0)'],
    ['127.0.0.1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['169.254.169.254', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ['224.0.0.1', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
    ['10.0.0', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  ])('ValidateNonSpecialIP rejects %s', (ip, message) => {
    const errs = validateManifest(endpoints([{ addresses: [{ ip }], ports: [{ port: 1 }] }]));
    expect(errs).toEqual([expect.objectContaining({ field: 'subsets[0].addresses[0].ip', type: 'Invalid', message })]);
  });

  test('a port name is required when a subset has more than one port', () => {
    expect(fields(endpoints([{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 1 }, { name: 'b', port: 2 }] }]))).toEqual(['subsets[0].ports[0].name Required']);
  });

  test('a subset needs addresses or notReadyAddresses', () => {
    expect(fields(endpoints([{ ports: [{ port: 1 }] }]))).toEqual(['subsets[0] Required']);
  });

  test('port numbers and protocols are checked', () => {
    expect(fields(endpoints([{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 0, protocol: 'ICMP' }] }])))
      .toEqual(['subsets[0].ports[0].port Invalid', 'subsets[0].ports[0].protocol NotSupported']);
  });
});

describe('discovery.k8s.io/v1 EndpointSlice', () => {
  test('a well-formed slice is accepted', () => {
    expect(validateManifest(slice({ endpoints: [{ addresses: ['10.1.2.3'], conditions: { ready: true } }], ports: [{ name: 'pg', port: 5432 }] }))).toEqual([]);
  });
  test('addressType is required and must be IPv4, IPv6 or FQDN', () => {
    expect(fields(slice({ addressType: undefined }))).toEqual(['addressType Required']);
    expect(fields(slice({ addressType: 'IP' }))).toEqual(['addressType NotSupported']);
  });
  test('addresses must match the addressType', () => {
    expect(fields(slice({ endpoints: [{ addresses: ['2001:db8::1'] }] }))).toEqual(['endpoints[0].addresses[0] Invalid']);
    expect(fields(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com'] }] }))).toEqual([]);
  });
  test('an endpoint needs at least one address; at most 100', () => {
    expect(fields(slice({ endpoints: [{ addresses: [] }] }))).toEqual(['endpoints[0].addresses Required']);
    const many = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(fields(slice({ endpoints: [{ addresses: many }] }))).toEqual(['endpoints[0].addresses TooMany']);
  });
  test('port names are DNS labels and unique', () => {
    expect(fields(slice({ ports: [{ name: 'Web', port: 1 }, { name: 'a', port: 2 }, { name: 'a', port: 3 }] })))
      .toEqual(['ports[0].name Invalid', 'ports[2].name Duplicate']);
  });
  test('conditions are booleans', () => {
    expect(fields(slice({ endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: 'yes' } }] }))).toEqual(['endpoints[0].conditions.ready Invalid']);
  });
});
