/**
 * What a `kubernetes.io/tls` Secret holds and which host names its certificate serves, shared by
 * the constructs (checked at synth) and the model (controller and checks), so they never disagree.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { TLS_CERT_KEY, TLS_PRIVATE_KEY_KEY } from './secret';
import { isPlainObject } from './values';

/** A certificate that parsed and whose key belongs to it, or which part failed and why. */
export type PemPair =
  | { readonly ok: true; readonly x509: X509Certificate }
  | { readonly ok: false; readonly problem: 'certificate' | 'key' | 'mismatch'; readonly detail: string; readonly x509?: X509Certificate };

/** Parses a PEM certificate and checks that the PEM private key belongs to it (Node's OpenSSL). */
export function parsePemPair(certificatePem: string, privateKeyPem: string): PemPair {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certificatePem);
  } catch (e) {
    return { ok: false, problem: 'certificate', detail: (e as Error).message };
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(privateKeyPem))) {
      return { ok: false, problem: 'mismatch', detail: `does not match the certificate for ${x509.subject.replace(/\n/g, ', ')}`, x509 };
    }
  } catch (e) {
    return { ok: false, problem: 'key', detail: (e as Error).message, x509 };
  }
  return { ok: true, x509 };
}

/** `tls.crt` and `tls.key` of a Secret manifest, as the API server merges `stringData` over base64 `data`. */
export function tlsSecretPem(secret: unknown): { readonly certificatePem?: string; readonly privateKeyPem?: string } {
  const value = (key: string): string | undefined => {
    const s = isPlainObject(secret) ? secret : {};
    if (isPlainObject(s.stringData) && typeof s.stringData[key] === 'string') return s.stringData[key];
    if (isPlainObject(s.data) && typeof s.data[key] === 'string') return Buffer.from(s.data[key], 'base64').toString('utf8');
    return undefined;
  };
  return { certificatePem: value(TLS_CERT_KEY), privateKeyPem: value(TLS_PRIVATE_KEY_KEY) };
}

/** The certificate's DNS subjectAltNames, lower-cased. */
export function dnsNamesOf(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
}

/**
 * Whether a name pattern covers a host (RFC 6125 section 6.4.3): equal, or a `*.` wildcard
 * standing for exactly one leftmost label. A wildcard host is covered only by the same wildcard.
 * Case-insensitive.
 */
export function hostPatternCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (!p.startsWith('*.') || h.startsWith('*.')) return false;
  const suffix = p.slice(1);
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

/**
 * Whether a TLS client accepts the certificate for a host: a DNS subjectAltName covers it. Clients
 * ignore the subject CN (Go since 1.15, browsers), so a CN-only certificate covers nothing.
 */
export function certificateCoversHost(x509: X509Certificate, host: string): boolean {
  return dnsNamesOf(x509).some((san) => hostPatternCovers(san, host));
}
