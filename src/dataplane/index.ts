export * from './types';
export { IngressControllerOptions, IngressStatus } from './ingress/types';
export { isManifestError } from './errors';
export { formatHop, formatTrace } from './trace';
