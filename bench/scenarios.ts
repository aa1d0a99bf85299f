/**
 * The bench scenarios. bench/main.ts runs each in a child process of its own (bench/child.ts),
 * so heap numbers are not skewed by what an earlier scenario left behind.
 */
import { median, round, rssMiB, settledHeapMiB, timed } from './measure';
import {
  ClusterSize, GATEWAY_CONTROLLER, GATEWAY_RULES_PER_ROUTE, gatewayHost, gatewayManifests, gatewayPath,
  MODEL_OPTIONS, modelHost, modelManifests, modelPath, modelPolicies,
  SYNTH_BUILDERS, SynthSize,
} from './workload';
import { Cluster } from '../src';

/** Scale: `full` is what the issue asks for; `quick` (BENCH_QUICK=1) is a smoke run of the harness. */
const QUICK = process.env.BENCH_QUICK === '1';

export const SYNTH_SIZE: SynthSize = QUICK
  ? { services: 200, ingresses: 50, rulesPerIngress: 5 }
  : { services: 2000, ingresses: 500, rulesPerIngress: 5 };

/** The compile sizes: 10 pods per Service, 5 rules per Ingress, one port each. */
export const COMPILE_SIZES: Record<string, ClusterSize> = {
  '1k': compileSize(QUICK ? 100 : 1000),
  '10k': compileSize(QUICK ? 1000 : 10000),
};

function compileSize(services: number): ClusterSize {
  return { services, portsPerService: 1, podsPerService: 10, ingresses: services / 5, rulesPerIngress: 5, namespaces: 10 };
}

/**
 * The query clusters: `rules` Ingress host rules (5 per Ingress) and as many kube-proxy
 * Service-port rules (10 ports per Service, one pod each).
 */
export function queryClusterSize(rules: number): ClusterSize {
  return { services: rules / 10, portsPerService: 10, podsPerService: 1, ingresses: rules / 5, rulesPerIngress: 5, namespaces: 10 };
}
export const QUERY_RULES = QUICK ? [100, 10000] : [100, 100000];

export type ScenarioResult = Record<string, unknown>;

export const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  'synth': async () => synth(),
  'compile-1k': async () => compile('1k'),
  'compile-10k': async () => compile('10k'),
  'queries-small': async () => queries(QUERY_RULES[0]),
  'queries-large': async () => queries(QUERY_RULES[1]),
  'checks': async () => checks(),
  'network-policy': async () => networkPolicy(),
  'gateway-queries': async () => gatewayQueries(QUICK ? 1600 : 100000),
};

/**
 * The three builds interleaved round by round (so load from other processes hits them alike),
 * after one warm-up round; per build the median of the rounds. Time = constructing the
 * constructs + `app.synthYaml()` (resolve, validate, serialize: `cdk8s synth` without the file
 * write). Heap = what the app holds after synth, above the baseline before it was built.
 */
function synth(): ScenarioResult {
  const rounds = QUICK ? 2 : 7;
  const names = Object.keys(SYNTH_BUILDERS);
  const samples: Record<string, { construct: number[]; synth: number[]; total: number[]; cpu: number[]; heap: number[]; bytes: number }> = {};
  for (const name of names) samples[name] = { construct: [], synth: [], total: [], cpu: [], heap: [], bytes: 0 };
  for (let r = -1; r < rounds; r++) {
    // Rotate the order each round so no build always runs right after a given other one.
    const order = names.map((_, i) => names[(i + Math.max(r, 0)) % names.length]);
    for (const name of order) {
      const before = settledHeapMiB();
      const built = timed(() => SYNTH_BUILDERS[name](SYNTH_SIZE));
      const yaml = timed(() => built.value.synthYaml());
      const heap = settledHeapMiB() - before;
      if (r < 0) continue;
      const s = samples[name];
      s.construct.push(built.ms);
      s.synth.push(yaml.ms);
      s.total.push(built.ms + yaml.ms);
      s.cpu.push(built.cpuMs + yaml.cpuMs);
      s.heap.push(heap);
      s.bytes = yaml.value.length;
    }
  }
  const builds: ScenarioResult = {};
  for (const name of names) {
    const s = samples[name];
    builds[name] = {
      constructMs: round(median(s.construct)),
      synthMs: round(median(s.synth)),
      totalMs: round(median(s.total)),
      totalMsSamples: s.total.map((v) => round(v)),
      totalCpuMs: round(median(s.cpu)),
      retainedHeapMiB: round(median(s.heap)),
      yamlBytes: s.bytes,
    };
  }
  return { size: SYNTH_SIZE, rounds, builds };
}

