#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { stringify as yamlStringify } from 'yaml';
import { formatGithub, formatJunit } from './ci-formats';
import { CONFIG_FILE, ConfigError, readSuppressions } from './config';
import { diffJson, diffMarkdown, diffText } from './diff';
import { diffRoutingJson, diffRoutingSarif, diffRoutingText } from './diff-routing';
import { readScenarios, runScenarios, ScenarioError } from './expect';
import { formatJson, formatSarif, formatText, makeStyle, plural, SEVERITIES, terminalSafe } from './format';
import { graphDot, graphJson, graphMermaid, graphText } from './graph';
import { loadManifests, LoadedManifests } from './load';
import { reachText } from './reach';
import { renderReport } from './report';
import { parseSource, resolveSource, SourceError } from './source';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../api/versions';
import { Cluster, compareRouting, diffTraffic, migrateIngresses } from '../cluster';
import { DNS_TYPES } from '../dataplane/dns';
import { isManifestError } from '../dataplane/errors';
import { CLIENT_PROTOCOLS, GATEWAY_PATH_NORMALIZATIONS } from '../dataplane/gateway/types';
import { formatHop, formatTrace } from '../dataplane/trace';
import { BackendBehavior, ClusterOptions, Hop, RequestResult, ResolveResult, Suppression } from '../dataplane/types';

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
  readonly gatewayPathNormalization?: string;
  readonly serviceCidr?: string;
  readonly podCidr?: string;
}

interface DiffRoutingFlags extends ModelFlags {
  readonly format: string;
  readonly json?: boolean;
  readonly maxRequests?: string;
  /** `true` when given without a number of hops. */
  readonly followRedirects?: string | true;
}

interface RequestFlags extends ModelFlags {
  readonly from?: string;
  readonly method: string;
  readonly header?: string[];
  readonly sni?: string;
  readonly insecure?: boolean;
  readonly gateway?: string;
  readonly protocol?: string;
  readonly cert?: string;
  readonly backendDelay?: string;
  readonly backendHeader?: string[];
  readonly json?: boolean;
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
  if (flags.gatewayPathNormalization !== undefined) options.gatewayController = { pathNormalization: flags.gatewayPathNormalization };
  if (flags.serviceCidr !== undefined) options.serviceCidr = flags.serviceCidr;
  if (flags.podCidr !== undefined) options.podCidr = flags.podCidr;
  return options;
}

/** Every command reads manifests from `-f` (kubectl's flag) and models the same cluster. */
function modelOptions(cmd: Command): Command {
  return cmd
    .option('-f, --file <path>', 'manifest file or directory, repeatable (default dist/)', collect)
    .option('--nodes <n>', 'number of modelled nodes (default 3)')
    .addOption(new Option('--ingress-profile <profile>', 'ingress controller semantics (default: from the IngressClasses)')
      .choices(['portable', 'nginx']))
    .addOption(new Option('--kubernetes-version <minor>', `the cluster's Kubernetes minor: its API server rules, kube-proxy and CoreDNS (default ${DEFAULT_KUBERNETES_VERSION})`)
      .choices([...KUBERNETES_VERSIONS]))
    .option('--service-cidr <cidrs>', "the cluster's Service range(s), one or two comma-separated (dual-stack), primary first (default 10.96.0.0/12)")
    .option('--pod-cidr <cidrs>', "the cluster's pod range(s), one per Service family (default 10.244.0.0/16, fd00:10:244::/56 for IPv6)")
    .addOption(new Option('--gateway-path-normalization <mode>', 'how the modelled Gateway normalises request paths before matching (default none)')
      .choices([...GATEWAY_PATH_NORMALIZATIONS]));
}

/** The manifests read and the cluster modelled from them. */
interface Built {
  readonly loaded: LoadedManifests;
  readonly cluster: Cluster;
}

function build(paths: readonly string[], flags: ModelFlags, suppressions: readonly Suppression[] = []): Built {
  const loaded = loadManifests(paths.length ? paths : ['dist']);
  if (loaded.files.length === 0) throw new UsageError(`no .yaml, .yml or .json files in ${paths.length ? paths.join(', ') : 'dist'}`);
  return { loaded, cluster: Cluster.fromManifests(loaded.documents, { ...clusterOptions(flags), suppressions: [...suppressions] }) };
}

