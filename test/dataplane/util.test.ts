// The address and host helpers scan characters instead of using regular expressions and splits
// (they run on every query); these tests hold them to the definitions they replaced.
import fc from 'fast-check';
import {
  canonicalHost, canonicalIp, cidrAddress, cidrAddressFromEnd, cidrHolds, cidrHoldsUsable, cidrsOverlap, firstOfFamily, formatCidr, formatIPv6,
  isIpLiteral, parseCidr, parseHttpUrl, parseIPv4, parseIPv6,
} from '../../src/dataplane/util';

/** The strict dotted quad by its definition: four groups of 1–3 digits, each at most 255. */
function parseIPv4ByDefinition(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const isIpLiteralByDefinition = (text: string) => (/^[0-9.]+$/.test(text) ? text.split('.').length === 4 : text.includes(':'));

/** Strings made mostly of the characters that matter here, so the edge cases come up often. */
const addressLike = fc.array(fc.constantFrom('0', '1', '2', '5', '9', '.', ':', 'a', 'F', ' ', '00', '255', '256', '1000'), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('parseIPv4', () => {
  test.each([
    ['0.0.0.0', 0],
    ['10.96.0.10', 0x0a60000a],
    ['255.255.255.255', 0xffffffff],
    ['010.1.1.1', 0x0a010101],
  ])('%s parses to its 32-bit value', (text, value) => {
    expect(parseIPv4(text)).toBe(value);
  });

  test.each(['', '1.2.3', '1.2.3.4.', '.1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.0001', '1..2.3', '1.2.3.a', ' 1.2.3.4', '::1'])('%j is not a dotted quad', (text) => {
    expect(parseIPv4(text)).toBeUndefined();
  });

  test('agrees with the split-and-match definition on generated strings', () => {
    fc.assert(fc.property(addressLike, (text) => {
      expect(parseIPv4(text)).toBe(parseIPv4ByDefinition(text));
    }), { numRuns: 2000 });
  });
});

describe('isIpLiteral', () => {
  test.each([['10.0.0.1', true], ['fd00::1', true], ['1.2.3', false], ['shop.example', false], ['', false], ['1.2.3.4.example', false]])('%j → %s', (text, expected) => {
    expect(isIpLiteral(text)).toBe(expected);
  });

  test('agrees with its definition on generated strings', () => {
    fc.assert(fc.property(addressLike, (text) => {
      expect(isIpLiteral(text)).toBe(isIpLiteralByDefinition(text));
    }), { numRuns: 2000 });
  });
});

describe('canonicalHost', () => {
  test.each([['Shop.Example.', 'shop.example'], ['shop.example', 'shop.example'], ['a..', 'a.'], ['.', ''], ['', '']])('%j → %j', (name, expected) => {
    expect(canonicalHost(name)).toBe(expected);
  });
});

describe('parseHttpUrl', () => {
  const viaUrl = (text: string) => {
    const u = new URL(text);
    return { href: u.href, protocol: u.protocol, host: u.host, hostname: u.hostname, port: u.port, pathname: u.pathname, search: u.search };
  };

  test.each([
    'http://shop.example/api/v1?x=1&y=%20',
    'https://r1.ing-7.bench.example:8443/items/1',
    'http://a/',
    'http://a?q=1',
    'http://svc.ns.svc.cluster.local:80/',
    'https://svc:443/x',
    'HTTP://Shop.Example/A/../b/./c',
    'http://10.96.0.10:8080/x',
    'http://0x7f.1/',
    'http://[fd00::1]:8080/',
    'http://xn--nxasmq6b.example/',
    'http://a.b/%2e%2E/c',
    'http://a.b/c?',
    'http://a.b/c#frag',
    'http://user@a.b/c',
    'http://a.b:099/',
  ])('%s reads as new URL reads it', (text) => {
    expect(parseHttpUrl(text)).toEqual(viaUrl(text));
  });

  test.each(['not a url', '', 'http://a.b:65536/', 'http://exa mple/'])('%j throws as new URL does', (text) => {
    expect(() => new URL(text)).toThrow();
    expect(() => parseHttpUrl(text)).toThrow();
  });

  test('agrees with new URL on generated URLs', () => {
    const piece = (chars: string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));
    const label = piece(['a', 'z', 'Q', '0', '7', '-', 'xn--', '_'], 6);
    const url = fc.tuple(
      fc.constantFrom('http', 'https', 'HTTP', 'ftp'),
      fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
      fc.constantFrom('', '.'),
      fc.constantFrom('', ':', ':80', ':443', ':8080', ':0080', ':65535', ':65536', ':1'),
      piece(['/', 'a', 'B', '.', '..', '%2e', '%', '~', '_', '-', ' ', '\\', '9'], 8),
      fc.constantFrom('', '?', '?a=1', '?x=%41&y', "?q='", '?a b', '?/:@', '#f', '?a#f'),
    ).map(([scheme, host, dot, port, path, query]) => `${scheme}://${host}${dot}${port}${path}${query}`);
    // Mostly URLs the fast path takes, with the near misses (dot segments, default ports, xn--).
    const plainish = fc.tuple(
      fc.constantFrom('http', 'https'),
      fc.array(piece(['a', 'k', '0', '9', '-', 'xn--'], 5).map((l) => `${l}x`), { minLength: 1, maxLength: 3 }).map((l) => l.join('.')),
      fc.constantFrom('', ':80', ':443', ':8080', ':65535', ':99999'),
      fc.array(fc.constantFrom('a', 'Zz', '9', '.', '..', '.a', '~', '_-', ''), { maxLength: 4 }).map((segs) => segs.map((x) => `/${x}`).join('')),
      fc.constantFrom('', '?a=1', '?x=%41&y=/b:c;d@e!f$(g)*h+i,j', '?q=%zz'),
    ).map(([scheme, host, port, path, query]) => `${scheme}://${host}${port}${path}${query}`);
    fc.assert(fc.property(fc.oneof(url, plainish), (text) => {
      let expected: ReturnType<typeof viaUrl> | 'throws';
      try {
        expected = viaUrl(text);
      } catch {
        expected = 'throws';
      }
      if (expected === 'throws') expect(() => parseHttpUrl(text)).toThrow();
      else expect(parseHttpUrl(text)).toEqual(expected);
    }), { numRuns: 5000 });
  });
});

describe('IPv6 addresses and CIDRs', () => {
  test.each([
    // RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as ::.
    ['FD00:0010:0096:0000:0000:0000:0000:000A', 'fd00:10:96::a'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:1:0:0', '2001:db8::1:0:0'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fd00::', 'fd00::'],
  ])('%s is written %s', (text, written) => {
    expect(formatIPv6(parseIPv6(text)!)).toBe(written);
    expect(canonicalIp(text)).toBe(written);
  });

  test.each(['10.0.0.1', '::ffff:10.0.0.1', 'fd00::1::2', 'fd00:::1', 'fd00::g', ''])('%j is not an IPv6 address (an IPv4-mapped one counts as IPv4)', (text) => {
    expect(parseIPv6(text)).toBeUndefined();
  });

  test('CIDRs of both families: host bits cleared, membership per family, first and last addresses', () => {
    const v6 = parseCidr('fd00:10:96::1/112')!;
    expect(formatCidr(v6)).toBe('fd00:10:96::/112');
    expect(cidrAddress(v6, 10)).toBe('fd00:10:96::a');
    expect(cidrAddressFromEnd(v6, 1)).toBe('fd00:10:96::ffff');
    expect(cidrHolds(v6, 'fd00:10:96::ffff')).toBe(true);
    expect(cidrHolds(v6, 'fd00:10:96::1:0')).toBe(false);
    expect(cidrHolds(v6, '10.96.0.1')).toBe(false);
    const v4 = parseCidr('10.96.0.0/12')!;
    expect(cidrAddressFromEnd(v4, 1)).toBe('10.111.255.255');
    expect(cidrHolds(v4, 'fd00:10:96::1')).toBe(false);
    expect(cidrsOverlap(v4, v6)).toBe(false);
    expect(cidrsOverlap(v6, parseCidr('fd00:10::/32')!)).toBe(true);
    expect(cidrsOverlap(v6, parseCidr('fd00:10:97::/112')!)).toBe(false);
    expect(parseCidr('fd00::/129')).toBeUndefined();
  });

  test('usable addresses exclude a range\'s first (network) and last (broadcast) address, in both families', () => {
    const v4 = parseCidr('10.96.0.0/28')!;
    expect(['10.96.0.0', '10.96.0.1', '10.96.0.14', '10.96.0.15', '10.96.0.16'].map((ip) => cidrHoldsUsable(v4, ip))).toEqual([false, true, true, false, false]);
    const v6 = parseCidr('fd00:10:96::/124')!;
    expect(['fd00:10:96::', 'fd00:10:96::1', 'fd00:10:96::e', 'fd00:10:96::f', 'fd00:10:96::10', '10.96.0.1'].map((ip) => cidrHoldsUsable(v6, ip)))
      .toEqual([false, true, true, false, false, false]);
  });

  test('firstOfFamily picks the first address or range of the family of the given address', () => {
    const dual = ['10.244.0.0/24', 'fd00:10:244::/64'];
    expect(firstOfFamily(dual, 'fd00:10:244::5')).toBe('fd00:10:244::/64');
    expect(firstOfFamily(dual, '10.244.0.5')).toBe('10.244.0.0/24');
    expect(firstOfFamily(['10.244.0.5'], '::1')).toBeUndefined();
  });
});
