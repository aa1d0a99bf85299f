// The CLI's conventions (issue 14), each run against the built bin in its own process: --version,
// -f/--file on every command, kubectl-style --from, curl-style certificate verification with
// -k/--insecure, --json wherever a result is printed, and one line + exit 2 for bad input.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildCli, spawnCli } from './built-cli';

const fixture = (name: string) => Buffer.from(readFileSync(join(__dirname, '../ingress/fixtures', name), 'utf8')).toString('base64');

const container = (name: string, port: number) => `{ containers: [{ name: ${name}, image: ${name}, ports: [{ name: http, containerPort: ${port} }] }] }`;

/** One Deployment, StatefulSet, DaemonSet, Job and Pod in namespace shop; two Ingresses, TLS only for shop.example.com. */
const APP = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: ${container('web', 8080)} }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: db
  replicas: 2
  selector: { matchLabels: { app: db } }
  template: { metadata: { labels: { app: db } }, spec: ${container('db', 5432)} }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: shop }
spec:
  selector: { matchLabels: { app: agent } }
  template: { metadata: { labels: { app: agent } }, spec: ${container('agent', 9100)} }
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate, namespace: shop }
spec:
  template: { metadata: { labels: { app: migrate } }, spec: { restartPolicy: Never, containers: [{ name: migrate, image: migrate }] } }
---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: shop, labels: { app: debug } }
spec: ${container('debug', 7000)}
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: http }] }
---
apiVersion: v1
kind: Secret
metadata: { name: shop-tls, namespace: shop }
type: kubernetes.io/tls
data: { tls.crt: ${fixture('wildcard.crt')}, tls.key: ${fixture('wildcard.key')} }
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: nginx }
spec: { controller: k8s.io/ingress-nginx }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  ingressClassName: nginx
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
  rules:
  - host: shop.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: plain, namespace: shop }
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.org
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
`;

let cli: ReturnType<typeof buildCli>;
let dir: string;
beforeAll(() => {
  cli = buildCli();
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-conventions-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'app.yaml'), APP);
  writeFileSync(join(dir, 'extra.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: extra, namespace: shop }\nspec: { selector: { app: nobody }, ports: [{ port: 81 }] }\n');
}, 60_000);
afterAll(() => {
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => spawnCli(cli.bin, args, dir);
const json = (...args: string[]) => JSON.parse(run(...args).stdout);

test('--version prints the package version', () => {
  const version = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version;
  for (const flag of ['--version', '-V']) expect(run(flag)).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
});

describe('-f/--file on every command', () => {
  test('check takes -f (repeatable) as well as positional paths', () => {
    const positional = json('check', 'dist', '--json');
    expect(json('check', '-f', 'dist', '--json')).toEqual(positional);
    const both = json('check', 'dist', '--file', 'extra.yaml', '--json');
    expect(both.diagnostics.map((d: any) => d.object)).toContain('Service/shop/extra');
    expect(positional.diagnostics.map((d: any) => d.object)).not.toContain('Service/shop/extra');
    expect(json('check', '-f', 'dist', '-f', 'extra.yaml', '--json')).toEqual(both);
  });

  test.each([
    ['request', 'http://shop.example.com/'],
    ['resolve', 'web.shop.svc.cluster.local'],
    ['graph'],
    ['expect', 'scenarios.yaml'],
  ])('%s reads -f and --file', (...args) => {
    writeFileSync(join(dir, 'scenarios.yaml'), '- { request: "http://shop.example.org/", expect: { status: 200 } }\n');
    const short = run(...args, '-f', 'dist');
    expect(short).toMatchObject({ status: 0, stderr: '' });
    expect(run(...args, '--file', join(dir, 'dist')).stdout).toBe(short.stdout);
    expect(run(...args, '-f', 'nowhere')).toMatchObject({ status: 2, stderr: 'cdk8s-traffic: nowhere: no such file or directory\n' });
  });
});

describe('--from with kubectl resource names', () => {
  const from = (source: string) => run('request', 'http://web.shop/', '-f', 'dist', '--from', source, '--json');

  test.each([
    ['deploy/shop/web', 'Deployment', /^shop\/web-[0-9a-f]+-0$/],
    ['deployment/shop/web', 'Deployment', /^shop\/web-[0-9a-f]+-0$/],
    ['sts/shop/db', 'StatefulSet', /^shop\/db-0$/],
    ['ds/shop/agent', 'DaemonSet', /^shop\/agent-node-1$/],
    ['job/shop/migrate', 'Job', /^shop\/migrate-0$/],
  ])('%s: the first ready pod of the %s sends, and the trace says which', (source, kind, podName) => {
    const r = from(source);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout);
    const [first, second] = result.trace;
    const [, namespace, name] = source.split('/');
    expect(first).toMatchObject({ component: 'client', action: 'source', object: `${kind}/${namespace}/${name}` });
    const pod = /is (\S+) \(/.exec(first.text)![1];
    expect(pod).toMatch(podName);
    expect(first.text).toContain(`first ready pod of ${kind} ${namespace}/${name}`);
    expect(second.text).toContain(`pod ${pod}`);
    expect(result).toMatchObject({ status: 200, service: 'shop/web' });
  });

  test('pod/<ns>/<name>, node/<name> and an IP', () => {
    const pod = from('pod/shop/debug');
    expect(JSON.parse(pod.stdout).trace[0].text).toContain('from pod shop/debug');
    // A node resolves with its own resolv.conf, so it reaches a Service by its ClusterIP.
    const clusterIp = json('resolve', 'web.shop.svc.cluster.local', '-f', 'dist', '--json').records[0].value;
    const node = json('request', `http://${clusterIp}/`, '-f', 'dist', '--from', 'node/node-2', '--json');
    expect(node.trace[0]).toMatchObject({ component: 'client', action: 'source' });
    const nodeIp = /InternalIP (\S+) /.exec(node.trace[0].text)![1];
    expect(node.trace[1].text).toContain(`host network (${nodeIp})`);
    expect(node.status).toBe(200);
    expect(JSON.parse(from(nodeIp).stdout).trace[0].text).toContain(`host network (${nodeIp})`);
  });

  test('bad sources are one line and exit 2', () => {
    const cases: [string, string][] = [
      ['cm/shop/web', 'cdk8s-traffic: --from: unknown resource type "cm" in "cm/shop/web"; use an IP address, pod/<namespace>/<name>, deploy|sts|ds|rs|job/<namespace>/<name> or node/<name>\n'],
      ['deploy/web', 'cdk8s-traffic: --from: write a Deployment as deploy/<namespace>/<name>, got "deploy/web"\n'],
      ['deploy/shop/ghost', 'cdk8s-traffic: --from: deploy/shop/ghost: cannot send from Deployment shop/ghost: it has no pods in the model (is it in the manifests?)\n'],
      ['node/node-9', 'cdk8s-traffic: --from: no node node-9 in the model (nodes: node-1, node-2, node-3)\n'],
      ['web', 'cdk8s-traffic: --from: "web" is not an IP address, pod/<namespace>/<name>, deploy|sts|ds|rs|job/<namespace>/<name> or node/<name>\n'],
    ];
    for (const [source, stderr] of cases) expect(from(source)).toMatchObject({ status: 2, stdout: '', stderr });
  });

  test('expect scenarios take the same sources', () => {
    writeFileSync(join(dir, 'from.yaml'), '- { request: "http://web.shop/", from: sts/shop/db, expect: { status: 200, service: shop/web } }\n');
    const r = json('expect', 'from.yaml', '-f', 'dist', '--json');
    expect(r).toMatchObject({ failed: 0, outcomes: [{ passed: true }] });
  });
});

