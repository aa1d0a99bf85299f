// Folder-level imports are one-way (DESIGN.md "Layout"): api ← core ← service/ingress/gateway;
// api ← dataplane ← checks ← cluster ← cli. The model never imports constructs or cdk8s.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');

/** The src folders each folder may import from. */
const ALLOWED: Record<string, readonly string[]> = {
  api: [],
  core: ['api'],
  service: ['api', 'core'],
  // An Ingress or Gateway API backend names a Service construct.
  ingress: ['api', 'core', 'service'],
  // A Gateway listener's certificate is the same TlsCertificateSecret an Ingress uses.
  gateway: ['api', 'core', 'service', 'ingress'],
  dataplane: ['api'],
  checks: ['api', 'dataplane'],
  cluster: ['api', 'dataplane', 'checks'],
  cli: ['api', 'dataplane', 'checks', 'cluster'],
  // App repos' test assertions, over the public Cluster.
  assertions: ['api', 'dataplane', 'checks', 'cluster'],
};
const CONSTRUCT_PACKAGES = /^(cdk8s|cdk8s-plus-\d+|constructs)$/;
const MAY_USE_CDK8S = new Set(['core', 'service', 'ingress', 'gateway', 'cluster', 'assertions']);

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const imports = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((folder) =>
  files(path.join(SRC, folder.name)).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)'/gm)].map((m) => ({ folder: folder.name, file: path.relative(SRC, file), spec: m[1] }));
  }));

test('every src folder is known to the layering rules', () => {
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  expect(imports.length).toBeGreaterThan(100);
});

test('folder imports go one way only', () => {
  const wrong = imports.flatMap(({ folder, file, spec }) => {
    if (!spec.startsWith('.')) return [];
    const target = path.relative(SRC, path.resolve(path.join(SRC, path.dirname(file)), spec)).split(path.sep)[0];
    return target === folder || ALLOWED[folder].includes(target) ? [] : [`${file} imports ${spec}`];
  });
  expect(wrong).toEqual([]);
});

test('api, dataplane, checks and cli do not import cdk8s or constructs', () => {
  const wrong = imports.filter(({ folder, spec }) => CONSTRUCT_PACKAGES.test(spec) && !MAY_USE_CDK8S.has(folder)).map(({ file, spec }) => `${file} imports ${spec}`);
  expect(wrong).toEqual([]);
});
