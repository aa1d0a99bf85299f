/**
 * Pod sources users asked for: Argo Rollouts (inline template or workloadRef), and the check for
 * a Service whose selector takes in the pods of more than one workload.
 */
import { Cluster } from '../../src';
import { deployment, service } from '../dataplane/fixtures';

// Argo Rollouts docs, "Rollout Specification": spec.template, or spec.workloadRef naming a Deployment.
const rollout = (name: string, spec: any) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name, namespace: 'shop' }, spec });

test('an Argo Rollout with an inline template runs its replicas, and its Service reaches them', () => {
  const template = deployment('shop', 'web').spec.template;
  const c = Cluster.fromManifests([
    rollout('web', { replicas: 3, selector: { matchLabels: { app: 'web' } }, template, strategy: { canary: { steps: [{ setWeight: 20 }] } } }),
    service('shop', 'web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
  ]);
  const pods = c.pods.filter((p) => p.owner === 'Rollout/shop/web');
  expect(pods).toHaveLength(3);
  expect(pods.every((p) => /^shop\/web-[0-9a-z]+-\d$/.test(p.name) && p.ready)).toBe(true);
  const svc = c.services.find((s) => s.name === 'shop/web')!;
  expect(c.connect({ to: `${svc.clusterIp}:80`, from: { ip: '10.244.0.250' } })).toMatchObject({ connected: true, pod: expect.stringMatching(/^shop\/web-/) });
  expect(c.diagnostics.filter((d) => d.object === 'Service/shop/web')).toEqual([]);
});

test('a Rollout with workloadRef takes the template of the Deployment it names (scaled to 0 itself)', () => {
  const base = deployment('shop', 'api', { replicas: 0 });
  const c = Cluster.fromManifests([base, rollout('api', { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } })]);
  expect(c.pods.map((p) => p.owner)).toEqual(['Rollout/shop/api', 'Rollout/shop/api']);
});

test('SERVICE_SELECTOR_SPANS_WORKLOADS: a selector matching two Deployments\' pods', () => {
  const web = deployment('shop', 'web', { labels: { tier: 'front', app: 'web' } });
  const admin = deployment('shop', 'admin', { labels: { tier: 'front', app: 'admin' } });
  const broad = service('shop', 'front', { selector: { tier: 'front' }, ports: [{ port: 80, targetPort: 8080 }] });
  const narrow = service('shop', 'web', { selector: { tier: 'front', app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
  const found = Cluster.fromManifests([web, admin, broad, narrow]).diagnostics.filter((d) => d.code === 'SERVICE_SELECTOR_SPANS_WORKLOADS');
  expect(found).toEqual([expect.objectContaining({
    severity: 'warning', object: 'Service/shop/front', field: 'spec.selector',
    message: 'selector tier=front matches the pods of 2 workloads (Deployment/shop/web, Deployment/shop/admin): connections are spread over all of them',
  })]);
});
