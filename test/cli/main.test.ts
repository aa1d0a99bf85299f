import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildCli, spawnCli } from './built-cli';
import { main } from '../../src/cli/main';

const GOOD = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: http }] }
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

/** A Service whose selector has a typo: one error (no match) and nothing else. */
const TYPO = GOOD.replace('spec: { selector: { app: web }', 'spec: { selector: { app: wbe }');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function run(argv: string[], opts: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

describe('check', () => {
  test('clean manifests: exit 0, "no findings"', () => {
    write('dist/app.yaml', GOOD);
    const r = run(['check', join(dir, 'dist')]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('no findings');
  });

  test('defaults to dist/ under the working directory', () => {
    write('dist/app.yaml', TYPO);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(run(['check', '--fail-on', 'warning']).code).toBe(1);
      expect(run(['check']).stdout).toContain('SERVICE_SELECTOR_NO_MATCH');
    } finally {
      process.chdir(cwd);
    }
  });

  test('text output groups by object with file:line, field, message and hint; exit 1 at the threshold', () => {
    write('dist/app.yaml', TYPO);
    const r = run(['check', join(dir, 'dist'), '--fail-on', 'warning']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Service/shop/web (dist/app.yaml:11)');
    expect(r.stdout).toMatch(/warning +SERVICE_SELECTOR_NO_MATCH spec\.selector: selector app=wbe/);
    expect(r.stdout).toContain('hint: closest pod');
    expect(r.stdout).not.toContain('\u001b[');
  });

  test('--fail-on: warning findings fail with warning, pass with error and never', () => {
    write('a.yaml', GOOD + '---\n' + INGRESS); // INGRESS_NO_TLS is a warning
    const file = join(dir, 'a.yaml');
    expect(run(['check', file]).code).toBe(0);
    expect(run(['check', file, '--fail-on', 'warning']).code).toBe(1);
    expect(run(['check', file, '--fail-on', 'never']).code).toBe(0);
  });

  test('--format json: diagnostics with file and line, and a summary', () => {
    write('app.yaml', TYPO);
    const r = run(['check', join(dir, 'app.yaml'), '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'SERVICE_SELECTOR_NO_MATCH', object: 'Service/shop/web', file: 'app.yaml', line: 11 })]);
    expect(out.summary).toEqual({ errors: 0, warnings: 1, infos: 0, suppressed: 0 });
  });

  test('--format sarif: SARIF 2.1.0 with rule metadata, levels and locations', () => {
    write('app.yaml', TYPO);
    const log = JSON.parse(run(['check', join(dir, 'app.yaml'), '--format', 'sarif']).stdout);
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0];
    const [result] = run0.results;
    expect(result).toMatchObject({ ruleId: 'SERVICE_SELECTOR_NO_MATCH', level: 'warning' });
    expect(run0.tool.driver.rules[result.ruleIndex].id).toBe('SERVICE_SELECTOR_NO_MATCH');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'app.yaml' }, region: { startLine: 11 } });
    expect(run0.tool.driver.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(['EXPOSURE_EXTERNAL_IPS', 'INVALID_OBJECT', 'HOST_PORT_CONFLICT']));
    expect(run0.tool.driver.rules.find((r: any) => r.id === 'INVALID_OBJECT')).toMatchObject({ defaultConfiguration: { level: 'error' }, helpUri: expect.stringMatching(/^https:/) });
  });

  test('colours only on a TTY, and not with NO_COLOR', () => {
    write('app.yaml', TYPO);
    const file = join(dir, 'app.yaml');
    expect(run(['check', file], { isTTY: true }).stdout).toContain('\u001b[33m');
    expect(run(['check', file], { isTTY: true, env: { NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
  });

  test('input errors are one line on stderr and exit 2: missing path, bad YAML, empty folder, bad option', () => {
    const missing = run(['check', join(dir, 'nope')]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^cdk8s-traffic: .*nope: no such file or directory\n$/);

    write('bad/x.yaml', 'kind: [unclosed\n');
    const bad = run(['check', join(dir, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('x.yaml: document 1');

    mkdirSync(join(dir, 'empty'));
    expect(run(['check', join(dir, 'empty')]).stderr).toMatch(/no \.yaml, \.yml or \.json files/);

    const opt = run(['check', '--format', 'xml']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/^cdk8s-traffic: option '--format <format>' argument 'xml' is invalid/);
    expect(run(['frobnicate']).code).toBe(2);
  });

  test('--help exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check');
  });
});

describe('request, resolve, graph', () => {
  beforeEach(() => write('dist/app.yaml', GOOD + '---\n' + INGRESS));

  test('request from outside through the Ingress prints the outcome and the trace; --json', () => {
    const r = run(['request', 'http://shop.example.com/', '-f', join(dir, 'dist')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^http:\/\/shop\.example\.com\/ → 200\n/);
    expect(r.stdout).toMatch(/ingress shop\/shop {2}service shop\/web:80 {2}pod shop\/web-/);
    expect(r.stdout).toContain('[ingress-controller]');
    const json = JSON.parse(run(['request', 'http://shop.example.com/', '-f', join(dir, 'dist'), '--json']).stdout);
    expect(json).toMatchObject({ status: 200, service: 'shop/web' });
  });

  test('request from a pod by DNS name, with a header; a 404 exits 1', () => {
    const pods = JSON.parse(run(['request', 'http://shop.example.com/', '-f', join(dir, 'dist'), '--json']).stdout).pod as string;
    const r = run(['request', 'http://web.shop/', '-f', join(dir, 'dist'), '--from', `pod/${pods}`, '-H', 'X-Debug: 1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('service shop/web:80');
    expect(run(['request', 'http://other.example.com/', '-f', join(dir, 'dist'), '-H', 'Host: other.example.com']).code).toBe(1);
  });

  test('request input errors exit 2 with one line', () => {
    expect(run(['request', 'http://x/', '-f', join(dir, 'dist'), '--from', 'pod/nope']).stderr).toMatch(/pod\/<namespace>\/<name>/);
    expect(run(['request', 'http://x/', '-f', join(dir, 'dist'), '-H', 'no-colon']).code).toBe(2);
    const unknown = run(['request', 'http://x/', '-f', join(dir, 'dist'), '--from', 'pod/shop/ghost']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('resolve with the search path of a namespace; NXDOMAIN exits 1', () => {
    const r = run(['resolve', 'web', '-f', join(dir, 'dist'), '--from-namespace', 'shop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NOERROR web\.shop\.svc\.cluster\.local\n/);
    expect(r.stdout).toMatch(/\tIN\tA\t10\./);
    expect(run(['resolve', 'web', '-f', join(dir, 'dist'), '--namespace', 'shop', '--json']).stdout).toContain('"rcode": "NOERROR"');
    expect(run(['resolve', 'nothing.shop.svc.cluster.local', '-f', join(dir, 'dist')]).code).toBe(1);
    expect(run(['resolve', 'dns-version.cluster.local', '-f', join(dir, 'dist'), '--type', 'TXT']).stdout).toMatch(/\tIN\tTXT\t1\.1\.0\n/);
  });

  test('graph: Ingress host/path → Service:port → pods, as text and dot', () => {
    const text = run(['graph', '-f', join(dir, 'dist')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Ingress shop\/shop\n {2}shop\.example\.com\/ \(Prefix\) → Service shop\/web:80 \(http\) → shop\/web-\S+:8080, shop\/web-\S+:8080\n$/);
    const dot = run(['graph', '-f', join(dir, 'dist'), '--format', 'dot']).stdout;
    expect(dot).toMatch(/^digraph traffic \{/);
    expect(dot).toContain('"Ingress shop/shop" -> "Service shop/web"');
  });
});

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: example }
spec: { controllerName: example.com/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec: { gatewayClassName: example, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
spec: { parentRefs: [{ name: edge }], rules: [{ backendRefs: [{ name: web, port: 80 }] }] }
`;

describe('request --gateway', () => {
  beforeEach(() => write('dist/app.yaml', GOOD + '---\n' + GATEWAY));

  test('names the Gateway, listener and route; an unknown Gateway is an input error', () => {
    const r = run(['request', 'http://shop.example.com/', '-f', join(dir, 'dist'), '--gateway', 'shop/edge']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gateway shop\/edge listener http {2}route shop\/web {2}service shop\/web:80/);
    expect(r.stdout).toContain('[gateway]');
    const unknown = run(['request', 'http://shop.example.com/', '-f', join(dir, 'dist'), '--gateway', 'shop/nope']);
    expect([unknown.code, unknown.stderr.trimEnd().split('\n').length]).toEqual([2, 1]);
    expect(unknown.stderr).toContain('"shop/nope" is not a Gateway of this cluster');
  });

  test('expect scenarios can name a Gateway and expect its listener and route', () => {
    const file = write('scenarios.yaml', 'scenarios:\n- { request: http://shop.example.com/, gateway: shop/edge, expect: { status: 200, gateway: shop/edge, listener: http, route: shop/web } }\n');
    expect(run(['expect', file, '-f', join(dir, 'dist')]).code).toBe(0);
  });

  test('--backend-delay, --backend-header and --protocol say what the pod and client do; the answer shows response headers', () => {
    const route = GATEWAY.replace('rules: [{ backendRefs: [{ name: web, port: 80 }] }]',
      'rules: [{ backendRefs: [{ name: web, port: 80 }], timeouts: { request: 1s }, filters: [{ type: ResponseHeaderModifier, responseHeaderModifier: { add: [{ name: X-Edge, value: "1" }] } }] }]');
    write('dist/app.yaml', GOOD + '---\n' + route);
    const args = ['request', 'http://shop.example.com/', '-f', join(dir, 'dist'), '--gateway', 'shop/edge'];
    const ok = run([...args, '--backend-header', 'X-Edge: 0', '--protocol', 'HTTP/2']);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringContaining('\n< X-Edge: 0,1\n')]);
    const slow = run([...args, '--backend-delay', '1500']);
    expect([slow.code, slow.stdout]).toEqual([1, expect.stringContaining('http://shop.example.com/ → 504')]);
    expect(run([...args, '--backend-delay', '1s']).stderr).toContain('--backend-delay "1s": give whole milliseconds');
    expect(run([...args, '--cert', join(dir, 'missing.pem')]).stderr).toContain('no such file');
  });

  test('graph shows Gateway → listener, host/path and HTTPRoute → Service:port → pods', () => {
    const text = run(['graph', '-f', join(dir, 'dist')]);
    expect(text.stdout).toMatch(/^Gateway shop\/edge\n {2}http \*\/ \(PathPrefix\) HTTPRoute shop\/web → Service shop\/web:80 \(http\) → shop\/web-\S+:8080, shop\/web-\S+:8080\n$/);
    expect(run(['graph', '-f', join(dir, 'dist'), '--format', 'dot']).stdout).toContain('"Gateway shop/edge" -> "Service shop/web"');
    expect(run(['graph', '-f', join(dir, 'dist'), '--format', 'mermaid']).stdout).toMatch(/\["Gateway shop\/edge"\]/);
  });
});

describe('the cdk8s-traffic executable (spawned)', () => {
  test('runs the built bin with the exit codes a CI job sees', () => {
    write('dist/app.yaml', TYPO);
    const cli = buildCli();
    try {
      const findings = spawnCli(cli.bin, ['check', '--fail-on', 'warning'], dir);
      expect(findings.stderr).toBe('');
      expect(findings.stdout).toContain('SERVICE_SELECTOR_NO_MATCH');
      expect(findings.status).toBe(1);
      expect(spawnCli(cli.bin, ['check', '--fail-on', 'never'], dir).status).toBe(0);
      const missing = spawnCli(cli.bin, ['check', 'missing'], dir);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toBe('cdk8s-traffic: missing: no such file or directory\n');
    } finally {
      cli.remove();
    }
  }, 60_000);
});

describe('expect', () => {
  beforeEach(() => write('dist/app.yaml', GOOD + '---\n' + INGRESS));

  test('all scenarios pass: exit 0 and a summary', () => {
    const file = write('scenarios.yaml', `scenarios:
- name: home page
  request: http://shop.example.com/
  expect: { status: 200, service: shop/web, ingress: shop/shop }
- request: http://web.shop/
  from: pod/shop/${'${POD}'}
  expect: { status: 200, servicePort: 80 }
`.replace('${POD}', JSON.parse(run(['request', 'http://shop.example.com/', '-f', join(dir, 'dist'), '--json']).stdout).pod.split('/')[1]));
    const r = run(['expect', file, '-f', join(dir, 'dist')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pass home page\npass GET http:\/\/web\.shop\/\n2 scenarios, 0 failed\n$/);
  });

  test('a mismatch prints expected and actual values with the trace, and exits 1', () => {
    const file = write('scenarios.yaml', `- name: wrong service
  request: http://shop.example.com/
  expect: { status: 200, service: shop/cart }
`);
    const r = run(['expect', file, '-f', join(dir, 'dist')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL wrong service\n       service: expected "shop/cart", got "shop/web"\n');
    expect(r.stdout).toContain('[ingress-controller]');
    expect(r.stdout).toMatch(/1 scenario, 1 failed\n$/);
    expect(JSON.parse(run(['expect', file, '-f', join(dir, 'dist'), '--json']).stdout).outcomes[0].mismatches).toHaveLength(1);
  });

  test('a malformed scenarios file is one line and exit 2', () => {
    const unknownKey = write('a.yaml', '- { request: http://x/, expect: { status: 200 }, bogus: 1 }\n');
    expect(run(['expect', unknownKey, '-f', join(dir, 'dist')])).toMatchObject({ code: 2, stdout: '' });
    const badField = write('b.yaml', '- { request: http://x/, expect: { colour: red } }\n');
    expect(run(['expect', badField, '-f', join(dir, 'dist')]).stderr).toMatch(/^cdk8s-traffic: .*b\.yaml: scenario 1: cannot expect "colour"/);
    expect(run(['expect', join(dir, 'missing.yaml'), '-f', join(dir, 'dist')]).code).toBe(2);
  });
});

test('graph --format mermaid', () => {
  write('dist/app.yaml', GOOD + '---\n' + INGRESS);
  const out = run(['graph', '-f', join(dir, 'dist'), '--format', 'mermaid']).stdout;
  expect(out).toMatch(/^flowchart LR\n/);
  expect(out).toMatch(/n\d+\["Ingress shop\/shop"\]/);
  expect(out).toMatch(/-->\|"shop\.example\.com\/ \(Prefix\) → 80 \(http\)"\|/);
});

test('graph lists Services no Ingress routes to; --nodes must be a number', () => {
  write('dist/app.yaml', GOOD);
  const r = run(['graph', '-f', join(dir, 'dist'), '--nodes', '2']);
  expect(r.stdout).toMatch(/^Services not routed by an Ingress\n {2}Service shop\/web:80 \(http\) ClusterIP → shop\/web-\S+:8080, shop\/web-\S+:8080\n$/);
  const bad = run(['graph', '-f', join(dir, 'dist'), '--nodes', 'two']);
  expect(bad).toMatchObject({ code: 2, stderr: 'cdk8s-traffic: --nodes must be a whole number, got "two"\n' });
  expect(run(['graph', '-f', join(dir, 'dist'), '--nodes', '0']).stderr).toMatch(/^cdk8s-traffic: Cluster options: nodes must be an integer from 1 to 1000/);
});

test('check --kubernetes-version judges the manifests as that release (kubelet port on a LoadBalancer: refused until 1.32)', () => {
  write('dist/lb.yaml', 'apiVersion: v1\nkind: Service\nmetadata: { name: kubelet, namespace: default }\nspec: { type: LoadBalancer, ports: [{ port: 10250 }] }\n');
  expect(run(['check', join(dir, 'dist'), '--kubernetes-version', '1.32']).stdout).toContain('may not expose port 10250 externally since it is used by kubelet');
  expect(run(['check', join(dir, 'dist'), '--kubernetes-version', '1.33']).stdout).not.toContain('10250');
  expect(run(['check', join(dir, 'dist'), '--kubernetes-version', '1.26'])).toMatchObject({ code: 2 });
});

test('graph writes an IPv6 endpoint without a pod as [ip]:port', () => {
  write('dist/app.yaml', `apiVersion: v1
kind: Service
metadata: { name: db, namespace: shop }
spec: { ipFamilies: [IPv6], ports: [{ port: 5432 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: db-1, namespace: shop, labels: { kubernetes.io/service-name: db } }
addressType: IPv6
endpoints: [{ addresses: ['fd00:10:1::5'] }]
ports: [{ port: 5432 }]
`);
  const r = run(['graph', '-f', join(dir, 'dist'), '--service-cidr', '10.96.0.0/12,fd00:10:96::/112']);
  expect(r.stdout).toContain('Service shop/db:5432 ClusterIP → [fd00:10:1::5]:5432');
  // A single-stack cluster (the default) refuses the IPv6 Service, as the API server would.
  expect(run(['check', '-f', join(dir, 'dist')]).stdout).toMatch(/spec\.ipFamilies\[0\].*not configured on this cluster/);
  expect(run(['graph', '-f', join(dir, 'dist'), '--service-cidr', 'bogus'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cdk8s-traffic: .*serviceCidr.*bogus/) });
});
