import { buildContext, CheckContext } from './context';
import { checkExposure } from './exposure';
import { checkGateways } from './gateway';
import { checkIngresses } from './ingress';
import { checkNetworkPolicies } from './network-policy';
import { checkNginxTraffic } from './nginx-traffic';
import { checkServices } from './services';
import { checkStatefulSets } from './statefulsets';
import { checkTls } from './tls';
import type { GatewayController } from '../dataplane/gateway/controller';
import type { IngressController } from '../dataplane/ingress/controller';
import type { CompiledModel } from '../dataplane/model';
import type { Diagnostic } from '../dataplane/types';

/** Options of a checks run (internal). */
export interface RunChecksOptions {
  /**
   * Milliseconds since the epoch at which certificates must be valid.
   * @default Date.now()
   */
  readonly now?: number;
  /**
   * The compiled Gateway API controller, whose statuses the Gateway checks read.
   * @default - no Gateway checks
   */
  readonly gateway?: GatewayController;
}

const CHECKS: ReadonlyArray<(ctx: CheckContext) => Diagnostic[]> = [
  checkServices, checkStatefulSets, checkIngresses, checkNginxTraffic, checkTls, checkExposure, checkNetworkPolicies,
];

/**
 * Runs every check over a compiled model. Diagnostics come per check in manifest order, so
 * output is deterministic for the same manifests and time.
 */
export function runChecks(model: CompiledModel, ingress: IngressController | undefined, options: RunChecksOptions = {}): Diagnostic[] {
  const ctx = buildContext(model, ingress, options.now ?? Date.now());
  return [...CHECKS.flatMap((check) => check(ctx)), ...(options.gateway ? checkGateways(options.gateway, ctx) : [])];
}
