/**
 * Test code for the differential tier: renders the route table the nginx profile compiled (its
 * virtual hosts and rules) into the nginx.conf ingress-nginx's nginx.tmpl would produce for it —
 * server_name (wildcards as buildServerName's regex), listen with `ssl` and a certificate,
 * `location = "…"`, `location "…"`, `location ~* "^…"`, rewrite/return for annotations, and
 * proxy_pass to loopback echo servers — so a real nginx can answer the same requests.
 *
 * The rules the model adds for nginx's own behaviour (the 301 to a `/`-terminated location) are
 * not rendered: nginx must produce them by itself. Lua parts of ingress-nginx (ssl-redirect,
 * canary, the balancer) have no rendering: a rule needing one makes `renderNginxConf` throw.
 */
import { RedirectTarget, RouteRule, RouteTable, VirtualHost } from '../../src/dataplane/routing/ir';

/** Where each upstream of the rendered config goes (loopback echo servers). */
export interface UpstreamPorts {
  /** The echo server standing for a backend `namespace/service:port`. */
  readonly backend: (key: string) => number;
  /** The controller's default backend (answers 404). */
  readonly defaultBackend: number;
  /** Stands for the Lua balancer's answer to an upstream without endpoints (answers 503, naming the Service). */
  readonly unavailable: number;
}

export interface RenderOptions {
  /** One block of servers per scenario: its own ports on 127.0.0.1. */
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly upstreams: UpstreamPorts;
  /** The certificate and key files for a certificate (`namespace/name` of its Secret, or `@default`). */
  readonly certificateFiles: (secret: string) => { crt: string; key: string };
}

/** The key an echo server is registered under: `namespace/service:port`. */
export const backendKey = (service: string, port: number) => `${service}:${port}`;

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The `slash redirect` rules: nginx's own auto_redirect, which the real nginx must reproduce. */
function isNginxSlashRedirect(rule: RouteRule): boolean {
  return rule.terminal.kind === 'redirect' && rule.terminal.target.appendSlash === true;
}

/** An app-root rule: the server-level `if ($uri = /)` of nginx.tmpl. */
function isServerLevelRedirect(rule: RouteRule): boolean {
  return rule.terminal.kind === 'redirect' && rule.label.startsWith('if ($uri = /)');
}

function redirectUrl(t: RedirectTarget): string {
  if (t.url !== undefined) return t.url;
  const host = t.host === undefined || t.host === 'header' ? '$http_host' : t.host === 'name' ? '$host' : t.host;
  if (t.host === 'header-name') throw new Error('a redirect to the Host header without its port is the Lua ssl-redirect: not in this tier');
  const path = `${t.path ?? '$uri'}${t.appendSlash ? '/' : ''}`;
  return `${t.scheme ?? '$scheme'}://${host}${path}${t.keepQuery ? '$is_args$args' : ''}`;
}

function locationLine(rule: RouteRule): string {
  const p = rule.match.path;
  if (rule.match.method || rule.match.headers || rule.match.queryParams) throw new Error(`rule ${rule.label}: method/header/query predicates are no nginx location`);
  switch (p.kind) {
    case 'Exact': return `location = ${quote(p.value)}`;
    case 'StringPrefix': return `location ${quote(p.value)}`;
    case 'RegexPrefix': return `location ${p.caseInsensitive ? '~*' : '~'} ${quote(`^${p.value}`)}`;
    default: throw new Error(`rule ${rule.label}: a ${p.kind} path is no nginx location`);
  }
}

function locationBody(rule: RouteRule, opts: RenderOptions): string[] {
  const out: string[] = [];
  // nginx.tmpl: Host is $best_http_host (the request's Host), or the upstream-vhost annotation's value.
  let upstreamHost = '$http_host';
  for (const f of rule.filters) {
    if (f.kind === 'redirect') {
      if (f.onlyScheme !== undefined) throw new Error(`rule ${rule.label}: ${f.why} is ingress-nginx Lua (redirect_to_https): not in this tier`);
      if (f.onlyPath !== undefined) throw new Error(`rule ${rule.label}: a path-limited redirect filter has no location rendering`);
      out.push(`return ${f.status} ${redirectUrl(f.target)};`);
    } else if (f.kind === 'regexRewrite') {
      out.push(`rewrite ${quote(`${f.caseInsensitive ? '(?i)' : ''}${f.pattern}`)} ${f.replacement} break;`);
    } else {
      upstreamHost = quote(f.host);
    }
  }
  out.push(`proxy_set_header Host ${upstreamHost};`);
  const t = rule.terminal;
  if (t.kind === 'redirect') {
    out.push(`return ${t.status} ${redirectUrl(t.target)};`);
  } else if (t.kind === 'respond') {
    // The controller's default backend is an upstream like any other (proxy_pass keeps nginx's auto_redirect).
    if (t.status !== 404) throw new Error(`rule ${rule.label}: a ${t.status} answer has no rendering`);
    out.push(`proxy_pass http://127.0.0.1:${opts.upstreams.defaultBackend};`);
  } else {
    if (t.backends.length !== 1) throw new Error(`rule ${rule.label}: weighted backends are the Lua balancer's (canary): not in this tier`);
    const b = t.backends[0];
    if (b.port) {
      out.push(`proxy_pass http://127.0.0.1:${opts.upstreams.backend(backendKey(b.service, b.port.port))};`);
    } else {
      out.push(`proxy_set_header X-Unavailable-Service ${quote(b.service)};`, `proxy_pass http://127.0.0.1:${opts.upstreams.unavailable};`);
    }
  }
  return out;
}

