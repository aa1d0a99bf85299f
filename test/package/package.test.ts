// What `npm pack` ships and how the version is chosen (.projenrc.ts): the compiled library, its
// jsii assembly, README, LICENSE, API.md and the bundled dependencies — nothing else.
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test('the tarball holds lib/, .jsii, README, LICENSE, API.md and the bundled dependencies only', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }));
  const paths: string[] = packed.files.map((f: { path: string }) => f.path);
  const bundled = new RegExp(`^node_modules/(${pkg.bundledDependencies.join('|')})/`);
  const unexpected = paths.filter((p) => !/^lib\/.+\.(js|d\.ts)$/.test(p) && !['.jsii', 'README.md', 'LICENSE', 'API.md', 'package.json'].includes(p) && !bundled.test(p));
  expect(unexpected).toEqual([]);
  expect(paths).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'API.md', 'package.json']));
  expect(paths.filter((p) => /\.(key|pem|crt)$|(^|\/)(examples|bench|test|\.ci)\//.test(p))).toEqual([]);
}, 60_000);

test('the bin and the types point into lib/, which the package ships', () => {
  expect(pkg.bin['cdk8s-traffic']).toBe('lib/cli/main.js');
  expect(pkg.main).toBe('lib/index.js');
  expect(pkg.types).toBe('lib/index.d.ts');
  expect(pkg.files).toEqual(expect.arrayContaining(['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']));
});

test('apps need no cdk8s-plus copy of ours: no cdk8s-plus in dependencies or peerDependencies', () => {
  const runtime = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  expect(runtime.filter((name) => name.startsWith('cdk8s-plus'))).toEqual([]);
  expect(Object.keys(pkg.dependencies).sort()).toEqual([...pkg.bundledDependencies].sort());
});

test('projen bumps the first release to 0.1.0, later ones from the commits', () => {
  const tasks = JSON.parse(readFileSync(join(ROOT, '.projen/tasks.json'), 'utf8')).tasks;
  const nextVersion: string = tasks['bump:next-version'].steps[0].exec;
  const repo = mkdtempSync(join(tmpdir(), 'next-version-'));
  try {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'first');
    const next = () => spawnSync('sh', ['-c', nextVersion], { cwd: repo, encoding: 'utf8' }).stdout.trim();
    expect(next()).toBe('0.1.0');
    git('tag', 'v0.1.0');
    expect(next()).toBe('');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
  expect(tasks.release.steps.map((s: any) => s.spawn ?? s.exec ?? s.execArgs?.join(' '))).toEqual(['rm -fr dist', 'bump', 'build', 'unbump', 'git diff --ignore-space-at-eol --exit-code', 'publish:git']);
  expect(tasks['publish:git'].env.PROJECT_CHANGELOG_FILE).toBe('CHANGELOG.md');
  expect(tasks['publish:npm'].requiredEnv).toEqual(['NPM_TOKEN']);
});
