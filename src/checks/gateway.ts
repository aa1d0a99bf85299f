import { CheckContext, finding } from './context';
import { APP_PROTOCOL_WSS, CA_CERTIFICATE_KEY } from '../api/gateway';
import { certificateCoversHost } from '../api/tls';
import type { GatewayController } from '../dataplane/gateway/controller';
import type { ListenerStatus } from '../dataplane/gateway/types';
import type { Diagnostic } from '../dataplane/types';

const CERTIFICATE_REASONS = new Set(['InvalidCertificateRef', 'RefNotPermitted']);
const CA_REASONS = new Set(['InvalidCACertificateRef', 'InvalidCACertificateKind']);
const DAY = 24 * 3600 * 1000;
/** As for Ingress certificates (checks/tls.ts): closer than this to notAfter gets a warning. */
const EXPIRY_WARNING = 14 * DAY;

/** Whether a listener's first problem is a CA reference of its client certificate validation (spec.tls.frontend). */
function clientCaProblem(l: ListenerStatus): boolean {
  return CA_REASONS.has(l.reason) || l.acceptedReason === 'NoValidCACertificate' || (l.reason === 'RefNotPermitted' && (l.message ?? '').startsWith('spec.tls.frontend'));
}

/**
 * Gateway API findings from the modelled controller's statuses: Gateways and listeners not served,
 * routes not attached, references not permitted or not found, matches no request reaches.
 */
