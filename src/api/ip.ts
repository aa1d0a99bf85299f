/**
 * IP literals as Go's net package and k8s.io/utils/net (ParseIPSloppy) read them, which is what
 * kube-apiserver 1.27 validates with: IPv4 parts may carry leading zeros, no zones, no brackets,
 * and an IPv4-mapped IPv6 address counts as IPv4.
 */
import { FieldError } from './field-error';
import { FieldPath, invalid } from './field-path';

/**
 * An IP literal as 16 bytes (IPv4 in its IPv4-mapped IPv6 form, as Go's net.IP holds it), or
 * undefined when it does not parse. IPv4 parts may carry leading zeros (ParseIPSloppy).
 */
export function ipBytes(value: string): number[] | undefined {
  const v4 = parseV4(value);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  if (value.includes('%') || !/^[0-9a-fA-F:.]+$/.test(value)) return undefined;
  let tail: number[] = [];
  let text = value;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const embedded = parseV4(text.slice(lastColon + 1));
    if (!embedded) return undefined;
    tail = embedded;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return undefined;
    words = [...head, ...new Array(fill).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  const bytes = words.flatMap((w) => [Math.floor(w / 256), w % 256]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Parses a dotted-quad IPv4 address (four groups of 1–3 ASCII digits, each ≤ 255; leading zeros
 * allowed, as ParseIPSloppy reads them) to an unsigned 32-bit integer. Scanned by character, as
 * the model parses a client address per query.
 */
export function parseIPv4(text: string): number | undefined {
  let n = 0;
  let value = 0;
  let digits = 0;
  let groups = 0;
  for (let i = 0; i <= text.length; i++) {
    // The end of the text closes the last group like a dot.
    const c = i < text.length ? text.charCodeAt(i) : DOT;
    if (c === DOT) {
      if (digits === 0 || value > 255 || ++groups > 4) return undefined;
      n = n * 256 + value;
      value = 0;
      digits = 0;
    } else if (c >= ZERO && c <= NINE && digits < 3) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else {
      return undefined;
    }
  }
  return groups === 4 ? n : undefined;
}

/** An IPv4 address as its four bytes, or undefined (see parseIPv4). */
function parseV4(value: string): number[] | undefined {
  const n = parseIPv4(value);
  return n === undefined ? undefined : [Math.floor(n / 0x1000000), Math.floor(n / 0x10000) % 256, Math.floor(n / 0x100) % 256, n % 256];
}

export function isV4Mapped(b: number[]): boolean {
  return b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** netutils.IsIPv6String: parses and is not representable as IPv4. */
export function isIPv6String(value: string): boolean {
  const b = ipBytes(value);
  return b !== undefined && !isV4Mapped(b);
}

/**
 * ValidateNonSpecialIP (pkg/apis/core/validation): externalIPs and endpoint addresses may not be
 * unspecified, loopback or link-local (Go net.IP predicates).
 */
export function validateNonSpecialIP(ip: string, path: FieldPath): FieldError[] {
  const b = ipBytes(ip);
  if (!b) return [invalid(path, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = isV4Mapped(b) ? b.slice(12) : undefined;
  const unspecified = v4 ? v4.every((x) => x === 0) : b.every((x) => x === 0);
  const loopback = v4 ? v4[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocal = v4 ? v4[0] === 169 && v4[1] === 254 : b[0] === 0xfe && b[1] >= 0x80 && b[1] <= 0xbf;
  const linkLocalMulticast = v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : b[0] === 0xff && b[1] % 16 === 2;
  if (unspecified) errs.push(invalid(path, ip, `may not be unspecified (${ip})`));
  if (loopback) errs.push(invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
