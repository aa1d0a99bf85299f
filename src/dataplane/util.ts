/** Small deterministic helpers shared by the model's components (internal). */
/* eslint-disable no-bitwise -- hashing, a PRNG and IPv4 arithmetic are bit manipulation by nature */
import { parseIPv4 } from '../api/ip';

/** 32-bit FNV-1a over a string's UTF-16 code units: cheap, stable hashing for placement. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on
 * every platform, so traces are reproducible.
 */
export class Prng {
  private state: number;

  public constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  public next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  public below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

// One IPv4 parser, with the API's IP rules; the model's address arithmetic below builds on it.
export { parseIPv4 };

export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** An IPv4 CIDR as base address and size. */
export interface Cidr4 {
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
}

export function parseCidr4(text: string): Cidr4 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIPv4(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (addr === undefined || !/^[0-9]{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), prefix, size };
}

export function formatCidr4(cidr: Cidr4): string {
  return `${formatIPv4(cidr.base)}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr4, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** Splits `ip:port` or `[v6]:port`. */
export function splitHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:([0-9]{1,5})$/.exec(text) ?? /^([^:]+):([0-9]{1,5})$/.exec(text);
  if (!m) return undefined;
  return { host: m[1], port: Number(m[2]) };
}

export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A DNS name as compared: lower case, without the trailing dot of a fully qualified name. */
export function canonicalHost(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether a host is an IP address (IPv4 dotted quad, or anything with a colon: IPv6) rather than a name. */
export function isIpLiteral(text: string): boolean {
  // Only digits and dots: an IPv4 address when there are four groups (three dots).
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) dots++;
    else if (c < ZERO || c > NINE) return text.includes(':');
  }
  return text.length > 0 && dots === 3;
}

/** RFC 4648 base32 (Go's base32.StdEncoding), without padding. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** k8s.io/apimachinery/pkg/util/rand SafeEncodeString alphabet: no vowels, no confusable digits. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A stable stand-in for the API server's random `generateName` suffix (5 characters of the safe
 * alphabet), derived from `seed` so the same input gives the same name.
 */
export function safeSuffix(seed: string, length = 5): string {
  let h = fnv1a32(seed);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[h % SAFE_ALPHABET.length];
    h = Math.floor(h / SAFE_ALPHABET.length) || fnv1a32(`${seed}|${i}`);
  }
  return out;
}

/** The parts of an http(s) URL a request reads, as WHATWG `URL` gives them. */
export interface HttpUrl {
  readonly href: string;
  readonly protocol: string;
  /** The host with its port, if any (`URL.host`). */
  readonly host: string;
  readonly hostname: string;
  /** The port when not the scheme's default, else empty (`URL.port`). */
  readonly port: string;
  readonly pathname: string;
  /** The query including its `?`, or empty. */
  readonly search: string;
}

/**
 * URLs that WHATWG parsing leaves as written: lower-case http(s), a host of lower-case labels
 * whose last label starts with a letter (so not an IPv4 number) and no punycode, a port without
 * leading zero, a path of unreserved characters without dot segments or percent signs (`%2e`
 * counts as a dot), a non-empty query of characters no percent-encode set covers, no fragment.
 */
const PLAIN_HTTP_URL = /^(https?):\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::([1-9][0-9]{0,4}))?(\/[A-Za-z0-9_~./-]*)?(\?[A-Za-z0-9_~./=&%+,:;@!$()*-]+)?$/;

/**
 * Parses a URL like `new URL(text)` does. Plain http(s) URLs, which parsing would not change,
 * are split without building a URL object (requests parse one each); anything else goes to
 * `URL`, which throws for an invalid one.
 */
export function parseHttpUrl(text: string | undefined): HttpUrl {
  const m = typeof text === 'string' ? PLAIN_HTTP_URL.exec(text) : null;
  if (m) {
    const [, scheme, hostname, port, path, query] = m;
    const plain = !hostname.includes('xn--') && (path === undefined || !path.includes('/.'))
      && (port === undefined || (Number(port) <= 65535 && port !== (scheme === 'https' ? '443' : '80')));
    if (plain) {
      const host = port === undefined ? hostname : `${hostname}:${port}`;
      const pathname = path ?? '/';
      const search = query ?? '';
      const href = `${scheme}://${host}${pathname}${search}`;
      return { href, protocol: `${scheme}:`, host, hostname, port: port ?? '', pathname, search };
    }
  }
  const url = new URL(text as string);
  const { href, protocol, host, hostname, port, pathname, search } = url;
  return { href, protocol, host, hostname, port, pathname, search };
}
