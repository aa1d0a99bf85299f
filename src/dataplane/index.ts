export * from './types';
export { IngressControllerOptions, IngressStatus } from './ingress/types';
export { GatewayClassStatus, GatewayControllerOptions, GatewayStatus, ListenerStatus, RouteParentStatus } from './gateway/types';
export { isManifestError } from './errors';
export { formatHop, formatTrace } from './trace';
