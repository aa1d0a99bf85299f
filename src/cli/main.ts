#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { stringify as yamlStringify } from 'yaml';
import { diffRoutingJson, diffRoutingSarif, diffRoutingText } from './diff-routing';
import { parseSource, readScenarios, runScenarios, ScenarioError } from './expect';
import { formatJson, formatSarif, formatText, makeStyle, SEVERITIES, terminalSafe } from './format';
import { graphDot, graphMermaid, graphText } from './graph';
import { loadManifests, LoadedManifests } from './load';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../api/versions';
import { Cluster, compareRouting, migrateIngresses } from '../cluster';
import { DNS_TYPES } from '../dataplane/dns';
import { isManifestError } from '../dataplane/errors';
import { formatHop, formatTrace } from '../dataplane/trace';
import { ClusterOptions, Hop, RequestResult, ResolveResult, TrafficSource } from '../dataplane/types';

/** Where the command writes, and what it knows about its terminal (so tests run it in-process). */
export interface CliIo {
  /** Whether stdout is a terminal: colours only then. */
  readonly isTTY: boolean;
  /** The environment (NO_COLOR turns colours off). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Paths in the output are relative to this directory. */
  readonly cwd?: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Bad input found by the command itself (as opposed to a bug): one line, exit 2. */
class UsageError extends Error {}

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

interface ModelFlags {
  readonly file?: string[];
  readonly nodes?: string;
  readonly ingressProfile?: string;
  readonly kubernetesVersion?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function clusterOptions(flags: ModelFlags): ClusterOptions {
  const options: { -readonly [K in keyof ClusterOptions]: ClusterOptions[K] } = {};
  if (flags.nodes !== undefined) {
    if (!/^[0-9]+$/.test(flags.nodes)) throw new UsageError(`--nodes must be a whole number, got "${flags.nodes}"`);
    options.nodes = Number(flags.nodes);
  }
  if (flags.ingressProfile !== undefined) options.ingressController = { profile: flags.ingressProfile };
  if (flags.kubernetesVersion !== undefined) options.kubernetesVersion = flags.kubernetesVersion;
  return options;
}

function modelOptions(cmd: Command): Command {
  return cmd
    .option('--nodes <n>', 'number of modelled nodes (default 3)')
    .addOption(new Option('--ingress-profile <profile>', 'ingress controller semantics (default: from the IngressClasses)')
      .choices(['portable', 'nginx']))
    .addOption(new Option('--kubernetes-version <minor>', `the cluster's Kubernetes minor: its API server rules, kube-proxy and CoreDNS (default ${DEFAULT_KUBERNETES_VERSION})`)
      .choices([...KUBERNETES_VERSIONS]));
}

function build(paths: readonly string[], flags: ModelFlags): { loaded: LoadedManifests; cluster: Cluster } {
  const loaded = loadManifests(paths.length ? paths : ['dist']);
  if (loaded.files.length === 0) throw new UsageError(`no .yaml, .yml or .json files in ${paths.length ? paths.join(', ') : 'dist'}`);
  return { loaded, cluster: Cluster.fromManifests(loaded.documents, clusterOptions(flags)) };
}

function source(from: string | undefined): TrafficSource | undefined {
  return from === undefined ? undefined : parseSource(from, '--from');
}

function headers(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`-H "${h}": write a header as 'Name: value'`);
    out[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  return out;
}

function indentedTrace(hops: readonly Hop[]): string {
  return hops.map((h) => `  ${terminalSafe(formatHop(h))}`).join('\n');
}

function requestText(url: string, r: RequestResult): string {
  const facts: string[] = [];
  if (r.ingress) facts.push(`ingress ${r.ingress}`);
  if (r.service) facts.push(`service ${r.service}${r.servicePort ? `:${r.servicePort}` : ''}`);
  if (r.pod) facts.push(`pod ${r.pod}`);
  if (r.endpoint) facts.push(`endpoint ${r.endpoint}`);
  if (r.tlsSecret) facts.push(`tls ${r.tlsSecret}${r.tlsHostnameVerified === false ? ' (hostname NOT verified)' : ''}`);
  if (r.location) facts.push(`location ${r.location}`);
  const head = `${url} → ${r.status ? r.status : `no response (${r.error ?? 'unknown'})`}`;
  return `${terminalSafe(head)}\n${facts.length ? `${terminalSafe(facts.join('  '))}\n` : ''}trace:\n${indentedTrace(r.trace)}\n`;
}

function resolveText(r: ResolveResult): string {
  const records = r.records.map((x) => terminalSafe(`${x.name}.\t${x.ttl}\tIN\t${x.type}\t${x.value}`)).join('\n');
  return `${r.rcode} ${terminalSafe(r.name)}\n${records ? `${records}\n` : ''}trace:\n${indentedTrace(r.trace)}\n`;
}

/**
 * The `cdk8s-traffic` command. Returns the exit code: 0 clean, 1 findings at or above the
 * threshold (check) or a failed request/lookup, 2 usage or input errors. Never throws for bad
 * input; an unexpected exception is a bug and is rethrown.
 */
export function main(argv: readonly string[], io: CliIo): number {
  const env = io.env ?? {};
  const colour = io.isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  const cwd = io.cwd ?? process.cwd();
  let code = EXIT_OK;

  const program = new Command()
    .name('cdk8s-traffic')
    .description('Check cdk8s output (Kubernetes Services and Ingresses) against a model of the cluster, and trace requests through it.')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`cdk8s-traffic: ${s.replace(/^error: /, '').trimEnd()}\n`),
    });

  modelOptions(program.command('check')
    .description('report diagnostics for manifest files or directories (default dist/)')
    .argument('[paths...]', 'YAML/JSON files or directories', [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices(['error', 'warning', 'info', 'never']).default('error')))
    .action((paths: string[], flags: ModelFlags & { format: string; failOn: string }) => {
      const { loaded, cluster } = build(paths, flags);
      const diags = cluster.diagnostics;
      const out = flags.format === 'json' ? formatJson(diags, loaded.positions, cwd)
        : flags.format === 'sarif' ? formatSarif(diags, loaded.positions, cwd)
          : formatText(diags, loaded.positions, makeStyle(colour), cwd);
      io.stdout(out);
      const threshold = SEVERITIES.indexOf(flags.failOn);
      if (threshold >= 0 && diags.some((d) => SEVERITIES.indexOf(d.severity) <= threshold)) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('request')
    .description('send one HTTP(S) request through the modelled cluster and print its hop-by-hop trace (exit 1 unless a response below 400 arrives)')
    .argument('<url>', 'e.g. https://shop.example.com/api or http://cart.shop:8080/')
    .option('-f, --file <path>', 'manifest file or directory, repeatable (default dist/)', collect)
    .option('--from <source>', 'client: an IP address, or pod/<namespace>/<name> (default: outside the cluster)')
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <header>', "request header 'Name: value', repeatable", collect)
    .option('--sni <name>', 'TLS server name (default: the URL host)')
    .option('--json', 'print the result as JSON'))
    .action((url: string, flags: ModelFlags & { from?: string; method: string; header?: string[]; sni?: string; json?: boolean }) => {
      const { cluster } = build(flags.file ?? [], flags);
      const from = source(flags.from);
      const result = cluster.request({
        url, method: flags.method, headers: headers(flags.header ?? []), ...(from ? { from } : {}), ...(flags.sni ? { sni: flags.sni } : {}),
      });
      io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : requestText(url, result));
      if (result.status === 0 || result.status >= 400) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('resolve')
    .description('look a name up in cluster DNS (exit 1 when no record answers)')
    .argument('<name>', 'e.g. cart, cart.shop or cart.shop.svc.cluster.local')
    .option('-f, --file <path>', 'manifest file or directory, repeatable (default dist/)', collect)
    .option('-n, --from-namespace <ns>', 'the asking pod\'s namespace (its search path applies)')
    .option('--namespace <ns>', 'alias of --from-namespace')
    .addOption(new Option('--type <type>', 'query type').choices(DNS_TYPES).default('A'))
    .option('--json', 'print the result as JSON'))
    .action((name: string, flags: ModelFlags & { fromNamespace?: string; namespace?: string; type: string; json?: boolean }) => {
      const { cluster } = build(flags.file ?? [], flags);
      const ns = flags.fromNamespace ?? flags.namespace;
      const result = cluster.resolve(name, { type: flags.type, ...(ns ? { fromNamespace: ns } : {}) });
      io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : resolveText(result));
      if (result.records.length === 0) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('graph')
    .description('print the topology: Ingress host/path → Service:port → pods')
    .option('-f, --file <path>', 'manifest file or directory, repeatable (default dist/)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'dot', 'mermaid']).default('text')))
    .action((flags: ModelFlags & { format: string }) => {
      const { cluster } = build(flags.file ?? [], flags);
      io.stdout(flags.format === 'dot' ? graphDot(cluster) : flags.format === 'mermaid' ? graphMermaid(cluster) : graphText(cluster));
    });

  modelOptions(program.command('expect')
    .description('send the requests of a scenarios file and compare each result with its expectations (exit 1 on any mismatch)')
    .argument('<scenarios>', 'YAML: scenarios: [{ name, request: <url>, from, method, headers, sni, expect: { status, service, pod, location, tlsSecret, … } }]')
    .option('-f, --file <path>', 'manifest file or directory, repeatable (default dist/)', collect)
    .option('--json', 'print the outcomes as JSON'))
    .action((file: string, flags: ModelFlags & { json?: boolean }) => {
      const scenarios = readScenarios(file);
      const { cluster } = build(flags.file ?? [], flags);
      const outcomes = runScenarios(cluster, scenarios);
      const style = makeStyle(colour);
      const failed = outcomes.filter((o) => !o.passed).length;
      if (flags.json) {
        io.stdout(`${JSON.stringify({ outcomes: outcomes.map(({ result, ...o }) => o), failed }, null, 2)}\n`);
      } else {
        const lines = outcomes.flatMap((o) => [
          `${o.passed ? style.severity('info', 'pass') : style.severity('error', 'FAIL')} ${o.name}`,
          ...o.mismatches.map((m) => `       ${m}`),
          ...(o.passed ? [] : formatTrace(o.result.trace).split('\n').map((l) => style.dim(`       ${l}`))),
        ]);
        io.stdout(`${lines.join('\n')}\n${outcomes.length} scenario${outcomes.length === 1 ? '' : 's'}, ${failed} failed\n`);
      }
      if (failed) code = EXIT_FINDINGS;
    });

  program.command('migrate')
    .description('write Gateway API manifests (Gateways, HTTPRoutes, ReferenceGrants) for the Ingresses found; what cannot be carried over is listed on stderr')
    .requiredOption('--gateway-class <name>', 'gatewayClassName of the Gateways')
    .option('-f, --file <path>', 'manifest file or directory, repeatable (default dist/)', collect)
    .option('-o, --output <dir>', 'write <dir>/gateway-api.yaml instead of printing the YAML')
    .addOption(new Option('--ingress-profile <profile>', 'the ingress controller being replaced (default: from the IngressClasses)').choices(['portable', 'nginx']))
    .action((flags: { gatewayClass: string; file?: string[]; output?: string; ingressProfile?: string }) => {
      const paths = flags.file ?? [];
      const loaded = loadManifests(paths.length ? paths : ['dist']);
      if (loaded.files.length === 0) throw new UsageError(`no .yaml, .yml or .json files in ${paths.length ? paths.join(', ') : 'dist'}`);
      const result = migrateIngresses(loaded.documents, {
        gatewayClassName: flags.gatewayClass, ...(flags.ingressProfile ? { ingressController: { profile: flags.ingressProfile } } : {}),
      });
      const text = result.manifests.map((m) => yamlStringify(m)).join('---\n');
      if (flags.output) {
        mkdirSync(flags.output, { recursive: true });
        writeFileSync(join(flags.output, 'gateway-api.yaml'), text);
        io.stdout(`wrote ${result.manifests.length} objects to ${join(flags.output, 'gateway-api.yaml')}\n`);
      } else {
        io.stdout(text);
      }
      for (const n of result.notes) io.stderr(`note: ${terminalSafe(`${n.object}: ${n.feature}: ${n.message}`)}\n`);
    });

  modelOptions(program.command('diff-routing')
    .description('compare how two sets of manifests route HTTP(S) requests from outside (exit 1 on any difference)')
    .argument('<before>', 'manifest file or directory (e.g. the Ingress version)')
    .argument('<after>', 'manifest file or directory (e.g. the Gateway API version)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--json', 'alias of --format json')
    .option('--max-requests <n>', 'compare at most this many requests (a seeded sample beyond)'))
    .action((beforePath: string, afterPath: string, flags: ModelFlags & { format: string; json?: boolean; maxRequests?: string }) => {
      if (flags.maxRequests !== undefined && !/^[1-9][0-9]*$/.test(flags.maxRequests)) throw new UsageError(`--max-requests must be a whole number >= 1, got "${flags.maxRequests}"`);
      const before = build([beforePath], flags).cluster;
      const after = build([afterPath], flags).cluster;
      const result = compareRouting(before, after, flags.maxRequests ? { maxRequests: Number(flags.maxRequests) } : {});
      const format = flags.json ? 'json' : flags.format;
      io.stdout(format === 'json' ? diffRoutingJson(result) : format === 'sarif' ? diffRoutingSarif(result) : diffRoutingText(result));
      if (!result.equivalent) code = EXIT_FINDINGS;
    });

  try {
    program.parse([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; every other parser complaint is a usage error.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof UsageError || e instanceof ScenarioError || isManifestError(e) || isInputError(e)) {
      io.stderr(`cdk8s-traffic: ${firstLines(e as Error)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** Errors the model throws for bad arguments: invalid URL, unknown pod, bad options. */
function isInputError(e: unknown): boolean {
  return e instanceof Error && /^(request|resolve|connect|Cluster options|ingressController\.|migrateIngresses|compareRouting)[: ]/.test(e.message);
}

/** One line: a ManifestError's per-document problems are joined with `; `. */
function firstLines(e: Error): string {
  const [head, ...rest] = e.message.split('\n');
  return isManifestError(e) && rest.length ? `${head} ${rest.join('; ')}` : head;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  });
}
