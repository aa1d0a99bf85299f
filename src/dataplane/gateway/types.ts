/** The public and shared types of the Gateway API controller model. */

/** Options of the modelled Gateway API controller (part of the Cluster options). */
export interface GatewayControllerOptions {
  /**
   * The GatewayClass `spec.controllerName` this controller answers to; Gateways of other classes are not served.
   * @default - the controllerName of the first GatewayClass in the manifests
   */
  readonly controllerName?: string;
  /**
   * `spec`: the Gateway API v1.6.1 specification (standard channel), with no implementation's quirks.
   * @default 'spec'
   */
  readonly profile?: string;
  /**
   * How the Gateway normalises a request's path before matching; the specification leaves it to
   * implementations. `none`: matched, redirected and forwarded as sent. `rfc3986`: dot segments
   * resolved and escapes of unreserved characters (`%61` → `a`) decoded, as Envoy's
   * `normalize_path` does (Istio's default). `rfc3986-merge-slashes`: runs of `/` merged as well
   * (Envoy Gateway's default). Envoy rewrites the path in place: redirects, rewrites and the
   * upstream see the normalised path. `nginx`: matched as nginx normalises the URI (every escape
   * decoded, dot segments resolved, slashes merged) while redirects and the upstream get the path
   * as sent, as an nginx-based Gateway proxying without a URI does.
   * @default 'none'
   */
  readonly pathNormalization?: string;
}

/** How the controller sees a GatewayClass. */
export interface GatewayClassStatus {
  /** The `Accepted` condition: the class is this controller's and its parameters resolve. */
  readonly accepted: boolean;
  /** `Accepted`, `InvalidParameters`, or `Pending` (another controller's class: this one writes no status). */
  readonly reason: string;
  /** The class's `metadata.generation` the condition describes (1 when the manifest does not say). */
  readonly observedGeneration: number;
  /**
   * Why, in one line.
   * @default - nothing to explain
   */
  readonly message?: string;
}

/** How the controller sees one listener of a Gateway. */
export interface ListenerStatus {
  /** The listener's name. */
  readonly name: string;
  /** The listener's port. */
  readonly port: number;
  /** The listener's protocol. */
  readonly protocol: string;
  /** The `Accepted` condition: the listener is valid and not in conflict. */
  readonly accepted: boolean;
  /** The `ResolvedRefs` condition: its certificates and allowed route kinds resolved. */
  readonly resolvedRefs: boolean;
  /** The `Programmed` condition: it serves requests. */
  readonly programmed: boolean;
  /** The `Conflicted` condition. */
  readonly conflicted: boolean;
  /** How many routes attached to it (status.listeners[].attachedRoutes). */
  readonly attachedRoutes: number;
  /** The reason of the first failing condition, else `Accepted`. */
  readonly reason: string;
  /**
   * The reason of the `Accepted` condition when it is False for another cause than `reason`
   * names: `NoValidCACertificate` while `reason` is the `ResolvedRefs` one (no CA certificate
   * of the client certificate validation resolved).
   * @default - `reason`
   */
  readonly acceptedReason?: string;
  /**
   * Why, in one line.
   * @default - nothing to explain
   */
  readonly message?: string;
}

/** How the controller sees a Gateway. */
export interface GatewayStatus {
  /** The `Accepted` condition. */
  readonly accepted: boolean;
  /** The `Programmed` condition: it has an address and serves at least one listener. */
  readonly programmed: boolean;
  /** The `metadata.generation` the conditions describe (1 when the manifest does not say). */
  readonly observedGeneration: number;
  /** The reason of the `Accepted` condition (`Accepted`, `ListenersNotValid`, `InvalidParameters`, `UnsupportedAddress`, `Pending`, …). */
  readonly reason: string;
  /** The reason of the `Programmed` condition (`Programmed`, `AddressNotUsable`, `Invalid`, `Pending`). */
  readonly programmedReason: string;
  /**
   * Why, in one line.
   * @default - nothing to explain
   */
  readonly message?: string;
  /**
   * The Gateway's address (status.addresses), from the model's load balancer pool.
   * @default - none when not programmed
   */
  readonly address?: string;
  /** Each listener, in spec order. */
  readonly listeners: ListenerStatus[];
  /**
   * The `InsecureFrontendValidationMode` condition (reason `ConfigurationChanged`): client
   * certificate validation, by default or on a port, is `AllowInsecureFallback`.
   * @default false
   */
  readonly insecureFrontendValidationMode?: boolean;
}

/** One parent's status of a route (status.parents[]). */
export interface RouteParentStatus {
  /** The parent Gateway, `namespace/name`. */
  readonly parent: string;
  /**
   * The parentRef's sectionName.
   * @default - the whole Gateway
   */
  readonly sectionName?: string;
  /**
   * The parentRef's port.
   * @default - any port
   */
  readonly port?: number;
  /** The `Accepted` condition: the route attached to at least one listener of this parent. */
  readonly accepted: boolean;
  /** The `ResolvedRefs` condition: every backendRef resolved. */
  readonly resolvedRefs: boolean;
  /** The route's `metadata.generation` the conditions describe (1 when the manifest does not say). */
  readonly observedGeneration: number;
  /** The reason of the first failing condition (`NotAllowedByListeners`, `NoMatchingListenerHostname`, `RefNotPermitted`, `BackendNotFound`, …), else `Accepted`. */
  readonly reason: string;
  /**
   * Why, in one line.
   * @default - nothing to explain
   */
  readonly message?: string;
  /** The listeners the route attached to. */
  readonly listeners: string[];
}

/** The profiles. */
export const PROFILE_SPEC = 'spec';
/** The trace component of the Gateway API controller model. */
export const GATEWAY_COMPONENT = 'gateway';

/** The values of `GatewayControllerOptions.pathNormalization`. */
export const GATEWAY_PATH_NORMALIZATIONS = ['none', 'rfc3986', 'rfc3986-merge-slashes', 'nginx'];
/** The values of `RequestOptions.protocol`: how a client speaks HTTP to a Gateway. */
export const CLIENT_PROTOCOLS = ['HTTP/1.1', 'HTTP/2', 'WebSocket'];