/** The certificate the model presents for a name (the TlsTable lookup certificate.lua does for SNI). */
function certificateFor(table: RouteTable, host: VirtualHost | undefined): string {
  const t = table.tls;
  if (!host || host.name === '_') return t.fallback.certificate.secret;
  if (host.name.startsWith('*.')) return (t.wildcard.get(host.name.slice(2)) ?? t.fallback).certificate.secret;
  const dot = host.name.indexOf('.');
  const choice = t.exact.get(host.name) ?? (dot > 0 ? t.wildcard.get(host.name.slice(dot + 1)) : undefined) ?? t.fallback;
  return choice.certificate.secret;
}

function serverName(name: string): string {
  if (name === '_') return '_';
  if (!name.startsWith('*.')) return name;
  // template.go buildServerName: one label of word characters or `-`.
  return quote(`~^(?<subdomain>[\\w-]+)\\.${name.slice(2).split('.').join('\\.')}$`);
}

function serverBlock(table: RouteTable, host: VirtualHost, opts: RenderOptions, isDefault: boolean): string {
  const files = opts.certificateFiles(certificateFor(table, host));
  const lines = [
    'server {',
    `  server_name ${serverName(host.name)};`,
    `  listen 127.0.0.1:${opts.httpPort}${isDefault ? ' default_server' : ''};`,
    `  listen 127.0.0.1:${opts.httpsPort} ssl${isDefault ? ' default_server' : ''};`,
    `  ssl_certificate ${files.crt};`,
    `  ssl_certificate_key ${files.key};`,
  ];
  for (const rule of host.rules) {
    if (isNginxSlashRedirect(rule)) continue;
    if (isServerLevelRedirect(rule)) {
      if (rule.terminal.kind !== 'redirect') continue;
      lines.push(`  if ($uri = /) { return ${rule.terminal.status} ${redirectUrl(rule.terminal.target)}; }`);
      continue;
    }
    lines.push(`  ${locationLine(rule)} {`, ...locationBody(rule, opts).map((l) => `    ${l}`), '  }');
  }
  lines.push('}');
  return lines.join('\n');
}

/** The `server` blocks of one compiled table. */
export function renderServers(table: RouteTable, opts: RenderOptions): string {
  const blocks: string[] = [];
  const catchAll = table.catchAll;
  if (!catchAll) throw new Error('the nginx profile always has the catch-all server _');
  blocks.push(serverBlock(table, catchAll, opts, true));
  for (const host of table.exact.values()) blocks.push(serverBlock(table, host, opts, false));
  for (const host of table.wildcard.values()) blocks.push(serverBlock(table, host, opts, false));
  return blocks.join('\n');
}

/** A whole nginx.conf (single process, everything under `prefix`) around the given server blocks. */
export function renderNginxConf(prefix: string, servers: readonly string[]): string {
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${prefix}/client_body;`,
    `  proxy_temp_path ${prefix}/proxy;`,
    `  fastcgi_temp_path ${prefix}/fastcgi;`,
    `  uwsgi_temp_path ${prefix}/uwsgi;`,
    `  scgi_temp_path ${prefix}/scgi;`,
    '  server_names_hash_bucket_size 128;',
    // As nginx.tmpl's http block (relative-redirects off: absolute Location headers).
    '  server_name_in_redirect off;',
    '  port_in_redirect off;',
    '  proxy_http_version 1.1;',
    ...servers.map((s) => s.split('\n').map((l) => `  ${l}`).join('\n')),
    '}',
    '',
  ].join('\n');
}
