// The user's seed app (design notes in the project's seeds): the billbear gateways in namespace
// `base`, an Ingress with TLS in front, plus the headless and session-affinity variants the notes
// describe. `buildSeedChart` is shared by `npm run example` and the tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ClusterIpService,
  HeadlessService,
  Ingress,
  IngressBackend,
  IngressClass,
  IpFamily,
  IpFamilyPolicy,
  InternalTrafficPolicy,
  PathType,
  SessionAffinity,
  TlsCertificateSecret,
} from '../../src';

export const SEED_HOST = 'interests-m-dev.billbear.vip';

/** A gateway Deployment whose pods carry `app: <name>` and listen on 8080 (`http`). */
function gateway(scope: Construct, name: string): kplus.Deployment {
  return new kplus.Deployment(scope, name, {
    metadata: { name },
    replicas: 2,
    podMetadata: { labels: { app: name } },
    containers: [{
      name: 'gateway',
      image: `registry.example.com/billbear/${name}:1.0.0`,
      ports: [{ name: 'http', number: 8080 }],
      securityContext: { ensureNonRoot: false },
    }],
  });
}

export function buildSeedChart(scope: Construct, id = 'seed'): Chart {
  const chart = new Chart(scope, id, { namespace: 'base' });

  gateway(chart, 'billbear-api-gateway');
  gateway(chart, 'billbear-app-gateway');

  // The seed's Service, field for field.
  new ClusterIpService(chart, 'api-gateway-svc', {
    metadata: { name: 'billbear-api-gateway-svc' },
    selector: { app: 'billbear-api-gateway' },
    ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    internalTrafficPolicy: InternalTrafficPolicy.CLUSTER,
    ipFamilies: [IpFamily.IPV4],
    ipFamilyPolicy: IpFamilyPolicy.SINGLE_STACK,
    sessionAffinity: SessionAffinity.none(),
  });

  // The Ingress's backend, which the seed names but does not show.
  const appGateway = new ClusterIpService(chart, 'app-gateway-svc', {
    metadata: { name: 'billbear-app-gateway-svc' },
    selector: { app: 'billbear-app-gateway' },
    ports: [{ name: 'http', port: 8080, targetPortName: 'http' }],
  });

  // The seed's "# clusterIP: None" variant: DNS answers with the pod IPs themselves.
  new HeadlessService(chart, 'api-gateway-headless', {
    metadata: { name: 'billbear-api-gateway-headless' },
    selector: { app: 'billbear-api-gateway' },
    ports: [{ name: 'http', port: 8080 }],
  });

  // The notes' session stickiness: the same client IP keeps its pod for three hours.
  new ClusterIpService(chart, 'api-gateway-sticky', {
    metadata: { name: 'billbear-api-gateway-sticky' },
    selector: { app: 'billbear-api-gateway' },
    ports: [{ name: 'http', port: 8080 }],
    sessionAffinity: SessionAffinity.clientIp(Duration.hours(3)),
  });

  const nginx = new IngressClass(chart, 'nginx', {
    metadata: { name: 'nginx' },
    controller: 'k8s.io/ingress-nginx',
  });

  // A self-signed demonstration certificate for the seed host (never use it for real traffic).
  const tlsDir = path.join(__dirname, 'tls');
  const certificate = new TlsCertificateSecret(chart, 'tls', {
    metadata: { name: `${SEED_HOST}.ssl` },
    certificatePem: fs.readFileSync(path.join(tlsDir, 'tls.crt'), 'utf8'),
    privateKeyPem: fs.readFileSync(path.join(tlsDir, 'tls.key'), 'utf8'),
  });

  const ingress = new Ingress(chart, 'app-gateway', {
    metadata: { name: 'billbear-app-gateway' },
    ingressClass: nginx,
  });
  ingress.addRule(SEED_HOST, '/api/', IngressBackend.fromService(appGateway, { port: 8080 }), PathType.IMPLEMENTATION_SPECIFIC);
  ingress.addTls({ hosts: [SEED_HOST], secret: certificate });

  networkPolicies(chart);
  return chart;
}

/**
 * The namespace's NetworkPolicies: nothing gets into a `base` pod unless a policy says so; the
 * app gateway takes traffic from the ingress-nginx controller only (its upstream chart's
 * namespace and labels), and the api gateway from the app gateway only.
 */
function networkPolicies(chart: Chart): void {
  const policy = (name: string, spec: Record<string, unknown>) => new ApiObject(chart, name, {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec,
  });
  policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
  policy('allow-from-ingress-controller', {
    podSelector: { matchLabels: { app: 'billbear-app-gateway' } },
    policyTypes: ['Ingress'],
    ingress: [{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
      }],
      ports: [{ port: 'http', protocol: 'TCP' }],
    }],
  });
  policy('allow-api-from-app-gateway', {
    podSelector: { matchLabels: { app: 'billbear-api-gateway' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'billbear-app-gateway' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  });
}
