// The pattern an app repo copies: build the chart and assert where real traffic goes, through the
// dataplane model — no cluster needed. A failed expectation prints the request's hop-by-hop trace.
// In an app repo, import from 'cdk8s-traffic'.
import { Testing } from 'cdk8s';
import { Traffic } from '../../src';
import { buildIngressTlsChart } from '../ingress-tls/main';

describe('shop traffic', () => {
  const traffic = Traffic.fromChart(buildIngressTlsChart(Testing.app()), { seed: 1, now: new Date('2026-12-01T00:00:00Z') });

  test('https://shop.example.com/api/cart reaches a cart pod over TLS with the shop certificate', () => {
    traffic.expectRequest({ url: 'https://shop.example.com/api/cart', from: { ip: '203.0.113.7' } })
      .toReach('base/cart')
      .toPresentCertificateFrom('base/shop-tls');
  });

  test('everything else on the host goes to web', () => {
    traffic.expectRequest({ url: 'https://shop.example.com/checkout' }).toReach('base/web');
  });

  test('plain HTTP is redirected to HTTPS by ingress-nginx', () => {
    traffic.expectRequest({ url: 'http://shop.example.com/api/cart' }).toRedirectTo('https://shop.example.com/api/cart');
  });

  test('in-cluster clients reach cart through its Service name; from outside that name leads nowhere', () => {
    const client = traffic.cluster.pods.find((pod) => pod.name.startsWith('base/web-'))!;
    traffic.expectRequest({ url: 'http://cart.base:8080/', from: { pod: client.name } }).toReach('base/cart');
    traffic.expectRequest({ url: 'http://cart.base:8080/' }).toBeRefused();
  });

  test('the manifests have no error diagnostics', () => {
    traffic.expectNoDiagnostics({ severity: 'error' });
  });
});
