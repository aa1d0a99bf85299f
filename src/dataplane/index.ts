export * from './types';
export { IngressControllerOptions, IngressStatus } from './ingress-controller';
export { isManifestError } from './errors';
export { formatHop, formatTrace } from './trace';
