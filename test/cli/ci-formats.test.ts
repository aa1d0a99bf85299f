/** `check` in CI: suppressions from .cdk8s-traffic.yaml, --strict, JUnit XML and GitHub workflow commands. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DOMParser } from '@xmldom/xmldom';
import { main } from '../../src/cli/main';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: NodePort, selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: "broken", namespace: shop }
spec: { selector: { app: nothing }, ports: [{ port: 80 }] }
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-ci-'));
  writeFileSync(join(dir, 'app.yaml'), APP);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTTY: false, env: {}, cwd: dir });
  return { code, stdout, stderr };
}

test('warnings pass by default and fail with --strict; a suppression from .cdk8s-traffic.yaml makes it pass again', () => {
  const app = join(dir, 'app.yaml');
  expect(run(['check', app]).code).toBe(0);
  expect(run(['check', app, '--strict']).code).toBe(1);
  writeFileSync(join(dir, '.cdk8s-traffic.yaml'), 'suppressions:\n  - { code: SERVICE_SELECTOR_NO_MATCH, object: Service/shop/broken, reason: pods come from an operator }\n');
  const r = run(['check', app, '--strict']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/ignored SERVICE_SELECTOR_NO_MATCH spec\.selector: .*\n\s+suppressed: pods come from an operator/);
  expect(r.stdout).toMatch(/, 1 suppressed$/m);
  const sarif = JSON.parse(run(['check', app, '--format', 'sarif']).stdout);
  expect(sarif.runs[0].results.find((x: any) => x.ruleId === 'SERVICE_SELECTOR_NO_MATCH').suppressions).toEqual([{ kind: 'external', justification: 'pods come from an operator' }]);
});

test('a broken suppressions file is one line on stderr, exit 2', () => {
  writeFileSync(join(dir, '.cdk8s-traffic.yaml'), 'suppressions:\n  - { code: X }\n');
  expect(run(['check', join(dir, 'app.yaml')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cdk8s-traffic: .*\.cdk8s-traffic\.yaml: suppressions\[0\] needs code and reason/) });
});

test('--format junit is well-formed JUnit XML, one test case per object and code', () => {
  const out = run(['check', join(dir, 'app.yaml'), '--format', 'junit']).stdout;
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (_level, msg) => { errors.push(msg); } }).parseFromString(out, 'text/xml');
  expect(errors).toEqual([]);
  const root = doc.documentElement!;
  expect(root.nodeName).toBe('testsuites');
  const cases = Array.from(doc.getElementsByTagName('testcase'));
  expect(cases.map((c) => `${c.getAttribute('classname')} ${c.getAttribute('name')}`)).toEqual(expect.arrayContaining([
    'Service/shop/broken SERVICE_SELECTOR_NO_MATCH', 'Service/shop/web EXPOSURE_NODE_PORT',
  ]));
  const failing = cases.filter((c) => c.getElementsByTagName('failure').length > 0).map((c) => c.getAttribute('name'));
  expect(failing).toContain('SERVICE_SELECTOR_NO_MATCH');
  expect(failing).not.toContain('EXPOSURE_NODE_PORT'); // info passes
  expect(Number(root.getAttribute('tests'))).toBe(cases.length);
});

test('--format github prints workflow commands with file and line, escaping what the manifests say', () => {
  const lines = run(['check', join(dir, 'app.yaml'), '--format', 'github']).stdout.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) file=app\.yaml,line=\d+,title=[A-Z_]+::[^\n]+$/);
  expect(lines).toContainEqual(expect.stringMatching(/^::warning file=app\.yaml,line=16,title=SERVICE_SELECTOR_NO_MATCH::Service\/shop\/broken spec\.selector: /));
  // A comma or colon in a file name would end the property: escaped as GitHub specifies.
  writeFileSync(join(dir, 'a,b:c.yaml'), APP);
  expect(run(['check', join(dir, 'a,b:c.yaml'), '--format', 'github']).stdout).toMatch(/^::warning file=a%2Cb%3Ac\.yaml,line=16,/m);
});

test('the same object in two files: kubectl apply order, the warning names both files and lines', () => {
  writeFileSync(join(dir, 'b.yaml'), `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: NodePort, selector: { app: web }, ports: [{ port: 81, targetPort: 8080 }] }
`);
  const out = JSON.parse(run(['check', dir, '--format', 'json']).stdout);
  const d = out.diagnostics.find((x: any) => x.code === 'OBJECT_APPLIED_TWICE');
  expect(d).toMatchObject({ severity: 'warning', object: 'Service/shop/web' });
  expect(d.message).toMatch(/^defined twice \(document 2 \(.*app\.yaml:11\) and document 4 \(.*b\.yaml:1\)\); kubectl apply updates it with the later document/);
});
