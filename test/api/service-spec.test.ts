// readServiceSpec: the typed view of an accepted Service that the model reads (one home for the
// Service defaults: SetDefaults_Service in src/api/service.ts).
import { readServiceSpec } from '../../src/api/service-spec';
import { validateAndDefault } from '../../src/api/validate';

function accepted(spec: any, annotations: Record<string, string> = {}): any {
  const { errors, defaulted } = validateAndDefault({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', annotations }, spec });
  expect(errors).toEqual([]);
  return defaulted;
}

test('a minimal ClusterIP Service reads with the API server defaults', () => {
  const spec = readServiceSpec(accepted({ ports: [{ port: 80 }] }));
  expect(spec).toEqual({
    type: 'ClusterIP',
    // protocol TCP, targetPort = port (SetDefaults_Service)
    ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 80, nodePort: undefined }],
    selector: {},
    clusterIP: undefined,
    externalIPs: [],
    externalName: undefined,
    sessionAffinity: 'None',
    affinityTimeoutSeconds: 10800,
    externalTrafficPolicy: undefined,
    internalTrafficPolicy: 'Cluster',
    publishNotReadyAddresses: false,
    allocateLoadBalancerNodePorts: true,
    loadBalancerIP: undefined,
    loadBalancerSourceRanges: [],
  });
});

test('targetPort 0 or "" counts as unset and becomes the port; a named targetPort stays a name', () => {
  const spec = readServiceSpec(accepted({ ports: [{ name: 'a', port: 80, targetPort: 0 }, { name: 'b', port: 81, targetPort: '' }, { name: 'c', port: 82, targetPort: 'http' }] }));
  expect(spec.ports.map((p) => p.targetPort)).toEqual([80, 81, 'http']);
});

test('ClientIP affinity without a config gets the three-hour default timeout; an explicit one is kept', () => {
  expect(readServiceSpec(accepted({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP' })).affinityTimeoutSeconds).toBe(10800);
  const explicit = accepted({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
  expect(readServiceSpec(explicit)).toMatchObject({ sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 60 });
});

test('a LoadBalancer gets externalTrafficPolicy Cluster; node port 0 is left to the allocator', () => {
  const spec = readServiceSpec(accepted({ type: 'LoadBalancer', ports: [{ name: 'w', port: 80, nodePort: 0 }, { name: 'x', port: 81, nodePort: 30001 }] }));
  expect(spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
  expect(spec.ports.map((p) => p.nodePort)).toEqual([undefined, 30001]);
});

test('source ranges: the spec\'s list wins over the legacy annotation; the annotation is split and trimmed; blank means none', () => {
  const annotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';
  const both = accepted({ type: 'LoadBalancer', ports: [{ port: 80 }], loadBalancerSourceRanges: [' 10.0.0.0/8'] }, { [annotation]: '192.168.0.0/16' });
  expect(readServiceSpec(both).loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
  const annotated = accepted({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { [annotation]: '192.168.0.0/16, 172.16.0.0/12' });
  expect(readServiceSpec(annotated).loadBalancerSourceRanges).toEqual(['192.168.0.0/16', '172.16.0.0/12']);
  const blank = accepted({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { [annotation]: '  ' });
  expect(readServiceSpec(blank).loadBalancerSourceRanges).toEqual([]);
});

test('headless and ExternalName Services', () => {
  expect(readServiceSpec(accepted({ clusterIP: 'None', selector: { app: 'db' } }))).toMatchObject({ clusterIP: 'None', ports: [], selector: { app: 'db' } });
  expect(readServiceSpec(accepted({ type: 'ExternalName', externalName: 'db.example.com.' }))).toMatchObject({ type: 'ExternalName', externalName: 'db.example.com.', internalTrafficPolicy: undefined });
});
