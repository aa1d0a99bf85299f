import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseSource, resolveSource, SourceSpec } from './source';
import { isPlainObject } from '../api/values';
import type { Cluster } from '../cluster';
import type { RequestResult } from '../dataplane/types';

/** A scenarios file the command cannot use: one line, exit 2. */
export class ScenarioError extends Error {}

/** Result fields a scenario may expect, compared for equality. */
const EXPECTABLE = [
  'status', 'error', 'ingress', 'service', 'servicePort', 'pod', 'endpoint', 'tlsSecret', 'tlsHostnameVerified', 'location', 'gateway', 'listener', 'route',
] as const;
const SCENARIO_KEYS = ['name', 'request', 'from', 'method', 'headers', 'sni', 'gateway', 'expect'];

interface Scenario {
  readonly name: string;
  readonly url: string;
  readonly from?: SourceSpec;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly sni?: string;
  /** A Gateway (`namespace/name`) to send the request to. */
  readonly gateway?: string;
  readonly expect: Readonly<Record<string, unknown>>;
}

function readScenario(raw: unknown, i: number, file: string): Scenario {
  const where = `${file}: scenario ${i + 1}`;
  if (!isPlainObject(raw)) throw new ScenarioError(`${where}: expected a map with request and expect`);
  const unknown = Object.keys(raw).filter((k) => !SCENARIO_KEYS.includes(k));
  if (unknown.length) throw new ScenarioError(`${where}: unknown key ${unknown.join(', ')} (allowed: ${SCENARIO_KEYS.join(', ')})`);
  if (typeof raw.request !== 'string' || raw.request === '') throw new ScenarioError(`${where}: request must be a URL`);
  if (!isPlainObject(raw.expect) || Object.keys(raw.expect).length === 0) throw new ScenarioError(`${where}: expect must map result fields to values`);
  const badField = Object.keys(raw.expect).find((k) => !(EXPECTABLE as readonly string[]).includes(k));
  if (badField) throw new ScenarioError(`${where}: cannot expect "${badField}" (allowed: ${EXPECTABLE.join(', ')})`);
  if (raw.headers !== undefined && (!isPlainObject(raw.headers) || Object.values(raw.headers).some((v) => typeof v !== 'string'))) {
    throw new ScenarioError(`${where}: headers must map names to strings`);
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : `${raw.method ?? 'GET'} ${raw.request}`;
  return {
    name,
    url: raw.request,
    expect: raw.expect,
    ...(typeof raw.from === 'string' ? { from: parseSource(raw.from, `${where}: from`) } : {}),
    ...(typeof raw.method === 'string' ? { method: raw.method } : {}),
    ...(raw.headers ? { headers: raw.headers } : {}),
    ...(typeof raw.sni === 'string' ? { sni: raw.sni } : {}),
    ...(typeof raw.gateway === 'string' ? { gateway: raw.gateway } : {}),
  };
}

/** Reads `scenarios:` (or a bare list) from a YAML file. */
export function readScenarios(file: string): Scenario[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError(`${file}: cannot read the file`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ScenarioError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const list = Array.isArray(doc) ? doc : isPlainObject(doc) ? doc.scenarios : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new ScenarioError(`${file}: expected a non-empty list of scenarios (or a map with one under "scenarios")`);
  return list.map((raw, i) => readScenario(raw, i, file));
}

export interface ExpectOutcome {
  readonly name: string;
  readonly passed: boolean;
  /** `field: expected X, got Y` lines. */
  readonly mismatches: string[];
  readonly result: RequestResult;
}

/** Sends every scenario's request, in order, and compares the expected fields. */
export function runScenarios(cluster: Cluster, scenarios: readonly Scenario[]): ExpectOutcome[] {
  return scenarios.map((s) => {
    const source = s.from ? resolveSource(cluster, s.from, `scenario "${s.name}": from`) : undefined;
    const answer = cluster.request({
      url: s.url,
      ...(source ? { from: source.from } : {}),
      ...(s.method ? { method: s.method } : {}),
      ...(s.headers ? { headers: s.headers } : {}),
      ...(s.sni ? { sni: s.sni } : {}),
      ...(s.gateway ? { gateway: s.gateway } : {}),
    });
    const result = source?.hops.length ? { ...answer, trace: [...source.hops, ...answer.trace] } : answer;
    const mismatches: string[] = [];
    for (const [field, wanted] of Object.entries(s.expect)) {
      const got = (result as any)[field];
      if (got !== wanted) mismatches.push(`${field}: expected ${JSON.stringify(wanted)}, got ${got === undefined ? '(none)' : JSON.stringify(got)}`);
    }
    return { name: s.name, passed: mismatches.length === 0, mismatches, result };
  });
}
