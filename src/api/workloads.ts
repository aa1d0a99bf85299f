/**
 * Workload rules of kube-apiserver 1.27 that the dataplane model relies on: Pod, and the pod
 * templates of apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet and batch/v1 Job.
 * Defaults restate pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_ContainerPort)
 * and pkg/apis/apps/v1/defaults.go (replicas 1); checks restate ValidatePodSpec (containers,
 * names, ports, restartPolicy, dnsPolicy, hostname/subdomain), ValidateLabelSelector and the
 * controllers' "selector must match the template labels" (pkg/apis/apps/validation,
 * pkg/apis/batch/validation). Only a subset of PodSpec is checked: what decides pod names,
 * labels, ports and DNS in the model. Input of any shape is reported, never thrown on.
 */
import { FieldError } from './field-error';
import { duplicate, FieldPath, forbidden, invalid, notSupported, required } from './field-path';
import { KindRules } from './kind-rules';
import { isDns1123Label, isDns1123Subdomain, isDns1123SubdomainWithUnderscore, isValidIP, isValidPortName, isValidPortNum } from './names';
import { validateLabels } from './object-meta';
import { isPlainObject, isUnset } from './values';
import { KubernetesFeatures } from './versions';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const RESTART_POLICIES = ['Always', 'Never', 'OnFailure'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const SELECTOR_OPERATORS = ['DoesNotExist', 'Exists', 'In', 'NotIn'];
/** pkg/apis/core/validation: MaxDNSNameservers, MaxDNSSearchPaths. */
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;

/**
 * SetDefaults_PodSpec and SetDefaults_ContainerPort, for the fields the model reads; with
 * SidecarContainers off (1.28) dropPodDisabledFields clears init containers' `restartPolicy`.
 */
function setPodSpecDefaults(spec: unknown, features: KubernetesFeatures): void {
  if (!isPlainObject(spec)) return;
  if (features.containerRestartPolicyFieldKnown && !features.sidecarContainers) {
    for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) if (isPlainObject(c)) delete c.restartPolicy;
  }
  if (isUnset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (isUnset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isPlainObject(c) || !Array.isArray(c.ports)) continue;
      for (const p of c.ports) {
        if (!isPlainObject(p)) continue;
        if (isUnset(p.protocol)) p.protocol = 'TCP';
        // On the host network a container port is also the host port.
        if (spec.hostNetwork === true && isUnset(p.hostPort) && typeof p.containerPort === 'number') p.hostPort = p.containerPort;
      }
    }
  }
}

function validateContainers(list: unknown, path: FieldPath, init: boolean, seenNames: Set<string>, features: KubernetesFeatures): FieldError[] {
  const required_ = !init;
  if (list === undefined || list === null) return required_ ? [required(path)] : [];
  if (!Array.isArray(list)) return [invalid(path, list, 'must be a list of containers')];
  if (required_ && list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const at = path.index(i);
    if (!isPlainObject(c)) {
      errs.push(invalid(at, c, 'must be a container object'));
      return;
    }
    if (isUnset(c.name)) {
      errs.push(required(at.child('name')));
    } else if (typeof c.name !== 'string') {
      errs.push(invalid(at.child('name'), c.name, 'must be a string'));
    } else {
      for (const msg of isDns1123Label(c.name)) errs.push(invalid(at.child('name'), c.name, msg));
      if (seenNames.has(c.name)) errs.push(duplicate(at.child('name'), c.name));
      seenNames.add(c.name);
    }
    errs.push(...validateContainerRestartPolicy(c.restartPolicy, at.child('restartPolicy'), init, features));
    if (isUnset(c.image)) errs.push(required(at.child('image')));
    else if (typeof c.image !== 'string') errs.push(invalid(at.child('image'), c.image, 'must be a string'));
    if (c.ports === undefined || c.ports === null) return;
    if (!Array.isArray(c.ports)) {
      errs.push(invalid(at.child('ports'), c.ports, 'must be a list of container ports'));
      return;
    }
    // validateContainerPorts runs per container: two containers may name a port alike (kubernetes#122150).
    const seenPortNames = new Set<string>();
    c.ports.forEach((p: unknown, j: number) => {
      const pp = at.child('ports').index(j);
      if (!isPlainObject(p)) {
        errs.push(invalid(pp, p, 'must be a container port object'));
        return;
      }
      // validateContainerPorts: names are IANA service names, unique within the container.
      if (!isUnset(p.name)) {
        if (typeof p.name !== 'string') {
          errs.push(invalid(pp.child('name'), p.name, 'must be a string'));
        } else {
          for (const msg of isValidPortName(p.name)) errs.push(invalid(pp.child('name'), p.name, msg));
          if (seenPortNames.has(p.name)) errs.push(duplicate(pp.child('name'), p.name));
          seenPortNames.add(p.name);
        }
      }
      if (p.containerPort === undefined || p.containerPort === null || p.containerPort === 0) {
        errs.push(required(pp.child('containerPort')));
      } else if (typeof p.containerPort !== 'number') {
        errs.push(invalid(pp.child('containerPort'), p.containerPort, 'must be an integer'));
      } else {
        for (const msg of isValidPortNum(p.containerPort)) errs.push(invalid(pp.child('containerPort'), p.containerPort, msg));
      }
      if (!isUnset(p.hostPort)) {
        if (typeof p.hostPort !== 'number') errs.push(invalid(pp.child('hostPort'), p.hostPort, 'must be an integer'));
        else for (const msg of isValidPortNum(p.hostPort)) errs.push(invalid(pp.child('hostPort'), p.hostPort, msg));
      }
      if (isUnset(p.protocol)) errs.push(required(pp.child('protocol')));
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(pp.child('protocol'), p.protocol, PROTOCOLS));
    });
  });
  return errs;
}

