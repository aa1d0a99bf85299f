/** The public and shared types of the ingress controller model. */
import type { EpochSeconds, RandomSource, ResolvedServicePort, UpstreamEndpoint } from '../routing/ir';

/** Options of the modelled ingress controller (part of the Cluster options). */
export interface IngressControllerOptions {
  /**
   * `portable` follows the Kubernetes Ingress specification and docs; `nginx` follows
   * ingress-nginx v1.15.1.
   * @default - `nginx` when the served IngressClass's controller is `k8s.io/ingress-nginx` or the class is named `nginx`, else `portable`
   */
  readonly profile?: string;
  /**
   * The `spec.controller` of the IngressClasses this controller serves.
   * @default - `k8s.io/ingress-nginx` for `nginx`; for `portable` the controller of the default (else the first) IngressClass
   */
  readonly controllerName?: string;
  /**
   * The value of the legacy `kubernetes.io/ingress.class` annotation this controller answers to
   * (ingress-nginx `--ingress-class`).
   * @default - `nginx` for `nginx`; for `portable` the name of the served IngressClass
   */
  readonly className?: string;
  /**
   * Serve Ingresses that name no class at all (ingress-nginx `--watch-ingress-without-class`).
   * @default false
   */
  readonly watchIngressWithoutClass?: boolean;
  /**
   * The ingress-nginx ConfigMap key `ssl-redirect`: redirect HTTP to HTTPS for hosts that have
   * a certificate (the `nginx.ingress.kubernetes.io/ssl-redirect` annotation overrides it).
   * @default true
   */
  readonly sslRedirect?: boolean;
  /**
   * The Secret (`namespace/name`) holding the default certificate (ingress-nginx
   * `--default-ssl-certificate`); without it the controller presents a generated fake certificate.
   * @default - the generated fake certificate
   */
  readonly defaultSslCertificate?: string;
  /**
   * The controller's external IP address.
   * @default - one allocated by the model
   */
  readonly address?: string;
}

/** Whether the ingress controller serves an Ingress, and why. */
export interface IngressStatus {
  /** Whether the controller serves the Ingress. */
  readonly admitted: boolean;
  /**
   * The controller that serves it (an IngressClass `spec.controller` value).
   * @default - not served, or served by a controller of unknown name
   */
  readonly controller?: string;
  /**
   * Why it is (or is not) served, in one line.
   * @default - no explanation needed
   */
  readonly reason?: string;
}

/** The Ingress path that answers a host and path (internal, see `IngressController.locate`). */
export interface LocatedPath {
  /** `namespace/name` of the Ingress. */
  readonly ingress: string;
  readonly path: string;
  readonly pathType: string;
  /** How the controller names the match, e.g. `Prefix /api` or `location = /api of server a.example`. */
  readonly rule: string;
  /** Later Ingresses whose identical host+path lost to this one (ingress-nginx profile). */
  readonly shadowed: readonly string[];
}

/** Looks up the ready endpoints of one Service port (internal; the cluster supplies it). */
export type IngressEndpointSource = (namespace: string, service: string, port: ResolvedServicePort) => readonly UpstreamEndpoint[];

/** What the controller is compiled from: defaulted, API-server-accepted manifests in creation order (internal). */
export interface IngressControllerInput {
  readonly ingresses: readonly unknown[];
  readonly ingressClasses: readonly unknown[];
  readonly secrets: readonly unknown[];
  readonly services: readonly unknown[];
  readonly endpoints: IngressEndpointSource;
  /** The cluster's seeded generator (cookie affinity picks, canary weights). */
  readonly random?: RandomSource;
  /** The wall clock cookie `Expires` is computed from. */
  readonly clock?: EpochSeconds;
}

/** The profiles. */
export const PROFILE_PORTABLE = 'portable';
export const PROFILE_NGINX = 'nginx';
/** The trace component of the ingress controller model. */
export const INGRESS_COMPONENT = 'ingress-controller';