export function checkGateways(gateways: GatewayController, ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...checkListenerCertificates(gateways, ctx));
  for (const key of gateways.gatewayKeys()) {
    const s = gateways.gatewayStatus(key)!;
    const ref = `Gateway/${key}`;
    if (!s.accepted || !s.programmed) {
      out.push(finding('GATEWAY_NOT_ACCEPTED', ref, s.reason === 'InvalidParameters' ? 'spec.infrastructure.parametersRef' : 'spec.gatewayClassName',
        `Gateway ${key} is not ${s.accepted ? 'programmed' : 'accepted'} (${s.reason}${s.message ? `: ${s.message}` : ''})`,
        s.reason === 'Pending' ? 'name a GatewayClass whose controllerName is the controller that should serve it' : 'fix the listeners or parameters named in the message'));
      if (s.reason === 'Pending') continue;
    }
    s.listeners.forEach((l, i) => {
      const field = `spec.listeners[${i}]`;
      if (l.conflicted) {
        out.push(finding('GATEWAY_LISTENER_CONFLICTED', ref, field, `listener ${l.name}: ${l.message}`, 'give each protocol its own port'));
      } else if (clientCaProblem(l)) {
        out.push(finding('GATEWAY_LISTENER_INVALID', ref, 'spec.tls.frontend', `listener ${l.name} (${l.reason}${l.acceptedReason ? `, ${l.acceptedReason}` : ''}): ${l.message}`,
          `reference ConfigMaps holding the CA bundle under ${CA_CERTIFICATE_KEY} (with a ReferenceGrant for Gateways in their namespace when it is another one)`));
      } else if (CERTIFICATE_REASONS.has(l.reason)) {
        out.push(finding('GATEWAY_CERTIFICATE_INVALID', ref, `${field}.tls.certificateRefs[0]`, `listener ${l.name} (${l.reason}): ${l.message}`,
          l.reason === 'RefNotPermitted' ? 'add a ReferenceGrant in the Secret\'s namespace from Gateways of this namespace to the Secret' : 'reference a kubernetes.io/tls Secret with tls.crt and tls.key'));
      } else if (!l.accepted || !l.resolvedRefs) {
        out.push(finding('GATEWAY_LISTENER_INVALID', ref, field, `listener ${l.name} (${l.reason}): ${l.message ?? 'not served'}`,
          l.reason === 'UnsupportedProtocol' ? 'use HTTP or HTTPS (other protocols need routes this controller does not serve)' : 'allow HTTPRoute in allowedRoutes.kinds'));
      }
    });
  }
  for (const key of gateways.routeKeys()) {
    const ref = `HTTPRoute/${key}`;
    let backendReported = false;
    gateways.routeStatus(key)!.forEach((p, i) => {
      const field = `spec.parentRefs[${i}]`;
      if (p.reason === 'NoMatchingListenerHostname') {
        out.push(finding('HTTPROUTE_HOSTNAME_NO_LISTENER', ref, 'spec.hostnames', `${p.message}`, 'use a hostname the listener serves, or attach the route to a listener that serves it'));
      } else if (!p.accepted) {
        out.push(finding('HTTPROUTE_NOT_ACCEPTED', ref, field, `parent ${p.parent}${p.sectionName ? ` section ${p.sectionName}` : ''} (${p.reason}): ${p.message}`,
          p.reason === 'NotAllowedByListeners' ? 'set allowedRoutes.namespaces on the listener (All or a Selector matching the route\'s namespace)' : 'name an existing Gateway and listener'));
      }
      if (!p.resolvedRefs && !backendReported) {
        backendReported = true;
        const refused = p.reason === 'RefNotPermitted';
        out.push(finding(refused ? 'HTTPROUTE_REF_NOT_PERMITTED' : 'HTTPROUTE_BACKEND_NOT_FOUND', ref, 'spec.rules', `${p.message ?? p.reason}`,
          refused ? 'add a ReferenceGrant in the Service\'s namespace from HTTPRoutes of this namespace (ReferenceGrant.allowRouteToService)'
            : p.reason === 'UnsupportedProtocol' ? `use a Service port whose appProtocol the Gateway speaks (${APP_PROTOCOL_WSS} needs TLS to the backend)`
              : 'name an existing Service and one of its ports'));
      }
    });
  }
  const seen = new Set<string>();
  for (const s of gateways.shadowed) {
    const id = `${s.route}|${s.field}|${s.by}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(finding('HTTPROUTE_MATCH_UNREACHABLE', `HTTPRoute/${s.route}`, s.field,
      `no request reaches this match on listener ${s.listener} of Gateway ${s.gateway}${s.host ? ` for ${s.host}` : ''}: ${s.by} has the same conditions and takes precedence`,
      'remove the duplicate match, or make it more specific (path, method, headers or query)'));
  }
  return out;
}

/**
 * The certificates programmed HTTPS listeners present: the listener hostname must be covered
 * (a client verifies it), and the validity period is judged at the check time — unless an
 * Ingress uses the same Secret, whose check already reports it.
 */
function checkListenerCertificates(gateways: GatewayController, ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const judged = new Set<string>();
  for (const ing of ctx.ingresses) {
    for (const tls of Array.isArray(ing.manifest.spec?.tls) ? ing.manifest.spec.tls : []) {
      if (typeof tls?.secretName === 'string') judged.add(`${ing.namespace}/${tls.secretName}`);
    }
  }
  for (const { gateway, index, listener, hostname, certificate } of gateways.listenerCertificates()) {
    const x509 = certificate.x509!;
    const field = `spec.listeners[${index}].tls.certificateRefs[0]`;
    if (hostname !== undefined) {
      const probe = hostname.startsWith('*.') ? `wildcard-probe.${hostname.slice(2)}` : hostname;
      if (!certificateCoversHost(x509, probe)) {
        out.push(finding('TLS_HOST_NOT_COVERED', `Gateway/${gateway}`, `spec.listeners[${index}].hostname`,
          `the certificate of Secret ${certificate.secret} on listener ${listener} does not cover ${hostname}: clients reject it`,
          `issue a certificate whose DNS names cover ${hostname}`));
      }
    }
    if (judged.has(certificate.secret)) continue;
    judged.add(certificate.secret);
    const from = Date.parse(x509.validFrom);
    const to = Date.parse(x509.validTo);
    const where = `Secret ${certificate.secret} (listener ${listener} of Gateway ${gateway})`;
    if (to < ctx.now) out.push(finding('TLS_CERT_EXPIRED', `Gateway/${gateway}`, field, `the certificate of ${where} expired on ${new Date(to).toISOString()}: clients reject it`, 'renew the certificate'));
    else if (from > ctx.now) out.push(finding('TLS_CERT_NOT_YET_VALID', `Gateway/${gateway}`, field, `the certificate of ${where} is valid only from ${new Date(from).toISOString()}`, 'check the issuer\'s clock, or wait'));
    else if (to - ctx.now < EXPIRY_WARNING) out.push(finding('TLS_CERT_EXPIRES_SOON', `Gateway/${gateway}`, field, `the certificate of ${where} expires on ${new Date(to).toISOString()}`, 'renew it'));
  }
  return out;
}