/**
 * `Cluster.fromManifests` over a generated cluster. One warm-up compile of a tenth of the size
 * first, so the measured run is not the one that JIT-compiles the model.
 */
function compile(sizeName: string): ScenarioResult {
  const size = COMPILE_SIZES[sizeName];
  const runs = QUICK || size.services > 1000 ? 1 : 3;
  Cluster.fromManifests(modelManifests({ ...size, services: size.services / 10, ingresses: size.ingresses / 10 }), MODEL_OPTIONS);
  const manifests = modelManifests(size);
  const times: number[] = [];
  const cpu: number[] = [];
  let modelHeap = 0;
  let heapAfter = 0;
  let cluster: Cluster | undefined;
  for (let run = 0; run < runs; run++) {
    cluster = undefined;
    const before = settledHeapMiB();
    const compiled = timed(() => Cluster.fromManifests(manifests, MODEL_OPTIONS));
    cluster = compiled.value;
    times.push(compiled.ms);
    cpu.push(compiled.cpuMs);
    if (run === 0) {
      heapAfter = settledHeapMiB();
      modelHeap = heapAfter - before;
    }
  }
  const c = cluster!;
  const pods = c.pods.length;
  const problems = c.diagnostics.filter((d) => d.severity === 'error');
  if (problems.length) throw new Error(`compile-${sizeName}: the generated cluster has errors, e.g. ${problems[0].message}`);
  return {
    size,
    pods,
    objects: manifests.length,
    runs,
    compileMs: round(median(times)),
    compileMsSamples: times.map((t) => round(t)),
    compileCpuMs: round(median(cpu)),
    modelHeapMiB: round(modelHeap),
    heapUsedMiB: round(heapAfter),
    rssMiB: round(rssMiB()),
  };
}

/**
 * NetworkPolicy cost: the 10k compile cluster with and without one policy per Service (10k
 * policies), alternating runs after a warm-up, median each; then `connect()` to ClusterIPs of the
 * large query cluster with its 10k policies in force (every connection judged and traced).
 */
