/**
 * The routing engine (internal): answers HTTP(S) requests over a compiled route table and
 * writes each decision to the trace — certificate by SNI, virtual host by Host header, the
 * first rule (in the table's order) whose predicates hold, its filters, then a direct answer or
 * a request proxied to a ready endpoint of the backend's Service. Each virtual host's rules are
 * indexed once (exact paths in a map, path prefixes in a trie, string prefixes by length), so a
 * request costs a few lookups however many rules the table has.
 */
import { describeCertificate, TlsCertificate } from './certificates';
import { corsDecision } from './cors';
import {
  AlternativeChoice, ChoiceStep, CookieStickiness, CorsPolicy, EpochSeconds, HeaderChanges, PathMatch, PathNormalization, PrefixReplacement,
  RandomSource, RedirectTarget, RouteBackend, RouteFilter, RouteRule, RouteTable, UpstreamEndpoint, ValueMatch, VirtualHost,
} from './ir';
import { certificateCoversHost } from '../../api/tls';
import { Trace } from '../trace';
import { BackendBehavior, RequestResult, UpstreamRequest } from '../types';
import { canonicalHost, fnv1a32, joinHostPort } from '../util';

/** An HTTP request as it reaches the front door. */
export interface HttpRequest {
  readonly scheme: string;
  /** The `Host` header as sent, possibly with a port. */
  readonly host: string;
  /** The URI path, starting with `/`. */
  readonly path: string;
  /** The query string including its `?`, or empty. */
  readonly query: string;
  readonly method: string;
  /** The TLS server name the client sent (https only). */
  readonly sni?: string;
  /** Request headers; names compare case-insensitively. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `HTTP/1.1` (default), `HTTP/2` or `WebSocket` (an upgrade request). */
  readonly protocol?: string;
  /** How the backend pod answers (delay, response headers). */
  readonly backend?: BackendBehavior;
}

/** Looks up the ready endpoints of a backend's Service port (the cluster supplies it). */
export type UpstreamEndpoints = (backend: RouteBackend) => readonly UpstreamEndpoint[];

/**
 * The front door's answer: always an HTTP answer, so no `error`, and the source IP a pod sees
 * is the caller's to fill in.
 */
export type RouteResult = Omit<RequestResult, 'error' | 'sourceIp'>;

type Draft = { -readonly [K in keyof RouteResult]?: RouteResult[K] };

/** The rule a request lands on and the virtual host it belongs to (for checks; no state changes). */
export interface LocatedRule {
  readonly rule: RouteRule;
  readonly host: VirtualHost;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Temporarily Unavailable', 504: 'Gateway Timeout',
};

interface TrieNode {
  rules?: number[];
  readonly children: Map<string, TrieNode>;
}

/** One virtual host's rules indexed by path predicate; each bucket lists rule indexes in order. */
class RuleIndex {
  private readonly exact = new Map<string, number[]>();
  private readonly trie: TrieNode = { children: new Map() };
  private readonly prefixes = new Map<string, number[]>();
  /** Distinct string-prefix lengths, longest first. */
  private readonly prefixLengths: number[];
  private readonly regexes: Array<{ readonly index: number; readonly re: RegExp }> = [];

  public constructor(public readonly host: VirtualHost) {
    const lengths = new Set<number>();
    host.rules.forEach((rule, index) => {
      const p = rule.match.path;
      if (p.kind === 'Exact') {
        push(this.exact, p.value, index);
      } else if (p.kind === 'StringPrefix') {
        push(this.prefixes, p.value, index);
        lengths.add(p.value.length);
      } else if (p.kind === 'PathPrefix') {
        let node = this.trie;
        for (const element of elements(p.value)) {
          let next = node.children.get(element);
          if (!next) node.children.set(element, (next = { children: new Map() }));
          node = next;
        }
        (node.rules ??= []).push(index);
      } else {
        const re = compileRegex(p);
        // A pattern nginx would refuse to load matches nothing here (the trace shows no match).
        if (re) this.regexes.push({ index, re });
      }
    });
    this.prefixLengths = [...lengths].sort((a, b) => b - a);
  }

  /** The first rule, in table order, whose predicates all hold for the request. */
  public select(path: string, req: HttpRequest | undefined): RouteRule | undefined {
    // Runs for every request: no closures or arrays are allocated unless a rule kind needs them.
    let best = this.first(this.exact.get(path), Number.MAX_SAFE_INTEGER, req);
    if (this.trie.rules || this.trie.children.size) {
      // Walks the path's elements without splitting it (this runs for every request).
      let node: TrieNode | undefined = this.trie;
      best = this.first(node.rules, best, req);
      const n = path.length;
      let start = 0;
      while (start < n) {
        while (start < n && path.charCodeAt(start) === SLASH) start++;
        if (start >= n) break;
        let end = path.indexOf('/', start);
        if (end < 0) end = n;
        node = node.children.get(path.slice(start, end));
        if (!node) break;
        best = this.first(node.rules, best, req);
        start = end;
      }
    }
    for (const length of this.prefixLengths) {
      if (length <= path.length) best = this.first(this.prefixes.get(path.length === length ? path : path.slice(0, length)), best, req);
    }
    for (const { index, re } of this.regexes) {
      if (index >= best) break;
      if (re.test(path) && (req === undefined || otherPredicatesHold(this.host.rules[index], req))) best = index;
    }
    return best === Number.MAX_SAFE_INTEGER ? undefined : this.host.rules[best];
  }

