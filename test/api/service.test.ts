import * as fc from 'fast-check';
import { validService } from './fixtures';
import { applyDefaults, FieldErrorType, formatFieldError, validateManifest, ValidationOptions } from '../../src';

const { REQUIRED, INVALID, NOT_SUPPORTED, DUPLICATE, FORBIDDEN } = FieldErrorType;

function errorsOf(obj: any, options?: ValidationOptions): Array<[string, string]> {
  return validateManifest(obj, options).map((e) => [e.field, e.type]);
}

/** A dual-stack API server: the cases below need one to be accepted at allocation. */
const DUAL_STACK: ValidationOptions = { serviceClusterIpRange: '10.0.0.0/16,2001::/112' };

/**
 * Restated from upstream TestValidateServiceCreate (pkg/apis/core/validation/validation_test.go,
 * release-1.27). Upstream validates the internal type without v1 defaulting; here every case goes
 * through the v1 defaults first, as `kubectl apply` does, so cases that only fail for lack of a
 * default (e.g. upstream "missing protocol") are checked with the value removed and accepted.
 */
const cases: Array<[string, (spec: any, svc: any) => void, Array<[string, string]>]> = [
  ['missing namespace is fine for a manifest (the request supplies it)', (_s, svc) => { delete svc.metadata.namespace; }, []],
  ['invalid namespace', (_s, svc) => { svc.metadata.namespace = '-123'; }, [['metadata.namespace', INVALID]]],
  ['missing name', (_s, svc) => { delete svc.metadata.name; }, [['metadata.name', REQUIRED]]],
  ['invalid name (not DNS-1035: starts with a digit)', (_s, svc) => { svc.metadata.name = '1abc'; }, [['metadata.name', INVALID]]],
  ['too long name', (_s, svc) => { svc.metadata.name = 'a'.repeat(64); }, [['metadata.name', INVALID]]],
  ['invalid label', (_s, svc) => { svc.metadata.labels['NoUppercaseOrSpecialCharsLike=Equals'] = 'bar'; }, [['metadata.labels', INVALID]]],
  ['invalid annotation', (_s, svc) => { svc.metadata.annotations['NoSpecialCharsLike=Equals'] = 'bar'; }, [['metadata.annotations', INVALID]]],
  ['nil selector', (s) => { delete s.selector; }, []],
  ['invalid selector', (s) => { s.selector.NoSpecialCharsLike = 'bar'; s.selector['NoSpecialCharsLike=Equals'] = 'bar'; }, [['spec.selector', INVALID]]],
  ['missing session affinity is defaulted', (s) => { delete s.sessionAffinity; }, []],
  ['missing type is defaulted', (s) => { delete s.type; }, []],
  ['missing ports', (s) => { s.ports = []; }, [['spec.ports', REQUIRED]]],
  ['missing ports but headless', (s) => { s.ports = []; s.clusterIP = 'None'; s.clusterIPs = ['None']; }, []],
  ['empty port[0] name', (s) => { s.ports[0].name = ''; }, []],
  ['empty port[1] name', (s) => { s.ports.push({ name: '', protocol: 'TCP', port: 12345, targetPort: 12345 }); }, [['spec.ports[1].name', REQUIRED]]],
  ['empty multi-port port[0] name', (s) => { s.ports[0].name = ''; s.ports.push({ name: 'p', protocol: 'TCP', port: 12345, targetPort: 12345 }); }, [['spec.ports[0].name', REQUIRED]]],
  ['invalid port name', (s) => { s.ports[0].name = 'INVALID'; }, [['spec.ports[0].name', INVALID]]],
  ['missing protocol is defaulted to TCP', (s) => { delete s.ports[0].protocol; }, []],
  ['invalid protocol', (s) => { s.ports[0].protocol = 'INVALID'; }, [['spec.ports[0].protocol', NOT_SUPPORTED]]],
  ['invalid cluster ip', (s) => { s.clusterIP = 'invalid'; s.clusterIPs = ['invalid']; }, [['spec.clusterIPs[0]', INVALID]]],
  ['missing port', (s) => { s.ports[0].port = 0; }, [['spec.ports[0].port', INVALID]]],
  ['invalid port', (s) => { s.ports[0].port = 65536; }, [['spec.ports[0].port', INVALID]]],
  ['invalid target port number', (s) => { s.ports[0].targetPort = 65536; }, [['spec.ports[0].targetPort', INVALID]]],
  // IsValidPortName reports each broken rule: only a-z0-9-, and at least one letter.
  ['invalid target port name', (s) => { s.ports[0].targetPort = 'INVALID'; }, [['spec.ports[0].targetPort', INVALID], ['spec.ports[0].targetPort', INVALID]]],
  ['valid port headless', (s) => { s.ports[0].port = 11722; s.ports[0].targetPort = 11722; s.clusterIP = 'None'; s.clusterIPs = ['None']; }, []],
  ['invalid port headless 1', (s) => { s.ports[0].port = 11722; s.ports[0].targetPort = 11721; s.clusterIP = 'None'; s.clusterIPs = ['None']; }, []],
  ['invalid port headless 2 (tolerated in v1)', (s) => { s.ports[0].targetPort = 'target'; s.clusterIP = 'None'; s.clusterIPs = ['None']; }, []],
  ['invalid publicIPs localhost', (s) => { s.externalIPs = ['127.0.0.1']; }, [['spec.externalIPs[0]', INVALID]]],
  ['invalid publicIPs unspecified', (s) => { s.externalIPs = ['0.0.0.0']; }, [['spec.externalIPs[0]', INVALID]]],
  ['invalid publicIPs loopback', (s) => { s.externalIPs = ['127.0.0.1']; }, [['spec.externalIPs[0]', INVALID]]],
  ['invalid publicIPs host', (s) => { s.externalIPs = ['myhost.mydomain']; }, [['spec.externalIPs[0]', INVALID]]],
  ['invalid publicIPs link-local IPv6', (s) => { s.externalIPs = ['fe80::1']; }, [['spec.externalIPs[0]', INVALID]]],
  ['dup port name', (s) => { s.ports[0].name = 'p'; s.ports.push({ name: 'p', port: 1, protocol: 'TCP', targetPort: 1 }); }, [['spec.ports[1].name', DUPLICATE]]],
  ['valid load balancer protocol UDP 1', (s) => { s.type = 'LoadBalancer'; s.ports[0].protocol = 'UDP'; }, []],
  ['valid load balancer protocol UDP 2', (s) => { s.type = 'LoadBalancer'; s.ports[0] = { name: 'q', port: 12345, protocol: 'UDP', targetPort: 12345 }; }, []],
  ['load balancer with mix protocol (allowed since MixedProtocolLBService went GA in 1.26)', (s) => { s.type = 'LoadBalancer'; s.ports.push({ name: 'q', port: 12345, protocol: 'UDP', targetPort: 12345 }); }, []],
  ['valid 1', () => {}, []],
  ['valid 2', (s) => { s.ports[0].protocol = 'UDP'; s.ports[0].targetPort = 12345; }, []],
  ['valid 3', (s) => { s.ports[0].targetPort = 'http'; }, []],
  ['valid cluster ip - none', (s) => { s.clusterIP = 'None'; s.clusterIPs = ['None']; }, []],
  ['valid cluster ip - empty', (s) => { s.clusterIPs = undefined; s.ports[0].targetPort = 'http'; }, []],
  ['valid type - clusterIP', (s) => { s.type = 'ClusterIP'; }, []],
  ['valid type - loadbalancer', (s) => { s.type = 'LoadBalancer'; }, []],
  ['valid type - loadbalancer with allocateLoadBalancerNodePorts=false', (s) => { s.type = 'LoadBalancer'; s.allocateLoadBalancerNodePorts = false; }, []],
  ['valid type loadbalancer 2 ports', (s) => { s.type = 'LoadBalancer'; s.ports.push({ name: 'q', port: 12345, protocol: 'TCP', targetPort: 12345 }); }, []],
  ['valid external load balancer 2 ports', (s) => { s.type = 'LoadBalancer'; s.ports.push({ name: 'q', port: 12345, protocol: 'TCP', targetPort: 12345 }); }, []],
  ['duplicate nodeports', (s) => {
    s.type = 'NodePort';
    s.ports = [{ name: 'a', port: 1, protocol: 'TCP', nodePort: 31001, targetPort: 1 }, { name: 'b', port: 2, protocol: 'TCP', nodePort: 31001, targetPort: 2 }];
  }, [['spec.ports[1].nodePort', DUPLICATE], ['spec.ports[1].nodePort', INVALID]]],
  ['duplicate nodeports (different protocols) still collide in the allocator', (s) => {
    s.type = 'NodePort';
    s.ports = [{ name: 'a', port: 1, protocol: 'TCP', nodePort: 31001, targetPort: 1 }, { name: 'b', port: 2, protocol: 'UDP', nodePort: 31001, targetPort: 2 }];
  }, [['spec.ports[1].nodePort', INVALID]]],
  ['same port and nodePort for TCP and UDP share one node port', (s) => {
    s.type = 'NodePort';
    s.ports = [{ name: 'a', port: 53, protocol: 'TCP', nodePort: 31053, targetPort: 53 }, { name: 'b', port: 53, protocol: 'UDP', nodePort: 31053, targetPort: 53 }];
  }, []],
  ['invalid duplicate ports (with same protocol)', (s) => { s.ports.push({ name: 'r', port: 8675, protocol: 'TCP', targetPort: 8080 }); }, [['spec.ports[1]', DUPLICATE]]],
  ['valid duplicate ports (with different protocols)', (s) => { s.ports.push({ name: 'r', port: 8675, protocol: 'UDP', targetPort: 8675 }); }, []],
  ['valid type - nodeport', (s) => { s.type = 'NodePort'; }, []],
  ['invalid port type=ClusterIP (nodePort forbidden)', (s) => { s.ports[0].nodePort = 30123; }, [['spec.ports[0].nodePort', FORBIDDEN]]],
  ['valid type=NodePort', (s) => { s.type = 'NodePort'; s.ports.push({ name: 'q', port: 12345, protocol: 'TCP', nodePort: 31234, targetPort: 12345 }); }, []],
  ['nodePort outside the default range', (s) => { s.type = 'NodePort'; s.ports[0].nodePort = 99999; }, [['spec.ports[0].nodePort', INVALID]]],
  ['valid ExternalName', (s) => { s.type = 'ExternalName'; s.externalName = 'foo.bar.example.com'; delete s.internalTrafficPolicy; }, []],
  ['valid ExternalName (trailing dot)', (s) => { s.type = 'ExternalName'; s.externalName = 'foo.bar.example.com.'; delete s.internalTrafficPolicy; }, []],
  ['invalid ExternalName clusterIP (valid IP)', (s) => { s.type = 'ExternalName'; s.clusterIP = '1.2.3.4'; s.clusterIPs = ['1.2.3.4']; s.externalName = 'foo.bar.example.com'; delete s.internalTrafficPolicy; }, [['spec.clusterIPs', FORBIDDEN]]],
  ['invalid ExternalName clusterIP (None)', (s) => { s.type = 'ExternalName'; s.clusterIP = 'None'; s.clusterIPs = ['None']; s.externalName = 'foo.bar.example.com'; delete s.internalTrafficPolicy; }, [['spec.clusterIPs', FORBIDDEN]]],
  ['invalid ExternalName (not a DNS name)', (s) => { s.type = 'ExternalName'; s.externalName = '-123'; delete s.internalTrafficPolicy; }, [['spec.externalName', INVALID]]],
  ['missing ExternalName', (s) => { s.type = 'ExternalName'; delete s.internalTrafficPolicy; }, [['spec.externalName', REQUIRED]]],
  ['ExternalName with ipFamilies and policy', (s) => { s.type = 'ExternalName'; s.externalName = 'a.example.com'; s.ipFamilies = ['IPv4']; s.ipFamilyPolicy = 'SingleStack'; delete s.internalTrafficPolicy; }, [['spec.ipFamilies', FORBIDDEN], ['spec.ipFamilyPolicy', FORBIDDEN]]],
  ['LoadBalancer type cannot have None ClusterIP', (s) => { s.clusterIP = 'None'; s.clusterIPs = ['None']; s.type = 'LoadBalancer'; }, [['spec.clusterIPs[0]', INVALID]]],
  ['invalid node port with clusterIP None', (s) => { s.type = 'NodePort'; s.ports.push({ name: 'q', port: 1, protocol: 'TCP', nodePort: 31001, targetPort: 1 }); s.clusterIP = 'None'; s.clusterIPs = ['None']; }, [['spec.clusterIPs[0]', INVALID]]],
  ['invalid externalTraffic field', (s) => { s.type = 'LoadBalancer'; s.externalTrafficPolicy = 'invalid'; }, [['spec.externalTrafficPolicy', NOT_SUPPORTED]]],
  ['externalTrafficPolicy on a ClusterIP service without externalIPs', (s) => { s.externalTrafficPolicy = 'Local'; }, [['spec.externalTrafficPolicy', INVALID]]],
  // 1.27 and 1.28 allow the policy only on NodePort and LoadBalancer (1.29 added ClusterIP with externalIPs: test/api/versions.test.ts).
  ['externalTrafficPolicy on a ClusterIP service with externalIPs', (s) => { s.externalIPs = ['1.2.3.4']; s.externalTrafficPolicy = 'Local'; }, [['spec.externalTrafficPolicy', INVALID]]],
  ['invalid internalTraffic field', (s) => { s.internalTrafficPolicy = 'invalid'; }, [['spec.internalTrafficPolicy', NOT_SUPPORTED]]],
  ['internalTrafficPolicy is cluster', (s) => { s.internalTrafficPolicy = 'Cluster'; }, []],
  ['internalTrafficPolicy is local', (s) => { s.internalTrafficPolicy = 'Local'; }, []],
  ['invalid healthCheckNodePort field (not LoadBalancer+Local)', (s) => { s.type = 'NodePort'; s.healthCheckNodePort = 31000; }, [['spec.healthCheckNodePort', INVALID]]],
  ['valid healthCheckNodePort field', (s) => { s.type = 'LoadBalancer'; s.externalTrafficPolicy = 'Local'; s.healthCheckNodePort = 31000; }, []],
  ['healthCheckNodePort outside the node-port range', (s) => { s.type = 'LoadBalancer'; s.externalTrafficPolicy = 'Local'; s.healthCheckNodePort = 8080; }, [['spec.healthCheckNodePort', INVALID]]],
  ['healthCheckNodePort taken by a service port', (s) => { s.type = 'LoadBalancer'; s.externalTrafficPolicy = 'Local'; s.ports[0].nodePort = 31000; s.healthCheckNodePort = 31000; }, [['spec.healthCheckNodePort', INVALID]]],
  ['sessionAffinityConfig can\'t be set when session affinity is None (dropped by the v1 defaults)', (s) => { s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 90 } }; }, []],
  ['invalid timeoutSeconds field (0)', (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } }; }, [['spec.sessionAffinityConfig.clientIP.timeoutSeconds', INVALID]]],
  ['invalid timeoutSeconds field (-1)', (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: -1 } }; }, [['spec.sessionAffinityConfig.clientIP.timeoutSeconds', INVALID]]],
  ['invalid timeoutSeconds field (max+1)', (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 86401 } }; }, [['spec.sessionAffinityConfig.clientIP.timeoutSeconds', INVALID]]],
  ['valid timeoutSeconds field (max)', (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 86400 } }; }, []],
  ['invalid session affinity', (s) => { s.sessionAffinity = 'Sticky'; }, [['spec.sessionAffinity', NOT_SUPPORTED]]],
  ['invalid type', (s) => { s.type = 'Magic'; }, [['spec.type', NOT_SUPPORTED]]],
  ['valid LoadBalancer source range', (s) => { s.type = 'LoadBalancer'; s.loadBalancerSourceRanges = ['1.2.3.4/8', '5.6.7.8/16']; }, []],
  ['empty LoadBalancer source range', (s) => { s.type = 'LoadBalancer'; s.loadBalancerSourceRanges = ['   ']; }, [['spec.LoadBalancerSourceRanges', INVALID]]],
  ['invalid LoadBalancer source range', (s) => { s.type = 'LoadBalancer'; s.loadBalancerSourceRanges = ['foo.bar']; }, [['spec.LoadBalancerSourceRanges', INVALID]]],
  ['invalid source range for non LoadBalancer type service', (s) => { s.loadBalancerSourceRanges = ['1.2.3.4/8', '5.6.7.8/16']; }, [['spec.LoadBalancerSourceRanges', FORBIDDEN]]],
  ['valid LoadBalancer source range annotation', (s, svc) => { s.type = 'LoadBalancer'; svc.metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] = '1.2.3.4/8,  5.6.7.8/16'; }, []],
  ['empty LoadBalancer source range annotation', (s, svc) => { s.type = 'LoadBalancer'; svc.metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] = ''; }, []],
  ['invalid LoadBalancer source range annotation (hostname)', (s, svc) => { s.type = 'LoadBalancer'; svc.metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] = 'foo.bar'; }, [['metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]', INVALID]]],
  ['invalid LoadBalancer source range annotation (invalid CIDR)', (s, svc) => { s.type = 'LoadBalancer'; svc.metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] = '1.2.3.4/33'; }, [['metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]', INVALID]]],
  ['invalid source range annotation for non LoadBalancer type service', (_s, svc) => { svc.metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] = '1.2.3.4/8'; }, [['metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]', FORBIDDEN]]],
  ['invalid appProtocol', (s) => { s.ports[0].appProtocol = 'kubernetes.io/h2c!'; }, [['spec.ports[0].appProtocol', INVALID]]],
  ['valid appProtocol', (s) => { s.ports[0].appProtocol = 'kubernetes.io/h2c'; }, []],
  ['valid LoadBalancerClass when type is LoadBalancer', (s) => { s.type = 'LoadBalancer'; s.loadBalancerClass = 'test.com/test-load-balancer-class'; }, []],
  ['invalid LoadBalancerClass', (s) => { s.type = 'LoadBalancer'; s.loadBalancerClass = 'Bad/LoadBalancerClass'; }, [['spec.loadBalancerClass', INVALID]]],
  ['invalid: set LoadBalancerClass when type is not LoadBalancer', (s) => { s.loadBalancerClass = 'test.com/test-load-balancer-class'; }, [['spec.loadBalancerClass', FORBIDDEN]]],
  ['allocateLoadBalancerNodePorts on a ClusterIP service', (s) => { s.allocateLoadBalancerNodePorts = true; }, [['spec.allocateLoadBalancerNodePorts', FORBIDDEN]]],
  ['topology annotations are mismatched', (_s, svc) => {
    svc.metadata.annotations['service.kubernetes.io/topology-aware-hints'] = 'original';
    svc.metadata.annotations['service.kubernetes.io/topology-mode'] = 'different';
  }, [['metadata.annotations[service.kubernetes.io/topology-mode]', INVALID]]],
  // dual-stack cases (upstream "dualstack" block of TestValidateServiceCreate)
  ['valid, nil service IPFamilies', (s) => { s.ipFamilies = undefined; }, []],
  ['invalid, service with invalid ipFamilies', (s) => { s.ipFamilies = ['not-a-family']; }, [['spec.ipFamilies[0]', NOT_SUPPORTED]]],
  ['invalid, service with duplicate ipFamilies', (s) => { s.ipFamilyPolicy = 'RequireDualStack'; s.ipFamilies = ['IPv4', 'IPv4']; }, [['spec.ipFamilies[1]', DUPLICATE]]],
  ['invalid, invalid ipFamilyPolicy', (s) => { s.ipFamilyPolicy = 'not-a-valid-ip-family-policy'; }, [['spec.ipFamilyPolicy', NOT_SUPPORTED]]],
  ['invalid, clusterIPs first value differs from clusterIP', (s) => { s.clusterIP = '1.2.3.4'; s.clusterIPs = ['1.2.3.5']; }, [['spec.clusterIPs', INVALID]]],
  ['invalid, clusterIPs without clusterIP', (s) => { s.clusterIPs = ['1.2.3.4']; }, [['spec.clusterIPs', INVALID]]],
  ['invalid, clusterIPs with same family', (s) => { s.ipFamilyPolicy = 'RequireDualStack'; s.clusterIP = '1.2.3.4'; s.clusterIPs = ['1.2.3.4', '1.2.3.5']; }, [['spec.clusterIPs', INVALID]]],
  ['invalid, three clusterIPs', (s) => { s.ipFamilyPolicy = 'RequireDualStack'; s.clusterIP = '1.2.3.4'; s.clusterIPs = ['1.2.3.4', '2001::1', '1.2.3.5']; }, [['spec.clusterIPs', INVALID]]],
  ['invalid, None with more IPs', (s) => { s.clusterIP = 'None'; s.clusterIPs = ['None', '1.2.3.4']; }, [['spec.clusterIPs', INVALID]]],
  ['invalid, IP does not match its family', (s) => { s.clusterIP = '2001::1'; s.clusterIPs = ['2001::1']; s.ipFamilies = ['IPv4']; }, [['spec.clusterIPs[0]', INVALID]]],
];

