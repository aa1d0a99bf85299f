// The seed app behind a Gateway: builds it (synth runs inside Cluster.fromChart), shows the
// Gateway's and routes' statuses, and traces requests through the model. Nothing is written to
// dist/, which `npm run example` uses for the seed app.
import { App } from 'cdk8s';
import { buildGatewayChart, GATEWAY_CONTROLLER, SEED_HOST } from './app';
import { Cluster, Hop } from '../../src';

const heading = (text: string) => console.log(`\n── ${text} ${'─'.repeat(Math.max(0, 74 - text.length))}`);
const show = (trace: Hop[]) => trace.forEach((hop) => console.log(`   ${hop.text}`));

const app = new App();
const chart = buildGatewayChart(app);
const cluster = Cluster.fromChart(chart, { gatewayController: { controllerName: GATEWAY_CONTROLLER }, seed: 1 });

heading('Gateway base/billbear-edge');
const status = cluster.gatewayStatus('base/billbear-edge');
console.log(`accepted ${status.accepted} (${status.reason}), address ${status.address}`);
for (const l of status.listeners) console.log(`   listener ${l.name} ${l.protocol}/${l.port}: attachedRoutes ${l.attachedRoutes}, ${l.reason}`);

heading(`HTTPS: https://${SEED_HOST}/api/orders`);
const https = cluster.request({ url: `https://${SEED_HOST}/api/orders`, gateway: 'base/billbear-edge' });
show(https.trace);
console.log(`=> ${https.status} from ${https.pod} via ${https.gateway} listener ${https.listener}, route ${https.route}, certificate ${https.tlsSecret}`);

heading(`Plain HTTP: http://${SEED_HOST}/api/orders`);
const http = cluster.request({ url: `http://${SEED_HOST}/api/orders`, gateway: 'base/billbear-edge' });
console.log(`=> ${http.status} Location: ${http.location}`);