async function networkPolicy(): Promise<ScenarioResult> {
  const size = COMPILE_SIZES['10k'];
  const runs = QUICK ? 1 : 3;
  const plain = modelManifests(size);
  const withPolicies = [...plain, ...modelPolicies(size)];
  Cluster.fromManifests(modelManifests({ ...size, services: size.services / 10, ingresses: size.ingresses / 10 }), MODEL_OPTIONS);
  const without: number[] = [];
  const withPol: number[] = [];
  for (let run = 0; run < runs; run++) {
    without.push(timed(() => Cluster.fromManifests(plain, MODEL_OPTIONS)).ms);
    withPol.push(timed(() => Cluster.fromManifests(withPolicies, MODEL_OPTIONS)).ms);
  }
  const querySize = queryClusterSize(QUERY_RULES[1]);
  const cluster = Cluster.fromManifests([...modelManifests(querySize), ...modelPolicies(querySize)], MODEL_OPTIONS);
  const pick = picker(7);
  const services = cluster.services;
  const clients = cluster.pods;
  const connects: Array<{ to: string; from: { pod: string } }> = [];
  for (let i = 0; i < 1024; i++) {
    const svc = services[pick(services.length)];
    const port = svc.ports[pick(svc.ports.length)];
    connects.push({ to: `${svc.clusterIp}:${port.port}`, from: { pod: clients[pick(clients.length)].name } });
  }
  for (const c of connects) {
    const r = cluster.connect(c);
    // A pod reaching itself is never policed; every other connection must be judged and allowed.
    const judged = r.pod === c.from.pod || r.trace.some((h) => h.component === 'network-policy');
    if (!r.connected || !judged) throw new Error(`network-policy: connect to ${c.to} was not judged as allowed: ${r.error ?? 'no network-policy hop'}`);
  }
  let next = 0;
  const { Bench } = await import('tinybench');
  const bench = new Bench({ time: QUICK ? 200 : 1500, warmupTime: QUICK ? 50 : 300, throws: true });
  bench.add('connect with policies', () => {
    for (let i = 0; i < BATCH; i++) cluster.connect(connects[next++ % connects.length]);
  });
  await bench.run();
  const result = bench.tasks[0].result as { latency?: { mean: number; moe: number } } | undefined;
  if (!result?.latency) throw new Error('network-policy: tinybench gave no result');
  const perQueryUs = (result.latency.mean * 1000) / BATCH;
  return {
    size,
    policies: size.services,
    runs,
    compileMsWithout: round(median(without)),
    compileMsWith: round(median(withPol)),
    compileMsSamplesWithout: without.map((t) => round(t)),
    compileMsSamplesWith: withPol.map((t) => round(t)),
    connect: {
      rules: QUERY_RULES[1],
      policies: querySize.services,
      opsPerSec: Math.round(1e6 / perQueryUs),
      meanUs: round(perQueryUs, 3),
      moePercent: round((result.latency.moe / result.latency.mean) * 100),
    },
  };
}

/** A fixed pseudo-random pick (a 32-bit LCG, exact in doubles), so every run queries the same targets. */
function picker(seed: number): (n: number) => number {
  let state = seed % 2 ** 32;
  return (n) => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state % n;
  };
}

const BATCH = 100;

/**
 * `request()` through an Ingress and `connect()` to a ClusterIP, each timed with tinybench over
 * batches of BATCH queries cycling through 1,024 targets spread over the whole cluster (so the
 * large cluster is not measured on a few hot entries). Every target is checked to answer first.
 */
async function queries(rules: number): Promise<ScenarioResult> {
  const size = queryClusterSize(rules);
  const cluster = Cluster.fromManifests(modelManifests(size), MODEL_OPTIONS);
  const pick = picker(rules);
  const urls: string[] = [];
  for (let i = 0; i < 1024; i++) {
    const j = pick(size.ingresses);
    const k = pick(size.rulesPerIngress);
    urls.push(`http://${modelHost(j, k)}${modelPath(k)}/items/${i}`);
  }
  const services = cluster.services;
  const clients = cluster.pods;
  const connects: Array<{ to: string; from: { pod: string } }> = [];
  for (let i = 0; i < 1024; i++) {
    const svc = services[pick(services.length)];
    const port = svc.ports[pick(svc.ports.length)];
    connects.push({ to: `${svc.clusterIp}:${port.port}`, from: { pod: clients[pick(clients.length)].name } });
  }
  for (const url of urls) {
    const r = cluster.request({ url });
    if (r.status !== 200 || !r.ingress || r.trace.length === 0) throw new Error(`queries: ${url} answered ${r.status} ${r.error ?? ''}`);
  }
  for (const c of connects) {
    const r = cluster.connect(c);
    if (!r.connected || r.trace.length === 0) throw new Error(`queries: connect to ${c.to} failed: ${r.error}`);
  }
  let next = 0;
  // tinybench is an ES module; a dynamic import loads it from this CommonJS build.
  const { Bench } = await import('tinybench');
  const bench = new Bench({ time: QUICK ? 200 : 1500, warmupTime: QUICK ? 50 : 300, throws: true });
  bench.add('request via Ingress', () => {
    for (let i = 0; i < BATCH; i++) cluster.request({ url: urls[next++ % urls.length] });
  });
  bench.add('connect to ClusterIP', () => {
    for (let i = 0; i < BATCH; i++) cluster.connect(connects[next++ % connects.length]);
  });
  await bench.run();
  const out: ScenarioResult = {};
  for (const task of bench.tasks) {
    const result = task.result as { latency?: { mean: number; moe: number }; totalTime?: number } | undefined;
    if (!result?.latency) throw new Error(`queries: tinybench gave no result for ${task.name}`);
    const perQueryUs = (result.latency.mean * 1000) / BATCH;
    out[task.name] = {
      opsPerSec: Math.round(1e6 / perQueryUs),
      meanUs: round(perQueryUs, 3),
      moePercent: round((result.latency.moe / result.latency.mean) * 100),
      batches: task.runs,
    };
  }
  return { rules, size, services: services.length, ...out };
}

