// `npm run example`: the seed app end to end. Synthesizes it to dist/, runs `cdk8s-traffic check`
// on dist/ as an app repo's CI would, then traces a few requests through the model and prints
// the topology.
import { App } from 'cdk8s';
import { buildSeedChart, SEED_HOST } from './app';
import { Cluster, compareRouting, Hop, migrateIngresses, RequestResult, RoutingComparison } from '../../src';
import { main as cli } from '../../src/cli/main';

const io = {
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};
const heading = (text: string) => console.log(`\n── ${text} ${'─'.repeat(Math.max(0, 74 - text.length))}`);
const answer = (r: RequestResult) => `${r.status} ${r.location ?? r.service ?? ''}${r.upstream ? ` upstream ${r.upstream.path}` : ''}`;
const show = (trace: Hop[]) => trace.forEach((hop) => console.log(`   ${hop.text}`));

const app = new App({ outdir: 'dist' });
const chart = buildSeedChart(app);
app.synth();
heading('cdk8s-traffic check dist/');
const checkExit = cli(['check', 'dist'], io);

const cluster = Cluster.fromDirectory('dist', { seed: 1 });

heading(`HTTPS through the Ingress: https://${SEED_HOST}/api/orders`);
const https = cluster.request({ url: `https://${SEED_HOST}/api/orders`, from: { ip: '203.0.113.7' } });
show(https.trace);
console.log(`=> ${https.status} from ${https.pod} via ${https.ingress}, certificate ${https.tlsSecret} (covers the host: ${https.tlsHostnameVerified})`);

heading(`Plain HTTP: http://${SEED_HOST}/api/orders`);
const http = cluster.request({ url: `http://${SEED_HOST}/api/orders` });
console.log(`=> ${http.status} Location: ${http.location}`);

const client = cluster.pods.find((pod) => pod.labels.app === 'billbear-app-gateway')!;
heading(`In-cluster, from ${client.name}: http://billbear-api-gateway-svc:8080/`);
const inside = cluster.request({ url: 'http://billbear-api-gateway-svc:8080/', from: { pod: client.name } });
show(inside.trace);

heading('Headless: billbear-api-gateway-headless.base.svc.cluster.local');
const headless = cluster.resolve('billbear-api-gateway-headless.base.svc.cluster.local');
console.log(`=> ${headless.rcode}: ${headless.records.map((r) => `${r.type} ${r.value}`).join(', ')} (the pod IPs; no virtual IP)`);

heading('Sticky client: ClientIP affinity on billbear-api-gateway-sticky');
const picks = [1, 2, 3].map(() => cluster.request({ url: 'http://billbear-api-gateway-sticky:8080/', from: { pod: client.name } }).pod);
console.log(`=> three requests from ${client.name} all reach ${[...new Set(picks)].join(', ')}`);

heading('NetworkPolicy: default deny, the app gateway open to the ingress controller only');
console.log(`=> allowed: the Ingress request above reached ${https.pod} (${https.trace.find((h) => h.component === 'network-policy')?.text})`);
const backend = cluster.pods.find((pod) => pod.labels.app === 'billbear-api-gateway')!;
const denied = cluster.request({ url: 'http://billbear-app-gateway-svc:8080/', from: { pod: backend.name } });
show(denied.trace.filter((h) => h.component !== 'dns'));
console.log(`=> denied: ${backend.name} → billbear-app-gateway-svc: ${denied.error}`);

heading('cdk8s-traffic reach -f dist');
cli(['reach', '-f', 'dist'], io);

heading('Migration to Gateway API: cdk8s-traffic migrate, then compareRouting');
const objects = chart.toJson();
const { manifests, notes } = migrateIngresses(objects, { gatewayClassName: 'eg' });
console.log(`migrate: ${manifests.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`).join(', ')}`);
for (const note of notes) console.log(`  note: ${note.feature}: ${note.message}`);
const gatewayClass = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'example.com/gateway-controller' } };
const rest = objects.filter((m: any) => !['Ingress', 'IngressClass'].includes(m.kind));
const migratedTo = (pathNormalization: string) => Cluster.fromManifests([...rest, gatewayClass, ...manifests], {
  seed: 1, gatewayController: { controllerName: 'example.com/gateway-controller', pathNormalization },
});
const showProof = (title: string, proof: RoutingComparison) => {
  console.log(`=> ${title}: ${proof.requests} requests compared, ${proof.equivalent ? 'equivalent' : `${proof.differences.length} answered differently`}`);
  for (const d of proof.differences) console.log(`   ${d.request.url}: ${answer(d.before)} vs ${answer(d.after)} (${d.hint?.split(':')[0] ?? 'no known cause'})`);
  if (proof.redirectDifferences.length) console.log(`   ${proof.redirectDifferences.length} first answers differ only in where they redirect, and end alike:`);
  for (const d of proof.redirectDifferences) console.log(`   ${d.request.url}: ${d.before.location} vs ${d.after.location} (${d.hint?.split(':')[0] ?? 'no known cause'})`);
};
showProof('first answers, Gateway matching paths as sent', compareRouting(cluster, migratedTo('none')));
showProof('a client following redirects, Gateway matching paths as nginx normalises them', compareRouting(cluster, migratedTo('nginx'), { followRedirects: 5 }));
showProof('a client following redirects, Envoy Gateway\'s normalisation (rewrites the path)', compareRouting(cluster, migratedTo('rfc3986-merge-slashes'), { followRedirects: 5 }));

heading('cdk8s-traffic graph');
cli(['graph'], io);

process.exitCode = checkExit;
