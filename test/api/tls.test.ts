// The TLS rules shared by the constructs (synth-time checks) and the model (controller, checks).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { certificateCoversHost, hostPatternCovers, parsePemPair, tlsSecretPem } from '../../src/api/tls';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'ingress', 'fixtures', name), 'utf8');

describe('hostPatternCovers (RFC 6125 section 6.4.3)', () => {
  test.each([
    ['shop.example.com', 'shop.example.com', true],
    ['Shop.Example.com', 'shop.example.COM', true],
    ['*.example.com', 'shop.example.com', true],
    ['*.example.com', 'a.shop.example.com', false], // a wildcard stands for exactly one label
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.example.com', true], // a wildcard host only by the same wildcard
    ['shop.example.com', '*.example.com', false],
    ['*.shop.example.com', '*.example.com', false],
  ])('%s covers %s: %s', (pattern, host, covers) => expect(hostPatternCovers(pattern, host)).toBe(covers));
});

describe('certificates', () => {
  test('a SAN certificate covers its names and one-label wildcard names', () => {
    const pair = parsePemPair(fixture('wildcard.crt'), fixture('wildcard.key'));
    expect(pair.ok).toBe(true);
    const x509 = pair.ok ? pair.x509 : undefined;
    const sans = x509!.subjectAltName!;
    const wildcard = /DNS:(\*\.[^,]+)/.exec(sans)![1];
    expect(certificateCoversHost(x509!, `shop${wildcard.slice(1)}`)).toBe(true);
    expect(certificateCoversHost(x509!, `a.b${wildcard.slice(1)}`)).toBe(false);
  });

  test('clients ignore the CN: a CN-only certificate covers nothing', () => {
    const pair = parsePemPair(fixture('cn-only.crt'), fixture('cn-only.key'));
    expect(pair.ok && certificateCoversHost(pair.x509, 'cn-only.example.com')).toBe(false);
  });

  test('a key of another certificate is a mismatch, garbage is a parse failure', () => {
    expect(parsePemPair(fixture('billbear.crt'), fixture('other.key'))).toMatchObject({ ok: false, problem: 'mismatch' });
    expect(parsePemPair('not pem', fixture('other.key'))).toMatchObject({ ok: false, problem: 'certificate' });
    expect(parsePemPair(fixture('billbear.crt'), 'not pem')).toMatchObject({ ok: false, problem: 'key' });
  });

  test('stringData wins over base64 data, as the API server merges them', () => {
    const secret = { data: { 'tls.crt': Buffer.from('from-data').toString('base64'), 'tls.key': Buffer.from('k').toString('base64') }, stringData: { 'tls.crt': 'from-stringData' } };
    expect(tlsSecretPem(secret)).toEqual({ certificatePem: 'from-stringData', privateKeyPem: 'k' });
    expect(tlsSecretPem('nonsense')).toEqual({ certificatePem: undefined, privateKeyPem: undefined });
  });
});
