/**
 * TLS material of the L7 front doors (internal): reading `kubernetes.io/tls` Secrets once each
 * and checking which names a certificate covers, with Node's X509Certificate.
 */
import { X509Certificate } from 'crypto';
import { parsePemPair, tlsSecretPem } from '../../api/tls';

/** A certificate the controller could present: a Secret's, or the controller's default. */
export interface TlsCertificate {
  /** `namespace/name` of the Secret, or `@default` for the controller's default certificate. */
  readonly secret: string;
  /** The parsed leaf certificate; undefined for the generated fake certificate. */
  readonly x509?: X509Certificate;
}

/** What reading a Secret as a TLS certificate gave: the certificate, or why it is unusable. */
export type SecretCertificate = { readonly ok: true; readonly cert: TlsCertificate } | { readonly ok: false; readonly reason: string };

/**
 * Reads a Secret the way ingress-nginx's store does before it writes a certificate for nginx
 * (internal/ingress/controller/store/backend_ssl.go, internal/net/ssl/ssl.go): it needs
 * `tls.crt` and `tls.key`, a parseable certificate and a key that belongs to it.
 */
export function readSecretCertificate(ref: string, secret: any): SecretCertificate {
  const { certificatePem, privateKeyPem } = tlsSecretPem(secret);
  if (certificatePem === undefined || privateKeyPem === undefined) {
    const missing = [certificatePem === undefined ? 'tls.crt' : '', privateKeyPem === undefined ? 'tls.key' : ''].filter(Boolean).join(' and ');
    return { ok: false, reason: `Secret ${ref} has no ${missing}` };
  }
  const pair = parsePemPair(certificatePem, privateKeyPem);
  if (pair.ok) return { ok: true, cert: { secret: ref, x509: pair.x509 } };
  const reason = {
    certificate: `tls.crt is not a PEM certificate (${pair.detail})`,
    key: `tls.key is not a PEM private key (${pair.detail})`,
    mismatch: 'tls.key does not belong to the certificate in tls.crt',
  }[pair.problem];
  return { ok: false, reason: `Secret ${ref}: ${reason}` };
}

/** The Secrets of a cluster, each read as a certificate at most once. */
export class CertificateStore {
  private readonly secrets = new Map<string, unknown>();
  private readonly read = new Map<string, SecretCertificate>();

  /** `secrets` are Secret manifests; they are indexed by `namespace/name`. */
  public constructor(secrets: readonly any[]) {
    for (const s of secrets) this.secrets.set(`${s?.metadata?.namespace ?? 'default'}/${s?.metadata?.name}`, s);
  }

  /** The certificate of Secret `namespace/name`, or why it cannot be used. */
  public certificate(ref: string): SecretCertificate {
    let result = this.read.get(ref);
    if (!result) {
      const secret = this.secrets.get(ref);
      result = secret ? readSecretCertificate(ref, secret) : { ok: false, reason: `Secret ${ref} not found` };
      this.read.set(ref, result);
    }
    return result;
  }
}

/**
 * Whether a certificate covers a host name: subjectAltName DNS entries (with RFC 6125
 * single-label wildcards), or the subject CN when there are none — what Go's VerifyHostname
 * plus ingress-nginx's Common Name fallback accept, and what a client checks.
 */
export function certificateCovers(cert: TlsCertificate, host: string): boolean {
  if (!cert.x509 || host === '') return false;
  return cert.x509.checkHost(host) !== undefined;
}

/** A certificate's subject CN, if it has one. */
function commonName(x509: X509Certificate): string | undefined {
  return /CN=([^\n]*)/.exec(x509.subject)?.[1];
}

/** A short description of a certificate for traces: its subject CN and DNS names. */
export function describeCertificate(cert: TlsCertificate): string {
  if (!cert.x509) return 'the controller\'s generated fake certificate (CN "Kubernetes Ingress Controller Fake Certificate")';
  const cn = commonName(cert.x509);
  const sans = (cert.x509.subjectAltName ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  const names = sans.length ? `DNS names ${sans.join(', ')}` : 'no DNS names';
  return `certificate${cn ? ` CN=${cn}` : ''} with ${names}`;
}

/** A CA certificate a listener trusts for client certificates, and where it comes from. */
export interface TrustedCa {
  readonly x509: X509Certificate;
  /** E.g. `ConfigMap ns/name`. */
  readonly source: string;
}

/** The certificates of a PEM bundle (unreadable blocks are left out). */
export function readCertificateBundle(pem: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // Not a certificate: the bundle's other blocks may still be.
    }
  }
  return out;
}

/** What checking a client certificate against trusted CAs gave. */
export type ClientCertificateCheck = { readonly ok: true; readonly ca: TrustedCa } | { readonly ok: false; readonly reason: string };

/**
 * Whether a client certificate (PEM) was issued and signed by one of `cas` and is valid at
 * `nowMs` — a chain of depth one, the leaf signed directly by a trusted CA.
 */
export function verifyClientCertificate(pem: string, cas: readonly TrustedCa[], nowMs: number): ClientCertificateCheck {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(pem);
  } catch {
    return { ok: false, reason: 'the client certificate is not a PEM certificate' };
  }
  const cn = commonName(leaf);
  const which = `client certificate ${cn !== undefined ? `CN=${cn}` : `with subject ${leaf.subject.replace(/\n/g, ', ')}`}`;
  const ca = cas.find((c) => leaf.checkIssued(c.x509) && leaf.verify(c.x509.publicKey));
  if (!ca) return { ok: false, reason: `${which} was not issued by a trusted CA (${cas.map((c) => c.source).join(', ') || 'none'})` };
  if (Date.parse(leaf.validFrom) > nowMs) return { ok: false, reason: `${which} is valid only from ${leaf.validFrom}` };
  if (Date.parse(leaf.validTo) < nowMs) return { ok: false, reason: `${which} expired on ${leaf.validTo}` };
  return { ok: true, ca };
}
