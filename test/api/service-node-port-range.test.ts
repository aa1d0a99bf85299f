// kube-apiserver's --service-node-port-range decides which explicit node ports it accepts
// (pkg/registry/core/service/portallocator); the model passes its cluster's range.
import { validateManifest } from '../../src';
import { Cluster } from '../../src/cluster';

const nodePortService = (nodePort: number) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort }] },
});

test('the default range is 30000-32767', () => {
  expect(validateManifest(nodePortService(30080))).toEqual([]);
  expect(validateManifest(nodePortService(8080))).toEqual([expect.objectContaining({
    field: 'spec.ports[0].nodePort',
    type: 'Invalid',
    message: 'provided port is not in the valid range. The range of valid ports is 30000-32767',
  })]);
});

test('a configured range replaces it', () => {
  expect(validateManifest(nodePortService(8080), { serviceNodePortRange: '8000-9000' })).toEqual([]);
  expect(validateManifest(nodePortService(30080), { serviceNodePortRange: '8000-9000' })[0].message)
    .toBe('provided port is not in the valid range. The range of valid ports is 8000-9000');
  expect(() => validateManifest(nodePortService(8080), { serviceNodePortRange: 'wide' })).toThrow(/serviceNodePortRange must be "min-max"/);
});

test('the model validates explicit node ports against its nodePortRange option', () => {
  const wide = Cluster.fromManifests([nodePortService(8080)], { nodePortRange: '8000-9000' });
  expect(wide.diagnostics.filter((d) => d.code === 'INVALID_OBJECT')).toEqual([]);
  expect(wide.services.find((s) => s.name === 'shop/web')?.ports[0].nodePort).toBe(8080);
  const standard = Cluster.fromManifests([nodePortService(8080)]);
  expect(standard.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'INVALID_OBJECT', object: 'Service/shop/web', field: 'spec.ports[0].nodePort' })]));
});
