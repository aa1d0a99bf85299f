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
    severity: 'warning',
    object: 'Service/shop/front',
    field: 'spec.selector',
    message: 'selector tier=front matches the pods of 2 workloads (Deployment/shop/web, Deployment/shop/admin): connections are spread over all of them',
  })]);
});

describe('real apps as published (issue 24)', () => {
  const hpa = (target: string, minReplicas?: number) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${target}-hpa`, namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, ...(minReplicas ? { minReplicas } : {}), maxReplicas: 10 },
  });
  const podsOf = (c: Cluster, owner: string) => c.pods.filter((p) => p.owner === owner).length;

  // pkg/controller/podautoscaler: the HPA scales a workload below minReplicas up to it.
  test('an HPA raises the modelled replicas to minReplicas; the option chooses a count for "what if"', () => {
    expect(podsOf(Cluster.fromManifests([deployment('shop', 'web', { replicas: 1 }), hpa('web', 3)]), 'Deployment/shop/web')).toBe(3);
    expect(podsOf(Cluster.fromManifests([deployment('shop', 'web', { replicas: 5 }), hpa('web', 3)]), 'Deployment/shop/web')).toBe(5);
    expect(podsOf(Cluster.fromManifests([deployment('shop', 'web', { replicas: 2 }), hpa('web')]), 'Deployment/shop/web')).toBe(2);
    expect(podsOf(Cluster.fromManifests([deployment('shop', 'web', { replicas: 2 })], { replicas: { 'shop/web': 0 } }), 'Deployment/shop/web')).toBe(0);
    expect(() => Cluster.fromManifests([], { replicas: { web: 1 } })).toThrow(/^Cluster options: replicas: keys are workloads as namespace\/name, got "web"/);
    expect(() => Cluster.fromManifests([], { replicas: { 'a/web': -1 } })).toThrow(/^Cluster options: replicas\.a\/web must be an integer from 0 to 10000, got -1/);
  });

  test('an Ingress whose TLS a cloud load balancer terminates: info naming where, not INGRESS_NO_TLS', () => {
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'front', namespace: 'shop', annotations: { 'networking.gke.io/managed-certificates': 'shop-cert' } },
      spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const codes = Cluster.fromManifests([ing]).diagnostics.map((d) => `${d.code} ${d.severity}`);
    expect(codes).toContain('INGRESS_TLS_AT_LOAD_BALANCER info');
    expect(codes).not.toContain('INGRESS_NO_TLS warning');
  });

  // prometheus-operator pkg/prometheus/statefulset.go and pkg/alertmanager/statefulset.go: pod names and labels.
  test('prometheus-operator\'s Prometheus and Alertmanager create their pods; a Service selecting them has endpoints', () => {
    const prom = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' }, spec: { replicas: 2 } };
    const am = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', metadata: { name: 'main', namespace: 'monitoring' }, spec: {} };
    const promSvc = service('monitoring', 'prometheus-k8s', { selector: { 'app.kubernetes.io/name': 'prometheus', 'prometheus': 'k8s' }, ports: [{ port: 9090, targetPort: 'web' }] });
    const amSvc = service('monitoring', 'alertmanager-main', { selector: { alertmanager: 'main' }, ports: [{ port: 9093, targetPort: 'web' }] });
    const c = Cluster.fromManifests([prom, am, promSvc, amSvc]);
    expect(c.pods.map((p) => p.name).sort()).toEqual(['monitoring/alertmanager-main-0', 'monitoring/prometheus-k8s-0', 'monitoring/prometheus-k8s-1']);
    expect(c.diagnostics.filter((d) => d.object.startsWith('Service/monitoring/'))).toEqual([]);
    const svc = c.services.find((s) => s.name === 'monitoring/prometheus-k8s')!;
    expect(c.connect({ to: `${svc.clusterIp}:9090`, from: { ip: '10.244.0.250' } })).toMatchObject({ connected: true, targetPort: 9090 });
  });

  test('a Service whose pods an unknown operator\'s resource would create: info naming the resource, not a warning', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Database', metadata: { name: 'orders', namespace: 'shop' }, spec: {} };
    const svc = service('shop', 'orders-db', { selector: { 'example.com/database': 'orders' }, ports: [{ port: 5432 }] });
    const found = Cluster.fromManifests([cr, svc]).diagnostics.filter((d) => d.object === 'Service/shop/orders-db');
    expect(found).toEqual([expect.objectContaining({ code: 'SERVICE_SELECTOR_CUSTOM_RESOURCE', severity: 'info', message: expect.stringContaining('Database/shop/orders') })]);
  });
});
