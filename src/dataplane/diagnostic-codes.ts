import { Diagnostic } from './types';

/**
 * The one registry of diagnostic codes (internal): every code the model or a check reports, with
 * its severity, a one-line summary and its source. Diagnostics take their severity from here
 * (`diagnostic()`), the CLI's SARIF output lists these as rules, and the README's tables are
 * tested against it. It lives in the dataplane, next to `Diagnostic`, so that both the model and
 * the checks (which import the model) can use it.
 */
export interface DiagnosticCode {
  readonly code: string;
  /** `error`, `warning` or `info`. */
  readonly severity: 'error' | 'warning' | 'info';
  readonly summary: string;
  /** Where the rule comes from: Kubernetes docs, source, an advisory, or this library's docs. */
  readonly source: string;
  /** Who reports it: the model while compiling, or a check over the compiled model. */
  readonly reportedBy: 'model' | 'check';
}

const DOCS = 'https://kubernetes.io/docs';
const NGINX = 'https://kubernetes.github.io/ingress-nginx';
const K8S = 'https://github.com/kubernetes/kubernetes/blob/v1.27.0';
const GATEWAY_API = 'https://gateway-api.sigs.k8s.io';

type Entry = Omit<DiagnosticCode, 'reportedBy'>;

const MODEL_CODES: readonly Entry[] = [
  // Inventory
  { code: 'INVALID_OBJECT', severity: 'error', summary: 'The API server would reject the object; it takes no part in the model', source: `${K8S}/pkg/apis/core/validation/validation.go` },
  { code: 'API_WARNING', severity: 'info', summary: 'The API server accepts the object with a warning (a deprecated or ignored field)', source: `${K8S}/pkg/api/service/warnings.go` },
  { code: 'OBJECT_APPLIED_TWICE', severity: 'warning', summary: 'The same kind, namespace and name in two documents: kubectl apply keeps the later one, and so does the model', source: `${DOCS}/tasks/manage-kubernetes-objects/declarative-config/` },
  { code: 'DUPLICATE_OBJECT', severity: 'error', summary: 'A controller creates a pod whose name another pod already has; the model keeps the first', source: `${DOCS}/concepts/overview/working-with-objects/names/` },
  // Workloads
  { code: 'POD_NODE_UNKNOWN', severity: 'warning', summary: 'A pod is bound (spec.nodeName) to a node that is not modelled: it never runs', source: `${DOCS}/concepts/scheduling-eviction/assign-pod-node/#nodename` },
  { code: 'POD_CIDR_EXHAUSTED', severity: 'error', summary: 'The pod CIDR cannot give every node room for its pods: pods beyond it get no IP', source: `${DOCS}/reference/command-line-tools-reference/kube-controller-manager/` },
  { code: 'POD_IP_CONFLICT', severity: 'error', summary: 'Two pods have the same IP', source: `${DOCS}/concepts/services-networking/#the-kubernetes-network-model` },
  { code: 'HOST_PORT_CONFLICT', severity: 'warning', summary: 'Two pods on one node want the same host port: the scheduler keeps the second Pending', source: `${K8S}/pkg/scheduler/framework/plugins/nodeports/node_ports.go` },
  { code: 'UNKNOWN_POD', severity: 'warning', summary: 'The notReadyPods option names a pod that does not exist', source: 'docs/model.md (ClusterOptions.notReadyPods)' },
  // IPAM and endpoints
  { code: 'ALLOCATION_CONFLICT', severity: 'error', summary: 'A ClusterIP or node port is claimed twice, or none is left: the API server would reject the Service', source: `${DOCS}/concepts/services-networking/cluster-ip-allocation/` },
  { code: 'LOAD_BALANCER_PENDING', severity: 'warning', summary: 'No LoadBalancer IP is left in the model\'s pool: EXTERNAL-IP stays pending', source: `${DOCS}/concepts/services-networking/service/#loadbalancer` },
  { code: 'ENDPOINTS_OVERWRITTEN', severity: 'warning', summary: 'Endpoints given for a Service that has a selector: the endpoint controllers replace them', source: `${DOCS}/concepts/services-networking/service/#services-without-selectors` },
  // ingress-nginx
  { code: 'INGRESS_CANARY_WITHOUT_MAIN', severity: 'warning', summary: 'An ingress-nginx canary Ingress has no non-canary Ingress location of the same host, path and type: the controller ignores it', source: `${NGINX}/user-guide/nginx-configuration/annotations/#canary` },
];

