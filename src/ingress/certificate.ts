import { createPrivateKey, X509Certificate } from 'node:crypto';
import { FieldError } from '../api';
import { FieldPath, invalid } from '../api/field-path';

/** A PEM certificate and key, as `TlsMaterial` holds them. */
interface PemPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** The parsed certificate, or the errors explaining why it cannot be used. */
export function parseTlsMaterial(
  material: PemPair,
  certPath: FieldPath | string,
  keyPath: FieldPath | string,
): { cert?: X509Certificate; errors: FieldError[] } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(material.certificatePem);
  } catch (e) {
    return { errors: [invalid(certPath, '<certificate>', `not a PEM X.509 certificate (${(e as Error).message})`)] };
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(material.privateKeyPem))) {
      return { cert, errors: [invalid(keyPath, '<private key>', `does not match the certificate for ${cert.subject.replace(/\n/g, ', ')}`)] };
    }
  } catch (e) {
    return { cert, errors: [invalid(keyPath, '<private key>', `not a PEM private key (${(e as Error).message})`)] };
  }
  return { cert, errors: [] };
}

/** The certificate's DNS subjectAltNames, lower-cased. */
export function dnsNamesOf(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
}

/**
 * Whether a DNS SAN covers a host the way TLS clients check (RFC 6125 section 6.4.3): exactly,
 * or by a `*.` wildcard standing for exactly one leftmost label. A wildcard host is covered
 * only by the same wildcard.
 */
export function sanCoversHost(san: string, host: string): boolean {
  const s = san.toLowerCase();
  const h = host.toLowerCase();
  if (s === h) return true;
  if (!s.startsWith('*.') || h.startsWith('*.')) return false;
  const suffix = s.slice(1);
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