/**
 * Dual-stack cases of the same table that a single-stack API server (the default range) refuses
 * at allocation, so they run against a dual-stack `serviceClusterIpRange`; then the
 * initIPFamilyFields policy checks (storage/alloc.go). The single-stack answers are restated in
 * test/conformance/apiserver-dual-stack.test.ts.
 */
const dualStackClusterCases: Array<[string, (spec: any, svc: any) => void, Array<[string, string]>]> = [
  ['valid, dual stack ClusterIPs', (s) => { s.ipFamilyPolicy = 'RequireDualStack'; s.clusterIP = '1.2.3.4'; s.clusterIPs = ['1.2.3.4', '2001::1']; s.ipFamilies = ['IPv4', 'IPv6']; }, []],
  ['valid, headless with both families', (s) => { s.clusterIP = 'None'; s.clusterIPs = ['None']; s.ipFamilies = ['IPv4', 'IPv6']; s.ipFamilyPolicy = 'RequireDualStack'; }, []],
  // storage/alloc.go initIPFamilyFields, checked offline
  ['SingleStack with two cluster IPs', (s) => { s.ipFamilyPolicy = 'SingleStack'; s.clusterIP = '1.2.3.4'; s.clusterIPs = ['1.2.3.4', '2001::1']; }, [['spec.ipFamilyPolicy', INVALID]]],
  ['SingleStack with two families', (s) => { s.ipFamilyPolicy = 'SingleStack'; s.ipFamilies = ['IPv4', 'IPv6']; }, [['spec.ipFamilyPolicy', INVALID]]],
];