/**
 * The checks over the 10k compile cluster: the first read of `cluster.diagnostics` runs them
 * (a later read only copies the list, shown for contrast).
 */
function checks(): ScenarioResult {
  const size = COMPILE_SIZES['10k'];
  const cluster = Cluster.fromManifests(modelManifests(size), MODEL_OPTIONS);
  const first = timed(() => cluster.diagnostics);
  const again = timed(() => cluster.diagnostics);
  const byCode: Record<string, number> = {};
  for (const d of first.value) byCode[`${d.severity} ${d.code}`] = (byCode[`${d.severity} ${d.code}`] ?? 0) + 1;
  return {
    size,
    firstReadMs: round(first.ms),
    firstReadCpuMs: round(first.cpuMs),
    laterReadMs: round(again.ms, 3),
    diagnostics: first.value.length,
    byCode,
  };
}

/**
 * `request()` through a Gateway whose listener carries `rules` HTTPRoute rules, timed like
 * `queries` over 1,024 targets spread over every route; each target is checked to answer first.
 */
async function gatewayQueries(rules: number): Promise<ScenarioResult> {
  const services = Math.max(100, rules / 10);
  const options = { ...MODEL_OPTIONS, gatewayController: { controllerName: GATEWAY_CONTROLLER } };
  const compiled = timed(() => Cluster.fromManifests(gatewayManifests(rules, services, 10), options));
  const cluster = compiled.value;
  const pick = picker(rules);
  const requests: Array<{ url: string; gateway: string }> = [];
  for (let i = 0; i < 1024; i++) {
    const route = pick(rules / GATEWAY_RULES_PER_ROUTE);
    requests.push({ url: `http://${gatewayHost(route)}${gatewayPath(pick(GATEWAY_RULES_PER_ROUTE))}/items/${i}`, gateway: 'team-0/edge' });
  }
  for (const q of requests) {
    const r = cluster.request(q);
    if (r.status !== 200 || !r.route || r.trace.length === 0) throw new Error(`gateway-queries: ${q.url} answered ${r.status} ${r.error ?? ''}`);
  }
  let next = 0;
  const { Bench } = await import('tinybench');
  const bench = new Bench({ time: QUICK ? 200 : 1500, warmupTime: QUICK ? 50 : 300, throws: true });
  bench.add('request via Gateway', () => {
    for (let i = 0; i < BATCH; i++) cluster.request(requests[next++ % requests.length]);
  });
  await bench.run();
  const result = bench.tasks[0].result as { latency?: { mean: number; moe: number } } | undefined;
  if (!result?.latency) throw new Error('gateway-queries: tinybench gave no result');
  const perQueryUs = (result.latency.mean * 1000) / BATCH;
  return {
    rules,
    'routes': rules / GATEWAY_RULES_PER_ROUTE,
    services,
    'compileMs': round(compiled.ms),
    'request via Gateway': { opsPerSec: Math.round(1e6 / perQueryUs), meanUs: round(perQueryUs, 3), moePercent: round((result.latency.moe / result.latency.mean) * 100), batches: bench.tasks[0].runs },
  };
}
