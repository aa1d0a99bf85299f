/**
 * Typed views of Ingress and IngressClass objects the API server accepted (networking.k8s.io/v1),
 * for readers that route by them. Reading never throws: a missing list is empty, a missing
 * namespace is `default`, a backend that names no Service is a resource backend.
 */
import { DEFAULT_INGRESS_CLASS_ANNOTATION, INGRESS_CLASS_ANNOTATION } from './ingress';
import { isPlainObject } from './values';

/** `spec.defaultBackend` or a path's backend. */
export interface IngressBackendView {
  /** The Service name; undefined for a `resource` backend. */
  readonly service?: string;
  /** `service.port.number`, else `service.port.name`. */
  readonly port?: number | string;
}

export interface IngressPathView {
  readonly path: string;
  /** As written (the API server requires it in v1); undefined when absent. */
  readonly pathType?: string;
  readonly backend: IngressBackendView;
  /** e.g. `spec.rules[0].http.paths[1]`. */
  readonly field: string;
}

export interface IngressRuleView {
  /** Lower case; empty when the rule has no host. */
  readonly host: string;
  readonly paths: readonly IngressPathView[];
}

export interface IngressTlsView {
  /** Lower case. */
  readonly hosts: readonly string[];
  readonly secretName?: string;
}

export interface IngressView {
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`. */
  readonly key: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  readonly ingressClassName?: string;
  /** The legacy `kubernetes.io/ingress.class` annotation. */
  readonly classAnnotation?: string;
  readonly defaultBackend?: IngressBackendView;
  readonly rules: readonly IngressRuleView[];
  readonly tls: readonly IngressTlsView[];
}

export interface IngressClassView {
  readonly name: string;
  readonly controller?: string;
  /** Marked `ingressclass.kubernetes.io/is-default-class: "true"`. */
  readonly isDefault: boolean;
}

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function readBackend(b: any): IngressBackendView {
  const svc = b?.service;
  if (!isPlainObject(svc) || typeof svc.name !== 'string') return {};
  const port = typeof svc.port?.number === 'number' ? svc.port.number : typeof svc.port?.name === 'string' ? svc.port.name : undefined;
  return port === undefined ? { service: svc.name } : { service: svc.name, port };
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export function readIngress(obj: any): IngressView {
  const namespace = typeof obj?.metadata?.namespace === 'string' ? obj.metadata.namespace : 'default';
  const name = String(obj?.metadata?.name ?? '');
  const annotations = stringMap(obj?.metadata?.annotations);
  const spec = isPlainObject(obj?.spec) ? obj.spec : {};
  const rules = list(spec.rules).map((r: any, i: number): IngressRuleView => ({
    host: typeof r?.host === 'string' ? r.host.toLowerCase() : '',
    paths: list(r?.http?.paths).map((p: any, j: number): IngressPathView => ({
      path: typeof p?.path === 'string' && p.path !== '' ? p.path : '/',
      ...(typeof p?.pathType === 'string' ? { pathType: p.pathType } : {}),
      backend: readBackend(p?.backend),
      field: `spec.rules[${i}].http.paths[${j}]`,
    })),
  }));
  const tls = list(spec.tls).map((t: any): IngressTlsView => ({
    hosts: list(t?.hosts).map((h) => String(h).toLowerCase()),
    ...(typeof t?.secretName === 'string' && t.secretName !== '' ? { secretName: t.secretName } : {}),
  }));
  const view: { -readonly [K in keyof IngressView]: IngressView[K] } = { namespace, name, key: `${namespace}/${name}`, annotations, rules, tls };
  if (typeof obj?.metadata?.creationTimestamp === 'string') view.creationTimestamp = obj.metadata.creationTimestamp;
  if (typeof spec.ingressClassName === 'string') view.ingressClassName = spec.ingressClassName;
  if (annotations[INGRESS_CLASS_ANNOTATION] !== undefined) view.classAnnotation = annotations[INGRESS_CLASS_ANNOTATION];
  if (spec.defaultBackend !== undefined) view.defaultBackend = readBackend(spec.defaultBackend);
  return view;
}

export function readIngressClass(obj: any): IngressClassView {
  return {
    name: String(obj?.metadata?.name ?? ''),
    ...(typeof obj?.spec?.controller === 'string' ? { controller: obj.spec.controller } : {}),
    isDefault: obj?.metadata?.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true',
  };
}
