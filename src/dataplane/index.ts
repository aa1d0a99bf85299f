export * from './types';
export { Cluster } from './cluster';
export { isManifestError } from './errors';
export { formatHop, formatTrace } from './trace';
