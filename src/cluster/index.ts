export { Cluster } from './cluster';
export { compareRouting, CompareRoutingOptions, ComparedRequest, RoutingComparison, RoutingCoverage, RoutingDifference } from './compare';
