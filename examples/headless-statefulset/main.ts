// A StatefulSet with its governing headless Service: stable per-pod DNS names, and a Service
// name that resolves to the pod IPs themselves (no virtual IP, no kube-proxy).
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Cluster, HeadlessService } from '../../src';

export function buildHeadlessChart(scope: Construct): Chart {
  const chart = new Chart(scope, 'headless-statefulset', { namespace: 'data' });
  const labels = { app: 'db' };

  const governing = new HeadlessService(chart, 'db', {
    metadata: { name: 'db' },
    selector: labels,
    ports: [{ name: 'postgres', port: 5432 }],
    // Peers must find each other before they are ready (e.g. to elect a primary).
    publishNotReadyAddresses: true,
  });

  new k8s.KubeStatefulSet(chart, 'statefulset', {
    metadata: { name: 'db' },
    spec: {
      serviceName: governing.serviceName,
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ name: 'postgres', containerPort: 5432 }] }] },
      },
    },
  });
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'dist') });
  const cluster = Cluster.fromChart(buildHeadlessChart(app));
  app.synth();
  for (const name of ['db.data.svc.cluster.local', 'db-0.db.data.svc.cluster.local', '_postgres._tcp.db.data.svc.cluster.local']) {
    const answer = cluster.resolve(name, { type: name.startsWith('_') ? 'SRV' : 'A' });
    console.log(`${name} → ${answer.rcode}`);
    for (const record of answer.records) console.log(`  ${record.type} ${record.value}${record.port ? ` port ${record.port}` : ''}`);
  }
}
