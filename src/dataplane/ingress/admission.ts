/**
 * Which Ingresses the modelled controller serves (internal): the profile and class it answers
 * to, the API server's default-class admission, and the controllers' creation order.
 */
import { IngressControllerOptions, IngressStatus, PROFILE_NGINX, PROFILE_PORTABLE } from './types';
import { INGRESS_CLASS_ANNOTATION } from '../../api/ingress';
import { IngressClassView, IngressView } from '../../api/ingress-reader';

const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

/** The controller's identity: its profile, why, and the controller and class names it answers to. */
export interface ControllerIdentity {
  readonly profile: string;
  readonly reason: string;
  readonly controllerName?: string;
  readonly className?: string;
}

/** The IngressClasses as admission reads them: by name, and the ones marked default. */
export interface ClassIndex {
  readonly all: readonly IngressClassView[];
  readonly byName: ReadonlyMap<string, IngressClassView>;
  readonly defaults: readonly IngressClassView[];
}

export function indexClasses(classes: readonly IngressClassView[]): ClassIndex {
  const byName = new Map<string, IngressClassView>();
  for (const c of classes) if (!byName.has(c.name)) byName.set(c.name, c);
  return { all: classes, byName, defaults: classes.filter((c) => c.isDefault) };
}

/**
 * Creation order (ingress-nginx store sortIngressSlice): by `metadata.creationTimestamp`,
 * ties broken by `namespace/name` descending. Objects without a timestamp count as created in
 * the order given (as `kubectl apply` of the documents would), after any stamped object.
 */
export function creationOrder(ingresses: readonly IngressView[]): IngressView[] {
  const stamped = ingresses.map((ing, index) => {
    const ts = Date.parse(ing.creationTimestamp ?? '');
    return { ing, index, ts: Number.isNaN(ts) ? undefined : ts };
  });
  return stamped
    .sort((a, b) => {
      if (a.ts !== undefined && b.ts !== undefined) {
        if (a.ts !== b.ts) return a.ts - b.ts;
        return a.ing.key > b.ing.key ? -1 : a.ing.key < b.ing.key ? 1 : 0;
      }
      if (a.ts !== undefined) return -1;
      if (b.ts !== undefined) return 1;
      return a.index - b.index;
    })
    .map((s) => s.ing);
}

export function chooseIdentity(ingresses: readonly IngressView[], index: ClassIndex, options: IngressControllerOptions): ControllerIdentity {
  if (options.profile !== undefined && options.profile !== PROFILE_NGINX && options.profile !== PROFILE_PORTABLE) {
    throw new Error(`ingressController.profile: Unsupported value: "${options.profile}": supported values: "nginx", "portable"`);
  }
  const classes = index.all;
  // The class this controller serves, when the options do not say.
  const served = options.controllerName !== undefined
    ? classes.find((c) => c.controller === options.controllerName)
    : options.className !== undefined
      ? classes.find((c) => c.name === options.className)
      : classes.find((c) => c.controller === NGINX_CONTROLLER) ?? index.defaults[0] ?? classes[0];
  const isNginxClass = served !== undefined && (served.controller === NGINX_CONTROLLER || served.name === 'nginx');
  let profile = options.profile;
  let reason = 'set in the options';
  if (profile === undefined) {
    if (options.controllerName !== undefined) {
      profile = options.controllerName === NGINX_CONTROLLER ? PROFILE_NGINX : PROFILE_PORTABLE;
      reason = `controllerName ${options.controllerName}`;
    } else if (served) {
      profile = isNginxClass ? PROFILE_NGINX : PROFILE_PORTABLE;
      reason = `IngressClass ${served.name} (controller ${served.controller})`;
    } else {
      const usesNginx = options.className === 'nginx' || ingresses.some((i) => i.ingressClassName === 'nginx' || i.classAnnotation === 'nginx');
      profile = usesNginx ? PROFILE_NGINX : PROFILE_PORTABLE;
      reason = usesNginx ? 'no IngressClass in the manifests; the Ingresses use class nginx' : 'no IngressClass in the manifests names ingress-nginx';
    }
  }
  const controllerName = options.controllerName ?? (profile === PROFILE_NGINX ? NGINX_CONTROLLER : served?.controller);
  const className = options.className ?? (profile === PROFILE_NGINX ? 'nginx' : served?.name);
  return { profile, reason, controllerName, className };
}

/**
 * Whether the controller serves an Ingress. The API server's DefaultIngressClass admission
 * (1.27: rejects the Ingress when more than one class is marked default) gives a class to an
 * Ingress that names none; then the controller serves IngressClasses whose `spec.controller`
 * is its own, the legacy annotation when it equals its class name, and class-less Ingresses
 * only with watchIngressWithoutClass. With no IngressClass in the manifests at all the
 * controller is taken to be installed separately and serves every Ingress.
 */
export function admit(ing: IngressView, classes: ClassIndex, options: IngressControllerOptions, identity: ControllerIdentity): IngressStatus {
  const controller = identity.controllerName;
  const withController = (s: Omit<IngressStatus, 'controller'>): IngressStatus => (controller ? { ...s, controller } : s);
  const annotation = ing.classAnnotation;
  let className = ing.ingressClassName;
  let defaulted = false;
  if (className === undefined && annotation === undefined) {
    const defaults = classes.defaults;
    if (defaults.length > 1) {
      return { admitted: false, reason: `${defaults.length} default IngressClasses were found, only 1 allowed: kube-apiserver 1.27 rejects the Ingress (DefaultIngressClass admission)` };
    }
    if (defaults.length === 1) {
      className = defaults[0].name;
      defaulted = true;
    }
  }
  if (classes.all.length === 0) {
    return withController({ admitted: true, reason: 'no IngressClass in the manifests: the controller is taken to be installed separately and serves every Ingress' });
  }
  if (className !== undefined) {
    const cls = classes.byName.get(className);
    const via = defaulted ? `default IngressClass ${className} (set by the API server)` : `IngressClass ${className}`;
    if (!cls) return { admitted: false, reason: `IngressClass ${className} does not exist` };
    if (cls.controller !== controller) {
      return { admitted: false, reason: `${via} belongs to controller ${cls.controller}, not ${controller ?? 'this controller'}` };
    }
    return withController({ admitted: true, reason: `${via} names controller ${controller}` });
  }
  if (annotation !== undefined) {
    if (annotation === identity.className) return withController({ admitted: true, reason: `annotation ${INGRESS_CLASS_ANNOTATION}: ${annotation}` });
    return { admitted: false, reason: `annotation ${INGRESS_CLASS_ANNOTATION}: ${annotation} is not this controller's class (${identity.className ?? 'none'})` };
  }
  if (options.watchIngressWithoutClass) return withController({ admitted: true, reason: 'no class; served because watchIngressWithoutClass is set' });
  return { admitted: false, reason: 'no class, no default IngressClass, and watchIngressWithoutClass is off' };
}
