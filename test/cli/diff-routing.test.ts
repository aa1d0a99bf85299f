/** `cdk8s-traffic diff-routing <before> <after>`: exit codes, formats, and untrusted text kept inert. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
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
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`;

const ingress = (className: string, paths: string | string[], annotations = '{}') => `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: ${className} }
spec: { controller: ${className === 'nginx' ? 'k8s.io/ingress-nginx' : 'example.com/spec'} }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop, annotations: ${annotations} }
spec:
  ingressClassName: ${className}
  rules:
  - host: shop.example.com
    http:
      paths:
${[paths].flat().map((p) => `      - { path: ${p}, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }`).join('\n')}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-diff-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function site(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'app.yaml'), text);
  return path;
}

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTTY: true, env: {}, cwd: dir });
  return { code, stdout, stderr };
}

test('the same routing: exit 0 with the number of requests compared', () => {
  const a = site('a', APP + ingress('nginx', '/shop/'));
  const b = site('b', APP + ingress('nginx', '/shop/'));
  const r = run(['diff-routing', a, b]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^equivalent: \d+ requests answered alike \(\d+ hosts, \d+ paths/m);
});

test('ingress-nginx vs a specification controller: exit 1, each difference with both traces and its hint', () => {
  const r = run(['diff-routing', site('a', APP + ingress('nginx', '/shop/')), site('b', APP + ingress('spec', '/shop/'))]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/^GET http:\/\/shop\.example\.com\/shop {2}differs in status, backend, location/m);
  expect(r.stdout).toMatch(/hint: NGINX_TRAILING_SLASH_301: /);
  expect(r.stdout).toMatch(/ {2}before: 301 {2}location http:\/\/shop\.example\.com\/shop\//);
  expect(r.stdout).toMatch(/ {2}after: 200 {2}service shop\/web:80/);
  expect(r.stdout).toMatch(/\d+ of \d+ requests answered differently/);
});

test('--follow-redirects compares where the redirects lead and prints both chains', () => {
  const a = site('a', APP + ingress('nginx', '/shop/'));
  const b = site('b', APP + ingress('spec', '/shop/'));
  const r = run(['diff-routing', a, b, '--follow-redirects']);
  expect(r.code).toBe(1);
  // nginx's 301 leads to /shop/, which its backend gets; the specification sends /shop on as asked.
  expect(r.stdout).toMatch(/^GET http:\/\/shop\.example\.com\/shop {2}differs in upstreamPath where its redirects lead\n/m);
  expect(r.stdout).toMatch(/^ {2}redirects before: http:\/\/shop\.example\.com\/shop\/\n {2}redirects after: {2}\(no redirect\)$/m);
  expect(run(['diff-routing', a, a, '--follow-redirects', '3'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^equivalent: /m) });
  expect(run(['diff-routing', a, b, '--follow-redirects', '0'])).toMatchObject({ code: 2, stderr: 'cdk8s-traffic: --follow-redirects must be a whole number from 1 to 20, got "0"\n' });
  expect(run(['diff-routing', a, b, '--gateway-path-normalization', 'envoy'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--gateway-path-normalization.*envoy.*none, rfc3986, rfc3986-merge-slashes, nginx/) });
});

test('the seed: migrate, then diff-routing as a client following redirects through an nginx-like Gateway: equivalent, exit 0', () => {
  const seed = readFileSync(join(__dirname, '..', 'fixtures', 'ingress-controller-seed.yaml'), 'utf8');
  const before = site('before', seed);
  const after = site('after', seed.split(/^---$/m).filter((d) => !/^kind: Ingress(Class)?$/m.test(d)).join('---')
    + '\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: eg }\nspec: { controllerName: example.com/gateway-controller }\n');
  expect(run(['migrate', '-f', before, '--gateway-class', 'eg', '-o', after]).code).toBe(0);
  const strict = run(['diff-routing', before, after]);
  expect(strict.code).toBe(1);
  expect(strict.stdout).toMatch(/hint: NGINX_SSL_REDIRECT: /);
  const r = run(['diff-routing', before, after, '--follow-redirects', '--gateway-path-normalization', 'nginx']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^equivalent: (2\d|[3-9]\d|\d{3,}) requests answered alike \(.*; [1-9]\d* of them only after following redirects\)$/m);
});

test('--json and --format sarif are machine-readable', () => {
  const a = site('a', APP + ingress('nginx', '/shop/'));
  const b = site('b', APP + ingress('spec', '/shop/'));
  const json = JSON.parse(run(['diff-routing', a, b, '--json']).stdout);
  expect(json).toMatchObject({ equivalent: false, requests: expect.any(Number), coverage: { sampled: false } });
  expect(json.differences[0]).toMatchObject({
    request: { url: expect.any(String) }, fields: expect.any(Array), before: { trace: expect.any(Array) },
  });
  const sarif = JSON.parse(run(['diff-routing', a, b, '--format', 'sarif']).stdout);
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.runs[0].results.length).toBe(json.differences.length);
  expect(sarif.runs[0].tool.driver.rules.map((x: any) => x.id)).toContain('NGINX_TRAILING_SLASH_301');
});

test('manifest text with terminal escapes is printed inert', () => {
  const evil = '{ nginx.ingress.kubernetes.io/rewrite-target: "/\\e[2J\\e[31mowned" }';
  const r = run(['diff-routing', site('a', APP + ingress('nginx', '/shop/', evil)), site('b', APP + ingress('spec', '/shop/'))]);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toMatch(/\u001b/);
  expect(r.stdout).toMatch(/\\u001b\[2J/);
});

test('bad input: one line on stderr, exit 2', () => {
  const a = site('a', APP);
  expect(run(['diff-routing', a, join(dir, 'missing')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cdk8s-traffic: .*missing.*\n$/) });
  expect(run(['diff-routing', a, a, '--max-requests', 'lots'])).toMatchObject({ code: 2, stderr: 'cdk8s-traffic: --max-requests must be a whole number >= 1, got "lots"\n' });
});

test('migrate writes Gateway API YAML (stdout or -o) and lists what it cannot carry over on stderr', () => {
  const src = site('src', APP + ingress('nginx', '/shop/', '{ nginx.ingress.kubernetes.io/auth-url: "https://auth.test" }'));
  const printed = run(['migrate', '-f', src, '--gateway-class', 'eg']);
  expect(printed.code).toBe(0);
  expect(printed.stdout).toMatch(/^apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: Gateway\n/);
  expect(printed.stdout).toMatch(/\n---\napiVersion: gateway\.networking\.k8s\.io\/v1\nkind: HTTPRoute\n/);
  expect(printed.stderr).toMatch(/^note: Ingress\/shop\/shop: auth-url: annotation nginx\.ingress\.kubernetes\.io\/auth-url has no Gateway API equivalent/m);
  const out = join(dir, 'out');
  const written = run(['migrate', '-f', src, '--gateway-class', 'eg', '-o', out]);
  expect(written.stdout).toMatch(/^wrote \d+ objects to .*gateway-api\.yaml\n$/);
  expect(run(['migrate', '-f', src, '--gateway-class', 'Bad Name'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cdk8s-traffic: migrateIngresses: gatewayClassName must be a DNS subdomain/) });
  expect(run(['migrate', '-f', src]).code).toBe(2);
});

describe('diff <base> <head> for pull requests', () => {
  const withPaths = (paths: string[], extra = '') => APP + ingress('nginx', paths) + extra;

  test('no change: exit 0, "no change to traffic"', () => {
    const r = run(['diff', site('a', withPaths(['/shop'])), site('b', withPaths(['/shop']))]);
    expect(r).toMatchObject({ code: 0, stdout: 'no change to traffic\n' });
  });

  test('a route removed: the lost route exits 1 (unless --allow-loss); added ports and new findings are listed', () => {
    const extra = `---
apiVersion: v1
kind: Service
metadata: { name: metrics, namespace: shop }
spec: { selector: { app: nothing }, ports: [{ port: 9090 }] }
`;
    const base = site('a', withPaths(['/shop', '/cart']));
    const head = site('b', withPaths(['/shop'], extra));
    const r = run(['diff', base, head]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Routes answered differently \(\d+ of \d+ requests; \d+ lost\):$/m);
    expect(r.stdout).toMatch(/^ {2}LOST GET https?:\/\/shop\.example\.com\/cart: 200 shop\/web:80 ⇒ 404/m);
    expect(r.stdout).toMatch(/^Findings introduced:\n {2}warning SERVICE_SELECTOR_NO_MATCH Service\/shop\/metrics/m);
    expect(r.stdout).toMatch(/^Service ports added:\n {2}shop\/metrics 9090\/TCP$/m);
    expect(run(['diff', base, head, '--allow-loss']).code).toBe(0);
    const json = JSON.parse(run(['diff', base, head, '--json']).stdout);
    expect(json.lostRoutes.length).toBeGreaterThan(0);
    expect(json.servicePortsAdded).toEqual(['shop/metrics 9090/TCP']);
  });

  test('--format markdown is a PR comment whose manifest text cannot become markup', () => {
    const evil = `---
apiVersion: v1
kind: Service
metadata: { name: "x", namespace: shop }
spec: { selector: { "app": "<img src=x onerror=alert(1)>" }, ports: [{ port: 1 }] }
`;
    const r = run(['diff', site('a', withPaths(['/shop'])), site('b', withPaths(['/shop'], evil)), '--format', 'markdown']);
    expect(r.stdout).toMatch(/^## cdk8s-traffic: what this change does to traffic\n/);
    expect(r.stdout).toMatch(/^### Findings introduced$/m);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });
});

test('diff: a NetworkPolicy that cuts a workload off is reachability lost, exit 1', () => {
  const client = APP.replace(/web/g, 'client');
  const deny = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-web, namespace: shop }
spec: { podSelector: { matchLabels: { app: web } }, policyTypes: [Ingress] }
`;
  const r = run(['diff', site('a', `${APP}---\n${client}`), site('b', `${APP}---\n${client}${deny}`)]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/^Reachability lost \(NetworkPolicy\):\n {2}Deployment\/shop\/client → Deployment\/shop\/web 8080\/TCP$/m);
});
