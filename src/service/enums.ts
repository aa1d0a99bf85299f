/** IP families a Service can use (`spec.ipFamilies`). */
export enum IpFamily {
  IPV4 = 'IPv4',
  IPV6 = 'IPv6',
}

/** How a Service uses the cluster's IP families (`spec.ipFamilyPolicy`). */
export enum IpFamilyPolicy {
  /** One IP family: the first of `ipFamilies`, or the cluster's primary family. */
  SINGLE_STACK = 'SingleStack',
  /** Two families on dual-stack clusters, one otherwise. */
  PREFER_DUAL_STACK = 'PreferDualStack',
  /** Two families; creation fails on single-stack clusters. */
  REQUIRE_DUAL_STACK = 'RequireDualStack',
}

/** Which endpoints traffic from inside the cluster may reach (`spec.internalTrafficPolicy`). */
export enum InternalTrafficPolicy {
  /** Any ready endpoint in the cluster (the Kubernetes default). */
  CLUSTER = 'Cluster',
  /** Only endpoints on the client's node; traffic is dropped when there are none. */
  LOCAL = 'Local',
}

/**
 * Which endpoints traffic from outside the cluster may reach (`spec.externalTrafficPolicy`),
 * for NodePort, LoadBalancer and services with external IPs.
 */
export enum ExternalTrafficPolicy {
  /** Any ready endpoint; the client's source IP is masqueraded (the Kubernetes default). */
  CLUSTER = 'Cluster',
  /** Only endpoints on the receiving node; preserves the client's source IP. */
  LOCAL = 'Local',
}
