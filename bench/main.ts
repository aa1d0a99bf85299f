/**
 * `npm run bench`: runs each scenario of bench/scenarios.ts in a fresh node process (clean heap
 * numbers, --expose-gc), prints the targets of issue 9 as a table and writes bench/results.json.
 *
 *   --only synth,queries-small   run some scenarios (the targets needing others are skipped)
 *   --out FILE                   write the results elsewhere (default bench/results.json)
 *   --quick                      a small smoke run of the harness (numbers are not comparable)
 */
import { fork } from 'child_process';
import { writeFileSync } from 'fs';
import * as os from 'os';
import { join, relative } from 'path';

/** In run order; bench/child.ts checks the names against bench/scenarios.ts. */
const SCENARIO_NAMES = ['synth', 'compile-1k', 'compile-10k', 'queries-small', 'queries-large', 'checks', 'network-policy', 'gateway-queries'];

type Result = Record<string, any>;

interface Target {
  readonly name: string;
  readonly measured: string;
  readonly limit: string;
  readonly met: boolean;
  /** The same comparison on CPU time, where the scenario measures it. */
  readonly cpu?: string;
}

function parseArgs(argv: string[]): { only: string[]; out: string; quick: boolean } {
  let only = SCENARIO_NAMES;
  let out = join(__dirname, 'results.json');
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') {
      only = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = only.filter((n) => !SCENARIO_NAMES.includes(n));
      if (unknown.length || only.length === 0) throw new Error(`--only takes a comma-separated list of ${SCENARIO_NAMES.join(', ')}; got ${JSON.stringify(argv[i])}`);
    } else if (arg === '--out') {
      const file = argv[++i];
      if (!file) throw new Error('--out needs a file name');
      out = file;
    } else if (arg === '--quick') {
      quick = true;
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)} (known: --only, --out, --quick)`);
    }
  }
  return { only, out, quick };
}

/** Runs one scenario in a child process; rejects with the child's own error message. */
function runScenario(name: string, quick: boolean): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'child.ts'), [name], {
      execArgv: ['--expose-gc', '--max-old-space-size=4096', '-r', 'ts-node/register'],
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(__dirname, 'tsconfig.json'),
        // The parent has type-checked the bench; children only need the code.
        TS_NODE_TRANSPILE_ONLY: 'true',
        BENCH_QUICK: quick ? '1' : '0',
      },
    });
    let answer: { result?: Result; error?: string } | undefined;
    child.on('message', (message: { result?: Result; error?: string }) => {
      answer = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.result) resolve(answer.result);
      else reject(new Error(`scenario ${name}: ${answer?.error ?? `the process ended with ${signal ?? `exit code ${code}`} before reporting`}`));
    });
  });
}

function machine(): Result {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/** Evaluates the issue's targets over whichever scenarios ran. */
function targets(r: Record<string, Result>): Target[] {
  const out: Target[] = [];
  if (r.synth) {
    const b = r.synth.builds;
    const ours = b['cdk8s-traffic'];
    for (const [other, limit] of [['cdk8s-plus-27', 1.0], ['raw L1', 1.3]] as const) {
      const ratio = ours.totalMs / b[other].totalMs;
      out.push({
        name: `synth: cdk8s-traffic / ${other}`,
        measured: `${fixed(ratio)}×`,
        limit: `≤ ${fixed(limit, 1)}×`,
        met: ratio <= limit,
        cpu: `${fixed(ours.totalCpuMs / b[other].totalCpuMs)}×`,
      });
    }
  }
  const big = r['compile-10k'];
  if (big) {
    out.push({ name: `compile: ${big.size.services / 1000}k Services / ${big.pods / 1000}k pods / ${big.size.ingresses / 1000}k Ingresses`, measured: `${thousands(big.compileMs)} ms`, limit: '≤ 2,000 ms', met: big.compileMs <= 2000, cpu: `${thousands(big.compileCpuMs)} ms` });
    out.push({ name: 'compile: heap after GC (input + model)', measured: `${thousands(big.heapUsedMiB)} MiB`, limit: '≤ 1,024 MiB', met: big.heapUsedMiB <= 1024 });
  }
  const small = r['compile-1k'];
  if (big && small) {
    const ratio = big.compileMs / small.compileMs;
    out.push({ name: 'compile: 10× the input', measured: `${fixed(ratio, 1)}× the time`, limit: '≤ 11×', met: ratio <= 11, cpu: `${fixed(big.compileCpuMs / small.compileCpuMs, 1)}×` });
  }
  const qs = r['queries-small'];
  const ql = r['queries-large'];
  for (const task of ['request via Ingress', 'connect to ClusterIP']) {
    for (const q of [qs, ql]) {
      if (!q) continue;
      out.push({ name: `${task}, ${thousands(q.rules)} rules (with trace)`, measured: `${thousands(q[task].opsPerSec)}/s`, limit: '≥ 250,000/s', met: q[task].opsPerSec >= 250000 });
    }
    if (qs && ql) {
      const ratio = ql[task].meanUs / qs[task].meanUs;
      out.push({ name: `${task}: cost at ${thousands(ql.rules)} / at ${thousands(qs.rules)} rules`, measured: `${fixed(ratio)}×`, limit: '≤ 1.20×', met: ratio <= 1.2 });
    }
  }
  const gq = r['gateway-queries'];
  if (gq) {
    const task = gq['request via Gateway'];
    out.push({ name: `request via Gateway, ${thousands(gq.rules)} route rules (with trace)`, measured: `${thousands(task.opsPerSec)}/s`, limit: '≥ 250,000/s', met: task.opsPerSec >= 250000 });
  }
  if (r.checks) {
    out.push({ name: `checks over the ${r.checks.size.services / 1000}k cluster (${thousands(r.checks.diagnostics)} diagnostics)`, measured: `${thousands(r.checks.firstReadMs)} ms`, limit: '≤ 1,000 ms', met: r.checks.firstReadMs <= 1000, cpu: `${thousands(r.checks.firstReadCpuMs)} ms` });
  }
  const np = r['network-policy'];
  if (np) {
    const ratio = np.compileMsWith / np.compileMsWithout;
    out.push({ name: `compile with ${thousands(np.policies)} NetworkPolicies / without (issue 19)`, measured: `${fixed(ratio)}× (${thousands(np.compileMsWith)} ms)`, limit: '≤ 2.00×', met: ratio <= 2 });
    out.push({ name: `connect with ${thousands(np.connect.policies)} NetworkPolicies in force (with trace)`, measured: `${thousands(np.connect.opsPerSec)}/s`, limit: '≥ 250,000/s', met: np.connect.opsPerSec >= 250000 });
  }
  return out;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { only, out, quick } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results: Record<string, Result> = {};
  const load: Record<string, number[]> = {};
  for (const name of only) {
    const before = os.loadavg()[0];
    const t0 = Date.now();
    process.stdout.write(`${name} … `);
    results[name] = await runScenario(name, quick);
    load[name] = [before, os.loadavg()[0]].map((v) => Math.round(v * 100) / 100);
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s (load average ${load[name].join(' → ')})`);
  }

  if (results.synth) {
    const b = results.synth.builds;
    const base = b['cdk8s-plus-27'].totalMs;
    const s = results.synth.size;
    console.log(`\nSynth: ${thousands(s.services)} Services + ${thousands(s.ingresses)} Ingresses × ${s.rulesPerIngress} rules, median of ${results.synth.rounds} interleaved rounds`);
    console.log(table(['build', 'construct ms', 'synthYaml ms', 'total ms', 'CPU ms', 'vs cdk8s-plus-27', 'heap MiB'], Object.entries(b).map(([name, v]: [string, any]) => [
      name, fixed(v.constructMs, 0), fixed(v.synthMs, 0), fixed(v.totalMs, 0), fixed(v.totalCpuMs, 0), `${fixed(v.totalMs / base)}×`, fixed(v.retainedHeapMiB, 1),
    ])));
  }
  const checked = targets(results);
  console.log('\nTargets (issues 9 and 19)');
  console.log(table(['target', 'measured', 'limit', 'met', 'on CPU time'], checked.map((t) => [t.name, t.measured, t.limit, t.met ? 'yes' : 'NO', t.cpu ?? ''])));

  const m = machine();
  const record = {
    generatedBy: 'npm run bench',
    date: new Date().toISOString(),
    quick,
    machine: m,
    loadAverage: load,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    targets: checked,
    scenarios: results,
  };
  writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\n${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}; ${record.durationSeconds} s; written to ${relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(`\nbench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
