/**
 * TrafficValidation as cdk8s-cli runs it: directly with cdk8s-cli's own ValidationContext, and end
 * to end through `cdk8s synth` in a small app whose cdk8s.yaml lists the plugin by local path.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { TrafficValidation } from '../../src';

const REPO = resolve(__dirname, '..', '..');

/** An app with an Ingress whose backend Service does not exist; `ignore` adds the suppression annotation. */
const appSource = (ignore: boolean) => `
const { App, Chart, ApiObject } = require(${JSON.stringify(join(REPO, 'node_modules', 'cdk8s'))});
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'base' });
new ApiObject(chart, 'front', {
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
  metadata: { name: 'front'${ignore ? ", annotations: { 'cdk8s-traffic/ignore': 'INGRESS_BACKEND_SERVICE_NOT_FOUND,INGRESS_NO_TLS: the backend ships from another repo' }" : ''} },
  spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'missing', port: { number: 80 } } } }] } }] },
});
app.synth();
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-plugin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('with cdk8s-cli\'s ValidationContext: a violation per code, naming the construct path; failure at failOn', async () => {
  const manifest = join(dir, 'shop.k8s.yaml');
  writeFileSync(manifest, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: front, namespace: base }
spec:
  rules:
  - host: shop.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: missing, port: { number: 80 } } } }] }
`);
  const context = new ValidationContext([manifest], 'cdk8s-traffic', '0.0.0', { front: { path: 'shop/front' } });
  await new TrafficValidation({ ingressController: { profile: 'nginx' } }).validate(context as any);
  const report = context.report.toJson();
  expect(report.summary.status).toBe('failure');
  const violation = report.violations.find((v) => v.ruleName.startsWith('INGRESS_BACKEND_SERVICE_NOT_FOUND'))!;
  expect(violation.ruleName).toBe('INGRESS_BACKEND_SERVICE_NOT_FOUND (error)');
  expect(violation.recommendation).toMatch(/^Ingress\/base\/front: backend Service base\/missing does not exist/);
  expect(violation.violatingConstructs).toEqual([{
    resourceName: 'front', locations: ['spec.rules[0].http.paths[0].backend.service.name'], manifestPath: manifest, constructPath: 'shop/front',
  }]);

  const lenient = new ValidationContext([manifest], 'cdk8s-traffic', '0.0.0', {});
  await new TrafficValidation({ failOn: 'never' }).validate(lenient as any);
  expect(lenient.report.toJson().summary.status).toBe('success');
  expect(() => new TrafficValidation({ failOn: 'sometimes' })).toThrow(/^TrafficValidation: failOn must be one of error, warning, info, never; got "sometimes"/);
});

/** Runs `cdk8s synth` in the app directory; the plugin is this repository's source, loaded through ts-node. */
function synth(ignore: boolean) {
  writeFileSync(join(dir, 'main.js'), appSource(ignore));
  writeFileSync(join(dir, 'plugin.js'), `require(${JSON.stringify(join(REPO, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(join(REPO, 'tsconfig.json'))} });
module.exports = require(${JSON.stringify(join(REPO, 'src', 'index.ts'))});
`);
  writeFileSync(join(dir, 'cdk8s.yaml'), `language: typescript
app: node main.js
validations:
  - package: ./plugin.js
    class: TrafficValidation
    version: 0.0.0
    properties: { failOn: error }
`);
  return spawnSync(join(REPO, 'node_modules', '.bin', 'cdk8s'), ['synth'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
}

test('cdk8s synth fails on a broken backend, naming the construct path, and passes once the finding is suppressed with a reason', () => {
  const failed = synth(false);
  const out = failed.stdout + failed.stderr;
  expect(failed.status).not.toBe(0);
  expect(out).toMatch(/INGRESS_BACKEND_SERVICE_NOT_FOUND \(error\)/);
  expect(out).toMatch(/Construct Path: shop\/front/);
  const passed = synth(true);
  expect(passed.stdout + passed.stderr).not.toMatch(/INGRESS_BACKEND_SERVICE_NOT_FOUND/);
  expect(passed.status).toBe(0);
}, 150_000);
