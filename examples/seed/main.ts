// The user's seed app (../shared/seeds): the billbear API gateway in namespace `base`.
// Synthesizes to dist/ and validates each manifest with the API server's rules.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { formatFieldError, validateManifest } from '../../src';

const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'seed', { namespace: 'base' });

new k8s.KubeService(chart, 'billbear-api-gateway-svc', {
  metadata: { name: 'billbear-api-gateway-svc' },
  spec: {
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    selector: { app: 'billbear-api-gateway' },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(8080) }],
    sessionAffinity: 'None',
  },
});

app.synth();

let failures = 0;
for (const manifest of chart.toJson()) {
  const errors = validateManifest(manifest);
  failures += errors.length;
  const ref = `${manifest.kind}/${manifest.metadata.namespace}/${manifest.metadata.name}`;
  console.log(errors.length ? `✗ ${ref}` : `✓ ${ref}`);
  for (const error of errors) console.log(`    ${formatFieldError(error)}`);
}
console.log(`synthesized to dist/ (${chart.toJson().length} objects)`);
process.exitCode = failures ? 1 : 0;
