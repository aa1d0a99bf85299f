// In-cluster HTTP: the URL host is resolved with the calling pod's resolv.conf (kubelet
// ClusterFirst: search path + ndots:5), then the connection goes through kube-proxy.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { clusterIpService, deployment, pod, service } from './fixtures';
import { Cluster, formatTrace } from '../../src';

const manifests = [
  deployment('base', 'cart', { replicas: 3 }),
  clusterIpService('base', 'cart', { app: 'cart' }, [{ name: 'http', port: 8080, targetPort: 'http' }]),
  pod('base', 'web-0'),
  pod('other', 'job-0'),
  pod('base', 'hostnet', { spec: { hostNetwork: true } }),
  service('base', 'ext', { type: 'ExternalName', externalName: 'api.example.com' }),
];

describe('request() inside the cluster', () => {
  test('http://cart.base:8080/ from a pod: DNS, kube-proxy, pod; the DESIGN.md result fields', () => {
    const c = Cluster.fromManifests(manifests);
    const r = c.request({ url: 'http://cart.base:8080/', from: { pod: 'base/web-0' } });
    expect(r).toMatchObject({ status: 200, service: 'base/cart', servicePort: 8080, targetPort: 8080 });
    expect(r.pod).toMatch(/^base\/cart-[a-z0-9]+-[0-2]$/);
    expect(r.endpoint).toBe(`${c.pods.find((p) => p.name === r.pod)!.ip}:8080`);
    expect(r.trace.map((h) => h.component)).toEqual(['client', 'dns', 'dns', 'dns', 'dns', 'kube-proxy', 'kube-proxy', 'kube-proxy', 'pod']);
  });

  test('the short name works from the same namespace only', () => {
    const c = Cluster.fromManifests(manifests);
    expect(c.request({ url: 'http://cart:8080/', from: { pod: 'base/web-0' } }).status).toBe(200);
    expect(c.request({ url: 'http://cart:8080/', from: { pod: 'other/job-0' } })).toMatchObject({ status: 0, error: 'NXDOMAIN' });
  });

  test('a port the Service does not expose times out (iptables)', () => {
    const c = Cluster.fromManifests(manifests);
    expect(c.request({ url: 'http://cart.base/', from: { pod: 'base/web-0' } })).toMatchObject({ status: 0, error: 'connection timed out' });
  });

  test('a Service without ready pods refuses', () => {
    const c = Cluster.fromManifests(manifests, { notReadyPods: Cluster.fromManifests(manifests).pods.filter((p) => p.name.startsWith('base/cart-')).map((p) => p.name) });
    expect(c.request({ url: 'http://cart.base:8080/', from: { pod: 'base/web-0' } })).toMatchObject({ status: 0, error: 'connection refused', service: 'base/cart' });
  });

  test('an ExternalName pointing outside the cluster ends at the CNAME (the model does not resolve the internet)', () => {
    const r = Cluster.fromManifests(manifests).request({ url: 'http://ext.base/', from: { pod: 'base/web-0' } });
    expect(r.status).toBe(0);
    expect(formatTrace(r.trace)).toContain('CNAME api.example.com');
  });

  test('a headless Service: DNS returns pod IPs, the client connects to one directly (no kube-proxy)', () => {
    const headless = clusterIpService('base', 'cart-direct', { app: 'cart' }, [{ port: 8080 }], { clusterIP: 'None' });
    const r = Cluster.fromManifests([...manifests, headless]).request({ url: 'http://cart-direct:8080/', from: { pod: 'base/web-0' } });
    expect(r).toMatchObject({ status: 200, service: 'base/cart-direct', targetPort: 8080 });
    expect(r.trace.map((h) => h.component)).not.toContain('kube-proxy');
    expect(r.trace.map((h) => h.action)).toContain('loadbalance');
  });

  test('a hostNetwork pod with the default dnsPolicy does not use cluster DNS (needs ClusterFirstWithHostNet)', () => {
    const r = Cluster.fromManifests(manifests).request({ url: 'http://cart.base:8080/', from: { pod: 'base/hostnet' } });
    expect(r).toMatchObject({ status: 0, error: 'NXDOMAIN' });
  });

  test('identical input gives an identical trace, and every hop has a one-line text', () => {
    const run = () => Cluster.fromManifests(manifests, { seed: 5 }).request({ url: 'http://cart.base:8080/x', from: { pod: 'base/web-0' } });
    expect(run()).toEqual(run());
    for (const hop of run().trace) expect(hop.text).not.toContain('\n');
  });
});

