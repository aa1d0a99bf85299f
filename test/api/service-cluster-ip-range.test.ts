// kube-apiserver's --service-cluster-ip-range decides which IP families it serves Services in
// (pkg/registry/core/service/storage/alloc.go initIPFamilyFields); the model passes its serviceCidr.
import { validateManifest } from '../../src';
import { Cluster } from '../../src/cluster';

const dualStackService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ipFamilyPolicy: 'RequireDualStack' },
};

test('the default range is single-stack IPv4: RequireDualStack is refused', () => {
  expect(validateManifest(dualStackService)).toEqual([{
    field: 'spec.ipFamilyPolicy',
    type: 'Invalid',
    value: 'RequireDualStack',
    message: 'this cluster is not configured for dual-stack services',
  }]);
  expect(validateManifest(dualStackService, { serviceClusterIpRange: '10.96.0.0/12,fd00:10:96::/112' })).toEqual([]);
});

test('the model validates Services against its serviceCidr', () => {
  const invalid = (c: Cluster) => c.diagnostics.filter((d) => d.code === 'INVALID_OBJECT' && d.object === 'Service/shop/web');
  expect(invalid(Cluster.fromManifests([dualStackService]))).toEqual([expect.objectContaining({ field: 'spec.ipFamilyPolicy' })]);
  expect(invalid(Cluster.fromManifests([dualStackService], { serviceCidr: '10.96.0.0/12,fd00:10:96::/112', podCidr: '10.244.0.0/16,fd00:10:244::/56' }))).toEqual([]);
});
