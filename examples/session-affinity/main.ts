// Two kinds of stickiness side by side.
// - ClientIP session affinity on the Service: the same in-cluster client keeps its pod until it
//   has been idle for longer than the timeout (kube-proxy's iptables `recent` match, measured on
//   the model's clock).
// - Cookie affinity at ingress-nginx: the controller proxies straight to pod IPs, so the Service's
//   ClientIP affinity never applies to outside users; `affinity: cookie` does — the first answer
//   sets a cookie, and a browser sending it back stays on its pod.
import * as path from 'node:path';
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Cluster, ClusterIpService, Ingress, IngressBackend, IngressClass, SessionAffinity } from '../../src';

export function buildAffinityChart(scope: Construct): Chart {
  const chart = new Chart(scope, 'session-affinity', { namespace: 'shop' });
  const cart = new kplus.Deployment(chart, 'cart', {
    metadata: { name: 'cart' },
    replicas: 4,
    containers: [{ image: 'example/cart:2', ports: [{ name: 'http', number: 8080 }], securityContext: { ensureNonRoot: false } }],
  });
  new ClusterIpService(chart, 'cart-svc', {
    metadata: { name: 'cart' },
    selector: cart,
    ports: [{ name: 'http', port: 80, targetPortName: 'http' }],
    sessionAffinity: SessionAffinity.clientIp(Duration.minutes(30)),
  });
  const web = new kplus.Deployment(chart, 'web', {
    metadata: { name: 'web' },
    replicas: 4,
    containers: [{ image: 'example/web:1', ports: [{ name: 'http', number: 8080 }], securityContext: { ensureNonRoot: false } }],
  });
  const webSvc = new ClusterIpService(chart, 'web-svc', { metadata: { name: 'web' }, selector: web, ports: [{ name: 'http', port: 80, targetPortName: 'http' }] });
  const nginx = new IngressClass(chart, 'nginx', { metadata: { name: 'nginx' }, controller: 'k8s.io/ingress-nginx' });
  const shop = new Ingress(chart, 'shop', {
    metadata: { name: 'shop' },
    ingressClass: nginx,
    nginx: { affinity: { name: 'SHOPSESSION', maxAge: Duration.minutes(30) } },
  });
  shop.addRule('shop.example.com', '/', IngressBackend.fromService(webSvc, { port: 80 }));
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'dist') });
  const cluster = Cluster.fromChart(buildAffinityChart(app), { ingressController: { sslRedirect: false } });
  app.synth();
  const client = cluster.pods[0].name;
  const call = () => cluster.request({ url: 'http://cart.shop/', from: { pod: client } }).pod;
  console.log('ClientIP affinity (in-cluster client → Service cart)');
  console.log(`  first request  → ${call()}`);
  cluster.advanceClock(29 * 60);
  console.log(`  29 min later   → ${call()} (same pod: the entry was refreshed)`);
  cluster.advanceClock(31 * 60);
  console.log(`  31 min idle    → ${call()} (the affinity expired; a new pick)`);

  console.log('Cookie affinity (browser → ingress-nginx → Service web)');
  const first = cluster.request({ url: 'http://shop.example.com/' });
  console.log(`  first request  → ${first.pod}, Set-Cookie: ${first.setCookies?.[0]}`);
  const cookie = first.setCookies![0].split(';')[0];
  const again = cluster.request({ url: 'http://shop.example.com/cart', headers: { Cookie: cookie } });
  console.log(`  with the cookie → ${again.pod} (same pod)`);
  console.log(`  without it      → ${cluster.request({ url: 'http://shop.example.com/' }).pod} (a new pick and a new cookie)`);
}
