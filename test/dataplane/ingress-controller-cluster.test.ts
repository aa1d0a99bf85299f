/** The ingress controller inside the Cluster façade: requests entering from outside. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ingress, ingressClass, makeCert, service, tlsSecret } from './ingress-controller-fixtures';
import { Cluster, formatTrace } from '../../src';

const SEED = readFileSync(join(__dirname, '..', 'fixtures', 'ingress-controller-seed.yaml'), 'utf8');
const HOST = 'interests-m-dev.billbear.vip';

describe('seed app: billbear-app-gateway (done-when of issue 6)', () => {
  const cluster = Cluster.fromYaml(SEED);

  test('the manifests are accepted and the Ingress is served by ingress-nginx', () => {
    expect(cluster.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cluster.ingressStatus('base/billbear-app-gateway')).toMatchObject({ admitted: true, controller: 'k8s.io/ingress-nginx' });
  });

  test('HTTPS /api/... reaches a gateway pod with the TLS secret', () => {
    const res = cluster.request({ url: `https://${HOST}/api/users?id=7` });
    expect(res.status).toBe(200);
    expect(res.ingress).toBe('base/billbear-app-gateway');
    expect(res.service).toBe('base/billbear-app-gateway-svc');
    expect(res.servicePort).toBe(8080);
    expect(res.servicePortName).toBe('http');
    expect(res.tlsSecret).toBe(`base/${HOST}.ssl`);
    expect(res.tlsHostnameVerified).toBe(true);
    const pods = cluster.pods.filter((p) => p.name.startsWith('base/billbear-app-gateway-'));
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => p.name)).toContain(res.pod);
    const pod = pods.find((p) => p.name === res.pod)!;
    // nginx proxies to the pod endpoint itself, not to the ClusterIP.
    expect(res.endpoint).toBe(`${pod.ip}:8080`);
    expect(res.upstream).toEqual({ method: 'GET', host: HOST, path: '/api/users?id=7' });
    const text = formatTrace(res.trace);
    expect(text).toMatch(/\[client\] route: interests-m-dev\.billbear\.vip is an Ingress host/);
    expect(text).toMatch(/\[pod\] respond: base\/billbear-app-gateway-[^ ]+ answers 200 on port 8080/);
  });

  test('plain HTTP gets the nginx 308 to HTTPS', () => {
    const res = cluster.request({ url: `http://${HOST}/api/users` });
    expect(res).toMatchObject({ status: 308, location: `https://${HOST}/api/users`, ingress: 'base/billbear-app-gateway' });
    expect(res.pod).toBeUndefined();
  });

  test('/api without the slash: 301 to /api/ (ImplementationSpecific /api/ is an nginx prefix location)', () => {
    expect(cluster.request({ url: `https://${HOST}/api` })).toMatchObject({ status: 301, location: `https://${HOST}/api/` });
  });

  test('paths outside /api/ get the default backend 404', () => {
    expect(cluster.request({ url: `https://${HOST}/` }).status).toBe(404);
  });

  test('the controller address answers with Host routing; other names are not routed', () => {
    const address = cluster.ingressControllerAddress!;
    expect(address).toMatch(/^172\.18\.255\.\d+$/);
    const viaIp = cluster.request({ url: `https://${address}/api/x`, headers: { Host: HOST } });
    expect(viaIp).toMatchObject({ status: 200, service: 'base/billbear-app-gateway-svc', tlsSecret: '@default', tlsHostnameVerified: false });
    const sni = cluster.request({ url: `https://${address}/api/x`, headers: { Host: HOST }, sni: HOST });
    expect(sni).toMatchObject({ tlsSecret: `base/${HOST}.ssl`, tlsHostnameVerified: true });
    expect(cluster.request({ url: `http://${address}/api/x` }).status).toBe(404);
    expect(cluster.request({ url: 'https://unknown.billbear.vip/' })).toMatchObject({ status: 0, error: 'no route' });
  });

  test('wrong ports: HTTP to 443 → 400, TLS to 80 fails, other ports are refused', () => {
    expect(cluster.request({ url: `http://${HOST}:443/api/x` }).status).toBe(400);
    expect(cluster.request({ url: `https://${HOST}:80/api/x` })).toMatchObject({ status: 0, error: 'TLS handshake failed' });
    expect(cluster.request({ url: `https://${HOST}:8443/api/x` })).toMatchObject({ status: 0, error: 'connection refused' });
  });

  test('requests from inside the cluster do not take the outside entry', () => {
    const pod = cluster.pods[0].name;
    const res = cluster.request({ url: `https://${HOST}/api/x`, from: { pod } });
    expect(res.ingress).toBeUndefined();
  });
});

describe('Cluster options and endpoints', () => {
  const app = (replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'app' } },
      template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'app', ports: [{ containerPort: 8080 }] }] } },
    },
  });
  const objects = (replicas: number) => [
    app(replicas),
    { ...service('web', 'app', [{ port: 80, targetPort: 8080 }]), spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } },
    ingress('web', 'app', { rules: [{ host: 'app.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 80 }] }] }),
  ];

  test('a Service without ready endpoints → 503', () => {
    const res = Cluster.fromManifests(objects(0), { ingressController: { profile: 'nginx' } }).request({ url: 'http://app.test/' });
    expect(res).toMatchObject({ status: 503, service: 'web/app', servicePort: 80 });
  });

  test('notReadyPods take pods out of the ingress upstream', () => {
    const c = Cluster.fromManifests(objects(2), { ingressController: { profile: 'nginx' } });
    const [first, second] = c.pods.map((p) => p.name);
    const withOneDown = Cluster.fromManifests(objects(2), { ingressController: { profile: 'nginx' }, notReadyPods: [first] });
    expect([1, 2, 3].map(() => withOneDown.request({ url: 'http://app.test/' }).pod)).toEqual([second, second, second]);
  });

  test('the address option and the portable profile', () => {
    const c = Cluster.fromManifests(objects(1), { ingressController: { profile: 'portable', address: '198.51.100.10' } });
    expect(c.ingressControllerAddress).toBe('198.51.100.10');
    const res = c.request({ url: 'http://198.51.100.10/x', headers: { host: 'APP.test' } });
    expect(res).toMatchObject({ status: 200, service: 'web/app', targetPort: 8080 });
    expect(formatTrace(res.trace)).toMatch(/portable profile/);
  });

  test('with a host-less Ingress, any name from outside is taken to point at the controller', () => {
    const c = Cluster.fromManifests([
      app(1),
      { ...service('web', 'app', [{ port: 80, targetPort: 8080 }]), spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } },
      ingress('web', 'any', { rules: [{ paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 80 }] }] }),
    ], { ingressController: { profile: 'nginx' } });
    const res = c.request({ url: 'http://whatever.example/x' });
    expect(res).toMatchObject({ status: 200, service: 'web/app', ingress: 'web/any' });
    expect(formatTrace(res.trace)).toMatch(/the model assumes its DNS points at the ingress controller/);
  });

  test('an unknown profile is an error naming the option', () => {
    expect(() => Cluster.fromManifests(objects(1), { ingressController: { profile: 'haproxy' } })).toThrow(/ingressController\.profile: Unsupported value: "haproxy"/);
  });

  test('no Ingress and no controller options: no address, and ingressStatus explains', () => {
    const c = Cluster.fromManifests([app(1)]);
    expect(c.ingressControllerAddress).toBeUndefined();
    expect(c.ingressStatus('web/app')).toEqual({ admitted: false, reason: 'there is no Ingress web/app among the accepted manifests' });
  });

  test('TLS with a wildcard certificate through the façade', () => {
    const pem = makeCert('*.apps.test', ['*.apps.test']);
    const c = Cluster.fromManifests([
      ...objects(1),
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      tlsSecret('web', 'wild', pem),
      ingress('web', 'tls', {
        className: 'nginx',
        tls: [{ hosts: ['secure.apps.test'], secretName: 'wild' }],
        rules: [{ host: 'secure.apps.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 80 }] }],
      }),
    ]);
    expect(c.request({ url: 'https://secure.apps.test/' })).toMatchObject({ status: 200, tlsSecret: 'web/wild', tlsHostnameVerified: true });
    // web/app has no class while an IngressClass exists and none is default: not served.
    expect(c.ingressStatus('web/app').admitted).toBe(false);
    expect(c.request({ url: 'http://app.test/' })).toMatchObject({ status: 0, error: 'no route' });
  });
});
