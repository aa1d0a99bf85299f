// The README's quick start, verbatim but for the import path (test/examples/readme.test.ts keeps them equal).
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Cluster, ClusterIpService, Ingress, IngressBackend, PathType, TlsCertificateSecret } from '../../src';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'base' });
const cart = new kplus.Deployment(chart, 'cart', {
  containers: [{ image: 'example/cart:1', ports: [{ name: 'http', number: 8080 }] }],
});
const svc = new ClusterIpService(chart, 'cart-svc', {
  metadata: { name: 'cart' },
  selector: cart, // a cdk8s-plus workload, or labels: { app: 'cart' }
  ports: [{ name: 'http', port: 8080, targetPortName: 'http' }],
});
const ingress = new Ingress(chart, 'shop-ingress', { metadata: { name: 'shop' }, ingressClassName: 'nginx' });
ingress.addRule('shop.example.com', '/api/cart', IngressBackend.fromService(svc, { port: 8080 }), PathType.PREFIX);
ingress.addTls({ hosts: ['shop.example.com'], secret: TlsCertificateSecret.fromSecretName('shop-tls') });

// Wrong input fails here, naming the construct path, field, value and rule:
//   shop/cart-svc: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
const cluster = Cluster.fromChart(chart, { seed: 1 });
const answer = cluster.request({ url: 'https://shop.example.com/api/cart', from: { ip: '203.0.113.7' } });
console.log(answer.status, answer.service, answer.pod); // 200 base/cart base/shop-cart-…
for (const hop of answer.trace) console.log(hop.text); // DNS, TLS, location, upstream, pod
console.log(cluster.diagnostics); // TLS_SECRET_NOT_FOUND: base/shop-tls