describe('request() from outside', () => {
  test('a host that is not a node, LoadBalancer or external IP and no Ingress: no route, said in the trace', () => {
    const r = Cluster.fromManifests(manifests).request({ url: 'http://cart.base:8080/' });
    expect(r).toMatchObject({ status: 0, error: 'no route' });
    expect(r.trace[r.trace.length - 1].component).toBe('client');
  });

  test('a node IP and node port reach the Service', () => {
    const c = Cluster.fromManifests([deployment('a', 'web'), service('a', 'web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] })]);
    expect(c.request({ url: `http://${c.nodes[1].ip}:30080/` })).toMatchObject({ status: 200, service: 'a/web', servicePort: 80 });
  });

  test('invalid arguments are refused clearly', () => {
    const c = Cluster.fromManifests(manifests);
    expect(() => c.request({ url: 'not a url' })).toThrow('request: not a valid URL');
    expect(() => c.request({ url: 'ftp://x/' })).toThrow('only http and https');
    expect(() => c.request({ url: 'http://x/', from: { ip: 'x' } })).toThrow('from.ip must be an IP address');
  });
});

describe('loading from cdk8s and files', () => {
  const objects = (scope: Chart) => {
    new ApiObject(scope, 'deploy', deployment('base', 'cart'));
    new ApiObject(scope, 'svc', clusterIpService('base', 'cart', { app: 'cart' }, [{ port: 80, targetPort: 8080 }]));
  };

  test('fromChart and fromApp read synthesized objects', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'one');
    objects(chart);
    const other = new Chart(app, 'two');
    new ApiObject(other, 'p', pod('base', 'client'));
    expect(Cluster.fromChart(chart).services.map((s) => s.name)).toEqual(['base/cart', 'default/kubernetes']);
    const fromApp = Cluster.fromApp(app);
    expect(fromApp.pods.map((p) => p.name)).toContain('base/client');
    expect(fromApp.request({ url: 'http://cart.base/', from: { pod: 'base/client' } }).status).toBe(200);
  });

  test('fromDirectory reads every YAML file of a dist/ in name order (recursively)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dist-'));
    try {
      const app = new App({ outdir: dir });
      objects(new Chart(app, 'shop'));
      app.synth();
      mkdirSync(join(dir, 'extra'));
      writeFileSync(join(dir, 'extra', 'client.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: base}\nspec: {containers: [{name: c, image: i}]}\n');
      const c = Cluster.fromDirectory(dir);
      expect(c.services.map((s) => s.name)).toEqual(['base/cart', 'default/kubernetes']);
      expect(c.request({ url: 'http://cart.base/', from: { pod: 'base/client' } }).status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fromDirectory on a missing directory or a broken file throws ManifestError naming it', () => {
    expect(() => Cluster.fromDirectory('/no/such/dir')).toThrow(expect.objectContaining({ name: 'ManifestError', message: '/no/such/dir: no such directory' }));
    const dir = mkdtempSync(join(tmpdir(), 'dist-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'a: [\n');
      expect(() => Cluster.fromDirectory(dir)).toThrow(/bad\.yaml: document 1, line \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trace text (second net: snapshot)', () => {
  test('the one-line form of every hop of an in-cluster request', () => {
    const c = Cluster.fromManifests(manifests, { seed: 1 });
    const r = c.request({ url: 'http://cart.base:8080/api', from: { pod: 'base/web-0' } });
    expect(r).toMatchObject({ status: 200, service: 'base/cart', servicePort: 8080, targetPort: 8080 });
    const picked = c.pods.find((p) => p.name === r.pod)!;
    expect(picked.name).toMatch(/^base\/cart-/);
    const cart = c.services.find((s) => s.name === 'base/cart')!;
    // ndots:5 and one dot: the search list first, the name as given last (resolv.conf(5)).
    expect(r.trace.map((h) => `${h.component} ${h.action}`)).toEqual([
      'client request', 'dns query', 'dns search', 'dns nxdomain', 'dns answer',
      'kube-proxy match', 'kube-proxy pick', 'kube-proxy dnat', 'pod respond',
    ]);
    expect(r.trace.find((h) => h.action === 'answer')!.text).toBe(`cart.base.svc.cluster.local A: ${cart.clusterIp}`);
    expect(r.trace.find((h) => h.action === 'dnat')!.text).toContain(`${cart.clusterIp}:8080 → ${picked.ip}:8080`);
    expect(r.trace.find((h) => h.action === 'respond')!.text).toBe(`${r.pod} answers 200 on port 8080`);
    expect(formatTrace(r.trace)).toMatchSnapshot();
  });
});

describe('the caller pod\'s resolv.conf (pkg/kubelet/network/dns GetPodDNS)', () => {
  const withDns = (name: string, spec: any) => pod('base', name, { spec });

  test('dnsConfig options ndots:1 makes a dotted name try itself first', () => {
    const c = Cluster.fromManifests([...manifests, withDns('lean', { dnsConfig: { options: [{ name: 'ndots', value: '1' }] } })]);
    const r = c.request({ url: 'http://cart.base:8080/', from: { pod: 'base/lean' } });
    expect(r.status).toBe(200);
    expect(r.trace.find((h) => h.action === 'search')!.text).toBe('cart.base has 1 dot(s), ndots:1: try cart.base, cart.base.base.svc.cluster.local, cart.base.svc.cluster.local, cart.base.cluster.local');
  });

  test('dnsConfig searches are appended to the cluster search list', () => {
    const c = Cluster.fromManifests([...manifests, withDns('extra', { dnsConfig: { searches: ['other.svc.cluster.local'] } }), pod('other', 'tool', { labels: { app: 'tool' } }),
      clusterIpService('other', 'tool', { app: 'tool' }, [{ port: 80 }])]);
    expect(c.request({ url: 'http://tool/', from: { pod: 'base/extra' } })).toMatchObject({ status: 200, service: 'other/tool' });
  });

  test('dnsPolicy None uses cluster DNS only when its nameserver is the cluster DNS address', () => {
    const none = (name: string, ns: string) => withDns(name, { dnsPolicy: 'None', dnsConfig: { nameservers: [ns], searches: ['base.svc.cluster.local'] } });
    const c = Cluster.fromManifests([...manifests, none('inside', '10.96.0.10'), none('outside', '1.1.1.1')]);
    expect(c.request({ url: 'http://cart:8080/', from: { pod: 'base/inside' } }).status).toBe(200);
    const r = c.request({ url: 'http://cart:8080/', from: { pod: 'base/outside' } });
    expect(r).toMatchObject({ status: 0, error: 'NXDOMAIN' });
    expect(r.trace[r.trace.length - 1].text).toContain('not the cluster DNS 10.96.0.10');
  });

  test('dnsPolicy Default and node sources do not use cluster DNS', () => {
    const c = Cluster.fromManifests([...manifests, withDns('dflt', { dnsPolicy: 'Default' })]);
    expect(c.request({ url: 'http://cart.base:8080/', from: { pod: 'base/dflt' } }).error).toBe('NXDOMAIN');
    expect(c.request({ url: 'http://cart.base:8080/', from: { ip: c.nodes[0].ip } }).error).toBe('NXDOMAIN');
  });

  test('ClusterFirstWithHostNet gives a hostNetwork pod cluster DNS', () => {
    const c = Cluster.fromManifests([...manifests, withDns('hn', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' })]);
    expect(c.request({ url: 'http://cart.base:8080/', from: { pod: 'base/hn' } }).status).toBe(200);
  });
});
