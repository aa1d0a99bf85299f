import { finding } from './context';
import type { GatewayController } from '../dataplane/gateway/controller';
import type { Diagnostic } from '../dataplane/types';

const CERTIFICATE_REASONS = new Set(['InvalidCertificateRef', 'RefNotPermitted']);

/**
 * Gateway API findings from the modelled controller's statuses: Gateways and listeners not served,
 * routes not attached, references not permitted or not found, matches no request reaches.
 */
export function checkGateways(gateways: GatewayController): Diagnostic[] {
  const out: Diagnostic[] = [];
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
        const code = p.reason === 'RefNotPermitted' ? 'HTTPROUTE_REF_NOT_PERMITTED' : 'HTTPROUTE_BACKEND_NOT_FOUND';
        out.push(finding(code, ref, 'spec.rules', `${p.message ?? p.reason}`,
          code === 'HTTPROUTE_REF_NOT_PERMITTED' ? 'add a ReferenceGrant in the Service\'s namespace from HTTPRoutes of this namespace (ReferenceGrant.allowRouteToService)' : 'name an existing Service and one of its ports'));
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
