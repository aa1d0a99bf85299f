import { CheckContext, finding, listText } from './context';
import { certificateCoversHost, hostPatternCovers } from '../api/tls';
import type { InventoryObject } from '../dataplane/inventory';
import { readSecretCertificate } from '../dataplane/routing/certificates';
import type { Diagnostic } from '../dataplane/types';
import { canonicalHost } from '../dataplane/util';

const DAY = 24 * 3600 * 1000;
/** Certificates closer than this to notAfter get a warning. */
const EXPIRY_WARNING = 14 * DAY;

/** cert-manager ingress-shim annotations: the Ingress asks cert-manager for its tls Secrets. */
const SHIM_ANNOTATIONS = ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer'];

/** Who will create a missing Secret: a cert-manager Certificate in the manifests, or ingress-shim. */
function issuedBy(ing: InventoryObject, ref: string, certificates: ReadonlyMap<string, string>): string | undefined {
  const certificate = certificates.get(ref);
  if (certificate) return `cert-manager (${certificate})`;
  const annotations = ing.manifest.metadata?.annotations ?? {};
  const shim = SHIM_ANNOTATIONS.find((a) => typeof annotations[a] === 'string' && annotations[a] !== '');
  return shim ? `cert-manager's ingress-shim (annotation ${shim}: ${annotations[shim]})` : undefined;
}

/**
 * Ingress TLS: each tls entry's Secret (in the Ingress's namespace, ingress docs "TLS"), its
 * type and PEM contents, the certificate's validity period and whether it covers the hosts
 * (RFC 6125: a wildcard covers exactly one label); hosts in tls without a rule, and rule hosts
 * left out of tls.
 */