/**
 * A container's `restartPolicy` (validateInitContainers / validateContainers): before 1.28 the
 * field does not exist and strict field validation refuses it (reported as Forbidden); from 1.29
 * an init container may say `Always` (a sidecar) and a regular container nothing.
 */
function validateContainerRestartPolicy(value: unknown, path: FieldPath, init: boolean, features: KubernetesFeatures): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!features.containerRestartPolicyFieldKnown) {
    return [forbidden(path, `strict decoding error: unknown field "${path.toString()}" (Kubernetes ${features.version} has no such field; it arrives in 1.28)`)];
  }
  if (!init) return [forbidden(path, 'may not be set for non-init containers')];
  return value === 'Always' ? [] : [notSupported(path, value, ['Always'])];
}

/**
 * validatePodDNSConfig: at most 3 nameservers (valid IPs) and 32 searches, each a DNS subdomain
 * (a trailing dot allowed; with RelaxedDNSSearchValidation also `.` alone and `_` in labels);
 * dnsPolicy None needs a nameserver.
 */
function validateDnsConfig(cfg: unknown, policy: unknown, path: FieldPath, features: KubernetesFeatures): FieldError[] {
  if (cfg === undefined || cfg === null) {
    return policy === 'None' ? [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')] : [];
  }
  if (!isPlainObject(cfg)) return [invalid(path, cfg, 'must be a pod DNS config object')];
  const errs: FieldError[] = [];
  const lists: [string, number][] = [['nameservers', MAX_DNS_NAMESERVERS], ['searches', MAX_DNS_SEARCH_PATHS]];
  for (const [field, max] of lists) {
    const v = cfg[field];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      errs.push(invalid(path.child(field), v, 'must be a list of strings'));
      continue;
    }
    if (v.length > max) errs.push(invalid(path.child(field), v, `must not have more than ${max} ${field === 'nameservers' ? 'nameservers' : 'search paths'}`));
    v.forEach((x: string, i: number) => {
      // A search is judged, and reported, without its trailing dot.
      const value = field === 'nameservers' ? x : x.replace(/\.$/, '');
      const messages = field === 'nameservers' ? isValidIP(x) : searchMessages(x, value, features);
      for (const msg of messages) errs.push(invalid(path.child(field).index(i), value, msg));
    });
  }
  const nameservers = Array.isArray(cfg.nameservers) ? cfg.nameservers : [];
  if (policy === 'None' && nameservers.length === 0) {
    errs.push(required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  return errs;
}

function searchMessages(search: string, trimmed: string, features: KubernetesFeatures): string[] {
  if (!features.relaxedDnsSearchValidation) return isDns1123Subdomain(trimmed);
  return search === '.' ? [] : isDns1123SubdomainWithUnderscore(trimmed);
}

/** The subset of ValidatePodSpec the model relies on. */
export function validatePodSpec(spec: unknown, path: FieldPath, features: KubernetesFeatures): FieldError[] {
  if (spec === undefined || spec === null) return [required(path.child('containers'))];
  if (!isPlainObject(spec)) return [invalid(path, spec, 'must be a pod spec object')];
  const names = new Set<string>();
  const errs: FieldError[] = [
    ...validateContainers(spec.containers, path.child('containers'), false, names, features),
    ...validateContainers(spec.initContainers, path.child('initContainers'), true, names, features),
  ];
  if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(notSupported(path.child('restartPolicy'), spec.restartPolicy, RESTART_POLICIES));
  if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported(path.child('dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateDnsConfig(spec.dnsConfig, spec.dnsPolicy, path.child('dnsConfig'), features));
  for (const field of ['hostname', 'subdomain']) {
    const v = spec[field];
    if (isUnset(v)) continue;
    if (typeof v !== 'string') errs.push(invalid(path.child(field), v, 'must be a string'));
    else for (const msg of isDns1123Label(v)) errs.push(invalid(path.child(field), v, msg));
  }
  if (!isUnset(spec.nodeName)) {
    if (typeof spec.nodeName !== 'string') errs.push(invalid(path.child('nodeName'), spec.nodeName, 'must be a string'));
    else for (const msg of isDns1123Subdomain(spec.nodeName)) errs.push(invalid(path.child('nodeName'), spec.nodeName, msg));
  }
  if (spec.hostNetwork !== undefined && typeof spec.hostNetwork !== 'boolean') {
    errs.push(invalid(path.child('hostNetwork'), spec.hostNetwork, 'must be a boolean'));
  }
  return errs;
}

/** ValidateLabelSelector (apimachinery metav1 validation): matchLabels and matchExpressions. */
export function validateLabelSelector(selector: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(selector)) return [invalid(path, selector, 'must be a label selector object')];
  const errs = validateLabels(selector.matchLabels, path.child('matchLabels'));
  const exprs = selector.matchExpressions;
  if (exprs === undefined || exprs === null) return errs;
  if (!Array.isArray(exprs)) return [...errs, invalid(path.child('matchExpressions'), exprs, 'must be a list')];
  exprs.forEach((e, i) => {
    const at = path.child('matchExpressions').index(i);
    if (!isPlainObject(e)) {
      errs.push(invalid(at, e, 'must be a selector requirement'));
      return;
    }
    if (!SELECTOR_OPERATORS.includes(e.operator)) {
      errs.push(invalid(at.child('operator'), e.operator, 'not a valid selector operator'));
      return;
    }
    const values = e.values;
    if (values !== undefined && values !== null && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) {
      errs.push(invalid(at.child('values'), values, 'must be a list of strings'));
      return;
    }
    const count = Array.isArray(values) ? values.length : 0;
    if ((e.operator === 'In' || e.operator === 'NotIn') && count === 0) {
      errs.push(required(at.child('values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
    }
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && count > 0) {
      errs.push({ field: String(at.child('values')), type: 'Forbidden', message: 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'' });
    }
    if (typeof e.key !== 'string') errs.push(invalid(at.child('key'), e.key, 'must be a string'));
  });
  return errs;
}

/** Kinds whose pods come from `spec.template`, by apiVersion. */
const TEMPLATED_KINDS: Readonly<Record<string, readonly string[]>> = {
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'batch/v1': ['Job'],
};

/**
 * Where a workload manifest describes its pods: a Pod is its own template; Deployment,
 * ReplicaSet, StatefulSet, DaemonSet and Job use `spec.template`; a CronJob its job template's
 * `spec.template`. Undefined for kinds that run no pods.
 */
export function podTemplateOf(manifest: unknown): { readonly metadata?: any; readonly spec?: any } | undefined {
  if (!isPlainObject(manifest)) return undefined;
  const { apiVersion, kind } = manifest;
  if (apiVersion === 'v1' && kind === 'Pod') return manifest;
  if (apiVersion === 'batch/v1' && kind === 'CronJob') return manifest.spec?.jobTemplate?.spec?.template ?? {};
  if (typeof apiVersion === 'string' && TEMPLATED_KINDS[apiVersion]?.includes(kind as string)) return manifest.spec?.template ?? {};
  return undefined;
}

/** Whether a (valid) LabelSelector matches `labels` (apimachinery labels.Selector semantics). */
export function labelSelectorMatches(selector: any, labels: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function isEmptySelector(selector: any): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

function validateNonNegative(value: unknown, path: FieldPath): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [invalid(path, value, 'must be an integer')];
  return value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

interface ControllerShape {
  /** The word in "empty selector is invalid for <kind>". */
  readonly noun: string;
  readonly hasReplicas: boolean;
  /** Integer fields that must not be negative. */
  readonly counts: readonly string[];
  /** apps/v1 allows only Always (NotSupported); batch/v1 only OnFailure or Never (Required). */
  readonly job: boolean;
  /** Jobs generate their selector (manualSelector unset), so theirs is optional. */
  readonly selectorRequired: boolean;
}

function controllerRules(shape: ControllerShape): KindRules {
  return {
    meta: { namespaced: true },
    applyDefaults: (obj, features) => {
      if (!isPlainObject(obj)) return;
      if (!isPlainObject(obj.spec)) return;
      if (shape.hasReplicas && (obj.spec.replicas === undefined || obj.spec.replicas === null)) obj.spec.replicas = 1;
      setPodSpecDefaults(obj.spec.template?.spec, features);
    },
    validate: (obj, _options, features) => {
      const spec = FieldPath.root('spec');
      if (!isPlainObject(obj.spec)) return [required(spec)];
      const errs: FieldError[] = [];
      for (const field of shape.counts) errs.push(...validateNonNegative(obj.spec[field], spec.child(field)));
      const selector = obj.spec.selector;
      const selectorOk = isPlainObject(selector);
      if (selector === undefined || selector === null) {
        if (shape.selectorRequired) errs.push(required(spec.child('selector')));
      } else {
        const selErrs = validateLabelSelector(selector, spec.child('selector'));
        errs.push(...selErrs);
        if (!selErrs.length && selectorOk && isEmptySelector(selector)) {
          errs.push(invalid(spec.child('selector'), selector, `empty selector is invalid for ${shape.noun}`));
        }
      }
      const template = obj.spec.template;
      const tpath = spec.child('template');
      if (!isPlainObject(template)) {
        errs.push(required(tpath));
        return errs;
      }
      const labels = template.metadata?.labels;
      errs.push(...validateLabels(labels, tpath.child('metadata').child('labels')));
      if (selectorOk && !errs.length && !isEmptySelector(selector) && !labelSelectorMatches(selector, isPlainObject(labels) ? labels : {})) {
        errs.push(invalid(tpath.child('metadata').child('labels'), labels ?? {}, '`selector` does not match template `labels`'));
      }
      errs.push(...validatePodSpec(template.spec, tpath.child('spec'), features));
      const restartPolicy = isPlainObject(template.spec) ? template.spec.restartPolicy : undefined;
      const restartPath = tpath.child('spec').child('restartPolicy');
      if (shape.job && restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
        errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
      } else if (!shape.job && restartPolicy !== undefined && restartPolicy !== 'Always' && RESTART_POLICIES.includes(restartPolicy)) {
        errs.push(notSupported(restartPath, restartPolicy, ['Always']));
      }
      return errs;
    },
  };
}

/** v1/Pod. */
export const POD_RULES: KindRules = {
  meta: { namespaced: true },
  applyDefaults: (obj, features) => {
    if (isPlainObject(obj)) setPodSpecDefaults(obj.spec, features);
  },
  validate: (obj, _options, features) => validatePodSpec(obj.spec, FieldPath.root('spec'), features),
};

const REPLICATED = { hasReplicas: true, counts: ['replicas'], job: false, selectorRequired: true };
export const DEPLOYMENT_RULES = controllerRules({ ...REPLICATED, noun: 'deployment' });
// ValidateReplicaSetSpec reuses the Deployment wording.
export const REPLICA_SET_RULES = controllerRules({ ...REPLICATED, noun: 'deployment' });
export const STATEFUL_SET_RULES = controllerRules({ ...REPLICATED, noun: 'statefulset' });
export const DAEMON_SET_RULES = controllerRules({ noun: 'daemonset', hasReplicas: false, counts: [], job: false, selectorRequired: true });
export const JOB_RULES = controllerRules({ noun: 'job', hasReplicas: false, counts: ['parallelism', 'completions'], job: true, selectorRequired: false });
