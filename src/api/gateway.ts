/**
 * Gateway API v1.6.1 standard channel (gateway.networking.k8s.io/v1): GatewayClass, Gateway,
 * HTTPRoute and ReferenceGrant as the API server serves their CRDs — schema defaults, schema
 * validation and CEL rules (gateway-openapi.ts over gateway-schema.ts), plus the facts about
 * these kinds that the model and constructs share.
 */
import { FieldError } from './field-error';
import { FieldPath, required } from './field-path';
import { applySchemaDefaults, validateAgainstSchema } from './gateway-openapi';
import { GATEWAY_SCHEMAS } from './gateway-schema';
import { KindRules } from './kind-rules';
import { isDns1123Subdomain } from './names';
import { isPlainObject } from './values';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_VERSION = `${GATEWAY_API_GROUP}/v1`;

function crdRules(kind: string): KindRules {
  const { scope, spec } = GATEWAY_SCHEMAS[kind];
  return {
    meta: { namespaced: scope === 'Namespaced', nameRule: isDns1123Subdomain },
    applyDefaults: (obj: any) => {
      if (isPlainObject(obj.spec)) applySchemaDefaults(obj.spec, spec);
    },
    validate: (obj: any): FieldError[] => {
      // Every one of these CRDs requires spec.
      if (obj.spec === undefined || obj.spec === null) return [required(FieldPath.root('spec'))];
      return validateAgainstSchema(obj.spec, spec, FieldPath.root('spec'));
    },
  };
}

/** Whether `name` is a valid GatewayClass `spec.controllerName` (the CRD's pattern and length). */
export function isGatewayControllerName(name: unknown): boolean {
  const rule = GATEWAY_SCHEMAS.GatewayClass.spec.properties.controllerName;
  return typeof name === 'string' && name.length >= rule.minLength && name.length <= rule.maxLength && new RegExp(rule.pattern).test(name);
}

export const GATEWAY_CLASS_RULES = crdRules('GatewayClass');
export const GATEWAY_RULES = crdRules('Gateway');
export const HTTP_ROUTE_RULES = crdRules('HTTPRoute');
export const REFERENCE_GRANT_RULES = crdRules('ReferenceGrant');

/**
 * Kubernetes standard application protocols (KEP-3726) that a Gateway honours on a backend
 * Service port's `appProtocol` (GEP-1911): HTTP/2 over cleartext, WebSocket, WebSocket over TLS.
 */
export const APP_PROTOCOL_H2C = 'kubernetes.io/h2c';
export const APP_PROTOCOL_WS = 'kubernetes.io/ws';
export const APP_PROTOCOL_WSS = 'kubernetes.io/wss';

/** The ConfigMap key holding the PEM CA bundle a frontend `validation.caCertificateRefs` entry names (FrontendTLSValidation: Core support). */
export const CA_CERTIFICATE_KEY = 'ca.crt';

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * The milliseconds of a Gateway API Duration (GEP-2257: one to four `<1-5 digits><h|m|s|ms>`
 * parts, e.g. `1h30m`, `500ms`, `0s`), or undefined when the value is not one.
 */
export function gatewayDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+)(ms|h|m|s)/g)) total += Number(amount) * DURATION_UNITS_MS[unit];
  return total;
}
