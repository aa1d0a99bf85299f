// The cdk8s-traffic bin as the package ships it: src/ compiled to JavaScript with the project's
// compiler options into a lib/ beside a copy of package.json (the layout `bin` points into),
// then run with node as a separate process — what a CI job sees.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Compiles src/ into a fresh package directory under node_modules/.cache (so its imports resolve); returns the bin's path and a cleanup. */
export function buildCli(): { bin: string; remove(): void } {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
  if (!config) throw new Error('tsconfig.json: cannot read it');
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const pkg = mkdtempSync(join(cache, 'cdk8s-traffic-cli-'));
  for (const file of sources(join(ROOT, 'src'))) {
    const { outputText } = ts.transpileModule(ts.sys.readFile(file)!, { compilerOptions: config.options, fileName: file });
    const out = join(pkg, 'lib', relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  const bin = join(pkg, JSON.parse(ts.sys.readFile(join(ROOT, 'package.json'))!).bin['cdk8s-traffic']);
  return { bin, remove: () => rmSync(pkg, { recursive: true, force: true }) };
}

/** Runs the built bin with `args` in `cwd`, without colours. */
export function spawnCli(bin: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
}
