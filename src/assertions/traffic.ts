import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IGNORE_ANNOTATION } from '../checks/suppressions';
import { Cluster } from '../cluster';
import { formatTrace } from '../dataplane/trace';
import { ClusterOptions, Diagnostic, RequestOptions, RequestResult } from '../dataplane/types';

/** Severities from most to least serious; a filter's severity includes the more serious ones. */
const SEVERITIES = ['error', 'warning', 'info'];

/** Which diagnostics an expectation is about. */
export interface DiagnosticFilter {
  /**
   * The least serious severity that counts: `error`, `warning` (and errors) or `info` (all).
   * @default 'info' - every diagnostic
   */
  readonly severity?: string;
  /**
   * Only diagnostics with this code, e.g. `SERVICE_NO_ENDPOINTS`.
   * @default - any code
   */
  readonly code?: string;
  /**
   * Only diagnostics about this object, `Kind/namespace/name`.
   * @default - any object
   */
  readonly object?: string;
}

/** A failed traffic expectation; its message says what was expected, what happened and the trace. */
class TrafficAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficAssertionError';
  }
}

function describeRequest(options: RequestOptions): string {
  const from = options.from?.pod !== undefined ? ` from pod ${options.from.pod}` : options.from?.ip !== undefined ? ` from ${options.from.ip}` : '';
  return `${options.method ?? 'GET'} ${options.url}${from}`;
}

function describeAnswer(r: RequestResult): string {
  if (r.status === 0) return `no response (${r.error ?? 'unknown'})`;
  const facts = [`status ${r.status}`];
  if (r.ingress) facts.push(`ingress ${r.ingress}`);
  if (r.service) facts.push(`service ${r.service}${r.servicePort ? `:${r.servicePort}` : ''}`);
  if (r.pod) facts.push(`pod ${r.pod}`);
  if (r.location) facts.push(`location ${r.location}`);
  return facts.join(', ');
}

