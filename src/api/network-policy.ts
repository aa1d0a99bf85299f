/**
 * networking.k8s.io/v1 NetworkPolicy: the API server's defaults (SetDefaults_NetworkPolicy,
 * SetDefaults_NetworkPolicyPort) and validation (ValidateNetworkPolicy in
 * pkg/apis/networking/validation/validation.go, 1.27), plus the facts the model reads from a
 * policy: which directions it isolates and what a peer or port means.
 */
import { FieldError } from './field-error';
import { FieldPath, forbidden, invalid, notSupported, required } from './field-path';
import { ipBytes } from './ip';
import { KindRules } from './kind-rules';
import { isDns1123Subdomain, isValidCIDR, isValidPortName, isValidPortNum } from './names';
import { isPlainObject, isUnset } from './values';
import { validateLabelSelector } from './workloads';

export const NETWORK_POLICY_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/**
 * The label the API server puts on every namespace (NamespaceDefaultLabelName feature, GA in
 * 1.22): `kubernetes.io/metadata.name: <name>`, so policies can select a namespace by name.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * SetDefaults_NetworkPolicy: a policy without policyTypes isolates ingress, and egress too when
 * it has egress rules; SetDefaults_NetworkPolicyPort: a port without protocol is TCP.
 */
export function setNetworkPolicyDefaults(obj: any): void {
  const spec = obj.spec;
  if (!isPlainObject(spec)) return;
  if (spec.podSelector === undefined || spec.podSelector === null) spec.podSelector = {};
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const direction of ['ingress', 'egress']) {
    for (const rule of Array.isArray(spec[direction]) ? spec[direction] : []) {
      for (const port of isPlainObject(rule) && Array.isArray(rule.ports) ? rule.ports : []) {
        if (isPlainObject(port) && isUnset(port.protocol)) port.protocol = 'TCP';
      }
    }
  }
}

/** ValidateNetworkPolicyPort. */
function validatePort(port: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(port)) return [invalid(path, port, 'must be a port object')];
  const errs: FieldError[] = [];
  if (!NETWORK_POLICY_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(path.child('protocol'), port.protocol, NETWORK_POLICY_PROTOCOLS));
  const { port: value, endPort } = port;
  if (isUnset(value)) {
    if (!isUnset(endPort)) errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof value === 'number') {
    for (const msg of isValidPortNum(value)) errs.push(invalid(path.child('port'), value, msg));
    if (!isUnset(endPort)) {
      if (typeof endPort !== 'number') {errs.push(invalid(path.child('endPort'), endPort, 'must be an integer'));} else {
        if (endPort < value) errs.push(invalid(path.child('endPort'), value, 'must be greater than or equal to `port`'));
        for (const msg of isValidPortNum(endPort)) errs.push(invalid(path.child('endPort'), endPort, msg));
      }
    }
  } else if (typeof value === 'string') {
    if (!isUnset(endPort)) errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(value)) errs.push(invalid(path.child('port'), value, msg));
  } else {
    errs.push(invalid(path.child('port'), value, 'must be a port number or name'));
  }
  return errs;
}

/** The prefix length of a CIDR and its address bytes (16, IPv4 mapped), for the except subset rule. */
function cidrParts(text: string): { bytes: number[]; bits: number } | undefined {
  const slash = text.indexOf('/');
  const bytes = ipBytes(text.slice(0, slash));
  if (!bytes) return undefined;
  const v4 = text.slice(0, slash).includes('.') && !text.includes(':');
  return { bytes, bits: Number(text.slice(slash + 1)) + (v4 ? 96 : 0) };
}

function prefixContains(outer: { bytes: number[]; bits: number }, ip: number[]): boolean {
  const whole = Math.floor(outer.bits / 8);
  for (let i = 0; i < whole; i++) if (outer.bytes[i] !== ip[i]) return false;
  const rest = outer.bits % 8;
  if (rest === 0) return true;
  const block = 2 ** (8 - rest);
  return Math.floor(outer.bytes[whole] / block) === Math.floor(ip[whole] / block);
}

