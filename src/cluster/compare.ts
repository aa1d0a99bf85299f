/**
 * compareRouting: do two clusters route the same? The requests that can tell two route tables
 * apart are generated from both sides' compiled tables (every host and path a rule names, and
 * their boundaries), both clusters answer each, and every answer that differs in what a client
 * or a backend would notice is reported with both traces and, when it is a known trap of a
 * migration, a hint naming it.
 */
import type { Cluster } from './cluster';
import type { RouteRule, RouteTable } from '../dataplane/routing/ir';
import type { RequestOptions, RequestResult } from '../dataplane/types';
import { Prng } from '../dataplane/util';

/** Options of `compareRouting`. */
export interface CompareRoutingOptions {
  /**
   * At most this many requests are compared; beyond it a seeded sample is taken (the coverage
   * says so).
   * @default 2000
   */
  readonly maxRequests?: number;
  /**
   * Seed of the sampling.
   * @default 1
   */
  readonly seed?: number;
  /**
   * How often each request is sent: weighted backends are compared as the sets of Service ports
   * answering over the repeats.
   * @default 1
   */
  readonly repeats?: number;
  /**
   * How many redirects a client follows, as browsers and `curl -L` do. With 0 the first answers
   * are compared, so a different `Location` is a difference. Otherwise the answers at the end of
   * both redirect chains are compared, and the requests whose first answers differ but whose
   * chains end alike are listed apart (`redirectDifferences`).
   * @default 0
   */
  readonly followRedirects?: number;
}

/** One generated request and why it was generated. */
export interface ComparedRequest {
  readonly url: string;
  /** @default 'GET' */
  readonly method?: string;
  /** @default - none */
  readonly headers?: { [name: string]: string };
  /** What the request probes, e.g. `path /api + trailing slash`. */
  readonly probe: string;
}

/** A request the two clusters answer differently. */
export interface RoutingDifference {
  readonly request: ComparedRequest;
  readonly before: RequestResult;
  readonly after: RequestResult;
  /** What differs: `status`, `backend`, `location`, `upstreamPath`, `upstreamHost`, `certificate`, `cookie` (a Set-Cookie on one side only). */
  readonly fields: string[];
  /**
   * The known cause, e.g. `NGINX_TRAILING_SLASH_301`, with what it means.
   * @default - no known cause
   */
  readonly hint?: string;
  /**
   * When redirects are followed: the URLs the `before` side was redirected to, in order.
   * @default - no redirect followed
   */
  readonly beforeRedirects?: string[];
  /**
   * When redirects are followed: the URLs the `after` side was redirected to, in order.
   * @default - no redirect followed
   */
  readonly afterRedirects?: string[];
}

/** How much of the two route tables the requests covered. */
export interface RoutingCoverage {
  readonly hosts: number;
  readonly paths: number;
  /** Requests generated before sampling. */
  readonly generated: number;
  /** Whether a seeded sample of `maxRequests` was taken. */
  readonly sampled: boolean;
}

/** The answer of `compareRouting`. */
export interface RoutingComparison {
  /** True when every compared request is answered alike. */
  readonly equivalent: boolean;
  /** The number of requests compared. */
  readonly requests: number;
  readonly differences: RoutingDifference[];
  /**
   * When redirects are followed: requests whose first answers differ (e.g. in `Location`) while
   * both redirect chains end in the same answer; `before` and `after` are the first answers.
   */
  readonly redirectDifferences: RoutingDifference[];
  readonly coverage: RoutingCoverage;
}

/** The known migration traps, by the hint code a difference carries. */
const HINTS: Readonly<Record<string, string>> = {
  NGINX_TRAILING_SLASH_301: 'ingress-nginx answers a path one trailing slash short of a prefix location with its own 301 to the slash form',
  NGINX_SSL_REDIRECT: 'ingress-nginx redirects plain HTTP to HTTPS for hosts with a certificate (ssl-redirect, 308)',
  NGINX_REGEX_CASE_INSENSITIVE_PREFIX: 'ingress-nginx regex locations are case-insensitive (~*) and match as prefixes',
  NGINX_HOST_WIDE_REGEX: 'use-regex or rewrite-target on one Ingress makes every path of that host a case-insensitive regex prefix',
  DEFAULT_BACKEND_SCOPE: 'a default backend or host-less rule answers requests the other side leaves unmatched (or the reverse)',
  WILDCARD_DEPTH: 'a wildcard host covers exactly one label on one side and not on the other',
  UNKNOWN_HOST: 'a host no rule names is answered differently (catch-all server or default backend)',
  NGINX_DEFAULT_CERTIFICATE: 'ingress-nginx answers HTTPS for every host with its default certificate; the other side only where a listener has a certificate',
  URL_NORMALIZATION: 'one side merges slashes, resolves dot segments or decodes %XX before matching (nginx does), the other matches the path as sent',
  NGINX_COOKIE_AFFINITY: 'ingress-nginx cookie affinity (its Set-Cookie and sticky endpoint) is not carried over: Gateway API sessionPersistence is experimental',
  NGINX_CANARY: 'an ingress-nginx canary Ingress sends some requests (by header, cookie or weight) to another backend',
};

