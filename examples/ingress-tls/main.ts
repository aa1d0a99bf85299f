// An Ingress with TLS from a certificate the app ships (checked at synth against its hosts) and
// one whose certificate cert-manager issues, behind ingress-nginx.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CertManagerIssuer,
  Cluster,
  ClusterIpService,
  Ingress,
  IngressBackend,
  IngressClass,
  PathType,
  TlsCertificateSecret,
} from '../../src';

function app(scope: Construct, name: string): ClusterIpService {
  const deployment = new kplus.Deployment(scope, name, {
    metadata: { name },
    containers: [{ image: `example/${name}:1`, ports: [{ name: 'http', number: 8080 }], securityContext: { ensureNonRoot: false } }],
  });
  return new ClusterIpService(scope, `${name}-svc`, {
    metadata: { name },
    selector: deployment,
    ports: [{ name: 'http', port: 8080, targetPortName: 'http' }],
  });
}

export function buildIngressTlsChart(scope: Construct): Chart {
  const chart = new Chart(scope, 'ingress-tls', { namespace: 'base' });
  const web = app(chart, 'web');
  const cart = app(chart, 'cart');
  const admin = app(chart, 'admin');
  const nginx = new IngressClass(chart, 'nginx', { metadata: { name: 'nginx' }, controller: 'k8s.io/ingress-nginx' });

  // A demonstration certificate for shop.example.com and *.shop.example.com.
  const tls = (file: string) => fs.readFileSync(path.join(__dirname, 'tls', file), 'utf8');
  const shopTls = new TlsCertificateSecret(chart, 'shop-tls', {
    metadata: { name: 'shop-tls' },
    certificatePem: tls('tls.crt'),
    privateKeyPem: tls('tls.key'),
  });

  const shop = new Ingress(chart, 'shop-ingress', { metadata: { name: 'shop' }, ingressClass: nginx });
  shop.addRule('shop.example.com', '/', IngressBackend.fromService(web, { port: 8080 }));
  shop.addRule('shop.example.com', '/api/cart', IngressBackend.fromService(cart, { portName: 'http' }), PathType.PREFIX);
  shop.addTls({ hosts: ['shop.example.com'], secret: shopTls });

  // cert-manager's ingress-shim creates `admin-tls` from the annotation this option writes.
  const adminIngress = new Ingress(chart, 'admin-ingress', {
    metadata: { name: 'admin' },
    ingressClass: nginx,
    certManager: CertManagerIssuer.clusterIssuer('letsencrypt'),
  });
  adminIngress.addRule('admin.example.com', '/', IngressBackend.fromService(admin, { port: 8080 }));
  adminIngress.addTls({ hosts: ['admin.example.com'], secret: TlsCertificateSecret.fromSecretName('admin-tls') });
  return chart;
}

if (require.main === module) {
  const application = new App({ outdir: path.join(__dirname, 'dist') });
  const cluster = Cluster.fromChart(buildIngressTlsChart(application));
  application.synth();
  for (const url of ['https://shop.example.com/api/cart/items', 'http://shop.example.com/', 'https://admin.example.com/']) {
    const answer = cluster.request({ url });
    console.log(`${url} → ${answer.status} ${answer.location ?? answer.service ?? ''} tls=${answer.tlsSecret ?? '-'}`);
  }
}
