// Good and bad values restated from kubernetes/kubernetes
// staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go (and, for IPs and CIDRs,
// the k8s.io/utils/net sloppy parsers that kube-apiserver 1.27 uses).
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  isWildcardDns1123Subdomain,
} from '../../src';
import { ipFamilyOf } from '../../src/api/names';

const a = (n: number) => 'a'.repeat(n);
const b = (n: number) => 'b'.repeat(n);

type Rule<T> = (v: T) => string[];
function table<T>(name: string, rule: Rule<T>, good: T[], bad: T[]) {
  describe(name, () => {
    test.each(good.map((v) => [v]))('accepts %p', (v) => expect(rule(v)).toEqual([]));
    test.each(bad.map((v) => [v]))('rejects %p', (v) => expect(rule(v).length).toBeGreaterThan(0));
  });
}

table('IsDNS1123Label', isDns1123Label,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', a(63)],
  ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', a(64)]);

table('IsDNS1123Subdomain', isDns1123Subdomain,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2',
    'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1',
    '0.a', '01.a', '012.a', '1a.a', '1-a.a', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1',
    'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', a(253)],
  ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A',
    'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', a(254)]);

table('IsDNS1035Label', isDns1035Label,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', a(63)],
  ['0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', a(64)]);

table('IsWildcardDNS1123Subdomain', isWildcardDns1123Subdomain,
  ['*.example.com', '*.bar.com', '*.foo.bar.com'],
  ['*.*.bar.com', '*.foo.*.com', '*bar.com', 'f*.bar.com', '*', 'example.com']);

table('IsValidPortName (IANA service name)', isValidPortName,
  ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
  ['longerthan15characters', '', a(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++', 'HTTP']);

table('IsQualifiedName', isQualifiedName,
  ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
    '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
    a(63), `${a(253)}/${b(63)}`],
  ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
    'example_com/abc', 'example.com/', '/simple', a(64), `${a(254)}/abc`]);

table('IsValidLabelValue', isValidLabelValue,
  ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', a(63), ''],
  ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash',
    'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', a(64)]);

table('IsValidPortNum', isValidPortNum, [1, 2, 1000, 16384, 32768, 65535], [0, -1, 65536, 100000, 80.5]);

table('IsValidIP (ParseIPSloppy)', isValidIP,
  ['1.2.3.4', '0.0.0.0', '255.255.255.255', '010.001.002.003', '::', '::1', '2001:db8::ffff', '::ffff:1.2.3.4',
    'fd00:10:96::a'],
  ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', 'a.b.c.d', '1.2.3.4/32', ' 1.2.3.4', '2001:db8::1%eth0', '[::1]',
    '2001:db8:::1', '::ffff:1.2.3.999', 'example.com']);

table('IsValidCIDR (ParseCIDRSloppy)', isValidCIDR,
  ['10.0.0.0/8', '10.96.0.0/12', '1.2.3.4/32', '0.0.0.0/0', '2001:db8::/64', '::/0', 'fd00::/128'],
  ['', '10.0.0.0', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/-1', '10.0.0.0/a', '/24', '300.0.0.0/8']);

test('error messages are the API server\'s', () => {
  expect(isDns1035Label('1abc')[0]).toMatch(/^a DNS-1035 label must consist of lower case alphanumeric characters/);
  expect(isDns1123Label(a(64))).toContain('must be no more than 63 characters');
  expect(isValidPortNum(0)).toEqual(['must be between 1 and 65535, inclusive']);
  expect(isValidPortName('12345')).toEqual(['must contain at least one letter (a-z)']);
});

test('regex messages are byte-exact with validation.RegexError', () => {
  expect(isDns1123Label('A')).toEqual([
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('IP families follow Go\'s To4: an IPv4-mapped IPv6 literal is IPv4 (netutils.IsIPv6String)', () => {
  expect(ipFamilyOf('10.0.0.1')).toBe('IPv4');
  expect(ipFamilyOf('::ffff:10.0.0.1')).toBe('IPv4');
  expect(ipFamilyOf('2001:db8::1')).toBe('IPv6');
  expect(ipFamilyOf('10.0.0')).toBeUndefined();
});
