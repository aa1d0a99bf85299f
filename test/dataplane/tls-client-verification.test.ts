// A CN-only certificate: ingress-nginx still selects it for the host (its CN list), but TLS clients
// ignore the CN (Go since 1.15, browsers), so the model, the checks and the constructs all say it
// does not cover the host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Cluster } from '../../src';

const pem = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'ingress', 'fixtures', name), 'utf8');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const HOST = 'cn-only.example.com';

const manifests = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cn-only', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(pem('cn-only.crt')), 'tls.key': b64(pem('cn-only.key')) } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [HOST], secretName: 'cn-only' }],
      rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    },
  },
];

test('the controller presents the Secret, the client does not verify it, and the check says so', () => {
  const cluster = Cluster.fromManifests(manifests, { ingressController: { profile: 'nginx' } });
  const answer = cluster.request({ url: `https://${HOST}/` });
  expect(answer.status).toBe(200);
  expect(answer.tlsSecret).toBe('shop/cn-only');
  expect(answer.tlsHostnameVerified).toBe(false);
  expect(cluster.diagnostics).toEqual(expect.arrayContaining([
    expect.objectContaining({ code: 'TLS_HOST_NOT_COVERED', object: 'Ingress/shop/web', field: 'spec.tls[0].hosts[0]' }),
  ]));
});
