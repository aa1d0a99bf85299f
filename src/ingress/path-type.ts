/**
 * How an Ingress path matches request paths (networking.k8s.io/v1 HTTPIngressPath.pathType).
 */
export enum PathType {
  /** Matches URL paths by `/`-separated elements, e.g. `/api` matches `/api` and `/api/cart` but not `/apis`. */
  PREFIX = 'Prefix',
  /** Matches the URL path exactly and case-sensitively. */
  EXACT = 'Exact',
  /** Matching is up to the IngressClass's controller (ingress-nginx: a prefix, or a regex with use-regex). */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}