const CHECK_CODES: readonly Entry[] = [
  // Services
  { code: 'SERVICE_SELECTOR_NO_MATCH', severity: 'warning', summary: 'The Service selector matches no pod of its namespace', source: `${DOCS}/concepts/services-networking/service/#defining-a-service` },
  { code: 'SERVICE_SELECTOR_SPANS_WORKLOADS', severity: 'warning', summary: 'The selector matches the pods of more than one workload: traffic is split between them', source: `${DOCS}/concepts/services-networking/service/#defining-a-service` },
  { code: 'SERVICE_SELECTOR_CUSTOM_RESOURCE', severity: 'info', summary: 'The selector matches no modelled pod, but custom resources in the namespace may create its pods', source: `${DOCS}/concepts/extend-kubernetes/operator/` },
  { code: 'SERVICE_NO_READY_ENDPOINTS', severity: 'error', summary: 'The Service selects pods, but none is ready: connections are refused or dropped', source: `${DOCS}/concepts/services-networking/endpoint-slices/#conditions` },
  { code: 'SERVICE_TARGET_PORT_UNRESOLVED', severity: 'error', summary: 'A named targetPort matches no container port of the selected pods (FindPort), so they get no endpoint for it', source: `${K8S}/pkg/api/v1/pod/util.go#L31` },
  { code: 'SERVICE_TARGET_PORT_UNDECLARED', severity: 'warning', summary: 'A numeric targetPort that no container of the selected pods declares', source: `${DOCS}/reference/kubernetes-api/workload-resources/pod-v1/#ports` },
  { code: 'SERVICE_PROTOCOL_MISMATCH', severity: 'error', summary: 'The target container port exists with another protocol', source: `${K8S}/pkg/api/v1/pod/util.go#L31` },
  { code: 'SERVICE_AFFINITY_HEADLESS', severity: 'warning', summary: 'Session affinity on a headless Service is ignored: there is no ClusterIP for kube-proxy to program', source: `${DOCS}/concepts/services-networking/service/#headless-services` },
  { code: 'SERVICE_AFFINITY_BEHIND_INGRESS', severity: 'warning', summary: 'ClientIP affinity on a Service reached through an ingress controller: clients all look alike', source: `${DOCS}/reference/networking/virtual-ips/#session-affinity` },
  { code: 'SERVICE_LOCAL_TRAFFIC_NODES_WITHOUT_ENDPOINT', severity: 'warning', summary: 'externalTrafficPolicy Local: nodes without a ready local endpoint drop external traffic', source: `${DOCS}/reference/networking/virtual-ips/#external-traffic-policy` },
  // StatefulSets
  { code: 'STATEFULSET_SERVICE_MISSING', severity: 'warning', summary: 'The governing Service (spec.serviceName) does not exist: pod DNS names do not resolve', source: `${DOCS}/concepts/workloads/controllers/statefulset/#stable-network-id` },
  { code: 'STATEFULSET_SERVICE_NOT_HEADLESS', severity: 'warning', summary: 'The governing Service is not headless: pod DNS names do not resolve', source: `${DOCS}/concepts/workloads/controllers/statefulset/#stable-network-id` },
  // Ingress
  { code: 'INGRESS_BACKEND_SERVICE_NOT_FOUND', severity: 'error', summary: 'An Ingress backend names a Service that does not exist (503)', source: `${DOCS}/concepts/services-networking/ingress/#ingress-rules` },
  { code: 'INGRESS_BACKEND_PORT_NOT_FOUND', severity: 'error', summary: 'An Ingress backend port (number or name) that the Service does not have (503)', source: `${DOCS}/reference/kubernetes-api/service-resources/ingress-v1/#IngressServiceBackend` },
  { code: 'INGRESS_BACKEND_EXTERNAL_NAME', severity: 'warning', summary: 'An Ingress backend is an ExternalName Service: many controllers do not support it', source: `${NGINX}/user-guide/nginx-configuration/annotations/#service-upstream` },
  { code: 'INGRESS_CLASS_NOT_FOUND', severity: 'error', summary: 'spec.ingressClassName names an IngressClass that does not exist', source: `${DOCS}/concepts/services-networking/ingress/#ingress-class` },
  { code: 'INGRESS_NOT_ADMITTED', severity: 'warning', summary: 'No modelled ingress controller serves the Ingress', source: `${DOCS}/concepts/services-networking/ingress/#default-ingress-class` },
  { code: 'INGRESS_PATH_SHADOWED', severity: 'warning', summary: 'A path that never receives traffic: another rule wins every request it matches', source: `${DOCS}/concepts/services-networking/ingress/#multiple-matches` },
  { code: 'INGRESS_PATH_CONFLICT', severity: 'warning', summary: 'The same host and path in two Ingresses: only one of them receives the traffic', source: `${NGINX}/how-it-works/#building-the-nginx-model` },
  // TLS
  { code: 'TLS_SECRET_NOT_FOUND', severity: 'error', summary: 'The TLS Secret does not exist in the Ingress namespace', source: `${DOCS}/concepts/services-networking/ingress/#tls` },
  { code: 'TLS_SECRET_ISSUED_LATER', severity: 'info', summary: 'The TLS Secret is not in the manifests; cert-manager creates it (ingress-shim annotation or a Certificate)', source: 'https://cert-manager.io/docs/usage/ingress/' },
  { code: 'TLS_SECRET_WRONG_TYPE', severity: 'warning', summary: 'The TLS Secret is not of type kubernetes.io/tls', source: `${DOCS}/concepts/configuration/secret/#tls-secrets` },
  { code: 'TLS_SECRET_MALFORMED', severity: 'error', summary: 'The TLS Secret lacks tls.crt/tls.key or they are not PEM', source: `${DOCS}/concepts/configuration/secret/#tls-secrets` },
  { code: 'TLS_KEY_MISMATCH', severity: 'error', summary: 'tls.key does not belong to the certificate in tls.crt', source: `${DOCS}/concepts/configuration/secret/#tls-secrets` },
  { code: 'TLS_CERT_EXPIRED', severity: 'error', summary: 'The certificate has expired', source: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5' },
  { code: 'TLS_CERT_NOT_YET_VALID', severity: 'error', summary: 'The certificate is not valid yet', source: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5' },
  { code: 'TLS_CERT_EXPIRES_SOON', severity: 'warning', summary: 'The certificate expires within 14 days', source: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5' },
  { code: 'TLS_HOST_NOT_COVERED', severity: 'error', summary: 'The certificate does not cover a TLS host (a wildcard covers exactly one label)', source: 'https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3' },
  { code: 'TLS_HOST_WITHOUT_RULE', severity: 'warning', summary: 'A TLS host that no rule of the Ingress routes', source: `${DOCS}/concepts/services-networking/ingress/#tls` },
  { code: 'TLS_RULE_HOST_WITHOUT_TLS', severity: 'warning', summary: 'A rule host left out of the tls section of an Ingress that has one', source: `${DOCS}/concepts/services-networking/ingress/#tls` },
  // Exposure
  { code: 'EXPOSURE_EXTERNAL_IPS', severity: 'warning', summary: 'spec.externalIPs lets a Service capture traffic to any IP (CVE-2020-8554)', source: 'https://github.com/kubernetes/kubernetes/issues/97076' },
  { code: 'EXPOSURE_LOAD_BALANCER_OPEN', severity: 'warning', summary: 'A LoadBalancer without loadBalancerSourceRanges accepts any client address', source: `${DOCS}/tasks/access-application-cluster/configure-cloud-provider-firewall/` },
  { code: 'EXPOSURE_NODE_PORT', severity: 'info', summary: 'The Service listens on every node (NodePort)', source: `${DOCS}/concepts/services-networking/service/#type-nodeport` },
  { code: 'EXPOSURE_LOAD_BALANCER', severity: 'info', summary: 'The Service gets an external load balancer', source: `${DOCS}/concepts/services-networking/service/#loadbalancer` },
  { code: 'INGRESS_CANARY_WEIGHT_RANGE', severity: 'warning', summary: 'An ingress-nginx canary-weight outside 0 … canary-weight-total, or a total below 100 (ignored)', source: `${NGINX}/user-guide/nginx-configuration/annotations/#canary` },
  { code: 'INGRESS_AFFINITY_COOKIE_PATH', severity: 'warning', summary: 'The ingress-nginx affinity cookie\'s Path does not cover the Ingress path: browsers never send it back there', source: `${NGINX}/user-guide/nginx-configuration/annotations/#session-affinity` },
  { code: 'INGRESS_NO_TLS', severity: 'warning', summary: 'The Ingress serves plain HTTP only', source: `${DOCS}/concepts/services-networking/ingress/#tls` },
  { code: 'INGRESS_TLS_AT_LOAD_BALANCER', severity: 'info', summary: 'The Ingress has no tls section; a cloud load balancer annotation says TLS ends in front of the cluster', source: 'https://cloud.google.com/kubernetes-engine/docs/how-to/managed-certs' },
  { code: 'INGRESS_SSL_REDIRECT_DISABLED', severity: 'warning', summary: 'ssl-redirect is turned off on an Ingress that has TLS', source: `${NGINX}/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect` },
  { code: 'INGRESS_NGINX_SNIPPET', severity: 'warning', summary: 'ingress-nginx snippet annotations inject raw nginx configuration (CVE-2021-25742, CVE-2025-1974)', source: 'https://github.com/kubernetes/ingress-nginx/issues/7837' },
  // NetworkPolicy
  { code: 'NETPOL_BLOCKS_INGRESS_BACKEND', severity: 'error', summary: 'A NetworkPolicy keeps the ingress controller from an Ingress backend\'s pods: requests end in 504', source: `${DOCS}/concepts/services-networking/network-policies/` },
  { code: 'NETPOL_SELECTS_NO_POD', severity: 'warning', summary: 'A NetworkPolicy whose podSelector matches no pod of its namespace', source: `${DOCS}/concepts/services-networking/network-policies/#networkpolicy-resource` },
  { code: 'NETPOL_NAMESPACE_SELECTOR_NO_MATCH', severity: 'warning', summary: 'A namespaceSelector in a NetworkPolicy rule matches no namespace', source: `${DOCS}/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors` },
  { code: 'NETPOL_NAMED_PORT_UNKNOWN', severity: 'warning', summary: 'A NetworkPolicy rule names a port that no pod it applies to declares', source: `${DOCS}/reference/kubernetes-api/policy-resources/network-policy-v1/#NetworkPolicyPort` },
  { code: 'NETPOL_DNS_EGRESS_BLOCKED', severity: 'error', summary: 'NetworkPolicy blocks a pod\'s DNS queries to kube-dns: every name lookup times out', source: `${DOCS}/concepts/services-networking/network-policies/#default-deny-all-egress-traffic` },
  { code: 'INGRESS_ANY_HOST', severity: 'info', summary: 'A rule without host answers every Host name', source: `${DOCS}/concepts/services-networking/ingress/#hostname-wildcards` },
  // Gateway API (v1.6.1 standard channel; reasons from apis/v1/gateway_types.go and httproute_types.go)
  { code: 'GATEWAY_NOT_ACCEPTED', severity: 'error', summary: 'The Gateway is not accepted or not programmed by the modelled controller (unknown class, invalid parameters, no valid listener)', source: `${GATEWAY_API}/api-types/gateway/` },
  { code: 'GATEWAY_LISTENER_INVALID', severity: 'error', summary: 'A listener is not accepted or its references do not resolve (unsupported protocol, route kinds, certificate)', source: `${GATEWAY_API}/reference/spec/#listenerconditionreason` },
  { code: 'GATEWAY_LISTENER_CONFLICTED', severity: 'error', summary: 'Listeners on one port with different protocols: none of them is served', source: `${GATEWAY_API}/reference/spec/#listenerconditionreason` },
  { code: 'GATEWAY_CERTIFICATE_INVALID', severity: 'error', summary: 'An HTTPS listener certificate is missing, unreadable, not a Secret, or in another namespace without a ReferenceGrant', source: `${GATEWAY_API}/guides/tls/` },
  { code: 'HTTPROUTE_NOT_ACCEPTED', severity: 'error', summary: 'An HTTPRoute parentRef is not accepted (no such Gateway or listener, or its allowedRoutes refuse the route)', source: `${GATEWAY_API}/api-types/httproute/#attaching-to-gateways` },
  { code: 'HTTPROUTE_HOSTNAME_NO_LISTENER', severity: 'error', summary: 'No hostname of the HTTPRoute intersects a listener hostname of its parent', source: `${GATEWAY_API}/api-types/httproute/#hostnames` },
  { code: 'HTTPROUTE_REF_NOT_PERMITTED', severity: 'error', summary: 'A backendRef to another namespace that no ReferenceGrant allows (500)', source: `${GATEWAY_API}/api-types/referencegrant/` },
  { code: 'HTTPROUTE_BACKEND_NOT_FOUND', severity: 'error', summary: 'A backendRef names a Service or port that does not exist, or a kind that is not a Service (500)', source: `${GATEWAY_API}/api-types/httproute/#backendrefs-optional` },
  { code: 'HTTPROUTE_MATCH_UNREACHABLE', severity: 'warning', summary: 'A route match no request reaches: an earlier rule on the same listener and host has the same conditions', source: `${GATEWAY_API}/api-types/httproute/#matches` },
  // Suppressions
  { code: 'SUPPRESSION_INVALID', severity: 'warning', summary: 'A suppression is malformed or names an unknown code: it suppresses nothing', source: 'README.md (In your CI: suppressions)' },
  { code: 'SUPPRESSION_UNUSED', severity: 'warning', summary: 'A suppression accepts a finding that is no longer reported', source: 'README.md (In your CI: suppressions)' },
];

const CODES: readonly DiagnosticCode[] = [
  ...MODEL_CODES.map((c): DiagnosticCode => ({ ...c, reportedBy: 'model' })),
  ...CHECK_CODES.map((c): DiagnosticCode => ({ ...c, reportedBy: 'check' })),
];

const BY_CODE = new Map(CODES.map((c) => [c.code, c]));

/** Every registered code, the model's first, in documentation order. */
export function diagnosticCodes(): readonly DiagnosticCode[] {
  return CODES;
}

/** The registry entry of a code; throws for an unknown code (a programming error, not input). */
export function codeOf(code: string): DiagnosticCode {
  const entry = BY_CODE.get(code);
  if (!entry) throw new Error(`unknown diagnostic code ${code}: register it in src/dataplane/diagnostic-codes.ts`);
  return entry;
}

/** A diagnostic as a reporter writes it: everything but the severity, which is the code's. */
export type UnratedDiagnostic = Omit<Diagnostic, 'severity'>;

/** A diagnostic with its registered severity; fields in the order `Diagnostic` documents them. */
export function diagnostic(d: UnratedDiagnostic): Diagnostic {
  const severity = codeOf(d.code).severity;
  const field = d.field === undefined ? {} : { field: d.field };
  const hint = d.hint === undefined ? {} : { hint: d.hint };
  return { code: d.code, severity, object: d.object, ...field, message: d.message, ...hint };
}
