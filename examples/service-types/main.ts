// One Service of each type in front of the same pods, and what the model says about each.
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  Cluster,
  ClusterIpService,
  ExternalNameService,
  ExternalTrafficPolicy,
  LoadBalancerService,
  NodePortService,
} from '../../src';

export function buildServiceTypesChart(scope: Construct): Chart {
  const chart = new Chart(scope, 'service-types', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', {
    metadata: { name: 'web' },
    replicas: 3,
    containers: [{ image: 'nginx:1.27', ports: [{ name: 'http', number: 80 }], securityContext: { ensureNonRoot: false } }],
  });

  // In-cluster only: a virtual IP that kube-proxy balances over the ready pods.
  new ClusterIpService(chart, 'internal', {
    metadata: { name: 'web' },
    selector: web,
    ports: [{ name: 'http', port: 80, targetPortName: 'http' }],
  });

  // Every node's IP on a fixed port; Local keeps the client IP and uses only pods on that node.
  new NodePortService(chart, 'node-port', {
    metadata: { name: 'web-nodeport' },
    selector: web,
    ports: [{ name: 'http', port: 80, targetPortName: 'http', nodePort: 30080 }],
    externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
  });

  // A cloud load balancer in front of the node ports, open only to the office range.
  new LoadBalancerService(chart, 'public', {
    metadata: { name: 'web-public' },
    selector: web,
    ports: [{ name: 'http', port: 80, targetPortName: 'http' }],
    loadBalancerSourceRanges: ['198.51.100.0/24'],
  });

  // A DNS alias for something outside the cluster: no proxying, only a CNAME.
  new ExternalNameService(chart, 'payments', {
    metadata: { name: 'payments' },
    externalName: 'api.payments.example.com',
  });
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'dist') });
  const cluster = Cluster.fromChart(buildServiceTypesChart(app));
  app.synth();
  const service = (name: string) => cluster.services.find((s) => s.name === name)!;
  const client = cluster.pods[0].name;
  const answers = [
    cluster.connect({ to: `${service('shop/web').clusterIp}:80`, from: { pod: client } }),
    cluster.connect({ to: `${cluster.nodes[0].ip}:30080` }),
    cluster.connect({ to: `${service('shop/web-public').loadBalancerIps[0]}:80`, from: { ip: '198.51.100.7' } }),
  ];
  for (const answer of answers) console.log(answer.trace.map((hop) => hop.text).join('\n'), '\n');
  const alias = cluster.resolve('payments.shop.svc.cluster.local');
  console.log(alias.records.map((r) => `${r.name} ${r.type} ${r.value}`).join('\n'));
}
