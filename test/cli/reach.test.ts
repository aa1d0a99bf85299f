/** `cdk8s-traffic reach`: the NetworkPolicy truth table as text and JSON. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../src/cli/main';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: api, image: api, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: web, image: web }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: http }] }]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-reach-'));
  writeFileSync(join(dir, 'app.yaml'), MANIFESTS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { isTTY: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

test('text: the workloads, one table per declared port, the denied pairs and their policies', () => {
  const { code, stdout } = run(['reach', '-f', dir]);
  expect(code).toBe(0);
  expect(stdout).toContain('1  Pod/shop/web\n2  Deployment/shop/api\n');
  expect(stdout).toContain('port 8080/TCP');
  // web reaches api; api pods cannot reach each other (only web may); a single pod is not probed against itself.
  expect(stdout).toContain('   1 2\n1  - .\n2  . X\n');
  expect(stdout).toMatch(/denied \(2 pod pairs\):\n {2}shop\/api-\S+ → shop\/api-\S+: ingress isolated by shop\/api-from-web\n/);
});

test('--json, --port, --protocol; bad input is a usage error', () => {
  const json = JSON.parse(run(['reach', dir, '--json', '--port', '9090', '--protocol', 'UDP']).stdout);
  expect(json.tables).toEqual([expect.objectContaining({ port: 9090, protocol: 'UDP', cells: [['-', 'deny'], ['allow', 'deny']] })]);
  expect(run(['reach', dir, '--port', 'http'])).toMatchObject({ code: 2, stderr: 'cdk8s-traffic: --port must be a port number, got "http"\n' });
  expect(run(['reach', dir, '--protocol', 'ICMP'])).toMatchObject({ code: 2, stderr: 'cdk8s-traffic: reachability: protocols must be TCP, UDP or SCTP, got "ICMP"\n' });
});
