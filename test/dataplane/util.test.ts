// The address and host helpers scan characters instead of using regular expressions and splits
// (they run on every query); these tests hold them to the definitions they replaced.
import fc from 'fast-check';
import { canonicalHost, isIpLiteral, parseIPv4 } from '../../src/dataplane/util';

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