describe('https verification, as curl', () => {
  test('a certificate covering the host: exit 0', () => {
    const r = run('request', 'https://shop.example.com/', '-f', 'dist');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^https:\/\/shop\.example\.com\/ → 200\n/);
  });

  test('a certificate that does not cover the host: exit 1 with the reason, unless -k/--insecure', () => {
    const r = run('request', 'https://shop.example.org/', '-f', 'dist');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^cdk8s-traffic: https:\/\/shop\.example\.org\/: SSL certificate problem: .*fake certificate.*does NOT cover shop\.example\.org.*; -k\/--insecure accepts it\n$/);
    expect(r.stdout).toContain('(hostname NOT verified)');
    for (const flag of ['-k', '--insecure']) expect(run('request', 'https://shop.example.org/', '-f', 'dist', flag)).toMatchObject({ status: 0, stderr: '' });
    expect(run('request', 'https://shop.example.org/', '-f', 'dist', '--sni', 'shop.example.com').status).toBe(0);
  });
});

test('--json wherever a result is printed', () => {
  expect(json('check', '-f', 'dist', '--json')).toHaveProperty('summary');
  expect(json('request', 'http://shop.example.com/', '-f', 'dist', '--json')).toMatchObject({ status: 308 });
  expect(json('resolve', 'web.shop.svc.cluster.local', '-f', 'dist', '--json')).toMatchObject({ rcode: 'NOERROR' });
  const graph = json('graph', '-f', 'dist', '--json');
  expect(graph.edges).toContainEqual(expect.objectContaining({ ingress: 'shop/shop', route: 'shop.example.com/ (Prefix)', service: 'shop/web', port: '80 (http)' }));
  expect(json('graph', '-f', 'dist', '--format', 'json')).toEqual(graph);
  writeFileSync(join(dir, 'ok.yaml'), '- { request: "http://shop.example.org/", expect: { status: 200 } }\n');
  expect(json('expect', 'ok.yaml', '-f', 'dist', '--json')).toMatchObject({ failed: 0 });
});

test('bad input: one line on stderr, exit 2, never a stack trace', () => {
  for (const args of [['request'], ['check', '--bogus'], ['request', 'http://x/', '-f', 'dist', '-H', 'nocolon'], ['nonsense']]) {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cdk8s-traffic: [^\n]+\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});
