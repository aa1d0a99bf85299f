import { ipBytes, isV4Mapped } from '../../api/ip';
import { formatIPv6 } from '../util';

/**
 * An IP literal as Go's net.ParseIP reads it and net.IP.String() prints it (what CoreDNS puts in
 * answers): IPv4 dotted without leading zeros (ParseIP refuses them), IPv6 in RFC 5952 form;
 * undefined when it is not an address.
 */
export function ipText(value: string): string | undefined {
  const dotted = value.slice(value.lastIndexOf(':') + 1);
  if (dotted.includes('.') && dotted.split('.').some((octet) => octet.length > 1 && octet.startsWith('0'))) return undefined;
  const bytes = ipBytes(value);
  return bytes ? formatIpBytes(bytes) : undefined;
}

/** Orders address texts by their 16-byte form, for answers that do not depend on manifest order. */
export function compareIpText(a: string, b: string): number {
  const x = ipBytes(a) ?? [];
  const y = ipBytes(b) ?? [];
  for (let i = 0; i < 16; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function formatIpBytes(b: readonly number[]): string {
  if (isV4Mapped([...b])) return b.slice(12).join('.');
  let n = 0n;
  for (const x of b) n = n * 256n + BigInt(x);
  return formatIPv6(n);
}

/**
 * The name CoreDNS gives an endpoint without a hostname (plugin/kubernetes endpointHostname):
 * its IP with `.` or `:` replaced by `-`, and a trailing `-` completed with `0`.
 */
export function dashedIp(ip: string): string {
  if (ip.includes('.')) return ip.replace(/\./g, '-');
  const dashed = ip.replace(/:/g, '-');
  return dashed.endsWith('-') ? `${dashed}0` : dashed;
}

/**
 * The address a pod name stands for (plugin/kubernetes findPods): exactly three dashes and no
 * `--` is IPv4 (`10-244-1-3`), anything else IPv6 with `-` for `:` (`fd00--5`); undefined when
 * the result is not an address.
 */
export function podNameAddress(label: string): string | undefined {
  let dashes = 0;
  for (const c of label) if (c === '-') dashes++;
  const ip = dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':');
  return ipText(ip);
}

/**
 * The address of a reverse name (`d.c.b.a.in-addr.arpa`, or 32 nibbles under `ip6.arpa`), as
 * CoreDNS's dnsutil.ExtractAddressFromReverse reads it; undefined for anything else.
 */
export function reverseNameAddress(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const labels = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (labels.length !== 4) return undefined;
    return ipText(labels.reverse().join('.'));
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || nibbles.some((n) => !/^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.reverse().join('');
    return ipText(hex.match(/.{4}/g)!.join(':'));
  }
  return undefined;
}

/** Whether `name` is `zone` or below it. */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
