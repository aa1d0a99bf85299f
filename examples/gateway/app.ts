// The seed app served by a Gateway instead of the Ingress: an HTTPS listener with the seed's
// certificate routes /api/ to the app gateway, and an HTTP listener redirects to HTTPS.
// `buildGatewayChart` is shared by `main.ts` and the tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ClusterIpService, Gateway, GatewayClass, HttpRoute, HttpRouteBackend, HttpRouteFilter, HttpRouteMatch, ListenerProtocol, TlsCertificateSecret,
} from '../../src';

export const SEED_HOST = 'interests-m-dev.billbear.vip';
export const GATEWAY_CONTROLLER = 'example.com/gateway-controller';

export function buildGatewayChart(scope: Construct, id = 'gateway'): Chart {
  const chart = new Chart(scope, id, { namespace: 'base' });

  new kplus.Deployment(chart, 'billbear-app-gateway', {
    metadata: { name: 'billbear-app-gateway' },
    replicas: 2,
    podMetadata: { labels: { app: 'billbear-app-gateway' } },
    containers: [{
      name: 'gateway',
      image: 'registry.example.com/billbear/billbear-app-gateway:1.0.0',
      ports: [{ name: 'http', number: 8080 }],
      securityContext: { ensureNonRoot: false },
    }],
  });
  const appGateway = new ClusterIpService(chart, 'app-gateway-svc', {
    metadata: { name: 'billbear-app-gateway-svc' },
    selector: { app: 'billbear-app-gateway' },
    ports: [{ name: 'http', port: 8080, targetPortName: 'http' }],
  });

  // A self-signed demonstration certificate for the seed host (never use it for real traffic).
  const tlsDir = path.join(__dirname, '..', 'seed', 'tls');
  const certificate = new TlsCertificateSecret(chart, 'tls', {
    metadata: { name: `${SEED_HOST}.ssl` },
    certificatePem: fs.readFileSync(path.join(tlsDir, 'tls.crt'), 'utf8'),
    privateKeyPem: fs.readFileSync(path.join(tlsDir, 'tls.key'), 'utf8'),
  });

  const gatewayClass = new GatewayClass(chart, 'class', { metadata: { name: 'example' }, controllerName: GATEWAY_CONTROLLER });
  const gateway = new Gateway(chart, 'edge', { metadata: { name: 'billbear-edge' }, gatewayClass });
  const http = gateway.addListener({ name: 'http', port: 80, protocol: ListenerProtocol.HTTP, hostname: SEED_HOST });
  const https = gateway.addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: SEED_HOST, tls: { certificates: [certificate] } });

  // Plain HTTP answers with a permanent redirect to HTTPS, as ingress-nginx's ssl-redirect did.
  new HttpRoute(chart, 'to-https', {
    metadata: { name: 'billbear-to-https' },
    parents: [http],
    rules: [{ filters: [HttpRouteFilter.requestRedirect({ scheme: 'https', statusCode: 301 })] }],
  });
  new HttpRoute(chart, 'app', {
    metadata: { name: 'billbear-app-gateway' },
    parents: [https],
    hostnames: [SEED_HOST],
    rules: [{ matches: [HttpRouteMatch.pathPrefix('/api/')], backends: [HttpRouteBackend.fromService(appGateway, { port: 8080 })] }],
  });
  return chart;
}