  /** The lowest rule index of a bucket below `best` whose other predicates hold, else `best`. */
  private first(bucket: readonly number[] | undefined, best: number, req: HttpRequest | undefined): number {
    if (!bucket) return best;
    for (const i of bucket) {
      if (i >= best) return best;
      if (req === undefined || otherPredicatesHold(this.host.rules[i], req)) return i;
    }
    return best;
  }
}

const SLASH = 47;

function push(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

/** The path's elements: `/aaa/bbb/` → `['aaa', 'bbb']` (empty elements are ignored). */
function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

/**
 * PCRE (nginx's regex library) in JavaScript's syntax: named groups `(?P<name>…)` are spelled
 * `(?<name>…)`; possessive quantifiers (`a++`, `a*+`, `a?+`, `a{2,}+`), which JavaScript refuses,
 * become greedy ones — the same matches except where PCRE's refusal to backtrack fails a match.
 * The rest of the syntax Ingress paths use is shared.
 */
export function pcreToJs(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') inClass = true;
    if (ch === '(' && pattern.startsWith('?P<', i + 1)) {
      out += '(?<';
      i += 3;
      continue;
    }
    out += ch;
    const quantifier = ch === '*' || ch === '+' || (ch === '?' && i > 0 && pattern[i - 1] !== '(') || (ch === '}' && /\{\d+(,\d*)?$/.test(out.slice(0, -1)));
    if (quantifier && pattern[i + 1] === '+') i++;
  }
  return out;
}

function compileRegex(p: PathMatch): RegExp | undefined {
  try {
    return new RegExp(`^${pcreToJs(p.value)}`, p.caseInsensitive ? 'i' : '');
  } catch {
    return undefined;
  }
}

function otherPredicatesHold(rule: RouteRule, req: HttpRequest): boolean {
  const m = rule.match;
  if (m.method !== undefined && m.method !== req.method) return false;
  if (m.headers && !m.headers.every((h) => valueMatches(h, headerOf(req, h.name)))) return false;
  if (m.queryParams && !m.queryParams.every((q) => valueMatches(q, queryParam(req.query, q.name)))) return false;
  return true;
}

function valueMatches(m: ValueMatch, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (m.type === 'RegularExpression') {
    try {
      return new RegExp(m.value).test(actual);
    } catch {
      return false;
    }
  }
  return actual === m.value;
}

function headerOf(req: HttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** The first value of a query parameter (exact name). */
function queryParam(query: string, name: string): string | undefined {
  for (const pair of query.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return undefined;
}

/** The value of cookie `name` in the request's Cookie header. */
function cookieOf(req: HttpRequest, name: string): string | undefined {
  const header = headerOf(req, 'cookie');
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq >= 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's ngx_http_cookie_time: `Thu, 18-Nov-10 11:27:35 GMT` (two-digit year before 2038). */
function cookieTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const year = d.getUTCFullYear();
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${year > 2037 ? year : two(year % 100)} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** A Set-Cookie value in lua-resty-cookie's attribute order: Expires, Max-Age, Domain, Path, Secure, HttpOnly, SameSite. */
function setCookie(s: CookieStickiness, value: string, https: boolean, now: number): string {
  let out = `${s.cookieName}=${value}`;
  if (s.expiresAfter !== undefined) out += `; Expires=${cookieTime(now + s.expiresAfter)}`;
  if (s.maxAge !== undefined) out += `; Max-Age=${s.maxAge}`;
  if (s.domain !== undefined) out += `; Domain=${s.domain}`;
  out += `; Path=${s.path}`;
  if (s.secure ?? https) out += '; Secure';
  out += '; HttpOnly';
  if (s.sameSite !== undefined) out += `; SameSite=${s.sameSite}`;
  return out;
}

/** The key of a stickiness cookie that `s` issued (`<key>|<backendKey>`), else undefined. */
function stickyKey(s: CookieStickiness, req: HttpRequest): string | undefined {
  const value = cookieOf(req, s.cookieName);
  if (value === undefined) return undefined;
  const bar = value.indexOf('|');
  return bar < 0 ? value : value.slice(0, bar);
}

/** Whether the request carries a cookie that `s` issued for its own backend. */
function pinnedBy(s: CookieStickiness | undefined, req: HttpRequest): boolean {
  if (!s) return false;
  const value = cookieOf(req, s.cookieName);
  return value !== undefined && value.slice(value.indexOf('|') + 1) === s.backendKey && value.includes('|');
}

/** A step's pattern, compiled once (null: the regex engine refuses it). */
function stepRegex(step: ChoiceStep, regexes: Map<string, RegExp | null>): RegExp | null {
  let re = regexes.get(step.value);
  if (re === undefined) {
    try {
      re = new RegExp(pcreToJs(step.value));
    } catch {
      re = null;
    }
    regexes.set(step.value, re);
  }
  return re;
}

/** The host part of a Host header: without the port (IPv6 literals keep their brackets). */
export function hostWithoutPort(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end < 0 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.indexOf(':');
  return colon < 0 ? hostHeader : hostHeader.slice(0, colon);
}

/** The path a table's rules are matched against, or why the path cannot be normalised. */
export function normalizePath(path: string, n: PathNormalization): { path: string } | { invalid: string } {
  let out = path;
  if (n.decodePercent === 'all' && out.includes('%')) {
    if (/%(?![0-9A-Fa-f]{2})/.test(out)) return { invalid: 'an invalid %-escape' };
    out = Buffer.from(out.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  } else if (n.decodePercent === 'unreserved' && out.includes('%')) {
    out = out.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
      const c = String.fromCharCode(parseInt(hex, 16));
      return /^[A-Za-z0-9\-._~]$/.test(c) ? c : escape;
    });
  }
  if (n.mergeSlashes) out = out.replace(/\/{2,}/g, '/');
  if (n.resolveDotSegments && /(^|\/)\.\.?(\/|$)/.test(out)) {
    const kept: string[] = [];
    const segments = out.split('/').slice(1);
    for (const [i, seg] of segments.entries()) {
      const last = i === segments.length - 1;
      if (seg === '.' || seg === '..') {
        if (seg === '..' && kept.pop() === undefined) return { invalid: 'a ".." above the root' };
        if (last) kept.push('');
        continue;
      }
      kept.push(seg);
    }
    out = `/${kept.join('/')}`;
  }
  return { path: out };
}

/**
 * nginx `rewrite <regex> <replacement> break` on the normalised path: when the regex matches, the
 * whole URI becomes the replacement with `$n` captures filled in; the original arguments follow
 * unless the replacement has its own (then they are appended) or ends with `?`. proxy_pass then
 * sends the new path escaped (ngx_escape_uri NGX_ESCAPE_URI); without a match the request's own
 * path goes upstream.
 */
function regexRewrite(pattern: string, caseInsensitive: boolean, replacement: string, path: string, req: HttpRequest): string {
  let m: RegExpExecArray | null = null;
  try {
    m = new RegExp(pcreToJs(pattern), caseInsensitive ? 'i' : '').exec(path);
  } catch {
    m = null;
  }
  if (!m) return req.path + req.query;
  const groups = m;
  const fill = (template: string) => template.replace(/\$(\d)/g, (_s, d: string) => groups[Number(d)] ?? '');
  const q = replacement.indexOf('?');
  const newPath = escapeUri(fill(q < 0 ? replacement : replacement.slice(0, q)));
  if (q < 0) return newPath + req.query;
  const args = fill(replacement.slice(q + 1));
  if (args === '') return newPath;
  return `${newPath}?${args}${req.query ? `&${req.query.slice(1)}` : ''}`;
}

/** ngx_escape_uri with NGX_ESCAPE_URI: controls, space, `#`, `%`, `?` and bytes from 0x7f up become `%XX`. */
function escapeUri(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const escape = byte <= 0x20 || byte === 0x23 || byte === 0x25 || byte === 0x3f || byte >= 0x7f;
    out += escape ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

/**
 * Replaces a leading path prefix, compared element by element: `/strip-prefix/three` with
 * `/strip-prefix` → `/` gives `/three`, and the bare prefix gives the replacement.
 */
export function replacePathPrefix(path: string, r: PrefixReplacement): string {
  const prefix = r.prefix.length > 1 && r.prefix.endsWith('/') ? r.prefix.slice(0, -1) : r.prefix;
  const rest = prefix === '/' ? path : path.slice(prefix.length);
  const joined = r.replacement.endsWith('/') && rest.startsWith('/') ? r.replacement + rest.slice(1) : r.replacement + rest;
  return joined === '' ? '/' : joined;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

function redirectLocation(t: RedirectTarget, req: HttpRequest, matched: string): string {
  if (t.url !== undefined) return t.url;
  let host = t.host === undefined || t.host === 'header' ? req.host
    : t.host === 'header-name' ? hostWithoutPort(req.host)
      : t.host === 'name' ? canonicalHost(hostWithoutPort(req.host)) : t.host;
  const scheme = t.scheme ?? req.scheme;
  if (t.port !== undefined && DEFAULT_PORTS[scheme] !== t.port) host = `${host}:${t.port}`;
  // A slash redirect names the location, i.e. the normalised path; other redirects keep the path as sent.
  const path = t.path ?? (t.replacePrefix ? replacePathPrefix(req.path, t.replacePrefix) : t.appendSlash ? matched : req.path);
  let uri = path + (t.appendSlash ? '/' : '') + (t.keepQuery ? req.query : '');
  if (t.stripTrailingSlash && uri.endsWith('/')) uri = uri.slice(0, -1);
  return `${scheme}://${host}${uri}`;
}

/** Request headers on their way upstream, by lower-case name (keeping the name as first written). */
type HeaderSet = Map<string, [string, string]>;

function headerSetOf(headers: Readonly<Record<string, string>> | undefined): HeaderSet {
  const set: HeaderSet = new Map();
  for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() !== 'host') set.set(name.toLowerCase(), [name, value]);
  return set;
}

/** The request headers as sent, without Host (which the answer reports as `upstream.host`). */
function headersAsSent(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const name in headers) if (name.toLowerCase() !== 'host') out[name] = headers[name];
  return out;
}

function modifyHeaders(set: HeaderSet, f: HeaderChanges): void {
  for (const [name, value] of f.set) set.set(name.toLowerCase(), [name, value]);
  for (const [name, value] of f.add) {
    const had = set.get(name.toLowerCase());
    set.set(name.toLowerCase(), had ? [had[0], `${had[1]},${value}`] : [name, value]);
  }
  for (const name of f.remove) set.delete(name.toLowerCase());
}

function describeHeaderChange(f: HeaderChanges): string {
  const parts = [
    ...f.set.map(([n, v]) => `set ${n}: ${v}`),
    ...f.add.map(([n, v]) => `add ${n}: ${v}`),
    ...f.remove.map((n) => `remove ${n}`),
  ];
  return `${f.why}: ${parts.join(', ')}`;
}

/** What the filters before the terminal did to the request on its way upstream. */
interface UpstreamDraft {
  path: string;
  host: string;
  headers?: HeaderSet;
  mirrors?: string[];
  /** ResponseHeaderModifier filters met on the way, applied to the backend's answer. */
  responseFilters?: HeaderChanges[];
  /** `Access-Control-*` headers the answer gets (an allowed cross-origin request). */
  corsHeaders?: ReadonlyArray<readonly [string, string]>;
}

/** A backend's ready endpoints and its round-robin turn, shared by every rule naming that Service port. */
interface Upstream {
  readonly ready: readonly UpstreamEndpoint[];
  readonly turns: { next: number };
}

/** A route table with its indexes, answering requests. */
export class RouteEngine {
  private readonly exact = new Map<string, RuleIndex>();
  private readonly wildcard = new Map<string, RuleIndex>();
  private readonly catchAll?: RuleIndex;
  private readonly wildcardLabel: RegExp;
  private readonly upstreams = new Map<RouteBackend, Upstream>();
  /** Round-robin turns by `namespace/service:port`, shared by every backend naming it (ingress-nginx keeps one upstream per Service port). */
  private readonly turns = new Map<string, { next: number }>();

  /** Compiled header patterns of alternative choices (null: a pattern the regex engine refuses, which never matches). */
  private readonly stepRegexes = new Map<string, RegExp | null>();

  public constructor(
    public readonly table: RouteTable,
    private readonly endpoints: UpstreamEndpoints,
    private readonly random?: RandomSource,
    private readonly clock?: EpochSeconds,
  ) {
    for (const [name, host] of table.exact) this.exact.set(name, new RuleIndex(host));
    for (const [parent, host] of table.wildcard) this.wildcard.set(parent, new RuleIndex(host));
    if (table.catchAll) this.catchAll = new RuleIndex(table.catchAll);
    this.wildcardLabel = new RegExp(`^(?:${table.wildcardLabel})$`);
  }

  /** Whether a host name (no port) is one a virtual host names, exactly or by wildcard. */
  public servesHost(name: string): boolean {
    const h = canonicalHost(name);
    return this.exact.has(h) || this.wildcardFor(h) !== undefined;
  }

  /** The rule `host` + `path` lands on, without answering (no TLS, filters or endpoint pick). */
  public locate(host: string, requestPath: string): LocatedRule | undefined {
    const normalized = this.table.pathNormalization ? normalizePath(requestPath, this.table.pathNormalization) : { path: requestPath };
    if (!('path' in normalized)) return undefined;
    for (const index of this.candidates(canonicalHost(host))) {
      const rule = index.select(normalized.path, undefined);
      if (rule) return { rule, host: index.host };
      if (!this.table.fallThrough) return undefined;
    }
    return undefined;
  }

  /** Answers one request; the hops go to `trace` (the caller's, so the request keeps one trace). */
  public route(sent: HttpRequest, trace: Trace): RouteResult {
    let req = sent;
    const c = this.table.component;
    const tls = req.scheme === 'https' ? this.presentCertificate(req.sni, trace) : undefined;
    const normalization = this.table.pathNormalization;
    let path = req.path;
    if (normalization) {
      const normalized = normalizePath(req.path, normalization);
      if ('invalid' in normalized) {
        trace.add(c, 'respond', `${normalization.description}: ${req.path} has ${normalized.invalid}: 400 ${STATUS_TEXT[400]}`);
        return answer({}, 400, tls, trace);
      }
      path = normalized.path;
      if (path !== req.path) {
        trace.add(c, 'path', `${normalization.description}: ${req.path} is ${normalization.inPlace ? 'rewritten to' : 'matched as'} ${path}`);
        if (normalization.inPlace) req = { ...req, path };
      }
    }
    const host = canonicalHost(hostWithoutPort(req.host));
    if (!this.table.fallThrough) {
      // The first host found answers alone: exact name, wildcard, catch-all.
      const exact = this.exact.get(host);
      const wildcard = exact ? undefined : this.wildcardFor(host);
      const index = exact ?? wildcard ?? this.catchAll;
      const how = index === undefined ? `${this.table.noHostText} ${host}` : index === this.catchAll ? `${this.table.noHostText} ${host}: ${index.host.label}` : index.host.label;
      const viaSni = tls && this.table.hostHeaderNote ? ' (routing uses the Host header, not SNI)' : '';
      trace.add(c, 'host', `Host ${host || '(none)'}${viaSni} → ${how}${index?.host.note ?? ''}`);
      if (!index) return answer({}, 404, tls, trace);
      const rule = index.select(path, req);
      if (!rule) {
        trace.add(c, 'respond', `no rule of ${index.host.label} matches ${path}: 404`);
        return answer({}, 404, tls, trace);
      }
      trace.add(c, 'match', `${rule.label} matches ${path}${rule.ownerText}`, rule.object);
      return this.apply(rule, req, path, tls, trace);
    }
    const hosts = this.candidates(host);
    if (hosts.length === 0) trace.add(c, 'host', `${this.table.noHostText} ${host}`);
    for (const index of hosts) {
      const rule = index.select(path, req);
      if (!rule) {
        trace.add(c, 'match', `${index.host.label}: no path matches ${path}`);
        continue;
      }
      trace.add(c, 'match', `${index.host.label}: ${rule.label} matches ${path}${rule.ownerText}`, rule.object);
      return this.apply(rule, req, path, tls, trace);
    }
    const fallback = this.table.fallback;
    if (!fallback) return answer({}, 404, tls, trace);
    trace.add(c, 'match', `no rule matches; ${fallback.label}`, fallback.object);
    return this.apply(fallback, req, path, tls, trace);
  }

  private wildcardFor(host: string): RuleIndex | undefined {
    const dot = host.indexOf('.');
    if (dot <= 0 || !this.wildcardLabel.test(host.slice(0, dot))) return undefined;
    if (!this.table.wildcardAnyDepth) return this.wildcard.get(host.slice(dot + 1));
    // The longest parent first: `*.b.example.com` before `*.example.com`.
    for (let at = dot; at >= 0; at = host.indexOf('.', at + 1)) {
      const found = this.wildcard.get(host.slice(at + 1));
      if (found) return found;
    }
    return undefined;
  }

  /** The virtual hosts to try, most specific first. */
  private candidates(host: string): RuleIndex[] {
    const hosts: RuleIndex[] = [];
    const exact = this.exact.get(host);
    if (exact) hosts.push(exact);
    const wildcard = this.wildcardFor(host);
    if (wildcard) hosts.push(wildcard);
    if (this.catchAll) hosts.push(this.catchAll);
    return hosts;
  }

  private presentCertificate(sniSent: string | undefined, trace: Trace): TlsOutcome {
    const t = this.table.tls;
    const sni = sniSent === undefined ? undefined : canonicalHost(sniSent);
    let choice = sni === undefined ? undefined : t.exact.get(sni);
    if (!choice && sni !== undefined) {
      const dot = sni.indexOf('.');
      if (dot > 0) choice = t.wildcard.get(sni.slice(dot + 1));
    }
    const why = choice ? `SNI ${sni}: ${choice.why}` : sni === undefined ? t.noSniWhy : `${t.unknownSniWhy} ${sni}: ${t.fallback.why}`;
    const cert: TlsCertificate = (choice ?? t.fallback).certificate;
    // The front door picks a certificate by its own rule (ingress-nginx also by CN); the client accepts it only by its DNS SANs.
    const verified = sni !== undefined && cert.x509 !== undefined && certificateCoversHost(cert.x509, sni);
    const isDefault = cert.secret === '@default';
    const what = isDefault ? (t.fallbackDescription ?? describeCertificate(cert)) : `Secret ${cert.secret} (${describeCertificate(cert)})`;
    trace.add(this.table.component, 'tls', `${why}: presents ${what}; ${sni === undefined ? 'no SNI name to verify' : verified ? `it covers ${sni}` : `it does NOT cover ${sni} (clients reject it)`}`,
      isDefault ? undefined : `Secret/${cert.secret}`);
    return { tlsSecret: cert.secret, tlsHostnameVerified: verified };
  }

  /** The matched rule's notes, filters and terminal action; `path` is the request path as the rules matched it. */
  private apply(rule: RouteRule, req: HttpRequest, path: string, tls: TlsOutcome | undefined, trace: Trace): RouteResult {
    const c = this.table.component;
    for (const note of rule.notes) trace.add(c, note.action, note.text, note.object);
    // Headers are copied into a set only when a filter changes them.
    const up: UpstreamDraft = { path: req.path + req.query, host: req.host };
    for (const f of rule.filters) {
      if (f.kind === 'redirect') {
        if ((f.onlyScheme !== undefined && f.onlyScheme !== req.scheme) || (f.onlyPath !== undefined && f.onlyPath !== path)) continue;
        return this.redirect(rule, f, req, path, tls, trace);
      }
      if (f.kind === 'cors') {
        const preflight = this.cors(rule, f.policy, f.why, req, up, tls, trace);
        if (preflight) return preflight;
        continue;
      }
      this.applyFilter(f, req, path, up, trace);
    }
    const t = rule.terminal;
    if (t.kind === 'redirect') return this.redirect(rule, t, req, path, tls, trace);
    if (t.kind === 'respond') {
      trace.add(c, 'respond', `${t.why}: ${t.status}${STATUS_TEXT[t.status] ? ` ${STATUS_TEXT[t.status]}` : ''}`, t.ingress ? `Ingress/${t.ingress}` : undefined);
      const out: Draft = {};
      if (t.ingress !== undefined) out.ingress = t.ingress;
      if (rule.route !== undefined) out.route = rule.route;
      return answer(out, t.status, tls, trace);
    }
    if (t.alternative && this.takesAlternative(t.alternative, t.backends, req, trace)) {
      return this.forward(rule, t.alternative.backend, req, up, tls, trace, true);
    }
    return this.forward(rule, this.pickBackend(t.backends, trace), req, up, tls, trace, false);
  }

  /**
   * Whether a request goes to the alternative backend: a stickiness cookie of either backend
   * pins it; else the first step that holds decides; else a seeded draw of weight out of weightTotal.
   */
  private takesAlternative(a: AlternativeChoice, primaries: readonly RouteBackend[], req: HttpRequest, trace: Trace): boolean {
    const c = this.table.component;
    const primarySticky = primaries[0].sticky;
    if (pinnedBy(primarySticky, req)) {
      trace.add(c, 'alternative', `${a.why}: cookie ${primarySticky!.cookieName} pins the request to the primary backend ${primaries[0].service}`, a.object);
      return false;
    }
    const altSticky = a.backend.sticky;
    if (pinnedBy(altSticky, req)) {
      trace.add(c, 'alternative', `${a.why}: cookie ${altSticky!.cookieName} pins the request to ${a.backend.service}`, a.object);
      return true;
    }
    const primary = `the primary backend ${primaries[0].service}`;
    for (const step of a.steps) {
      const actual = step.source === 'header' ? headerOf(req, step.name) : cookieOf(req, step.name);
      if (actual === undefined) continue;
      if (step.type === 'RegularExpression') {
        const re = stepRegex(step, this.stepRegexes);
        if (re === null && step.invalidPatternTo !== undefined) {
          const to = step.invalidPatternTo === 'alternative';
          trace.add(c, 'alternative', `${a.why}: the pattern "${step.value}" does not compile → ${to ? a.backend.service : primary}`, a.object);
          return to;
        }
        if (re === null || !re.test(actual)) continue;
      } else if (actual !== step.value) {
        continue;
      }
      const to = step.to === 'alternative';
      trace.add(c, 'alternative', `${a.why}: ${step.why} → ${to ? a.backend.service : primary}`, a.object);
      return to;
    }
    const roll = this.random ? this.random.below(a.weightTotal) : a.weightTotal;
    const to = roll < a.weight;
    trace.add(c, 'alternative', `${a.why}: no header or cookie decides; weight ${a.weight} of ${a.weightTotal}, the seeded draw picks ${to ? a.backend.service : primary}`, a.object);
    return to;
  }

  /** A filter that changes the request on its way upstream (redirects are handled by the caller). */
  private applyFilter(f: RouteFilter, req: HttpRequest, path: string, up: UpstreamDraft, trace: Trace): void {
    const c = this.table.component;
    switch (f.kind) {
      case 'regexRewrite':
        // nginx rewrites the normalised URI it matched locations with.
        up.path = regexRewrite(f.pattern, f.caseInsensitive, f.replacement, path, req);
        trace.add(c, 'rewrite', `${f.why} → ${up.path}`);
        return;
      case 'setHost':
        up.host = f.host;
        return;
      case 'pathRewrite': {
        const rewritten = f.fullPath ?? (f.replacePrefix ? replacePathPrefix(req.path, f.replacePrefix) : req.path);
        up.path = rewritten + req.query;
        trace.add(c, 'rewrite', `${f.why} → ${up.path}`);
        return;
      }
      case 'requestHeaders':
        modifyHeaders((up.headers ??= headerSetOf(req.headers)), f);
        trace.add(c, 'headers', describeHeaderChange(f));
        return;
      case 'responseHeaders':
        (up.responseFilters ??= []).push(f);
        return;
      case 'mirror': {
        const share = f.percent === undefined || f.percent >= 100 ? '' : ` (${f.percent}% of requests)`;
        // A draw in millionths: percent may be a fraction such as 25/50.
        if (share && !(this.random && this.random.below(1_000_000) < f.percent! * 10_000)) {
          trace.add(c, 'mirror', `${f.why}${share}: this request is not mirrored`, `Service/${f.backend.service}`);
          return;
        }
        (up.mirrors ??= []).push(f.backend.service);
        trace.add(c, 'mirror', `${f.why}${share}: a copy goes to Service ${f.backend.service}${f.backend.port ? ` port ${f.backend.port.port}` : ''}; its answer is ignored`,
          `Service/${f.backend.service}`);
        return;
      }
      default:
        return;
    }
  }

  /**
   * A CORS filter: a preflight request is answered here (204, with the `Access-Control-*` headers
   * when its origin is allowed); an allowed origin's other requests go on and their answer gets
   * the headers.
   */
  private cors(
    rule: RouteRule, policy: CorsPolicy, why: string, req: HttpRequest, up: UpstreamDraft, tls: TlsOutcome | undefined, trace: Trace,
  ): RouteResult | undefined {
    const decision = corsDecision(policy, req.method, (name) => headerOf(req, name));
    if (decision.kind === 'none') return undefined;
    const verdict = decision.allowed ? 'is allowed' : 'is not allowed, so no Access-Control-* headers';
    if (decision.kind === 'actual') {
      if (decision.allowed) up.corsHeaders = decision.headers;
      trace.add(this.table.component, 'cors', `${why}: origin ${decision.origin} ${verdict}; the request goes on`, rule.object);
      return undefined;
    }
    trace.add(this.table.component, 'cors', `${why}: preflight from origin ${decision.origin}, which ${verdict}: the front door answers 204 ${STATUS_TEXT[204]}`, rule.object);
    const out: Draft = {};
    if (rule.route !== undefined) out.route = rule.route;
    if (this.table.reportsResponses) out.responseHeaders = Object.fromEntries(decision.headers);
    return answer(out, 204, tls, trace);
  }

  /** One backend of a rule: the only one, else a seeded pick in proportion to the weights. */
  private pickBackend(backends: readonly RouteBackend[], trace: Trace): RouteBackend {
    if (backends.length === 1) return backends[0];
    const total = backends.reduce((sum, b) => sum + b.weight, 0);
    let roll = this.random && total > 0 ? this.random.below(total) : 0;
    let chosen = backends[0];
    for (const b of backends) {
      if (b.weight === 0) continue;
      if (roll < b.weight) {
        chosen = b;
        break;
      }
      roll -= b.weight;
    }
    trace.add(this.table.component, 'weight', `${backends.length} backends weighted ${backends.map((b) => `${b.service} ${b.weight}`).join(', ')}: the seeded pick is ${chosen.service}`,
      `Service/${chosen.service}`);
    return chosen;
  }

  private redirect(rule: RouteRule, r: Redirect, req: HttpRequest, path: string, tls: TlsOutcome | undefined, trace: Trace): RouteResult {
    const location = redirectLocation(r.target, req, path);
    trace.add(this.table.component, 'redirect', `${r.why}: ${r.status} to ${location}`);
    const out: Draft = {};
    if (rule.ingress !== undefined) out.ingress = rule.ingress;
    if (rule.route !== undefined) out.route = rule.route;
    out.location = location;
    return answer(out, r.status, tls, trace);
  }

  /**
   * Picks a ready endpoint of the backend's Service port and proxies to it directly (not via the
   * ClusterIP, as ingress controllers do); 503 when there is none. Endpoints take turns.
   */
  private forward(
    rule: RouteRule, backend: RouteBackend, req: HttpRequest, up: UpstreamDraft, tls: TlsOutcome | undefined, trace: Trace, alternative: boolean,
  ): RouteResult {
    const c = this.table.component;
    // Filled in by assignment in a fixed key order: spreads cost V8's slow path, and this runs for every request.
    const out: Draft = {};
    if (rule.ingress !== undefined) out.ingress = rule.ingress;
    if (rule.route !== undefined) out.route = rule.route;
    if (tls) {
      out.tlsSecret = tls.tlsSecret;
      out.tlsHostnameVerified = tls.tlsHostnameVerified;
    }
    out.service = backend.service;
    if (alternative) out.canary = true;
    if (up.mirrors) out.mirroredTo = up.mirrors;
    const port = backend.port;
    if (!port) {
      if (typeof backend.requestedPort === 'number') out.servicePort = backend.requestedPort;
      else if (backend.requestedPort !== undefined) out.servicePortName = backend.requestedPort;
      const status = backend.problemStatus ?? 503;
      trace.add(c, 'respond', `${backend.problem}: ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd(), `Service/${backend.service}`);
      return finish(out, status, trace);
    }
    for (const f of backend.filters ?? []) this.applyFilter(f, req, req.path, up, trace);
    out.servicePort = port.port;
    if (port.name) out.servicePortName = port.name;
    const upstream = this.upstreamOf(backend, port.port);
    const ready = upstream.ready;
    if (ready.length === 0) {
      trace.add(c, 'respond', `Service ${backend.service} port ${port.name ?? port.port} has no ready endpoint: 503 ${STATUS_TEXT[503]}`, `Service/${backend.service}`);
      return finish(out, 503, trace);
    }
    let ep: UpstreamEndpoint;
    if (backend.sticky) {
      ep = this.stickyPick(backend.sticky, ready, req, out, trace, `upstream ${backend.service}:${port.port} has ${ready.length} ready endpoint(s)`);
    } else {
      ep = ready[upstream.turns.next++ % ready.length];
      trace.add(c, 'pick', `upstream ${backend.service}:${port.port} has ${ready.length} ready endpoint(s); round robin picks ${joinHostPort(ep.ip, ep.port)}${ep.pod ? ` (pod ${ep.pod})` : ''}, straight to the pod, not via the ClusterIP`,
        ep.pod ? `Pod/${ep.pod}` : `Service/${backend.service}`);
    }
    const forwarded: { -readonly [K in keyof UpstreamRequest]: UpstreamRequest[K] } = { method: req.method, host: up.host, path: up.path };
    if (up.headers) forwarded.headers = Object.fromEntries([...up.headers.values()]);
    else if (this.table.reportsUpstreamHeaders) forwarded.headers = headersAsSent(req.headers);
    // A WebSocket upgrade is passed on as one; otherwise the backend's protocol (GEP-1911 appProtocol) decides.
    const protocol = req.protocol === 'WebSocket' ? 'WebSocket' : backend.upstreamProtocol ?? 'HTTP/1.1';
    if (this.table.reportsResponses) forwarded.protocol = protocol;
    trace.add(c, 'proxy', `${forwarded.method} ${forwarded.path} Host: ${forwarded.host} → ${joinHostPort(ep.ip, ep.port)}${this.table.reportsResponses ? ` over ${protocol}` : ''}`);
    out.endpoint = joinHostPort(ep.ip, ep.port);
    out.targetPort = ep.port;
    if (ep.pod) out.pod = ep.pod;
    out.upstream = forwarded;
    const timedOut = timeoutHit(rule, req.backend?.delayMs ?? 0);
    if (timedOut) {
      trace.add(c, 'timeout', `${rule.timeouts!.why}: ${timedOut}: 504 ${STATUS_TEXT[504]}`, rule.object);
      out.status = 504;
      out.trace = trace.hops;
      return out as RouteResult;
    }
    // The pod accepts what it is sent: a WebSocket upgrade is answered 101 Switching Protocols.
    out.status = protocol === 'WebSocket' ? 101 : 200;
    if (this.table.reportsResponses) out.responseHeaders = this.responseHeaders(req, up, trace);
    out.trace = trace.hops;
    return out as RouteResult;
  }

  /**
   * The response headers the client receives: the pod's, changed by the ResponseHeaderModifier
   * filters — the backendRef's first, then the rule's, as a proxy unwinds its layers — plus CORS headers.
   */
  private responseHeaders(req: HttpRequest, up: UpstreamDraft, trace: Trace): Record<string, string> {
    // Runs for every request through a Gateway: with nothing known or changed, no header set is built.
    if (!req.backend?.responseHeaders && !up.responseFilters && !up.corsHeaders) return {};
    const set = headerSetOf(req.backend?.responseHeaders);
    const filters = up.responseFilters ?? [];
    for (let i = filters.length - 1; i >= 0; i--) {
      modifyHeaders(set, filters[i]);
      trace.add(this.table.component, 'response-headers', describeHeaderChange(filters[i]));
    }
    for (const [name, value] of up.corsHeaders ?? []) set.set(name.toLowerCase(), [name, value]);
    return Object.fromEntries([...set.values()]);
  }

  /**
   * The endpoint a stickiness cookie names, else a fresh seeded pick — with a Set-Cookie when the
   * policy issues one on this rule.
   */
  private stickyPick(
    s: CookieStickiness, ready: readonly UpstreamEndpoint[], req: HttpRequest, out: Draft, trace: Trace, what: string,
  ): UpstreamEndpoint {
    const c = this.table.component;
    const key = stickyKey(s, req);
    let ep: UpstreamEndpoint | undefined;
    if (key !== undefined) ep = s.mode === 'hash' ? ready[fnv1a32(key) % ready.length] : ready.find((e) => endpointKey(e) === key);
    const name = (e: UpstreamEndpoint) => `${joinHostPort(e.ip, e.port)}${e.pod ? ` (pod ${e.pod})` : ''}`;
    if (ep) {
      trace.add(c, 'pick', `${what}; ${s.why}: cookie ${s.cookieName} sends the request to ${name(ep)} again`, ep.pod ? `Pod/${ep.pod}` : undefined);
      return ep;
    }
    let newKey: string;
    if (s.mode === 'hash') {
      newKey = String(this.random ? this.random.below(1_000_000_000) : 0);
      ep = ready[fnv1a32(newKey) % ready.length];
    } else {
      ep = ready[this.random ? this.random.below(ready.length) : 0];
      newKey = endpointKey(ep);
    }
    const why = key === undefined ? `no ${s.cookieName} cookie` : `cookie ${s.cookieName} names no ready endpoint`;
    const cookie = s.issue ? setCookie(s, `${newKey}|${s.backendKey}`, req.scheme === 'https', this.clock ? this.clock() : 0) : undefined;
    trace.add(c, 'pick', `${what}; ${s.why}: ${why}, the seeded pick is ${name(ep)}; ${cookie ? `Set-Cookie: ${cookie}` : 'this location sets no cookie'}`,
      ep.pod ? `Pod/${ep.pod}` : undefined);
    if (cookie) out.setCookies = [cookie];
    return ep;
  }

  /** A backend's ready endpoints, looked up on its first request (they never change after compile). */
  private upstreamOf(backend: RouteBackend, port: number): Upstream {
    let upstream = this.upstreams.get(backend);
    if (upstream) return upstream;
    const key = `${backend.service}:${port}`;
    let turns = this.turns.get(key);
    if (!turns) this.turns.set(key, (turns = { next: 0 }));
    upstream = { ready: this.endpoints(backend), turns };
    this.upstreams.set(backend, upstream);
    return upstream;
  }
}

/** Which of a rule's timeouts a backend taking `delayMs` to answer runs into, if any. */
function timeoutHit(rule: RouteRule, delayMs: number): string | undefined {
  const t = rule.timeouts;
  if (!t || delayMs <= 0) return undefined;
  if (t.backendRequestMs !== undefined && delayMs > t.backendRequestMs) return `the backend takes ${delayMs}ms, over the backend request timeout of ${t.backendRequestMs}ms`;
  if (t.requestMs !== undefined && delayMs > t.requestMs) return `the backend takes ${delayMs}ms, over the request timeout of ${t.requestMs}ms`;
  return undefined;
}

/** How an `endpoint`-mode stickiness cookie names an endpoint: a stable hash of its address. */
function endpointKey(ep: UpstreamEndpoint): string {
  return fnv1a32(`${ep.ip}:${ep.port}`).toString(16).padStart(8, '0');
}

/** What a redirect filter or terminal says. */
interface Redirect {
  readonly status: number;
  readonly target: RedirectTarget;
  readonly why: string;
}

interface TlsOutcome {
  readonly tlsSecret: string;
  readonly tlsHostnameVerified: boolean;
}

/** An answer without a backend: the status, the TLS outcome, then the trace. */
function answer(out: Draft, status: number, tls: TlsOutcome | undefined, trace: Trace): RouteResult {
  out.status = status;
  if (tls) {
    out.tlsSecret = tls.tlsSecret;
    out.tlsHostnameVerified = tls.tlsHostnameVerified;
  }
  out.trace = trace.hops;
  return out as RouteResult;
}

function finish(out: Draft, status: number, trace: Trace): RouteResult {
  out.status = status;
  out.trace = trace.hops;
  return out as RouteResult;
}
