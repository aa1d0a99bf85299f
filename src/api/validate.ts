import { ENDPOINT_SLICE_RULES, ENDPOINTS_RULES } from './endpoints';
import { FieldError } from './field-error';
import { FieldPath, invalid, required } from './field-path';
import { GATEWAY_API_VERSION, GATEWAY_CLASS_RULES, GATEWAY_RULES, HTTP_ROUTE_RULES, REFERENCE_GRANT_RULES } from './gateway';
import { INGRESS_CLASS_RULES, INGRESS_RULES } from './ingress';
import { KindRules, ValidationOptions } from './kind-rules';
import { NAMESPACE_RULES } from './namespace';
import { NETWORK_POLICY_RULES } from './network-policy';
import { validateObjectMeta } from './object-meta';
import { SECRET_RULES } from './secret';
import { SERVICE_RULES } from './service';
import { SERVICE_CIDR_RULES } from './service-cidr';
import { KubernetesFeatures, kubernetesFeatures } from './versions';
import { DAEMON_SET_RULES, DEPLOYMENT_RULES, JOB_RULES, POD_RULES, REPLICA_SET_RULES, STATEFUL_SET_RULES } from './workloads';

/** Each kind's rules live in their own file; keyed by `apiVersion/kind`, e.g. `networking.k8s.io/v1/Ingress`. */
const KIND_RULES = new Map<string, KindRules>([
  ['v1/Namespace', NAMESPACE_RULES],
  ['v1/Service', SERVICE_RULES],
  ['networking.k8s.io/v1/Ingress', INGRESS_RULES],
  ['networking.k8s.io/v1/IngressClass', INGRESS_CLASS_RULES],
  ['networking.k8s.io/v1/NetworkPolicy', NETWORK_POLICY_RULES],
  ['v1/Secret', SECRET_RULES],
  ['v1/Pod', POD_RULES], ['apps/v1/Deployment', DEPLOYMENT_RULES], ['apps/v1/ReplicaSet', REPLICA_SET_RULES],
  ['apps/v1/StatefulSet', STATEFUL_SET_RULES], ['apps/v1/DaemonSet', DAEMON_SET_RULES], ['batch/v1/Job', JOB_RULES],
  ['v1/Endpoints', ENDPOINTS_RULES], ['discovery.k8s.io/v1/EndpointSlice', ENDPOINT_SLICE_RULES],
  [`${GATEWAY_API_VERSION}/GatewayClass`, GATEWAY_CLASS_RULES], [`${GATEWAY_API_VERSION}/Gateway`, GATEWAY_RULES],
  [`${GATEWAY_API_VERSION}/HTTPRoute`, HTTP_ROUTE_RULES], [`${GATEWAY_API_VERSION}/ReferenceGrant`, REFERENCE_GRANT_RULES],
  ['networking.k8s.io/v1/ServiceCIDR', SERVICE_CIDR_RULES],
]);

export function rulesFor(obj: any): KindRules | undefined {
  // Only strings form a key: a template literal would throw on objects without a usable toString.
  if (typeof obj !== 'object' || obj === null || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  return KIND_RULES.get(`${obj.apiVersion}/${obj.kind}`);
}

/** Whether this library knows the kind's API rules. Unknown kinds are accepted as they are. */
export function isKnownKind(apiVersion: string, kind: string): boolean {
  return KIND_RULES.has(`${apiVersion}/${kind}`);
}

/**
 * Returns a deep copy of the manifest with the API server's defaults applied
 * (for example a Service gets `type: ClusterIP` and `protocol: TCP` on each port), as the
 * `kubernetesVersion` of the options (default 1.27) applies them.
 * Unknown kinds are returned unchanged (copied).
 */
export function applyDefaults(obj: any, options: ValidationOptions = {}): any {
  return defaultedCopy(obj, featuresOf(options));
}

function defaultedCopy(obj: any, features: KubernetesFeatures): any {
  const copy = structuredClone(obj);
  rulesFor(copy)?.applyDefaults?.(copy, features);
  return copy;
}

/** The options' Kubernetes version and gates; a bad value throws `validateManifest options: …`. */
function featuresOf(options: ValidationOptions): KubernetesFeatures {
  try {
    return kubernetesFeatures(options.kubernetesVersion, options.featureGates);
  } catch (e) {
    throw new Error(`validateManifest options: ${(e as Error).message}`);
  }
}

/**
 * Validates one manifest the way kube-apiserver of `options.kubernetesVersion` (default 1.27)
 * would on create, after applying its defaults. An empty list means the API server would accept it. Kinds this library does not
 * know are only checked for `apiVersion`, `kind` and `metadata`.
 */
export function validateManifest(obj: any, options: ValidationOptions = {}): FieldError[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return [invalid('', obj, 'must be a Kubernetes object (a map with apiVersion, kind and metadata)')];
  }
  const features = featuresOf(options);
  const errs: FieldError[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') errs.push(required('apiVersion', 'must be set'));
  if (typeof obj.kind !== 'string' || obj.kind === '') errs.push(required('kind', 'must be set'));
  if (errs.length) return errs;
  const rules = rulesFor(obj);
  if (!rules) {
    const metadata = obj.metadata;
    if (typeof metadata !== 'object' || metadata === null || !metadata.name) {
      return [required(FieldPath.root('metadata').child('name'), 'name or generateName is required')];
    }
    return [];
  }
  return validateDefaulted(defaultedCopy(obj, features), rules, options, features);
}

/**
 * validateManifest for callers that keep the defaulted object too (the model's inventory):
 * the errors, plus the defaulted copy when the manifest is valid. One deep copy instead of two.
 */
export function validateAndDefault(obj: any, options: ValidationOptions = {}): { errors: FieldError[]; defaulted?: any; warnings?: string[] } {
  const rules = rulesFor(obj);
  if (!rules) {
    const errors = validateManifest(obj, options);
    return errors.length ? { errors } : { errors, defaulted: structuredClone(obj) };
  }
  const features = featuresOf(options);
  const defaulted = defaultedCopy(obj, features);
  const errors = validateDefaulted(defaulted, rules, options, features);
  if (errors.length) return { errors };
  const warnings = rules.warnings?.(defaulted, features);
  return warnings?.length ? { errors, defaulted, warnings } : { errors, defaulted };
}

function validateDefaulted(defaulted: any, rules: KindRules, options: ValidationOptions, features: KubernetesFeatures): FieldError[] {
  return [...validateObjectMeta(defaulted.metadata, rules.meta), ...(rules.validate?.(defaulted, options, features) ?? [])];
}
