/**
 * NetworkPolicy defaults and validation, restated from kubernetes/kubernetes
 * pkg/apis/networking/validation/validation_test.go (TestValidateNetworkPolicy: successCases and
 * errorCases, 1.27) and pkg/apis/networking/v1/defaults_test.go (TestSetDefaultNetworkPolicy).
 */
import { applyDefaults, Cluster, validateManifest } from '../../src';

const np = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bar', namespace: 'foo' }, spec });
const errorsOf = (spec: Record<string, unknown>) => validateManifest(np(spec)).map((e) => `${e.type} ${e.field}${e.message ? `: ${e.message}` : ''}`);

describe('defaults (TestSetDefaultNetworkPolicy)', () => {
  test('no policyTypes: Ingress; with egress rules: Ingress and Egress; a port without protocol is TCP', () => {
    expect(applyDefaults(np({ podSelector: {} })).spec.policyTypes).toEqual(['Ingress']);
    expect(applyDefaults(np({ podSelector: {}, egress: [{ ports: [{ port: 80 }] }] })).spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] });
    expect(applyDefaults(np({ podSelector: {}, egress: [{}], policyTypes: ['Egress'] })).spec.policyTypes).toEqual(['Egress']);
  });
});

describe('validation (TestValidateNetworkPolicy)', () => {
  test.each([
    ['empty spec', { podSelector: {} }],
    ['ports by number, name, protocol and endPort', { podSelector: { matchLabels: { a: 'b' } }, ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP', port: 'dns' }, { protocol: 'SCTP', port: 7777 }, { port: 32000, endPort: 32768 }] }] }],
    ['peers: pod, namespace, both, ipBlock with except', {
      podSelector: {},
      ingress: [{
        from: [{ podSelector: { matchLabels: { c: 'd' } } }, { namespaceSelector: { matchLabels: { c: 'd' } } },
          { namespaceSelector: { matchLabels: { e: 'f' } }, podSelector: { matchLabels: { e: 'f' } } }, { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.3.0/24', '192.168.4.0/24'] } }],
      }],
    }],
    ['IPv6 ipBlock', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64'] } }] }], policyTypes: ['Egress'] }],
  ])('accepted: %s', (_name, spec) => expect(errorsOf(spec)).toEqual([]));

  test.each([
    ['a peer with nothing', { podSelector: {}, ingress: [{ from: [{}] }] }, ['Required spec.ingress[0].from[0]: must specify a peer']],
    ['ipBlock with another peer', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, ['Forbidden spec.ingress[0].from[0]: may not specify both ipBlock and another peer']],
    ['bad protocol', { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 80 }] }] }, ['NotSupported spec.ingress[0].ports[0].protocol: supported values: "TCP", "UDP", "SCTP"']],
    ['port out of range', { podSelector: {}, egress: [{ ports: [{ port: 65536 }] }] }, ['Invalid spec.egress[0].ports[0].port: must be between 1 and 65535, inclusive']],
    ['bad port name', { podSelector: {}, ingress: [{ ports: [{ port: '!@#$' }] }] }, ['Invalid spec.ingress[0].ports[0].port: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'Invalid spec.ingress[0].ports[0].port: must contain at least one letter (a-z)']],
    ['endPort below port', { podSelector: {}, egress: [{ ports: [{ port: 35000, endPort: 32000 }] }] }, ['Invalid spec.egress[0].ports[0].endPort: must be greater than or equal to `port`']],
    ['endPort with a named port', { podSelector: {}, egress: [{ ports: [{ port: 'http', endPort: 32000 }] }] }, ['Invalid spec.egress[0].ports[0].endPort: may not be specified when `port` is non-numeric']],
    ['endPort without port', { podSelector: {}, egress: [{ ports: [{ endPort: 32000 }] }] }, ['Invalid spec.egress[0].ports[0].endPort: may not be specified when `port` is not specified']],
    ['ipBlock without cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { except: ['10.0.0.0/24'] } }] }] }, ['Required spec.ingress[0].from[0].ipBlock.cidr']],
    ['invalid cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.5.6' } }] }] }, ['Invalid spec.ingress[0].from[0].ipBlock.cidr: not a valid CIDR']],
    ['except outside cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.8.0/24', except: ['192.168.9.1/24'] } }] }] }, ['Invalid spec.ingress[0].from[0].ipBlock.except[0]: must be a strict subset of `cidr`']],
    ['except equal to cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/24', except: ['192.168.0.0/24'] } }] }] }, ['Invalid spec.ingress[0].from[0].ipBlock.except[0]: must be a strict subset of `cidr`']],
    ['bad policyType', { podSelector: {}, policyTypes: ['foo'] }, ['NotSupported spec.policyTypes[0]: supported values: "Ingress", "Egress"']],
    ['three policyTypes', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }, ['Invalid spec.policyTypes: may not specify more than two policyTypes']],
    ['bad selector operator', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Near', values: ['b'] }] } }, ['Invalid spec.podSelector.matchExpressions[0].operator: not a valid selector operator']],
  ])('rejected: %s', (_name, spec, expected) => expect(errorsOf(spec)).toEqual(expected));

  test('the model keeps a rejected policy out and says why', () => {
    const cluster = Cluster.fromManifests([np({ podSelector: {}, policyTypes: ['Sideways'] })]);
    expect(cluster.diagnostics).toContainEqual(expect.objectContaining({ code: 'INVALID_OBJECT', object: 'NetworkPolicy/foo/bar' }));
  });
});
