/** Small deterministic helpers shared by the model's components (internal). */
/* eslint-disable no-bitwise -- hashing, a PRNG and IPv4 arithmetic are bit manipulation by nature */
import { ipBytes, isV4Mapped, parseIPv4 } from '../api/ip';

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
  readonly family: 'IPv4';
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
}

/**
 * An IPv6 CIDR as base address and size. IPv6 arithmetic uses bigint, which is slower than the
 * numbers IPv4 uses, so IPv4 keeps its own type and the fast path stays as it is.
 */
export interface Cidr6 {
  readonly family: 'IPv6';
  readonly base: bigint;
  readonly prefix: number;
  readonly size: bigint;
}

/** A CIDR of either family. */
export type Cidr = Cidr4 | Cidr6;

export function parseCidr4(text: string): Cidr4 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIPv4(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (addr === undefined || !/^[0-9]{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { family: 'IPv4', base: addr - (addr % size), prefix, size };
}

export function formatCidr4(cidr: Cidr4): string {
  return `${formatIPv4(cidr.base)}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr4, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** An IPv6 address (not IPv4-mapped, which counts as IPv4) as a 128-bit bigint, else undefined. */
export function parseIPv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  const bytes = ipBytes(text);
  if (!bytes || isV4Mapped(bytes)) return undefined;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** An IPv6 address in RFC 5952 form (lower case, the first longest run of two or more zero groups as `::`), as Go's net.IP.String() prints it. */
export function formatIPv6(n: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((n >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function parseCidr6(text: string): Cidr6 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIPv6(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (addr === undefined || !/^[0-9]{1,3}$/.test(bits) || Number(bits) > 128) return undefined;
  const prefix = Number(bits);
  const size = 1n << BigInt(128 - prefix);
  return { family: 'IPv6', base: addr - (addr % size), prefix, size };
}

/** A CIDR of either family, else undefined. */
export function parseCidr(text: string): Cidr | undefined {
  return text.includes(':') ? parseCidr6(text) : parseCidr4(text);
}

export function formatCidr(cidr: Cidr): string {
  return cidr.family === 'IPv4' ? formatCidr4(cidr) : `${formatIPv6(cidr.base)}/${cidr.prefix}`;
}

/** Whether the address text `ip` is in `cidr` (an address of the other family never is). */
export function cidrHolds(cidr: Cidr, ip: string): boolean {
  if (cidr.family === 'IPv4') {
    const n = parseIPv4(ip);
    return n !== undefined && cidrContains(cidr, n);
  }
  const n = parseIPv6(ip);
  return n !== undefined && n >= cidr.base && n < cidr.base + cidr.size;
}

/**
 * Whether the address text `ip` is a usable address of `cidr`: inside it, and neither its first
 * (network) nor its last (broadcast) address, which allocators never hand out.
 */
export function cidrHoldsUsable(cidr: Cidr, ip: string): boolean {
  if (cidr.family === 'IPv4') {
    const n = parseIPv4(ip);
    return n !== undefined && n > cidr.base && n < cidr.base + cidr.size - 1;
  }
  const n = parseIPv6(ip);
  return n !== undefined && n > cidr.base && n < cidr.base + cidr.size - 1n;
}

/** The address `offset` addresses into `cidr`, as text. */
export function cidrAddress(cidr: Cidr, offset: number): string {
  return cidr.family === 'IPv4' ? formatIPv4(cidr.base + offset) : formatIPv6(cidr.base + BigInt(offset));
}

/** The address `offset` addresses before the end of `cidr` (1: its last address), as text. */
export function cidrAddressFromEnd(cidr: Cidr, offset: number): string {
  return cidr.family === 'IPv4' ? formatIPv4(cidr.base + cidr.size - offset) : formatIPv6(cidr.base + cidr.size - BigInt(offset));
}

/** The number of addresses in `cidr`, capped at 2^53 (the model never hands out more). */
export function cidrSize(cidr: Cidr): number {
  return cidr.family === 'IPv4' ? cidr.size : Number(cidr.size > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : cidr.size);
}

/** Whether two CIDRs share an address (never across families). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family === 'IPv4' && b.family === 'IPv4') return a.base < b.base + b.size && b.base < a.base + a.size;
  if (a.family === 'IPv6' && b.family === 'IPv6') return a.base < b.base + b.size && b.base < a.base + a.size;
  return false;
}

/**
 * An address as the model keys it: IPv4 as given (the fast path: no parsing), IPv6 in RFC 5952
 * form, so `fd00:0:0::a` and `fd00::a` are one address. Text that is not an IPv6 address is returned as is.
 */
export function canonicalIp(text: string): string {
  if (!text.includes(':')) return text;
  const n = parseIPv6(text);
  return n === undefined ? text : formatIPv6(n);
}

/**
 * The first of `texts` (addresses or CIDRs, primary first) of the family of the address `like`,
 * else undefined: which of a dual-stack pod's, node's or client's addresses a connection uses.
 */
export function firstOfFamily(texts: readonly string[], like: string): string | undefined {
  const v6 = like.includes(':');
  for (const text of texts) if (text.includes(':') === v6) return text;
  return undefined;
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
