/**
 * An ingress-nginx controller installed by the manifests themselves (as its deploy manifest ships
 * it: a Deployment of registry.k8s.io/ingress-nginx/controller behind a LoadBalancer Service):
 * the model uses it instead of a controller of its own.
 */
import { Cluster } from '../../src';

const controller = (externalTrafficPolicy = 'Cluster') => [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
        spec: { containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.15.1', args: ['/nginx-ingress-controller', '--controller-class=k8s.io/ingress-nginx'], ports: [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }] }] },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy,
      selector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 'https' }],
    },
  },
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
];

const app = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web', ports: [{ containerPort: 8080 }] }] } } },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'shop' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  },
];

test('the controller\'s address is its Service\'s LoadBalancer IP, and an Ingress host is routed by the Ingress rules', () => {
  const c = Cluster.fromManifests([...controller(), ...app]);
  const svc = c.services.find((s) => s.name === 'ingress-nginx/ingress-nginx-controller')!;
  expect(c.ingressControllerAddress).toBe(svc.loadBalancerIps[0]);
  const answer = c.request({ url: 'http://shop.example.com/cart' });
  expect(answer).toMatchObject({ status: 200, ingress: 'shop/shop', service: 'shop/web' });
  const hops = answer.trace.map((h) => `${h.component} ${h.action}`);
  // kube-proxy first (to a controller pod), then the controller's routing.
  expect(hops.indexOf('ingress-controller installed')).toBeGreaterThanOrEqual(0);
  expect(hops.findIndex((h) => h.startsWith('kube-proxy'))).toBeLessThan(hops.indexOf('ingress-controller match'));
  expect(answer.trace.some((h) => h.object?.startsWith('Pod/ingress-nginx/ingress-nginx-controller-'))).toBe(true);
});

test('the LoadBalancer IP with a Host no rule names gets nginx\'s 404, not a pod\'s 200', () => {
  const c = Cluster.fromManifests([...controller(), ...app]);
  const answer = c.request({ url: `http://${c.ingressControllerAddress}/`, headers: { Host: 'unknown.example.com' } });
  expect(answer).toMatchObject({ status: 404 });
  expect(answer.service).toBeUndefined();
});

test('externalTrafficPolicy Local on the controller Service drops traffic at a node without a controller pod', () => {
  const c = Cluster.fromManifests([...controller('Local'), ...app]);
  const controllerNode = c.pods.find((p) => p.name.startsWith('ingress-nginx/'))!.node;
  const other = c.nodes.find((n) => n.name !== controllerNode)!.name;
  expect(c.request({ url: 'http://shop.example.com/', via: controllerNode })).toMatchObject({ status: 200, service: 'shop/web' });
  expect(c.request({ url: 'http://shop.example.com/', via: other })).toMatchObject({ status: 0, error: 'connection timed out' });
});

test('NetworkPolicies see the installed controller\'s own pod as the source of upstream traffic', () => {
  const inEdge = controller().map((o: any) => (o.metadata.namespace === 'ingress-nginx' ? { ...o, metadata: { ...o.metadata, namespace: 'edge' } } : o));
  const allowFromEdge = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'from-edge', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }] }] },
  };
  const c = Cluster.fromManifests([...inEdge, ...app, allowFromEdge]);
  const answer = c.request({ url: 'http://shop.example.com/' });
  expect(answer).toMatchObject({ status: 200, service: 'shop/web' });
  expect(answer.trace.find((h) => h.component === 'network-policy')).toMatchObject({ action: 'allow', object: 'NetworkPolicy/shop/from-edge' });
});

test('the controller Service\'s node ports and ClusterIP reach the controller too, which routes by Host', () => {
  const c = Cluster.fromManifests([...controller(), ...app]);
  const svc = c.services.find((s) => s.name === 'ingress-nginx/ingress-nginx-controller')!;
  const nodePort = svc.ports.find((p) => p.port === 80)!.nodePort!;
  const viaNode = c.request({ url: `http://${c.nodes[0].ip}:${nodePort}/`, headers: { Host: 'shop.example.com' } });
  expect(viaNode).toMatchObject({ status: 200, ingress: 'shop/shop', service: 'shop/web' });
  const web = c.pods.find((p) => p.name.startsWith('shop/web-'))!.name;
  const inside = c.request({ url: 'http://ingress-nginx-controller.ingress-nginx/', headers: { Host: 'shop.example.com' }, from: { pod: web } });
  expect(inside).toMatchObject({ status: 200, service: 'shop/web' });
  expect(inside.trace.some((h) => h.action === 'ingress-controller')).toBe(true);
  expect(c.request({ url: `http://${c.nodes[0].ip}:${nodePort}/`, headers: { Host: 'other.example.com' } })).toMatchObject({ status: 404 });
});

test('a mirrored image is recognised by the controller binary or its class flag; other Deployments are not controllers', () => {
  const mirrored = controller().map((o: any) => (o.kind === 'Deployment'
    ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { containers: [{ ...o.spec.template.spec.containers[0], image: 'mirror.example.com/nginx-ic:1' }] } } } } : o));
  expect(Cluster.fromManifests([...mirrored, ...app]).request({ url: 'http://shop.example.com/' })).toMatchObject({ status: 200, service: 'shop/web' });
  const plain = mirrored.map((o: any) => (o.kind === 'Deployment'
    ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { containers: [{ name: 'x', image: 'nginx:1', ports: o.spec.template.spec.containers[0].ports }] } } } } : o));
  const c = Cluster.fromManifests([...plain, ...app]);
  expect(c.ingressControllerAddress).not.toBe(c.services.find((s) => s.name === 'ingress-nginx/ingress-nginx-controller')!.loadBalancerIps[0]);
});