describe('ValidateService (kube-apiserver 1.27) via validateManifest', () => {
  test.each(cases)('%s', (_name, tweak, expected) => {
    expect(errorsOf(validService(tweak))).toEqual(expected);
  });

  test.each(dualStackClusterCases)('%s (dual-stack cluster)', (_name, tweak, expected) => {
    expect(errorsOf(validService(tweak), DUAL_STACK)).toEqual(expected);
  });

  test('messages are the API server\'s', () => {
    const lines = (tweak: (spec: any, svc: any) => void) => validateManifest(validService(tweak)).map(formatFieldError);
    expect(lines((s) => { s.type = 'NodePort'; s.ports[0].nodePort = 99999; })).toEqual([
      'spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
    expect(lines((s) => { s.ports[0].port = 0; })).toEqual(['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
    expect(lines((s) => { s.ports[0].protocol = 'HTTP'; })).toEqual(['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']);
    expect(lines((s) => { s.ports[0].nodePort = 30001; })).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(lines((s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } }; })).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]);
    expect(lines((s) => { s.externalIPs = ['127.0.0.1']; })).toEqual([
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    expect(lines((s) => { s.type = 'LoadBalancer'; s.clusterIP = 'None'; })).toEqual([
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services",
    ]);
    expect(lines((s) => { s.type = 'ExternalName'; s.externalName = 'Not_A_Name'; })[0]).toMatch(/^spec\.externalName: Invalid value: "Not_A_Name": a lowercase RFC 1123 subdomain/);
    expect(lines((s) => { s.ports.push({ port: 1 }); })).toEqual(['spec.ports[1].name: Required value']);
    expect(lines((s) => { s.type = 'NodePort'; s.ports = [{ name: 'a', port: 1, nodePort: 30500 }, { name: 'b', port: 2, nodePort: 30500 }]; })).toEqual([
      'spec.ports[1].nodePort: Duplicate value: 30500',
      'spec.ports[1].nodePort: Invalid value: 30500: provided port is already allocated',
    ]);
    expect(validateManifest(validService((s) => { s.ipFamilyPolicy = 'SingleStack'; s.ipFamilies = ['IPv4', 'IPv6']; }), DUAL_STACK).map(formatFieldError)).toEqual([
      'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified',
    ]);
  });

  // validation.go ValidateService, release-1.27: the LoadBalancer case of the type switch refuses ports.KubeletPort.
  test('a LoadBalancer may not expose the kubelet port 10250; other types may', () => {
    const lines = (type: string) => validateManifest(validService((s) => {
      s.type = type;
      s.ports = [{ name: 'web', port: 80 }, { name: 'kubelet', port: 10250 }];
    })).map(formatFieldError);
    expect(lines('LoadBalancer')).toEqual(['spec.ports[1]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet']);
    expect(lines('NodePort')).toEqual([]);
    expect(lines('ClusterIP')).toEqual([]);
  });

  // validation.go ValidateService, release-1.27 ("Validate SourceRange field and annotation") with
  // pkg/api/service GetLoadBalancerSourceRanges: one error for the whole list, at the literal path.
  test('source ranges: one error naming spec.LoadBalancerSourceRanges and the list as Go prints it', () => {
    const lines = (tweak: (spec: any, svc: any) => void) => validateManifest(validService(tweak)).map(formatFieldError);
    expect(lines((s) => { s.type = 'LoadBalancer'; s.loadBalancerSourceRanges = ['10.0.0.0/8', 'foo.bar', ' 1.2.3.4/33']; })).toEqual([
      'spec.LoadBalancerSourceRanges: Invalid value: "[10.0.0.0/8 foo.bar  1.2.3.4/33]": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ',
    ]);
    expect(lines((s) => { s.type = 'LoadBalancer'; s.loadBalancerSourceRanges = [' 10.0.0.0/8 ']; })).toEqual([]);
    expect(lines((s) => { s.loadBalancerSourceRanges = ['foo']; })).toEqual([
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
      'spec.LoadBalancerSourceRanges: Invalid value: "[foo]": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ',
    ]);
    const annotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';
    expect(lines((s, svc) => { s.type = 'LoadBalancer'; svc.metadata.annotations[annotation] = '10.0.0.0/8, nope'; })).toEqual([
      `metadata.annotations[${annotation}]: Invalid value: "10.0.0.0/8, nope": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 `,
    ]);
    // The annotation's mere presence makes a non-LoadBalancer Service invalid, even empty.
    expect(lines((_s, svc) => { svc.metadata.annotations[annotation] = ''; })).toEqual([`metadata.annotations[${annotation}]: Forbidden: may only be used when \`type\` is 'LoadBalancer'`]);
  });

  // validation/objectmeta.go ValidateObjectMeta (apimachinery, 1.27): generateName is checked by the
  // kind's name rule as a prefix (a trailing dash is allowed, maskTrailingDash).
  test('generateName is validated like the name, as a prefix', () => {
    const lines = (meta: Record<string, unknown>) => validateManifest(validService((_s, svc) => {
      delete svc.metadata.name;
      Object.assign(svc.metadata, meta);
    })).map(formatFieldError);
    expect(lines({ generateName: 'web-' })).toEqual([]);
    expect(lines({ generateName: 'Web-' })[0]).toMatch(/^metadata\.generateName: Invalid value: "Web-": a DNS-1035 label must consist of/);
    expect(lines({ generateName: `${'a'.repeat(63)}-` })[0]).toMatch(/^metadata\.generateName: Invalid value: "a{63}-": must be no more than 63 characters/);
    expect(lines({ generateName: '1-', name: 'ok' })).toEqual([expect.stringMatching(/^metadata\.generateName: Invalid value: "1-"/)]);
  });

  test('Service names are DNS-1035 labels: a leading digit is refused even though DNS-1123 allows it', () => {
    const [error] = validateManifest(validService((_s, svc) => { svc.metadata.name = '1st'; }));
    expect(formatFieldError(error)).toMatch(/^metadata\.name: Invalid value: "1st": a DNS-1035 label must consist of/);
  });
});

describe('SetDefaults_Service (pkg/apis/core/v1/defaults.go, 1.27)', () => {
  const minimal = (spec: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });

  test('ClusterIP: type, sessionAffinity, protocol, targetPort = port, internalTrafficPolicy', () => {
    expect(applyDefaults(minimal({ ports: [{ port: 80 }] })).spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
  });

  test('a named targetPort is kept; an empty one becomes the port', () => {
    expect(applyDefaults(minimal({ ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: '' }] })).spec.ports).toEqual([
      { port: 80, targetPort: 'http', protocol: 'TCP' },
      { port: 81, targetPort: 81, protocol: 'TCP' },
    ]);
  });

  test('ClientIP affinity gets the 10800 s timeout; None drops any config', () => {
    expect(applyDefaults(minimal({ sessionAffinity: 'ClientIP' })).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(applyDefaults(minimal({ sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } })).spec.sessionAffinityConfig).toBeUndefined();
  });

  test('externally accessible services get externalTrafficPolicy Cluster; LoadBalancer gets allocateLoadBalancerNodePorts', () => {
    const lb = applyDefaults(minimal({ type: 'LoadBalancer' })).spec;
    expect([lb.externalTrafficPolicy, lb.allocateLoadBalancerNodePorts, lb.internalTrafficPolicy]).toEqual(['Cluster', true, 'Cluster']);
    expect(applyDefaults(minimal({ type: 'NodePort' })).spec.externalTrafficPolicy).toBe('Cluster');
    // A ClusterIP Service with externalIPs counts as externally accessible only from 1.29.
    expect(applyDefaults(minimal({ externalIPs: ['1.2.3.4'] })).spec.externalTrafficPolicy).toBeUndefined();
    expect(applyDefaults(minimal({ externalIPs: ['1.2.3.4'] }), { kubernetesVersion: '1.29' }).spec.externalTrafficPolicy).toBe('Cluster');
    expect(applyDefaults(minimal({})).spec.externalTrafficPolicy).toBeUndefined();
  });

  test('ExternalName gets no traffic policies', () => {
    const spec = applyDefaults(minimal({ type: 'ExternalName', externalName: 'a.example.com' })).spec;
    expect(spec.internalTrafficPolicy).toBeUndefined();
    expect(spec.externalTrafficPolicy).toBeUndefined();
  });

  test('create-time normalizeClusterIPs: a lone clusterIP seeds clusterIPs', () => {
    expect(applyDefaults(minimal({ clusterIP: 'None' })).spec.clusterIPs).toEqual(['None']);
    expect(applyDefaults(minimal({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::a'] })).spec.clusterIPs).toEqual(['10.96.0.10', 'fd00::a']);
  });
});

describe('wrongly-typed input is reported, never thrown', () => {
  const svc = (spec: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });

  test.each([
    ['port as a string', { ports: [{ port: '80' }] }, ['spec.ports[0].port: Invalid value: "80": must be a 32-bit integer']],
    ['ports as a map', { ports: {} }, ['spec.ports: Invalid value: {}: must be a list of ports']],
    ['a port that is not an object', { ports: [80] }, ['spec.ports[0]: Invalid value: 80: must be an object']],
    ['spec as a string', 'oops', ['spec: Invalid value: "oops": must be an object']],
    ['selector as a list', { ports: [{ port: 80 }], selector: ['app'] }, ['spec.selector: Invalid value: ["app"]: must be a map of string keys to string values']],
    ['clusterIPs as a string', { ports: [{ port: 80 }], clusterIPs: '10.0.0.1' }, ['spec.clusterIPs: Invalid value: "10.0.0.1": must be a list of strings']],
    ['nodePort as a float', { type: 'NodePort', ports: [{ port: 80, nodePort: 30000.5 }] }, ['spec.ports[0].nodePort: Invalid value: 30000.5: must be a 32-bit integer']],
    ['timeoutSeconds as a string', { ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: '60' } } }, ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: "60": must be a 32-bit integer']],
    ['type as a number', { ports: [{ port: 80 }], type: 3 }, ['spec.type: Invalid value: 3: must be a string']],
  ])('%s', (_name, spec, expected) => {
    expect(validateManifest(svc(spec)).map(formatFieldError)).toEqual(expected);
  });

  test('arbitrary JSON in any spec field never throws', () => {
    const fields = ['type', 'ports', 'selector', 'clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'externalIPs', 'externalName',
      'sessionAffinity', 'sessionAffinityConfig', 'externalTrafficPolicy', 'internalTrafficPolicy', 'healthCheckNodePort',
      'loadBalancerSourceRanges', 'loadBalancerClass', 'loadBalancerIP', 'allocateLoadBalancerNodePorts', 'publishNotReadyAddresses'];
    const portArb = fc.dictionary(fc.constantFrom('name', 'port', 'protocol', 'targetPort', 'nodePort', 'appProtocol'), fc.jsonValue());
    const specArb = fc.record(Object.fromEntries(fields.map((f) => [f, f === 'ports' ? fc.oneof(fc.array(fc.oneof(portArb, fc.jsonValue())), fc.jsonValue()) : fc.jsonValue()])), { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(specArb, fc.jsonValue()), (spec) => {
      const errors = validateManifest(svc(spec));
      expect(Array.isArray(errors)).toBe(true);
      errors.forEach(formatFieldError);
    }), { numRuns: 500, seed: 13 });
  });
});
