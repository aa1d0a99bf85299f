export * from './types';
export { Cluster } from './cluster';
export { ManifestError } from './errors';
export { formatHop, formatTrace } from './trace';
