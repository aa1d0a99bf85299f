// `cdk8s-traffic report` run as the built bin, and the page it writes loaded in a real browser:
// Debian's chromium (installed by .ci/run) driven by playwright-core.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { chromium } from 'playwright-core';
import { buildCli, spawnCli } from './built-cli';
import { main, run } from '../../src/cli/main';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const fixture = (name: string) => Buffer.from(readFileSync(join(__dirname, '../ingress/fixtures', name), 'utf8')).toString('base64');

/** web (2 pods) behind shop.example.com over TLS and behind /status on any host; api, whose selector matches nothing, behind /api. */
const APP = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web, ports: [{ name: http, containerPort: 8080 }] }] } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: http }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 8080 }] }
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
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
      - { path: /api, pathType: Prefix, backend: { service: { name: api, port: { number: 8080 } } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: any-host, namespace: shop }
spec:
  ingressClassName: nginx
  rules: [{ http: { paths: [{ path: /status, pathType: Exact, backend: { service: { name: web, port: { number: 80 } } } }] } }]
`;

let cli: ReturnType<typeof buildCli>;
let dir: string;
beforeAll(() => {
  cli = buildCli();
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-traffic-report-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'app.yaml'), APP);
}, 60_000);
afterAll(() => {
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

test('report -f dist -o report.html writes one self-contained page', () => {
  const r = spawnCli(cli.bin, ['report', '-f', 'dist', '-o', 'report.html'], dir);
  expect(r).toMatchObject({ status: 0, stderr: '' });
  const check = JSON.parse(spawnCli(cli.bin, ['check', '-f', 'dist', '--json'], dir).stdout);
  expect(check.summary).toMatchObject({ errors: 0, warnings: 2 });
  expect(r.stdout).toBe('report.html: 0 errors, 2 warnings\n');
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).toMatch(/^<!DOCTYPE html>/);
  // Nothing is fetched at view time: no scripts, stylesheets, images or fonts from anywhere.
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
  expect(spawnCli(cli.bin, ['report', '-f', 'dist'], dir).stdout).toBe(html);
}, 60_000);

test('in process: run() awaits the report; main() answers only the synchronous commands', async () => {
  let stdout = '';
  const io = { isTTY: false, cwd: dir, stdout: (t: string) => { stdout += t; }, stderr: () => undefined };
  expect(await run(['report', '-f', join(dir, 'dist')], io)).toBe(0);
  expect(stdout).toContain('<svg');
  expect(() => main(['report', '-f', join(dir, 'dist')], io)).toThrow('cdk8s-traffic report: runs asynchronously; use run()');
  expect(await run(['graph', '-f', join(dir, 'dist')], io)).toBe(0);
});

test('bad output paths and inputs are one line and exit 2', () => {
  expect(spawnCli(cli.bin, ['report', '-f', 'dist', '-o', 'missing-dir/report.html'], dir))
    .toMatchObject({ status: 2, stdout: '', stderr: 'cdk8s-traffic: -o missing-dir/report.html: cannot write the report (ENOENT)\n' });
  expect(spawnCli(cli.bin, ['report', '-f', 'nowhere'], dir)).toMatchObject({ status: 2, stderr: 'cdk8s-traffic: nowhere: no such file or directory\n' });
}, 60_000);

test('the page renders in headless Chromium: SVG topology, diagnostics with fixes, traced requests, no console errors', async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does) or set CHROMIUM_PATH`);
  const page = join(dir, 'page.html');
  expect(spawnCli(cli.bin, ['report', '-f', 'dist', '-o', page], dir).status).toBe(0);
  const check = JSON.parse(spawnCli(cli.bin, ['check', '-f', 'dist', '--json'], dir).stdout);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    tab.on('request', (req) => { if (!req.url().startsWith('file:')) problems.push(`request: ${req.url()}`); });
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });

    expect(await tab.title()).toBe('cdk8s-traffic report');
    // Graphviz's SVG: one node per Ingress, Service and pod endpoint, edges between them.
    const nodes = await tab.locator('#topology svg g.node title').allTextContents();
    expect(nodes).toEqual(expect.arrayContaining(['Ingress shop/shop', 'Ingress shop/any-host', 'Service shop/web', 'Service shop/api']));
    expect(nodes.filter((n) => /^shop\/web-\S+:8080$/.test(n))).toHaveLength(2);
    expect(await tab.locator('#topology svg g.edge').count()).toBe(5);
    const box = await tab.locator('#topology svg').boundingBox();
    expect(box!.width).toBeGreaterThan(100);

    const rows = tab.locator('#diagnostics tbody tr');
    expect(await rows.count()).toBe(check.diagnostics.length);
    const noEndpoints = rows.filter({ hasText: 'SERVICE_SELECTOR_NO_MATCH' });
    expect(await noEndpoints.count()).toBe(1);
    const cells = await noEndpoints.locator('td').allTextContents();
    expect(cells[2]).toContain('Service/shop/api');
    expect(cells[3]).toMatch(/^dist\/app\.yaml:\d+$/);
    expect(cells[5].length).toBeGreaterThan(0);

    const requests = tab.locator('#requests details');
    expect(await requests.count()).toBe(3);
    expect(await requests.nth(0).locator('summary').textContent()).toMatch(/^GET https:\/\/shop\.example\.com\/ — 200 · Service shop\/web:80 · pod shop\/web-/);
    const api = requests.nth(1);
    expect(await api.locator('summary').textContent()).toMatch(/^GET https:\/\/shop\.example\.com\/api — 503 · Service shop\/api:8080/);
    expect(await api.getAttribute('open')).not.toBeNull();
    expect(await api.locator('ol.trace li').count()).toBeGreaterThan(3);
    expect(await requests.nth(2).locator('summary').textContent())
      .toMatch(/^GET http:\/\/\d+\.\d+\.\d+\.\d+\/status — 200 · Service shop\/web:80 · pod shop\/web-\S+ \(Ingress shop\/any-host, \*\/status \(Exact\)\)$/);

    expect(problems).toEqual([]);
    mkdirSync(join(__dirname, '../../test-reports'), { recursive: true });
    await tab.screenshot({ path: join(__dirname, '../../test-reports/report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
}, 120_000);