/** ValidateIPBlock: cidr required and valid; each except a valid CIDR strictly inside it. */
function validateIpBlock(block: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(block)) return [invalid(path, block, 'must be an ipBlock object')];
  if (typeof block.cidr !== 'string' || block.cidr === '') return [required(path.child('cidr'), '')];
  if (isValidCIDR(block.cidr).length) return [invalid(path.child('cidr'), block.cidr, 'not a valid CIDR')];
  const cidr = cidrParts(block.cidr)!;
  const errs: FieldError[] = [];
  const except = isUnset(block.except) ? [] : block.except;
  if (!Array.isArray(except)) return [invalid(path.child('except'), except, 'must be a list of CIDRs')];
  for (let i = 0; i < except.length; i++) {
    const at = path.child('except').index(i);
    const text = except[i];
    if (typeof text !== 'string' || isValidCIDR(text).length) return [...errs, invalid(at, text, 'not a valid CIDR')];
    const inner = cidrParts(text)!;
    if (!prefixContains(cidr, inner.bytes) || cidr.bits >= inner.bits) errs.push(invalid(at, text, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

/** ValidateNetworkPolicyPeer: at least one of the selectors or ipBlock; ipBlock stands alone. */
function validatePeer(peer: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(peer)) return [invalid(path, peer, 'must be a peer object')];
  const errs: FieldError[] = [];
  let peers = 0;
  if (!isUnset(peer.podSelector)) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, path.child('podSelector')));
  }
  if (!isUnset(peer.namespaceSelector)) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, path.child('namespaceSelector')));
  }
  if (!isUnset(peer.ipBlock)) {
    peers++;
    errs.push(...validateIpBlock(peer.ipBlock, path.child('ipBlock')));
  }
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && !isUnset(peer.ipBlock)) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateRules(rules: unknown, path: FieldPath, peersField: 'from' | 'to'): FieldError[] {
  if (isUnset(rules)) return [];
  if (!Array.isArray(rules)) return [invalid(path, rules, 'must be a list of rules')];
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const at = path.index(i);
    if (!isPlainObject(rule)) {
      errs.push(invalid(at, rule, 'must be a rule object'));
      return;
    }
    for (const [field, check] of [['ports', validatePort], [peersField, validatePeer]] as const) {
      const list = rule[field];
      if (isUnset(list)) continue;
      if (!Array.isArray(list)) errs.push(invalid(at.child(field), list, 'must be a list'));
      else list.forEach((item, j) => errs.push(...check(item, at.child(field).index(j))));
    }
  });
  return errs;
}

/** ValidateNetworkPolicySpec over a defaulted object. */
export function validateNetworkPolicy(obj: any): FieldError[] {
  const spec = obj.spec;
  const path = FieldPath.root('spec');
  if (!isPlainObject(spec)) return [required(path, 'must be set')];
  const errs = validateLabelSelector(spec.podSelector, path.child('podSelector'));
  errs.push(...validateRules(spec.ingress, path.child('ingress'), 'from'));
  errs.push(...validateRules(spec.egress, path.child('egress'), 'to'));
  const types = spec.policyTypes;
  if (!Array.isArray(types)) return [...errs, invalid(path.child('policyTypes'), types, 'must be a list')];
  if (types.length > POLICY_TYPES.length) return [...errs, invalid(path.child('policyTypes'), types, 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(path.child('policyTypes').index(i), t, POLICY_TYPES));
  });
  return errs;
}

export const NETWORK_POLICY_RULES: KindRules = {
  meta: { namespaced: true, nameRule: isDns1123Subdomain },
  applyDefaults: setNetworkPolicyDefaults,
  validate: validateNetworkPolicy,
};

/** Whether a (defaulted) policy isolates the selected pods for `Ingress` or `Egress`. */
export function policyIsolates(spec: any, direction: 'Ingress' | 'Egress'): boolean {
  return Array.isArray(spec?.policyTypes) && spec.policyTypes.includes(direction);
}
