/**
 * Endpoint rules of kube-apiserver 1.27: v1/Endpoints (pkg/apis/core/validation
 * ValidateEndpoints, validateEndpointSubsets, ValidateNonSpecialIP) and discovery.k8s.io/v1
 * EndpointSlice (pkg/apis/discovery/validation). Defaults: port protocol TCP
 * (SetDefaults_EndpointPort, discovery SetDefaults_EndpointPort). Input of any shape is reported,
 * never thrown on.
 */
import { FieldError } from './field-error';
import { duplicate, FieldPath, invalid, notSupported, required, tooMany } from './field-path';
import { validateNonSpecialIP } from './ip';
import { KindRules } from './kind-rules';
import { ipFamilyOf, isDns1123Label, isDns1123Subdomain, isValidIP, isValidPortName, isValidPortNum } from './names';
import { isPlainObject, isUnset } from './values';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
/** discovery/validation: maxEndpoints, maxAddresses, maxPorts. */
const MAX_SLICE_ENDPOINTS = 1000;
const MAX_SLICE_ADDRESSES = 100;
const MAX_SLICE_PORTS = 20000;

function defaultPortProtocols(ports: unknown): void {
  if (!Array.isArray(ports)) return;
  for (const p of ports) if (isPlainObject(p) && isUnset(p.protocol)) p.protocol = 'TCP';
}

function validateProtocol(value: unknown, path: FieldPath): FieldError[] {
  if (isUnset(value)) return [required(path)];
  return PROTOCOLS.includes(value as string) ? [] : [notSupported(path, value, PROTOCOLS)];
}

function validatePortNumber(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value !== 'number') return [invalid(path, value, 'must be an integer')];
  return isValidPortNum(value).map((msg) => invalid(path, value, msg));
}

function validateEndpointsAddress(a: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(a)) return [invalid(path, a, 'must be an endpoint address object')];
  const errs: FieldError[] = [];
  if (isUnset(a.ip)) errs.push(required(path.child('ip')));
  else if (typeof a.ip !== 'string') errs.push(invalid(path.child('ip'), a.ip, 'must be a string'));
  else if (isValidIP(a.ip).length) errs.push(...isValidIP(a.ip).map((msg) => invalid(path.child('ip'), a.ip, msg)));
  else errs.push(...validateNonSpecialIP(a.ip, path.child('ip')));
  if (!isUnset(a.hostname)) {
    if (typeof a.hostname !== 'string') errs.push(invalid(path.child('hostname'), a.hostname, 'must be a string'));
    else errs.push(...isDns1123Label(a.hostname).map((msg) => invalid(path.child('hostname'), a.hostname, msg)));
  }
  if (!isUnset(a.nodeName)) {
    if (typeof a.nodeName !== 'string') errs.push(invalid(path.child('nodeName'), a.nodeName, 'must be a string'));
    else errs.push(...isDns1123Subdomain(a.nodeName).map((msg) => invalid(path.child('nodeName'), a.nodeName, msg)));
  }
  return errs;
}

function validateEndpoints(obj: any): FieldError[] {
  const subsets = obj.subsets;
  const path = FieldPath.root('subsets');
  if (subsets === undefined || subsets === null) return [];
  if (!Array.isArray(subsets)) return [invalid(path, subsets, 'must be a list of subsets')];
  const errs: FieldError[] = [];
  subsets.forEach((ss, i) => {
    const at = path.index(i);
    if (!isPlainObject(ss)) {
      errs.push(invalid(at, ss, 'must be an endpoint subset object'));
      return;
    }
    const addresses = ss.addresses ?? [];
    const notReady = ss.notReadyAddresses ?? [];
    if (!Array.isArray(addresses)) errs.push(invalid(at.child('addresses'), addresses, 'must be a list'));
    if (!Array.isArray(notReady)) errs.push(invalid(at.child('notReadyAddresses'), notReady, 'must be a list'));
    if (Array.isArray(addresses) && Array.isArray(notReady) && addresses.length === 0 && notReady.length === 0) {
      errs.push(required(at, 'must specify `addresses` or `notReadyAddresses`'));
    }
    if (Array.isArray(addresses)) addresses.forEach((a, j) => errs.push(...validateEndpointsAddress(a, at.child('addresses').index(j))));
    if (Array.isArray(notReady)) notReady.forEach((a, j) => errs.push(...validateEndpointsAddress(a, at.child('notReadyAddresses').index(j))));
    const ports = ss.ports ?? [];
    if (!Array.isArray(ports)) {
      errs.push(invalid(at.child('ports'), ports, 'must be a list'));
      return;
    }
    const names = new Set<string>();
    ports.forEach((p, j) => {
      const pp = at.child('ports').index(j);
      if (!isPlainObject(p)) {
        errs.push(invalid(pp, p, 'must be an endpoint port object'));
        return;
      }
      // validateEndpointPort: a name is required when the subset has more than one port.
      if (isUnset(p.name)) {
        if (ports.length > 1) errs.push(required(pp.child('name')));
      } else if (typeof p.name !== 'string') {
        errs.push(invalid(pp.child('name'), p.name, 'must be a string'));
      } else {
        errs.push(...isValidPortName(p.name).map((msg) => invalid(pp.child('name'), p.name, msg)));
        if (names.has(p.name)) errs.push(duplicate(pp.child('name'), p.name));
        names.add(p.name);
      }
      errs.push(...validatePortNumber(p.port, pp.child('port')));
      errs.push(...validateProtocol(p.protocol, pp.child('protocol')));
    });
  });
  return errs;
}

