// The pattern an app repo copies: build the chart, load it into the dataplane model, and assert
// where real traffic goes — no cluster needed. In an app repo, import from 'cdk8s-traffic'.
import { Testing } from 'cdk8s';
import { Cluster } from '../../src';
import { buildIngressTlsChart } from '../ingress-tls/main';

describe('shop traffic', () => {
  const cluster = Cluster.fromChart(buildIngressTlsChart(Testing.app()), { seed: 1 });

  test('https://shop.example.com/api/cart reaches a ready cart pod over TLS with the shop certificate', () => {
    const answer = cluster.request({ url: 'https://shop.example.com/api/cart', from: { ip: '203.0.113.7' } });
    expect(answer.status).toBe(200);
    expect(answer.ingress).toBe('base/shop');
    expect(answer.service).toBe('base/cart');
    expect(answer.servicePort).toBe(8080);
    expect(answer.pod).toMatch(/^base\/cart-/);
    expect(answer.tlsSecret).toBe('base/shop-tls');
    expect(answer.tlsHostnameVerified).toBe(true);
  });

  test('everything else on the host goes to web', () => {
    const answer = cluster.request({ url: 'https://shop.example.com/checkout' });
    expect(answer.status).toBe(200);
    expect(answer.service).toBe('base/web');
    expect(answer.pod).toMatch(/^base\/web-/);
  });

  test('plain HTTP is redirected to HTTPS by ingress-nginx', () => {
    const answer = cluster.request({ url: 'http://shop.example.com/api/cart' });
    expect(answer.status).toBe(308);
    expect(answer.location).toBe('https://shop.example.com/api/cart');
  });

  test('in-cluster clients reach cart through its Service name', () => {
    const client = cluster.pods.find((pod) => pod.name.startsWith('base/web-'))!;
    const answer = cluster.request({ url: 'http://cart.base:8080/', from: { pod: client.name } });
    expect(answer.status).toBe(200);
    expect(answer.service).toBe('base/cart');
  });

  test('the manifests have no error diagnostics', () => {
    expect(cluster.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
