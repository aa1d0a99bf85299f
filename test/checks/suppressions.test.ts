/** Suppressions: accepted findings stay visible as suppressed; broken or stale suppressions are findings themselves. */
import { Cluster } from '../../src';
import { deployment, service } from '../dataplane/fixtures';

const nodePort = (annotations?: Record<string, string>) => {
  const svc = service('shop', 'web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] });
  if (annotations) svc.metadata.annotations = annotations;
  return svc;
};
const codesOf = (c: Cluster) => c.diagnostics.map((d) => `${d.code}${d.suppressed ? ` (suppressed: ${d.suppressed})` : ''}`);

test('without a suppression the finding is reported as usual', () => {
  expect(codesOf(Cluster.fromManifests([deployment('shop', 'web'), nodePort()]))).toContain('EXPOSURE_NODE_PORT');
});

test('the cdk8s-traffic/ignore annotation accepts codes on its object, with the reason', () => {
  const c = Cluster.fromManifests([deployment('shop', 'web'), nodePort({ 'cdk8s-traffic/ignore': 'EXPOSURE_NODE_PORT, SERVICE_SELECTOR_NO_MATCH: the load balancer in front targets node ports' })]);
  const d = c.diagnostics.find((x) => x.code === 'EXPOSURE_NODE_PORT');
  expect(d).toMatchObject({ object: 'Service/shop/web', suppressed: 'the load balancer in front targets node ports' });
  // One accepted code is enough for the annotation to be in use.
  expect(c.diagnostics.find((x) => x.code === 'SUPPRESSION_UNUSED')).toBeUndefined();
});

test('a suppression that accepts nothing, or names no code, or lacks a reason, is a finding', () => {
  const stale = Cluster.fromManifests([deployment('shop', 'web'), service('shop', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }), {
    ...service('shop', 'other', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
    metadata: { name: 'other', namespace: 'shop', annotations: { 'cdk8s-traffic/ignore': 'EXPOSURE_NODE_PORT: was a NodePort once' } },
  }]);
  expect(stale.diagnostics).toContainEqual(expect.objectContaining({
    code: 'SUPPRESSION_UNUSED', severity: 'warning', object: 'Service/shop/other', field: 'metadata.annotations[cdk8s-traffic/ignore]',
  }));
  const broken = Cluster.fromManifests([deployment('shop', 'web'), nodePort({ 'cdk8s-traffic/ignore': 'EXPOSURE_NODE_PORT' })]);
  expect(broken.diagnostics).toContainEqual(expect.objectContaining({ code: 'SUPPRESSION_INVALID', message: expect.stringMatching(/is not "CODE\[,CODE\]: reason"/) }));
  expect(broken.diagnostics.find((d) => d.code === 'EXPOSURE_NODE_PORT')?.suppressed).toBeUndefined();
  const unknown = Cluster.fromManifests([deployment('shop', 'web'), nodePort()], { suppressions: [{ code: 'NO_SUCH_CODE', reason: 'typo' }] });
  expect(unknown.diagnostics).toContainEqual(expect.objectContaining({ code: 'SUPPRESSION_INVALID', object: 'Cluster', field: 'suppressions[0]', message: 'NO_SUCH_CODE is not a diagnostic code of cdk8s-traffic' }));
});

test('ClusterOptions.suppressions match objects by pattern', () => {
  const c = Cluster.fromManifests([deployment('shop', 'web'), nodePort()], { suppressions: [{ code: 'EXPOSURE_NODE_PORT', object: 'Service/shop/*', reason: 'edge nodes only' }] });
  expect(c.diagnostics.find((d) => d.code === 'EXPOSURE_NODE_PORT')?.suppressed).toBe('edge nodes only');
  const other = Cluster.fromManifests([deployment('shop', 'web'), nodePort()], { suppressions: [{ code: 'EXPOSURE_NODE_PORT', object: 'Service/other/*', reason: 'elsewhere' }] });
  expect(other.diagnostics.find((d) => d.code === 'EXPOSURE_NODE_PORT')?.suppressed).toBeUndefined();
  expect(other.diagnostics.map((d) => d.code)).toContain('SUPPRESSION_UNUSED');
  expect(() => Cluster.fromManifests([], { suppressions: 'x' as any })).toThrow(/^Cluster options: suppressions must be a list/);
});
