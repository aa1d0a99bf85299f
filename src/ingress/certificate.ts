import { X509Certificate } from 'node:crypto';
import { FieldError } from '../api';
import { FieldPath, invalid } from '../api/field-path';
import { parsePemPair } from '../api/tls';

/** A PEM certificate and key, as `TlsMaterial` holds them. */
interface PemMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** The parsed certificate, or the errors explaining why it cannot be used. */
export function parseTlsMaterial(
  material: PemMaterial,
  certPath: FieldPath | string,
  keyPath: FieldPath | string,
): { cert?: X509Certificate; errors: FieldError[] } {
  const pair = parsePemPair(material.certificatePem, material.privateKeyPem);
  if (pair.ok) return { cert: pair.x509, errors: [] };
  switch (pair.problem) {
    case 'certificate':
      return { errors: [invalid(certPath, '<certificate>', `not a PEM X.509 certificate (${pair.detail})`)] };
    case 'key':
      return { cert: pair.x509, errors: [invalid(keyPath, '<private key>', `not a PEM private key (${pair.detail})`)] };
    case 'mismatch':
      return { cert: pair.x509, errors: [invalid(keyPath, '<private key>', pair.detail)] };
  }
}
