import { diagnostic } from '../dataplane/diagnostic-codes';
import type { IngressController } from '../dataplane/ingress/controller';
import type { InventoryObject } from '../dataplane/inventory';
import type { CompiledModel } from '../dataplane/model';
import type { Diagnostic } from '../dataplane/types';

/** An Ingress backend that names a Service, with the field that names it (internal). */
export interface IngressServiceBackend {
  readonly ingress: InventoryObject;
  /** `spec.defaultBackend` or `spec.rules[i].http.paths[j].backend`. */
  readonly field: string;
  readonly namespace: string;
  readonly service: string;
  /** `service.port.number` or `service.port.name`. */
  readonly port?: number | string;
}

/** What every check reads: the compiled model, the ingress controller and the time (internal). */
export interface CheckContext {
  readonly model: CompiledModel;
  /** The compiled ingress controller, when the Cluster has one. */
  readonly ingress?: IngressController;
  /** Milliseconds since the epoch that certificate validity is judged at. */
  readonly now: number;
  /** Accepted Ingresses, in manifest order. */
  readonly ingresses: readonly InventoryObject[];
  /** Every Service backend of every accepted Ingress, compiled once. */
  readonly backends: readonly IngressServiceBackend[];
  /** Backends by Service `namespace/name`. */
  readonly backendsByService: ReadonlyMap<string, readonly IngressServiceBackend[]>;
}

const INGRESS_KIND = 'networking.k8s.io/v1/Ingress';

export function buildContext(model: CompiledModel, ingress: IngressController | undefined, now: number): CheckContext {
  const ingresses = model.inventory.ofKind(INGRESS_KIND);
  const backends: IngressServiceBackend[] = [];
  const add = (ing: InventoryObject, field: string, backend: any) => {
    const svc = backend?.service;
    if (!svc || typeof svc.name !== 'string') return;
    const port = typeof svc.port?.number === 'number' ? svc.port.number : typeof svc.port?.name === 'string' ? svc.port.name : undefined;
    backends.push({ ingress: ing, field, namespace: ing.namespace!, service: svc.name, port });
  };
  for (const ing of ingresses) {
    const spec = ing.manifest.spec ?? {};
    if (spec.defaultBackend) add(ing, 'spec.defaultBackend', spec.defaultBackend);
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: any, i: number) => {
      (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((p: any, j: number) => add(ing, `spec.rules[${i}].http.paths[${j}].backend`, p?.backend));
    });
  }
  const backendsByService = new Map<string, IngressServiceBackend[]>();
  for (const b of backends) {
    const key = `${b.namespace}/${b.service}`;
    let list = backendsByService.get(key);
    if (!list) backendsByService.set(key, (list = []));
    list.push(b);
  }
  return { model, ingress, now, ingresses, backends, backendsByService };
}

/** A finding of a check; the severity is its code's in the registry (src/dataplane/diagnostic-codes.ts). */
export function finding(code: string, object: string, field: string | undefined, message: string, hint?: string): Diagnostic {
  return diagnostic({ code, object, field, message, hint });
}

export function labelsText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '(none)';
}

/** A list shortened for one-line messages: `a, b, c and 4 more`. */
export function listText(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