function validateSliceAddress(addr: unknown, addressType: string, path: FieldPath): FieldError[] {
  if (typeof addr !== 'string') return [invalid(path, addr, 'must be a string')];
  if (addressType === 'IPv4') return ipFamilyOf(addr) === 'IPv4' ? [] : [invalid(path, addr, 'must be a valid IPv4 address')];
  if (addressType === 'IPv6') return ipFamilyOf(addr) === 'IPv6' ? [] : [invalid(path, addr, 'must be a valid IPv6 address')];
  return isDns1123Subdomain(addr).map((msg) => invalid(path, addr, msg));
}

function validateEndpointSlice(obj: any): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = obj.addressType;
  if (isUnset(addressType)) errs.push(required(FieldPath.root('addressType')));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported(FieldPath.root('addressType'), addressType, ADDRESS_TYPES));
  const endpoints = obj.endpoints ?? [];
  const epath = FieldPath.root('endpoints');
  if (!Array.isArray(endpoints)) {
    errs.push(invalid(epath, endpoints, 'must be a list'));
  } else {
    if (endpoints.length > MAX_SLICE_ENDPOINTS) errs.push(tooMany(epath, endpoints.length, MAX_SLICE_ENDPOINTS));
    endpoints.forEach((e, i) => {
      const at = epath.index(i);
      if (!isPlainObject(e)) {
        errs.push(invalid(at, e, 'must be an endpoint object'));
        return;
      }
      const addrs = e.addresses;
      if (!Array.isArray(addrs) || addrs.length === 0) {
        errs.push(required(at.child('addresses'), 'must contain at least 1 address'));
      } else {
        if (addrs.length > MAX_SLICE_ADDRESSES) errs.push(tooMany(at.child('addresses'), addrs.length, MAX_SLICE_ADDRESSES));
        if (ADDRESS_TYPES.includes(addressType)) addrs.forEach((a: unknown, j: number) => errs.push(...validateSliceAddress(a, addressType, at.child('addresses').index(j))));
      }
      if (!isUnset(e.hostname)) {
        if (typeof e.hostname !== 'string') errs.push(invalid(at.child('hostname'), e.hostname, 'must be a string'));
        else errs.push(...isDns1123Label(e.hostname).map((msg) => invalid(at.child('hostname'), e.hostname, msg)));
      }
      if (e.conditions !== undefined && e.conditions !== null) {
        if (!isPlainObject(e.conditions)) {
          errs.push(invalid(at.child('conditions'), e.conditions, 'must be an object'));
        } else {
          for (const c of ['ready', 'serving', 'terminating']) {
            const v = e.conditions[c];
            if (v !== undefined && v !== null && typeof v !== 'boolean') errs.push(invalid(at.child('conditions').child(c), v, 'must be a boolean'));
          }
        }
      }
    });
  }
  const ports = obj.ports ?? [];
  const ppath = FieldPath.root('ports');
  if (!Array.isArray(ports)) {
    errs.push(invalid(ppath, ports, 'must be a list'));
    return errs;
  }
  if (ports.length > MAX_SLICE_PORTS) errs.push(tooMany(ppath, ports.length, MAX_SLICE_PORTS));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = ppath.index(i);
    if (!isPlainObject(p)) {
      errs.push(invalid(at, p, 'must be an endpoint port object'));
      return;
    }
    const name = p.name ?? '';
    if (typeof name !== 'string') {
      errs.push(invalid(at.child('name'), name, 'must be a string'));
    } else {
      if (name !== '') errs.push(...isDns1123Label(name).map((msg) => invalid(at.child('name'), name, msg)));
      if (names.has(name)) errs.push(duplicate(at.child('name'), name));
      names.add(name);
    }
    if (p.port !== undefined && p.port !== null) errs.push(...validatePortNumber(p.port, at.child('port')));
    errs.push(...validateProtocol(p.protocol, at.child('protocol')));
  });
  return errs;
}

/** v1/Endpoints. */
export const ENDPOINTS_RULES: KindRules = {
  meta: { namespaced: true },
  applyDefaults: (obj) => {
    if (!isPlainObject(obj) || !Array.isArray(obj.subsets)) return;
    for (const ss of obj.subsets) if (isPlainObject(ss)) defaultPortProtocols(ss.ports);
  },
  validate: validateEndpoints,
  // KEP-4974 (kubernetes#130098): every write of a v1 Endpoints from 1.33.
  warnings: (_obj, features) => (features.minor >= 33 ? ['v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice'] : []),
};

/** discovery.k8s.io/v1/EndpointSlice. */
export const ENDPOINT_SLICE_RULES: KindRules = {
  meta: { namespaced: true },
  applyDefaults: (obj) => {
    if (isPlainObject(obj)) defaultPortProtocols(obj.ports);
  },
  validate: validateEndpointSlice,
};
