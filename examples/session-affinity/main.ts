// ClientIP session affinity: the same client keeps its pod until it has been idle for longer
// than the timeout (kube-proxy's iptables `recent` match, measured on the model's clock).
import * as path from 'node:path';
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Cluster, ClusterIpService, SessionAffinity } from '../../src';

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
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'dist') });
  const cluster = Cluster.fromChart(buildAffinityChart(app));
  app.synth();
  const client = cluster.pods[0].name;
  const call = () => cluster.request({ url: 'http://cart.shop/', from: { pod: client } }).pod;
  console.log(`first request  → ${call()}`);
  cluster.advanceClock(29 * 60);
  console.log(`29 min later   → ${call()} (same pod: the entry was refreshed)`);
  cluster.advanceClock(31 * 60);
  console.log(`31 min idle    → ${call()} (the affinity expired; a new pick)`);
}
