export { Cluster } from './cluster';
export { compareRouting, CompareRoutingOptions, ComparedRequest, RoutingComparison, RoutingCoverage, RoutingDifference } from './compare';
export { migrateChart, migrateIngresses, MigrationNote, MigrationOptions, MigrationResult } from './migrate';
export { diffTraffic, TrafficChange } from './diff';
export { IValidationContext, IValidationReport, ResourceConstructPath, TrafficValidation, TrafficValidationProps, Violation, ViolatingResource } from './validation-plugin';