/** The package's version, from the package.json next to lib/ (or src/ when run from source). */
function packageVersion(): string {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

/**
 * What curl would refuse about an https answer, as far as the model knows the certificate: it
 * must cover the host the client asked for (the SNI name). Trust chains are not modelled, and
 * certificate dates are the checks' concern (`check`).
 */
function certificateProblem(r: RequestResult): string | undefined {
  if (r.tlsHostnameVerified !== false) return undefined;
  const presented = r.trace.find((h) => h.action === 'tls');
  return `SSL certificate problem: ${presented ? presented.text : 'the presented certificate does not cover the host'}`;
}

function headers(list: readonly string[], flag = '-H'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`${flag} "${h}": write a header as 'Name: value'`);
    out[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  return out;
}

/** `--backend-delay` and `--backend-header` as the request's `backend`. */
function backendBehavior(flags: RequestFlags): BackendBehavior | undefined {
  const delay = flags.backendDelay;
  if (delay !== undefined && !/^[0-9]+$/.test(delay)) throw new UsageError(`--backend-delay "${delay}": give whole milliseconds, e.g. 1500`);
  const responseHeaders = flags.backendHeader ? headers(flags.backendHeader, '--backend-header') : undefined;
  if (delay === undefined && !responseHeaders) return undefined;
  return { ...(delay !== undefined ? { delayMs: Number(delay) } : {}), ...(responseHeaders ? { responseHeaders } : {}) };
}

function readCert(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--cert ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`);
  }
}

function indentedTrace(hops: readonly Hop[]): string {
  return hops.map((h) => `  ${terminalSafe(formatHop(h))}`).join('\n');
}

function requestText(url: string, r: RequestResult): string {
  const facts: string[] = [];
  if (r.ingress) facts.push(`ingress ${r.ingress}`);
  if (r.gateway) facts.push(`gateway ${r.gateway}${r.listener ? ` listener ${r.listener}` : ''}`);
  if (r.route) facts.push(`route ${r.route}`);
  if (r.service) facts.push(`service ${r.service}${r.servicePort ? `:${r.servicePort}` : ''}`);
  if (r.pod) facts.push(`pod ${r.pod}`);
  if (r.endpoint) facts.push(`endpoint ${r.endpoint}`);
  if (r.tlsSecret) facts.push(`tls ${r.tlsSecret}${r.tlsHostnameVerified === false ? ' (hostname NOT verified)' : ''}`);
  if (r.location) facts.push(`location ${r.location}`);
  if (r.mirroredTo) facts.push(`mirrored to ${r.mirroredTo.join(', ')}`);
  if (r.upstream?.protocol && r.upstream.protocol !== 'HTTP/1.1') facts.push(`upstream ${r.upstream.protocol}`);
  if (r.clientCertificateVerified !== undefined) facts.push(`client certificate ${r.clientCertificateVerified ? 'verified' : 'NOT verified (insecure fallback)'}`);
  const head = `${url} → ${r.status ? r.status : `no response (${r.error ?? 'unknown'})`}`;
  const response = Object.entries(r.responseHeaders ?? {}).map(([name, value]) => `< ${terminalSafe(`${name}: ${value}`)}\n`).join('');
  return `${terminalSafe(head)}\n${facts.length ? `${terminalSafe(facts.join('  '))}\n` : ''}${response}trace:\n${indentedTrace(r.trace)}\n`;
}

function resolveText(r: ResolveResult): string {
  const records = r.records.map((x) => terminalSafe(`${x.name}.\t${x.ttl}\tIN\t${x.type}\t${x.value}`)).join('\n');
  return `${r.rcode} ${terminalSafe(r.name)}\n${records ? `${records}\n` : ''}trace:\n${indentedTrace(r.trace)}\n`;
}

/**
 * The `cdk8s-traffic` command, as the bin runs it. Resolves to the exit code: 0 clean, 1 findings
 * at or above the threshold (check) or a failed request/lookup, 2 usage or input errors. Never
 * rejects for bad input; an unexpected exception is a bug and is rethrown.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  return execute(argv, io, true);
}

/**
 * The commands that answer at once (all but `report`, whose Graphviz WebAssembly module loads
 * asynchronously), returning the exit code as `run` does; for tests and scripts in this repo.
 */
export function main(argv: readonly string[], io: CliIo): number {
  return execute(argv, io, false) as number;
}

function execute(argv: readonly string[], io: CliIo, allowAsync: boolean): number | Promise<number> {
  const env = io.env ?? {};
  const colour = io.isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  const cwd = io.cwd ?? process.cwd();
  let code = EXIT_OK;
  let pending: Promise<void> | undefined;

  const program = new Command()
    .name('cdk8s-traffic')
    .description('Check cdk8s output (Kubernetes Services and Ingresses) against a model of the cluster, and trace requests through it.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`cdk8s-traffic: ${s.replace(/^error: /, '').trimEnd()}\n`),
    });

  modelOptions(program.command('check')
    .description('report diagnostics for manifest files or directories (default dist/)')
    .argument('[paths...]', 'YAML/JSON files or directories (as -f)', [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'junit', 'github']).default('text'))
    .option('--json', 'same as --format json')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at least this severe').choices(['error', 'warning', 'info', 'never']).default('error'))
    .option('--strict', 'fail on warnings too (same as --fail-on warning)')
    .option('--config <file>', `suppressions file (default: ${CONFIG_FILE} when present)`))
    .action((paths: string[], flags: ModelFlags & { format: string; json?: boolean; failOn: string; strict?: boolean; config?: string }) => {
      const suppressions = readSuppressions(flags.config, cwd);
      const { loaded, cluster } = build([...paths, ...(flags.file ?? [])], flags, suppressions);
      const diags = cluster.diagnostics;
      const out = flags.format === 'json' || flags.json ? formatJson(diags, loaded.positions, cwd)
        : flags.format === 'sarif' ? formatSarif(diags, loaded.positions, cwd)
          : flags.format === 'junit' ? formatJunit(diags)
            : flags.format === 'github' ? formatGithub(diags, loaded.positions, cwd)
              : formatText(diags, loaded.positions, makeStyle(colour), cwd);
      io.stdout(out);
      const failOn = flags.strict && flags.failOn === 'error' ? 'warning' : flags.failOn;
      const threshold = SEVERITIES.indexOf(failOn);
      if (threshold >= 0 && diags.some((d) => d.suppressed === undefined && SEVERITIES.indexOf(d.severity) <= threshold)) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('request')
    .description('send one HTTP(S) request through the modelled cluster and print its hop-by-hop trace (exit 1 unless a response below 400 arrives)')
    .argument('<url>', 'e.g. https://shop.example.com/api or http://cart.shop:8080/')
    .option('--from <source>',
      'client: an IP address, pod/<ns>/<name>, deploy|sts|ds|rs|job/<ns>/<name> (its first ready pod) or node/<name> (default: outside the cluster)')
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <header>', "request header 'Name: value', repeatable", collect)
    .option('--sni <name>', 'TLS server name (default: the URL host)')
    .option('--gateway <namespace/name>', 'send the request to this Gateway (at the URL port), whatever the URL host resolves to')
    .addOption(new Option('--protocol <protocol>', 'how the client speaks HTTP to a Gateway (HTTP/2: h2c prior knowledge on http URLs)').choices(CLIENT_PROTOCOLS))
    .option('--cert <file>', 'a PEM client certificate to present (Gateway client certificate validation)')
    .option('--backend-delay <ms>', 'the pod takes this long to answer, in milliseconds (against route timeouts)')
    .option('--backend-header <header>', "a response header the pod sends 'Name: value', repeatable", collect)
    .option('-k, --insecure', 'accept an https certificate that does not cover the host (as curl -k)')
    .option('--json', 'print the result as JSON'))
    .action((url: string, flags: RequestFlags) => {
      const spec = flags.from === undefined ? undefined : parseSource(flags.from, '--from');
      const requestHeaders = headers(flags.header ?? []);
      const backend = backendBehavior(flags);
      const clientCertificate = flags.cert === undefined ? undefined : readCert(flags.cert);
      const { cluster } = build(flags.file ?? [], flags);
      const source = spec ? resolveSource(cluster, spec, '--from') : undefined;
      const answer = cluster.request({
        url,
        method: flags.method,
        headers: requestHeaders,
        ...(source ? { from: source.from } : {}),
        ...(flags.sni ? { sni: flags.sni } : {}),
        ...(flags.gateway ? { gateway: flags.gateway } : {}),
        ...(flags.protocol ? { protocol: flags.protocol } : {}),
        ...(clientCertificate !== undefined ? { clientCertificate } : {}),
        ...(backend ? { backend } : {}),
      });
      const result = source?.hops.length ? { ...answer, trace: [...source.hops, ...answer.trace] } : answer;
      io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : requestText(url, result));
      const problem = flags.insecure ? undefined : certificateProblem(result);
      if (problem) io.stderr(`cdk8s-traffic: ${url}: ${problem}; -k/--insecure accepts it\n`);
      if (problem || result.status === 0 || result.status >= 400) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('resolve')
    .description('look a name up in cluster DNS (exit 1 when no record answers)')
    .argument('<name>', 'e.g. cart, cart.shop or cart.shop.svc.cluster.local')
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
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'dot', 'mermaid', 'json']).default('text'))
    .option('--json', 'same as --format json'))
    .action((flags: ModelFlags & { format: string; json?: boolean }) => {
      const { cluster } = build(flags.file ?? [], flags);
      const format = flags.json ? 'json' : flags.format;
      io.stdout(format === 'dot' ? graphDot(cluster) : format === 'mermaid' ? graphMermaid(cluster) : format === 'json' ? graphJson(cluster) : graphText(cluster));
    });

  modelOptions(program.command('expect')
    .description('send the requests of a scenarios file and compare each result with its expectations (exit 1 on any mismatch)')
    .argument('<scenarios>', 'YAML: scenarios: [{ name, request: <url>, from, method, headers, sni, gateway, expect: { status, service, pod, location, tlsSecret, route, … } }]')
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

  modelOptions(program.command('reach')
    .description('print which workloads can connect to which under the NetworkPolicies (pod × pod, per port)')
    .argument('[paths...]', 'YAML/JSON files or directories', [])
    .option('-p, --port <port>', 'destination port, repeatable (default: the ports the pods declare)', collect)
    .option('--protocol <protocol>', 'TCP, UDP or SCTP, repeatable (default TCP)', collect)
    .option('-n, --namespace <ns>', 'only pods of this namespace, repeatable', collect)
    .option('--json', 'print the result as JSON'))
    .action((paths: string[], flags: ModelFlags & { port?: string[]; protocol?: string[]; namespace?: string[]; json?: boolean }) => {
      const ports = (flags.port ?? []).map((p) => {
        if (!/^[0-9]+$/.test(p)) throw new UsageError(`--port must be a port number, got "${p}"`);
        return Number(p);
      });
      const { cluster } = build([...paths, ...(flags.file ?? [])], flags);
      const result = cluster.reachability({
        ...(ports.length ? { ports } : {}),
        ...(flags.protocol ? { protocols: flags.protocol } : {}),
        ...(flags.namespace ? { namespaces: flags.namespace } : {}),
      });
      io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : reachText(result));
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

  modelOptions(program.command('diff')
    .description('what a change does to traffic: routes answered differently, findings introduced and fixed, Service ports added and removed, reachability lost and gained (exit 1 when a route that answered 2xx or a connection no longer does)')
    .argument('<base>', 'manifests before the change (file or directory)')
    .argument('<head>', 'manifests after the change')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--json', 'same as --format json')
    .option('--allow-loss', 'exit 0 even when a route is lost'))
    .action((basePath: string, headPath: string, flags: ModelFlags & { format: string; json?: boolean; allowLoss?: boolean }) => {
      const suppressions = readSuppressions(undefined, cwd);
      const change = diffTraffic(build([basePath], flags, suppressions).cluster, build([headPath], flags, suppressions).cluster);
      const format = flags.json ? 'json' : flags.format;
      io.stdout(format === 'json' ? diffJson(change) : format === 'markdown' ? diffMarkdown(change) : diffText(change));
      if ((change.lostRoutes.length || change.reachabilityLost.length) && !flags.allowLoss) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('diff-routing')
    .description('compare how two sets of manifests route HTTP(S) requests from outside (exit 1 on any difference)')
    .argument('<before>', 'manifest file or directory (e.g. the Ingress version)')
    .argument('<after>', 'manifest file or directory (e.g. the Gateway API version)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--json', 'alias of --format json')
    .option('--max-requests <n>', 'compare at most this many requests (a seeded sample beyond)')
    .option('--follow-redirects [hops]', 'compare where redirect chains end, following up to this many redirects (default 5) as browsers and curl -L do'))
    .action((beforePath: string, afterPath: string, flags: DiffRoutingFlags) => {
      if (flags.maxRequests !== undefined && !/^[1-9][0-9]*$/.test(flags.maxRequests)) throw new UsageError(`--max-requests must be a whole number >= 1, got "${flags.maxRequests}"`);
      const hops = flags.followRedirects === true ? '5' : flags.followRedirects;
      if (hops !== undefined && !/^([1-9]|1[0-9]|20)$/.test(hops)) throw new UsageError(`--follow-redirects must be a whole number from 1 to 20, got "${hops}"`);
      const before = build([beforePath], flags).cluster;
      const after = build([afterPath], flags).cluster;
      const result = compareRouting(before, after, {
        ...(flags.maxRequests ? { maxRequests: Number(flags.maxRequests) } : {}), ...(hops ? { followRedirects: Number(hops) } : {}),
      });
      const format = flags.json ? 'json' : flags.format;
      io.stdout(format === 'json' ? diffRoutingJson(result) : format === 'sarif' ? diffRoutingSarif(result) : diffRoutingText(result));
      if (!result.equivalent) code = EXIT_FINDINGS;
    });

  modelOptions(program.command('report')
    .description('write one self-contained HTML page for a pull request: the topology as SVG, the diagnostics with their fixes, a traced request per Ingress route')
    .option('-o, --output <file>', 'where to write the page (default: stdout)'))
    .action((flags: ModelFlags & { output?: string }) => {
      if (!allowAsync) throw new Error('cdk8s-traffic report: runs asynchronously; use run()');
      const { loaded, cluster } = build(flags.file ?? [], flags);
      pending = renderReport({ cluster, files: loaded.files, positions: loaded.positions, cwd }).then((html) => {
        if (flags.output === undefined) {
          io.stdout(html);
          return;
        }
        const target = resolve(cwd, flags.output);
        try {
          writeFileSync(target, html);
        } catch (e) {
          throw new UsageError(`-o ${flags.output}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        const diags = cluster.diagnostics;
        const count = (severity: string) => diags.filter((d) => d.severity === severity).length;
        io.stdout(`${flags.output}: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}\n`);
      });
    });

  const failed = (e: unknown): number => {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; every other parser complaint is a usage error.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const bad = [UsageError, ConfigError, ScenarioError, SourceError].some((type) => e instanceof type);
    if (bad || isManifestError(e) || isInputError(e)) {
      io.stderr(`cdk8s-traffic: ${firstLines(e as Error)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  };
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    return failed(e);
  }
  return pending ? pending.then(() => code, failed) : code;
}

/** Errors the model throws for bad arguments: invalid URL, unknown pod, bad options. */
function isInputError(e: unknown): boolean {
  return e instanceof Error && /^(request|resolve|connect|reachability|Cluster options|ingressController\.|migrateIngresses|compareRouting)[: ]/.test(e.message);
}

/** One line: a ManifestError's per-document problems are joined with `; `. */
function firstLines(e: Error): string {
  const [head, ...rest] = e.message.split('\n');
  return isManifestError(e) && rest.length ? `${head} ${rest.join('; ')}` : head;
}

if (require.main === module) {
  void run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  }).then((exitCode) => {
    process.exitCode = exitCode;
  });
}