function describeDiagnostic(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.object}${d.field ? ` ${d.field}` : ''}: ${d.message}`;
}

/**
 * One request sent through the modelled cluster, with assertions on where it went. Each assertion
 * throws a `TrafficAssertionError` naming the request, the expectation, the answer and its
 * hop-by-hop trace, and returns the expectation so assertions chain.
 */
export class RequestExpectation {
  /** Sends the request through the cluster. @internal */
  public static _send(cluster: Cluster, request: RequestOptions): RequestExpectation {
    return new RequestExpectation(request, cluster.request(request));
  }

  private constructor(
    private readonly request: RequestOptions,
    /** The model's answer. */
    public readonly result: RequestResult,
  ) {}

  /**
   * The request reaches a pod through the Service `namespace/name` and a response below 400 comes
   * back.
   */
  public toReach(service: string): RequestExpectation {
    const r = this.result;
    const ok = r.service === service && r.pod !== undefined && r.status > 0 && r.status < 400;
    return this.check(ok, `to reach a pod of Service ${service}`);
  }

  /** The answer is a redirect (3xx) to exactly this URL. */
  public toRedirectTo(url: string): RequestExpectation {
    const r = this.result;
    return this.check(r.status >= 300 && r.status < 400 && r.location === url, `to be redirected to ${url}`);
  }

  /** No HTTP response arrives: the connection is refused, times out, has no route or the name does not resolve. */
  public toBeRefused(): RequestExpectation {
    return this.check(this.result.status === 0, 'to get no response (refused, timed out, no route or no such name)');
  }

  /** The answer has this HTTP status. */
  public toHaveStatus(status: number): RequestExpectation {
    return this.check(this.result.status === status, `to get status ${status}`);
  }

  /** The https answer came with a certificate from the Secret `namespace/name` that covers the host (what a client verifies). */
  public toPresentCertificateFrom(secret: string): RequestExpectation {
    const r = this.result;
    return this.check(r.tlsSecret === secret && r.tlsHostnameVerified === true, `to present the certificate of Secret ${secret}, covering the host`);
  }

  private check(ok: boolean, expectation: string): RequestExpectation {
    if (ok) return this;
    const r = this.result;
    const tls = r.tlsSecret ? `\ntls: Secret ${r.tlsSecret}${r.tlsHostnameVerified ? '' : ' (does not cover the host)'}` : '';
    const trace = formatTrace(r.trace).split('\n').map((line) => `  ${line}`).join('\n');
    throw new TrafficAssertionError(`expected ${describeRequest(this.request)} ${expectation}\ngot: ${describeAnswer(r)}${tls}\ntrace:\n${trace}`);
  }
}

/**
 * Assertions on the traffic of a cdk8s chart or app, for an app repo's tests, in the style of
 * `aws-cdk-lib/assertions`:
 * `Traffic.fromChart(chart).expectRequest({ url: 'https://shop.example.com/api' }).toReach('base/cart')`.
 */
export class Traffic {
  /** The traffic of one chart's objects. */
  public static fromChart(chart: Chart, options?: ClusterOptions): Traffic {
    return new Traffic(Cluster.fromChart(chart, options));
  }

  /** The traffic of every chart of an app. */
  public static fromApp(app: App, options?: ClusterOptions): Traffic {
    return new Traffic(Cluster.fromApp(app, options));
  }

  /** The traffic of synthesized manifests: a cdk8s `dist/` directory. */
  public static fromDirectory(dir: string, options?: ClusterOptions): Traffic {
    return new Traffic(Cluster.fromDirectory(dir, options));
  }

  /** The traffic of a cluster already modelled. */
  public static fromCluster(cluster: Cluster): Traffic {
    return new Traffic(cluster);
  }

  /**
   * Accepts findings on one object on purpose: adds the `cdk8s-traffic/ignore` annotation to the
   * construct's ApiObject, so the finding stays visible as suppressed, with the reason, wherever
   * the manifests are checked (the model, the CLI, the validation plugin).
   * @param construct a construct that is, or has as its default child, an ApiObject (our Services and Ingresses, cdk8s-plus resources)
   * @param codes the diagnostic codes, e.g. `['EXPOSURE_NODE_PORT']`
   * @param reason why the findings are accepted
   */
  public static ignore(construct: IConstruct, codes: string[], reason: string): void {
    if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => typeof c !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(c))) {
      throw new Error(`Traffic.ignore: codes must be diagnostic codes such as EXPOSURE_NODE_PORT, got ${JSON.stringify(codes)}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '' || reason.includes(':')) {
      throw new Error(`Traffic.ignore: reason must be a non-empty sentence without ":", got ${JSON.stringify(reason)}`);
    }
    const metadata = ApiObject.of(construct).metadata;
    // A second call on the same object adds its codes and reason to the first's.
    const existing: string | undefined = metadata.toJson().annotations?.[IGNORE_ANNOTATION];
    const colon = existing?.indexOf(':') ?? -1;
    const oldCodes = existing && colon > 0 ? existing.slice(0, colon).split(',').map((c: string) => c.trim()) : [];
    const oldReason = existing && colon > 0 ? `${existing.slice(colon + 1).trim()}; ` : '';
    metadata.addAnnotation(IGNORE_ANNOTATION, `${[...new Set([...oldCodes, ...codes])].join(',')}: ${oldReason}${reason.trim()}`);
  }

  private constructor(
    /** The modelled cluster, for questions the assertions do not ask. */
    public readonly cluster: Cluster,
  ) {}

  /** Sends one request (in order, like the model's queries) and returns the assertions on its answer. */
  public expectRequest(request: RequestOptions): RequestExpectation {
    return RequestExpectation._send(this.cluster, request);
  }

  /** No diagnostic matches the filter, e.g. severity `error`; the failure lists those that do. */
  public expectNoDiagnostics(filter: DiagnosticFilter = {}): void {
    const found = this.diagnosticsMatching(filter);
    if (found.length) {
      throw new TrafficAssertionError(`expected no diagnostics${describeFilter(filter)}, found ${found.length}:\n${found.map((d) => `  ${describeDiagnostic(d)}`).join('\n')}`);
    }
  }

  /** At least one diagnostic matches the filter, e.g. `{ code: 'TLS_SECRET_NOT_FOUND', object: 'Ingress/base/shop' }`. */
  public expectDiagnostic(filter: DiagnosticFilter): void {
    if (this.diagnosticsMatching(filter).length === 0) {
      const all = this.cluster.diagnostics;
      const list = all.length ? all.map((d) => `  ${describeDiagnostic(d)}`).join('\n') : '  (none)';
      throw new TrafficAssertionError(`expected a diagnostic${describeFilter(filter)}; the diagnostics are:\n${list}`);
    }
  }

  private diagnosticsMatching(filter: DiagnosticFilter): Diagnostic[] {
    const threshold = SEVERITIES.indexOf(filter.severity ?? 'info');
    if (threshold < 0) throw new Error(`DiagnosticFilter: severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(filter.severity)}`);
    return this.cluster.diagnostics.filter((d) => SEVERITIES.indexOf(d.severity) <= threshold
      && (filter.code === undefined || d.code === filter.code)
      && (filter.object === undefined || d.object === filter.object));
  }
}

function describeFilter(filter: DiagnosticFilter): string {
  const parts: string[] = [];
  if (filter.severity !== undefined) parts.push(`severity ${filter.severity}${filter.severity === 'error' ? '' : ' or worse'}`);
  if (filter.code !== undefined) parts.push(`code ${filter.code}`);
  if (filter.object !== undefined) parts.push(`about ${filter.object}`);
  return parts.length ? ` with ${parts.join(', ')}` : '';
}
