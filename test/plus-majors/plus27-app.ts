// An app on cdk8s-plus-27 passing its objects to our constructs without casts. plus33-app.ts is the
// same app on cdk8s-plus-33 (plus-majors.test.ts keeps the two equal but for the import and strictly type-checks both).
import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIpService, HeadlessService, Ingress, IngressBackend, NodePortService, PathType, TlsCertificateSecret } from '../../src';

const fixture = (name: string): string => readFileSync(join(__dirname, '../ingress/fixtures', name), 'utf8');

export function buildApp(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', {
    replicas: 2,
    containers: [{ image: 'example/web:1', ports: [{ name: 'http', number: 8080 }] }],
  });
  const cart = new kplus.StatefulSet(chart, 'cart', { containers: [{ image: 'example/cart:1', ports: [{ name: 'http', number: 8080 }] }] });
  const agent = new kplus.DaemonSet(chart, 'agent', { containers: [{ image: 'example/agent:1', ports: [{ number: 9100 }] }] });
  const debug = new kplus.Pod(chart, 'debug', { containers: [{ image: 'example/debug:1', ports: [{ number: 7000 }] }] });

  const webSvc = new ClusterIpService(chart, 'web-svc', { metadata: { name: 'web' }, selector: web, ports: [{ port: 80, targetPortName: 'http' }] });
  new ClusterIpService(chart, 'cart-svc', { metadata: { name: 'cart' }, selectPods: cart, ports: [{ port: 8080 }] });
  new HeadlessService(chart, 'agent-svc', { metadata: { name: 'agent' }, selector: agent, ports: [{ port: 9100 }] });
  new NodePortService(chart, 'debug-svc', { metadata: { name: 'debug' }, ports: [{ port: 7000 }] }).select(debug);
  const byLabels = new ClusterIpService(chart, 'web-by-labels', { metadata: { name: 'web-by-labels' }, ports: [{ port: 80, targetPort: 8080 }] });
  byLabels.select(kplus.Pods.select(chart, 'web-pods', { labels: web.matchLabels }));

  // A cdk8s-plus Service and TLS Secret behind our Ingress.
  const api = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, selector: web, ports: [{ name: 'http', port: 8081, targetPort: 8080 }] });
  const tls = new kplus.TlsSecret(chart, 'tls', { metadata: { name: 'shop-tls' }, tlsCert: fixture('wildcard.crt'), tlsKey: fixture('wildcard.key') });
  const ingress = new Ingress(chart, 'ingress', { metadata: { name: 'shop' }, ingressClassName: 'nginx' });
  ingress.addRule('shop.example.com', '/api', IngressBackend.fromPlusService(api), PathType.PREFIX);
  ingress.addRule('shop.example.com', '/', IngressBackend.fromService(webSvc), PathType.PREFIX);
  ingress.addTls({ hosts: ['shop.example.com'], secret: TlsCertificateSecret.fromPlusSecret(tls) });
  return chart;
}