interface Probe extends ComparedRequest {
  readonly hostKind: 'exact' | 'wildcard-one' | 'wildcard-two' | 'wildcard-bare' | 'unknown';
  readonly pathKind: string;
}

const UNKNOWN_HOST = 'unknown-host.invalid';
const WILDCARD_LABEL = 'wildcard-probe';

/** Flips the case of every letter: `/Api` → `/aPI`. */
function flipCase(path: string): string {
  return path.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
}

/** The path with its first letter or digit percent-encoded: `/api` → `/%61pi`. */
function encodeFirst(path: string): string {
  return path.replace(/[A-Za-z0-9]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The literal start of a regular expression, up to its first metacharacter. */
function literalPrefix(pattern: string): string {
  const m = /^[^\\^$.|?*+()[\]{}]*/.exec(pattern.replace(/^\^/, ''));
  return m ? m[0] : '';
}

/**
 * A path a regular expression matches, for the common shapes of Ingress and route regexes: a class
 * or escape stands for its first character, a quantifier for one (`+`, `{n}`) or no (`*`, `?`)
 * occurrence, a group for its first alternative. Undefined when the sample does not match.
 */
export function regexSample(pattern: string): string | undefined {
  let out = '';
  let i = pattern.startsWith('^') ? 1 : 0;
  const atoms: string[] = [];
  while (i < pattern.length) {
    const c = pattern[i];
    let atom: string;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      atom = e === 'd' ? '1' : e === 'w' ? 'a' : e === 's' ? ' ' : e;
      i += 2;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = pattern.slice(i + 1, end);
      atom = body.startsWith('^') ? '~' : body[0] === '\\' ? (body[1] === 'd' ? '1' : body[1]) : body[0];
      i = end + 1;
    } else if (c === '(') {
      let depth = 0;
      let end = i;
      for (; end < pattern.length; end++) {
        if (pattern[end] === '\\') end++;
        else if (pattern[end] === '(') depth++;
        else if (pattern[end] === ')' && --depth === 0) break;
      }
      const inner = pattern.slice(i + 1, end).replace(/^\?(?:[:=!]|P?<[^>]*>)/, '');
      atom = regexSample(inner.split('|')[0]) ?? '';
      i = end + 1;
    } else if (c === '.') {
      atom = 'x';
      i++;
    } else if (c === '$') {
      atom = '';
      i++;
    } else if (c === '|') {
      break;
    } else {
      atom = c;
      i++;
    }
    const q = pattern[i];
    if (q === '*' || q === '?') {
      atom = '';
      i++;
    } else if (q === '+') {
      i++;
    } else if (q === '{') {
      const end = pattern.indexOf('}', i);
      const min = Number(pattern.slice(i + 1, end).split(',')[0]) || 0;
      atom = atom.repeat(min);
      i = end + 1;
    }
    if (pattern[i] === '?' || pattern[i] === '+') i++; // lazy or possessive
    atoms.push(atom);
  }
  out = atoms.join('');
  try {
    return new RegExp(`^(?:${pattern.replace(/^\^/, '').replace(/\(\?P</g, '(?<')})`, 'i').test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** The request paths that probe one rule's path predicate and its boundaries. */
function pathVariants(rule: RouteRule): Array<[string, string]> {
  const p = rule.match.path;
  const sample = p.kind === 'RegexPrefix' ? regexSample(p.value) : undefined;
  const base = p.kind === 'RegexPrefix' ? sample || literalPrefix(p.value) || '/' : p.value;
  const withSlash = base.endsWith('/') ? base : `${base}/`;
  const without = base.length > 1 && base.endsWith('/') ? base.slice(0, -1) : base;
  const parent = without.lastIndexOf('/') > 0 ? without.slice(0, without.lastIndexOf('/')) : '/';
  const out: Array<[string, string]> = [
    [base, 'the path'],
    [withSlash, 'with a trailing slash'],
    [without, 'without a trailing slash'],
    [`${without}x`, 'one character longer'],
    [`${withSlash}x`, 'one element deeper'],
    [parent, 'its parent'],
    [flipCase(base), 'case flipped'],
    [`${base}?probe=1`, 'with a query'],
  ];
  if (p.kind === 'RegexPrefix') {
    out.push([`${withSlash}anything/deeper`, 'a regex prefix-only sample']);
    if (sample) out.push([`${sample}x`, 'a regex sample with more after it']);
  }
  // What URL normalisation (merging slashes, resolving dot segments, decoding) may change.
  if (base.length > 1) {
    out.push([`/${base}`, 'with a doubled leading slash'], [`${withSlash}./x`, 'with a dot segment'], [encodeFirst(base), 'with a percent-encoded character']);
  }
  return out;
}

function hostsOf(table: RouteTable): Array<[string, Probe['hostKind']]> {
  const out: Array<[string, Probe['hostKind']]> = [];
  for (const name of [...table.exact.keys(), ...table.tls.exact.keys()]) out.push([name, 'exact']);
  for (const parent of [...table.wildcard.keys(), ...table.tls.wildcard.keys()]) {
    // A label no rule names, so the wildcard itself answers, not an exact host beside it.
    out.push([`${WILDCARD_LABEL}.${parent}`, 'wildcard-one'], [`two.${WILDCARD_LABEL}.${parent}`, 'wildcard-two'], [parent, 'wildcard-bare']);
  }
  return out;
}

/** Every rule either table could answer `host` with. */
function rulesFor(table: RouteTable, host: string): RouteRule[] {
  const dot = host.indexOf('.');
  const hosts = [table.exact.get(host), dot > 0 ? table.wildcard.get(host.slice(dot + 1)) : undefined, table.catchAll];
  return [...hosts.flatMap((h) => h?.rules ?? []), ...(table.fallback ? [table.fallback] : [])];
}

/** The requests that can tell the tables apart, deduplicated, in a stable order. */
function generate(tables: readonly RouteTable[]): { probes: Probe[]; hosts: number; paths: number } {
  const hosts = new Map<string, Probe['hostKind']>([[UNKNOWN_HOST, 'unknown']]);
  for (const t of tables) for (const [h, kind] of hostsOf(t)) if (!hosts.has(h)) hosts.set(h, kind);
  const probes = new Map<string, Probe>();
  const paths = new Set<string>();
  const add = (p: Probe) => {
    const key = `${p.method ?? 'GET'} ${p.url} ${JSON.stringify(p.headers ?? {})}`;
    if (!probes.has(key)) probes.set(key, p);
  };
  for (const [host, hostKind] of hosts) {
    const rules = tables.flatMap((t) => rulesFor(t, host));
    const variants = new Map<string, string>([['/', 'the root']]);
    for (const rule of rules) for (const [path, why] of pathVariants(rule)) if (!variants.has(path)) variants.set(path, `${rule.match.path.value}: ${why}`);
    for (const [path, why] of variants) {
      paths.add(path);
      for (const scheme of ['http', 'https']) add({ url: `${scheme}://${host}${path}`, probe: `${hostKind} host ${host}, ${why}`, hostKind, pathKind: why });
    }
    // Method, header and query predicates, each satisfied and not.
    for (const rule of rules) {
      const m = rule.match;
      const path = m.path.kind === 'RegexPrefix' ? literalPrefix(m.path.value) || '/' : m.path.value;
      const url = `https://${host}${path}`;
      if (m.method) {
        add({ url, method: m.method, probe: `${hostKind} host ${host}, method ${m.method}`, hostKind, pathKind: 'method' });
        add({ url, method: m.method === 'GET' ? 'POST' : 'GET', probe: `${hostKind} host ${host}, not method ${m.method}`, hostKind, pathKind: 'method' });
      }
      if (m.headers?.length) {
        const headers = Object.fromEntries(m.headers.filter((h) => h.type !== 'RegularExpression').map((h) => [h.name, h.value]));
        add({ url, headers, probe: `${hostKind} host ${host}, headers ${JSON.stringify(headers)}`, hostKind, pathKind: 'headers' });
      }
      if (m.queryParams?.length) {
        const query = m.queryParams.filter((q) => q.type !== 'RegularExpression').map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value)}`).join('&');
        add({ url: `${url}?${query}`, probe: `${hostKind} host ${host}, query ${query}`, hostKind, pathKind: 'query' });
      }
    }
  }
  return { probes: [...probes.values()], hosts: hosts.size, paths: paths.size };
}

/**
 * A Location as a client follows it: RFC 3986 §6.2.3 makes an empty http(s) path equal to `/`
 * (ingress-nginx's ssl-redirect writes `https://host` for `/`, a Gateway `https://host/`).
 */
function normalLocation(location: string | undefined): string | undefined {
  return location?.replace(/^(https?:\/\/[^/?#]+)(?=$|[?#])/i, '$1/');
}

/** The fields a client or backend would notice; backends compare as the sets seen over the repeats. */
function differingFields(a: Answer, b: Answer): string[] {
  const out = differingResultFields(a.result, b.result);
  if (a.backends !== b.backends) out.splice(out[0] === 'status' ? 1 : 0, 0, 'backend');
  return out;
}

function differingResultFields(a: RequestResult, b: RequestResult): string[] {
  const out: string[] = [];
  if (a.status !== b.status || a.error !== b.error) out.push('status');
  if (normalLocation(a.location) !== normalLocation(b.location)) out.push('location');
  if (a.upstream?.path !== b.upstream?.path) out.push('upstreamPath');
  if (a.upstream?.host !== b.upstream?.host) out.push('upstreamHost');
  if (a.tlsSecret !== b.tlsSecret || a.tlsHostnameVerified !== b.tlsHostnameVerified) out.push('certificate');
  // Cookie values are random keys: only whether a cookie is set (and its name) is compared.
  const cookieName = (r: RequestResult) => r.setCookies?.map((c) => c.slice(0, c.indexOf('='))).join(',');
  if (cookieName(a) !== cookieName(b)) out.push('cookie');
  return out;
}

const traceText = (r: RequestResult) => r.trace.map((h) => h.text).join('\n');

/** The known cause of a difference, read from the request's probe and the two traces. */
function hintFor(p: Probe, before: RequestResult, after: RequestResult): string | undefined {
  const code = ((): string | undefined => {
    const sides = [before, after];
    if (/doubled leading slash|dot segment|percent-encoded/.test(p.pathKind)) return 'URL_NORMALIZATION';
    if (sides.some((r) => r.canary || /canary Ingress/.test(traceText(r)))) return 'NGINX_CANARY';
    if (sides.some((r) => r.setCookies !== undefined || /cookie affinity/.test(traceText(r)))) return 'NGINX_COOKIE_AFFINITY';
    const defaultCertOnly = (a: RequestResult, b: RequestResult) => a.tlsSecret === '@default' && b.status === 0;
    if (p.url.startsWith('https:') && (defaultCertOnly(before, after) || defaultCertOnly(after, before))) return 'NGINX_DEFAULT_CERTIFICATE';
    const slash301 = (r: RequestResult) => r.status === 301 && r.location !== undefined && r.location.split('?')[0].endsWith(`${new URL(p.url).pathname}/`);
    if (sides.some(slash301)) return 'NGINX_TRAILING_SLASH_301';
    if (p.url.startsWith('http:') && sides.some((r) => r.status === 308 && r.location?.startsWith('https:'))) return 'NGINX_SSL_REDIRECT';
    if (sides.some((r) => /every location of this server is a case-insensitive regex/.test(traceText(r)))) {
      return p.pathKind.endsWith('case flipped') ? 'NGINX_REGEX_CASE_INSENSITIVE_PREFIX' : 'NGINX_HOST_WIDE_REGEX';
    }
    if (p.hostKind === 'wildcard-two' || p.hostKind === 'wildcard-bare') return 'WILDCARD_DEPTH';
    if (p.hostKind === 'unknown') return 'UNKNOWN_HOST';
    if (sides.some((r) => /defaultBackend|default backend|catch-all|without host/.test(traceText(r)))) return 'DEFAULT_BACKEND_SCOPE';
    return undefined;
  })();
  return code === undefined ? undefined : `${code}: ${HINTS[code]}`;
}

interface Answer {
  /** The last answer. */
  readonly result: RequestResult;
  /** `service:port` of every answer over the repeats, sorted. */
  readonly backends: string;
}

/** Sends a request `repeats` times; the last answer stands for it, the backends seen are collected. */
function send(cluster: Cluster, options: RequestOptions, repeats: number): Answer {
  let result = cluster.request(options);
  const seen = new Set([`${result.service ?? ''}:${result.servicePort ?? ''}`]);
  for (let i = 1; i < repeats; i++) {
    result = cluster.request(options);
    seen.add(`${result.service ?? ''}:${result.servicePort ?? ''}`);
  }
  return { result, backends: [...seen].sort().join(',') };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Follows an answer's redirects as a browser does: 303 (and 301/302 after a POST) continue with
 * GET (HEAD stays HEAD), 307/308 keep the method; a Location already visited ends the chain.
 */
function followRedirects(cluster: Cluster, first: RequestOptions, answer: Answer, hops: number, repeats: number): { answer: Answer; urls: string[] } {
  const urls: string[] = [];
  let current = answer;
  let options = first;
  for (let i = 0; i < hops; i++) {
    const r = current.result;
    if (!REDIRECT_STATUSES.has(r.status) || r.location === undefined) break;
    let next: string;
    try {
      next = new URL(r.location, options.url).toString();
    } catch {
      break;
    }
    if (next === first.url || urls.includes(next)) break;
    urls.push(next);
    const method = options.method ?? 'GET';
    // The Fetch standard: a 303 turns every method but GET and HEAD into GET; a 301/302 only POST.
    const keepMethod = method === 'HEAD' || r.status === 307 || r.status === 308 || (r.status !== 303 && method !== 'POST');
    options = { ...options, url: next, method: keepMethod ? method : 'GET' };
    current = send(cluster, options, repeats);
  }
  return { answer: current, urls };
}

/**
 * Compares how two clusters route HTTP(S) requests from outside: for every host and path either
 * side's route tables name, and their boundaries (trailing slash, one character or element
 * more, the parent, case, query; wildcard hosts at one, two and no labels; an unknown host;
 * method, header and query conditions), both answer and the answers are compared.
 */
export function compareRouting(before: Cluster, after: Cluster, options: CompareRoutingOptions = {}): RoutingComparison {
  const maxRequests = options.maxRequests ?? 2000;
  const repeats = options.repeats ?? 1;
  if (!Number.isInteger(maxRequests) || maxRequests < 1) throw new Error(`compareRouting: maxRequests must be an integer >= 1, got ${JSON.stringify(options.maxRequests)}`);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000) throw new Error(`compareRouting: repeats must be an integer from 1 to 1000, got ${JSON.stringify(options.repeats)}`);
  const hops = options.followRedirects ?? 0;
  if (!Number.isInteger(hops) || hops < 0 || hops > 20) throw new Error(`compareRouting: followRedirects must be an integer from 0 to 20, got ${JSON.stringify(options.followRedirects)}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error(`compareRouting: seed must be an integer, got ${JSON.stringify(options.seed)}`);
  const { probes, hosts, paths } = generate([...before._dataplane.routeTables(), ...after._dataplane.routeTables()]);
  let chosen = probes;
  if (probes.length > maxRequests) {
    // A seeded partial Fisher-Yates shuffle, then back to generation order so output stays readable.
    const prng = new Prng(seed);
    const idx = probes.map((_p, i) => i);
    for (let i = 0; i < maxRequests; i++) {
      const j = i + prng.below(idx.length - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    chosen = idx.slice(0, maxRequests).sort((a, b) => a - b).map((i) => probes[i]);
  }
  const differences: RoutingDifference[] = [];
  const redirectDifferences: RoutingDifference[] = [];
  for (const p of chosen) {
    const sent: RequestOptions = { url: p.url, ...(p.method ? { method: p.method } : {}), ...(p.headers ? { headers: p.headers } : {}) };
    const b = send(before, sent, repeats);
    const a = send(after, sent, repeats);
    const request: ComparedRequest = { ...sent, probe: p.probe };
    const difference = (x: Answer, y: Answer, fields: string[], chains = {}): RoutingDifference => {
      const hint = hintFor(p, x.result, y.result);
      return { request, before: x.result, after: y.result, fields, ...(hint ? { hint } : {}), ...chains };
    };
    const fields = differingFields(b, a);
    if (hops === 0) {
      if (fields.length) differences.push(difference(b, a, fields));
      continue;
    }
    // Identical first answers may still lead to different ends, so every chain is followed.
    const bEnd = followRedirects(before, sent, b, hops, repeats);
    const aEnd = followRedirects(after, sent, a, hops, repeats);
    const endFields = differingFields(bEnd.answer, aEnd.answer);
    const chains = { beforeRedirects: bEnd.urls, afterRedirects: aEnd.urls };
    if (endFields.length) differences.push(difference(bEnd.answer, aEnd.answer, endFields, chains));
    else if (fields.length) redirectDifferences.push(difference(b, a, fields, chains));
  }
  return {
    equivalent: differences.length === 0,
    requests: chosen.length,
    differences,
    redirectDifferences,
    coverage: { hosts, paths, generated: probes.length, sampled: chosen.length < probes.length },
  };
}