export function checkTls(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const secretsByName = new Map<string, InventoryObject[]>();
  for (const s of ctx.model.inventory.ofKind('v1/Secret')) {
    let list = secretsByName.get(s.name);
    if (!list) secretsByName.set(s.name, (list = []));
    list.push(s);
  }
  // cert-manager Certificates by the Secret they write (`namespace/secretName`).
  const certificates = new Map<string, string>();
  for (const o of ctx.model.inventory.objects) {
    if (o.kind === 'Certificate' && o.apiVersion.startsWith('cert-manager.io/') && typeof o.manifest.spec?.secretName === 'string') {
      certificates.set(`${o.namespace}/${o.manifest.spec.secretName}`, o.ref);
    }
  }
  for (const ing of ctx.ingresses) {
    const spec = ing.manifest.spec ?? {};
    const tlsList: any[] = Array.isArray(spec.tls) ? spec.tls : [];
    if (tlsList.length === 0) continue;
    const rules: any[] = Array.isArray(spec.rules) ? spec.rules : [];
    const ruleHosts = rules.map((r) => (typeof r?.host === 'string' ? canonicalHost(r.host) : '')).filter((h) => h !== '');
    const tlsHosts: string[] = [];
    tlsList.forEach((tls, i) => {
      const hosts: string[] = (Array.isArray(tls?.hosts) ? tls.hosts : []).filter((h: unknown) => typeof h === 'string').map(canonicalHost);
      tlsHosts.push(...hosts);
      hosts.forEach((h, j) => {
        if (!ruleHosts.some((r) => hostPatternCovers(h, r))) {
          out.push(finding('TLS_HOST_WITHOUT_RULE', ing.ref, `spec.tls[${i}].hosts[${j}]`,
            `TLS host ${h} has no rule in this Ingress: requests for it are not routed by this Ingress`,
            `add a rule for ${h}, or remove it from spec.tls[${i}].hosts`));
        }
      });
      const name = tls?.secretName;
      if (typeof name !== 'string' || name === '') return;
      const field = `spec.tls[${i}].secretName`;
      const ref = `${ing.namespace}/${name}`;
      const candidates = secretsByName.get(name) ?? [];
      const secret = candidates.find((s) => s.namespace === ing.namespace);
      if (!secret) {
        const issuer = issuedBy(ing, ref, certificates);
        if (issuer) {
          out.push(finding('TLS_SECRET_ISSUED_LATER', ing.ref, field,
            `Secret ${ref} is not in the manifests; ${issuer} creates it once the certificate is issued, and until then the controller presents its default certificate`));
          return;
        }
        const elsewhere = candidates.map((s) => s.namespace!);
        out.push(finding('TLS_SECRET_NOT_FOUND', ing.ref, field,
          `Secret ${ref} does not exist${elsewhere.length ? ` (a Secret ${name} exists in namespace ${listText(elsewhere)}, but an Ingress can only use Secrets of its own namespace)` : ''}: the controller presents its default certificate`,
          elsewhere.length ? `create the Secret in namespace ${ing.namespace}` : `create a kubernetes.io/tls Secret ${name} in namespace ${ing.namespace} (or let cert-manager issue it)`));
        return;
      }
      const type = secret.manifest.type ?? 'Opaque';
      if (type !== 'kubernetes.io/tls') {
        out.push(finding('TLS_SECRET_WRONG_TYPE', secret.ref, 'type',
          `Secret ${ref} is used for TLS by Ingress ${ing.namespace}/${ing.name} but has type ${type}: the API server does not check it holds tls.crt and tls.key`,
          'make it type kubernetes.io/tls'));
      }
      const read = readSecretCertificate(ref, secret.manifest);
      if (!read.ok) {
        const keyMismatch = /does not belong to the certificate/.test(read.reason);
        out.push(finding(keyMismatch ? 'TLS_KEY_MISMATCH' : 'TLS_SECRET_MALFORMED', secret.ref, 'data',
          `${read.reason}; Ingress ${ing.namespace}/${ing.name} gets the controller's default certificate instead`,
          keyMismatch ? 'store the private key that was issued with this certificate' : 'store a PEM certificate chain in tls.crt and its PEM private key in tls.key'));
        return;
      }
      const x509 = read.cert.x509!;
      const from = Date.parse(x509.validFrom);
      const to = Date.parse(x509.validTo);
      if (to < ctx.now) {
        out.push(finding('TLS_CERT_EXPIRED', secret.ref, 'data[tls.crt]', `the certificate of Secret ${ref} expired on ${new Date(to).toISOString()}: clients reject it`, 'renew the certificate'));
      } else if (from > ctx.now) {
        out.push(finding('TLS_CERT_NOT_YET_VALID', secret.ref, 'data[tls.crt]', `the certificate of Secret ${ref} is valid only from ${new Date(from).toISOString()}: clients reject it until then`, 'check the issuer\'s clock, or wait'));
      } else if (to - ctx.now < EXPIRY_WARNING) {
        out.push(finding('TLS_CERT_EXPIRES_SOON', secret.ref, 'data[tls.crt]', `the certificate of Secret ${ref} expires on ${new Date(to).toISOString()}`, 'renew it (cert-manager renews 30 days ahead by default)'));
      }
      // A tls entry without hosts stands for the Ingress's rule hosts.
      const covered = hosts.length ? hosts : ruleHosts;
      covered.forEach((h, j) => {
        if (certificateCoversHost(x509, h)) return;
        out.push(finding('TLS_HOST_NOT_COVERED', ing.ref, hosts.length ? `spec.tls[${i}].hosts[${j}]` : field,
          `the certificate of Secret ${ref} does not cover ${h} (a wildcard certificate covers exactly one label): clients reject it`,
          `issue a certificate whose subjectAltName lists ${h}`));
      });
    });
    const noHostEntry = tlsList.some((t) => !Array.isArray(t?.hosts) || t.hosts.length === 0);
    if (noHostEntry) continue;
    rules.forEach((rule, i) => {
      const h = typeof rule?.host === 'string' ? canonicalHost(rule.host) : '';
      if (h === '' || tlsHosts.some((t) => hostPatternCovers(t, h))) return;
      out.push(finding('TLS_RULE_HOST_WITHOUT_TLS', ing.ref, `spec.rules[${i}].host`,
        `rule host ${h} is not in the Ingress's tls section: HTTPS requests for it get the default certificate`,
        `add ${h} to spec.tls[].hosts (with a certificate covering it)`));
    });
  }
  return out;
}
