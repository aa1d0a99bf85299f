/**
 * Service rules of kube-apiserver 1.27 … 1.35 (the differences are switched by
 * `KubernetesFeatures`, src/api/versions.ts): the v1 defaults (pkg/apis/core/v1/defaults.go
 * SetDefaults_Service), the create-time registry steps that run before validation
 * (pkg/registry/core/service/storage: normalizeClusterIPs and the offline-knowable parts of the
 * IP-family and node-port allocators) and ValidateService (pkg/apis/core/validation/validation.go).
 *
 * Manifests come from anywhere (constructs, foreign YAML), so nothing here trusts the shape of
 * its input: a wrongly-typed field is reported as an Invalid FieldError, never thrown.
 */
import { FieldError } from './field-error';
import { duplicate, FieldPath, forbidden, invalid, notSupported, required } from './field-path';
import { isIPv6String, validateNonSpecialIP } from './ip';
import { KindRules, ValidationOptions } from './kind-rules';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidCIDR, isValidIP, isValidPortName, isValidPortNum } from './names';
import { validateLabels } from './object-meta';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, initServiceIpFamilies, IpFamily, serviceClusterIpFamilies } from './service-ip-families';
import { isPlainObject, isUnset } from './values';
import { KubernetesFeatures, kubernetesFeatures } from './versions';

/** core.DefaultClientIPServiceAffinitySeconds: three hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;
/** core.MaxClientIPServiceAffinitySeconds: one day. */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
/** kube-apiserver's default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

/** A `min-max` port range such as `--service-node-port-range`, or undefined when malformed. */
export function parsePortRange(text: string): { readonly min: number; readonly max: number } | undefined {
  const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(text);
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = Number(m[2]);
  return min >= 1 && max <= 65535 && min <= max ? { min, max } : undefined;
}

function nodePortRangeOf(options: ValidationOptions): { readonly min: number; readonly max: number } {
  const text = options.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const range = parsePortRange(text);
  if (!range) throw new Error(`serviceNodePortRange must be "min-max" within 1-65535, got ${JSON.stringify(text)}`);
  return range;
}

function clusterFamiliesOf(options: ValidationOptions): IpFamily[] {
  try {
    return serviceClusterIpFamilies(options.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE);
  } catch (e) {
    throw new Error(`serviceClusterIpRange: ${(e as Error).message}`);
  }
}

/** The legacy cloud-provider annotation that restricts LoadBalancer sources like spec.loadBalancerSourceRanges. */
export const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
/** The kubelet's port (pkg/cluster/ports KubeletPort), which a LoadBalancer may not expose. */
const KUBELET_PORT = 10250;
/** ≤1.29: the one message for a whole list of source ranges with a bad entry. */
const SOURCE_RANGES_MESSAGE = 'must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ';

// Supported values, sorted as sets.List returns them (they appear in NotSupported messages).
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

/**
 * Where externalTrafficPolicy applies: NodePort and LoadBalancer, and from 1.29 a ClusterIP with
 * externalIPs (pkg/api/service ExternallyAccessible, kubernetes#119150).
 */
export function externallyAccessible(type: unknown, externalIPs: unknown, features: KubernetesFeatures): boolean {
  if (type === 'LoadBalancer' || type === 'NodePort') return true;
  return features.externalIPsExternallyAccessible && type === 'ClusterIP' && Array.isArray(externalIPs) && externalIPs.length > 0;
}

/**
 * SetDefaults_Service (v1), then the registry's create-time steps: dropServiceDisabledFields (a
 * field whose gate is off is cleared) and normalizeClusterIPs (a singular clusterIP seeds
 * clusterIPs). Mutates `obj` (an object, as `rulesFor` found it); tolerates any shape of spec,
 * leaving one that is not an object to validateService.
 */
export function setServiceDefaults(obj: any, features: KubernetesFeatures = kubernetesFeatures()): void {
  if (obj.spec === undefined || obj.spec === null) obj.spec = {};
  const spec = obj.spec;
  if (!isPlainObject(spec)) return;

  if (isUnset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = isPlainObject(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig.clientIP : undefined;
    if (!isPlainObject(clientIP) || clientIP.timeoutSeconds === undefined || clientIP.timeoutSeconds === null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  if (isUnset(spec.type)) spec.type = 'ClusterIP';
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!isPlainObject(port)) continue;
      if (isUnset(port.protocol)) port.protocol = 'TCP';
      const targetUnset = port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '';
      if (targetUnset && (port.port === undefined || port.port === null || typeof port.port === 'number')) {
        port.targetPort = port.port ?? 0;
      }
    }
  }
  if (externallyAccessible(spec.type, spec.externalIPs, features) && isUnset(spec.externalTrafficPolicy)) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  if ((spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    spec.allocateLoadBalancerNodePorts = true;
  }
  // 1.30 with ServiceTrafficDistribution off: the field exists but the API server drops it.
  if (features.trafficDistributionFieldKnown && features.trafficDistributionValues.length === 0) delete spec.trafficDistribution;
  // storage/alloc.go normalizeClusterIPs on create: old clients set only the singular field.
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && (spec.clusterIPs === undefined || spec.clusterIPs === null || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 0))) {
    spec.clusterIPs = [spec.clusterIP];
  }
}

/** Reads a manifest into typed values, reporting each wrongly-typed field once. */
class Reader {
  public readonly errors: FieldError[] = [];

  /** A string field; absent/null is ''. Wrong types report and yield undefined. */
  public str(obj: Record<string, any>, key: string, path: FieldPath): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    this.errors.push(invalid(path.child(key), v, 'must be a string'));
    return undefined;
  }

  /** An optional string (a Go *string): absent/null is undefined, wrong types report and yield null. */
  public optStr(obj: Record<string, any>, key: string, path: FieldPath): string | undefined | null {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.errors.push(invalid(path.child(key), v, 'must be a string'));
    return null;
  }

  /** An int32 field; absent/null is 0. Wrong types report and yield undefined. */
  public int(obj: Record<string, any>, key: string, path: FieldPath): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return 0;
    if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v;
    this.errors.push(invalid(path.child(key), v, 'must be a 32-bit integer'));
    return undefined;
  }

  /** A list of strings; absent/null is []. Wrong entries report and are dropped (with their index kept). */
  public strList(obj: Record<string, any>, key: string, path: FieldPath): Array<string | undefined> | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.errors.push(invalid(path.child(key), v, 'must be a list of strings'));
      return undefined;
    }
    return v.map((item, i) => {
      if (typeof item === 'string') return item;
      this.errors.push(invalid(path.child(key).index(i), item, 'must be a string'));
      return undefined;
    });
  }
}

interface Port {
  readonly name?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
  readonly appProtocol?: string | null;
}

/** The typed view of a defaulted Service; `undefined` marks a field already reported as wrongly typed. */
interface Svc {
  readonly annotations: Record<string, unknown>;
  readonly type?: string;
  readonly ports: Port[];
  readonly portsBad: boolean;
  readonly selector: unknown;
  readonly sessionAffinity?: string;
  readonly sessionAffinityConfig: unknown;
  readonly clusterIP?: string;
  readonly clusterIPs?: Array<string | undefined>;
  readonly ipFamilies?: Array<string | undefined>;
  readonly ipFamilyPolicy?: string | null;
  readonly externalIPs?: Array<string | undefined>;
  readonly externalName?: string;
  readonly externalTrafficPolicy?: string;
  readonly internalTrafficPolicy?: string | null;
  readonly healthCheckNodePort?: number;
  readonly loadBalancerSourceRanges?: Array<string | undefined>;
  readonly loadBalancerClass?: string | null;
  readonly allocateLoadBalancerNodePorts?: boolean | null;
  /** Absent is undefined; a wrongly-typed value is reported and null. */
  readonly trafficDistribution?: string | null;
}

function readService(obj: any, reader: Reader): Svc {
  const spec = FieldPath.root('spec');
  const metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
  const annotations = isPlainObject(metadata.annotations) ? metadata.annotations : {};
  const raw: Record<string, any> = obj.spec;

  const ports: Port[] = [];
  let portsBad = false;
  if (Array.isArray(raw.ports)) {
    raw.ports.forEach((p: unknown, i: number) => {
      const path = spec.child('ports').index(i);
      if (!isPlainObject(p)) {
        reader.errors.push(invalid(path, p, 'must be an object'));
        portsBad = true;
        return;
      }
      let targetPort: number | string | undefined;
      if (typeof p.targetPort === 'string' || (typeof p.targetPort === 'number' && Number.isInteger(p.targetPort))) {
        targetPort = p.targetPort;
      } else if (p.targetPort !== undefined && p.targetPort !== null) {
        reader.errors.push(invalid(path.child('targetPort'), p.targetPort, 'must be an integer or a string'));
      }
      ports.push({
        name: reader.str(p, 'name', path),
        port: reader.int(p, 'port', path),
        protocol: reader.str(p, 'protocol', path),
        targetPort,
        nodePort: reader.int(p, 'nodePort', path),
        appProtocol: reader.optStr(p, 'appProtocol', path),
      });
    });
  } else if (raw.ports !== undefined && raw.ports !== null) {
    reader.errors.push(invalid(spec.child('ports'), raw.ports, 'must be a list of ports'));
    portsBad = true;
  }

  let allocate: boolean | null | undefined = raw.allocateLoadBalancerNodePorts ?? undefined;
  if (allocate !== undefined && typeof allocate !== 'boolean') {
    reader.errors.push(invalid(spec.child('allocateLoadBalancerNodePorts'), allocate, 'must be a boolean'));
    allocate = null;
  }
  if (raw.publishNotReadyAddresses !== undefined && raw.publishNotReadyAddresses !== null && typeof raw.publishNotReadyAddresses !== 'boolean') {
    reader.errors.push(invalid(spec.child('publishNotReadyAddresses'), raw.publishNotReadyAddresses, 'must be a boolean'));
  }
  if (raw.loadBalancerIP !== undefined && raw.loadBalancerIP !== null && typeof raw.loadBalancerIP !== 'string') {
    reader.errors.push(invalid(spec.child('loadBalancerIP'), raw.loadBalancerIP, 'must be a string'));
  }

  return {
    annotations,
    type: reader.str(raw, 'type', spec),
    ports,
    portsBad,
    selector: raw.selector,
    sessionAffinity: reader.str(raw, 'sessionAffinity', spec),
    sessionAffinityConfig: raw.sessionAffinityConfig,
    clusterIP: reader.str(raw, 'clusterIP', spec),
    clusterIPs: reader.strList(raw, 'clusterIPs', spec),
    ipFamilies: reader.strList(raw, 'ipFamilies', spec),
    ipFamilyPolicy: reader.optStr(raw, 'ipFamilyPolicy', spec),
    externalIPs: reader.strList(raw, 'externalIPs', spec),
    externalName: reader.str(raw, 'externalName', spec),
    externalTrafficPolicy: reader.str(raw, 'externalTrafficPolicy', spec),
    internalTrafficPolicy: reader.optStr(raw, 'internalTrafficPolicy', spec),
    healthCheckNodePort: reader.int(raw, 'healthCheckNodePort', spec),
    loadBalancerSourceRanges: reader.strList(raw, 'loadBalancerSourceRanges', spec),
    loadBalancerClass: reader.optStr(raw, 'loadBalancerClass', spec),
    allocateLoadBalancerNodePorts: allocate,
    trafficDistribution: reader.optStr(raw, 'trafficDistribution', spec),
  };
}

function isHeadless(svc: Svc): boolean {
  return svc.clusterIPs !== undefined && svc.clusterIPs.length === 1 && svc.clusterIPs[0] === 'None';
}

function needsHealthCheck(svc: Svc): boolean {
  return svc.type === 'LoadBalancer' && svc.externalTrafficPolicy === 'Local';
}

function validateServicePort(port: Port, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.name !== undefined) {
    if (requireName && port.name === '') {
      errs.push(required(path.child('name')));
    } else if (port.name !== '') {
      for (const msg of isDns1123Label(port.name)) errs.push(invalid(path.child('name'), port.name, msg));
      if (names.has(port.name)) errs.push(duplicate(path.child('name'), port.name));
      else names.add(port.name);
    }
  }
  if (port.port !== undefined) {
    for (const msg of isValidPortNum(port.port)) errs.push(invalid(path.child('port'), port.port, msg));
  }
  if (port.protocol === '') errs.push(required(path.child('protocol')));
  else if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(path.child('protocol'), port.protocol, PROTOCOLS));
  // ValidatePortNumOrName
  if (typeof port.targetPort === 'number') {
    for (const msg of isValidPortNum(port.targetPort)) errs.push(invalid(path.child('targetPort'), port.targetPort, msg));
  } else if (typeof port.targetPort === 'string') {
    for (const msg of isValidPortName(port.targetPort)) errs.push(invalid(path.child('targetPort'), port.targetPort, msg));
  }
  if (typeof port.appProtocol === 'string') {
    for (const msg of isQualifiedName(port.appProtocol)) errs.push(invalid(path.child('appProtocol'), port.appProtocol, msg));
  }
  return errs;
}

function validateClientIPAffinityConfig(config: unknown, path: FieldPath): FieldError[] {
  const when = 'when session affinity type is ClientIP';
  if (config === undefined || config === null) return [required(path, when)];
  if (!isPlainObject(config)) return [invalid(path, config, 'must be an object')];
  const clientIP = config.clientIP;
  if (clientIP === undefined || clientIP === null) return [required(path.child('clientIP'), when)];
  if (!isPlainObject(clientIP)) return [invalid(path.child('clientIP'), clientIP, 'must be an object')];
  const timeoutPath = path.child('clientIP').child('timeoutSeconds');
  const timeout = clientIP.timeoutSeconds;
  if (timeout === undefined || timeout === null) return [required(timeoutPath, when)];
  if (typeof timeout !== 'number' || !Number.isInteger(timeout)) return [invalid(timeoutPath, timeout, 'must be a 32-bit integer')];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [invalid(timeoutPath, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, families and policy. */
function validateClusterIPsRelatedFields(svc: Svc): FieldError[] {
  if (svc.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const spec = FieldPath.root('spec');
  const clusterIPsPath = spec.child('clusterIPs');
  const clusterIPs = svc.clusterIPs ?? [];
  let hasInvalidIPs = svc.clusterIPs === undefined || clusterIPs.includes(undefined);

  if (svc.clusterIP) {
    if (clusterIPs.length === 0) errs.push(required(clusterIPsPath));
    else if (clusterIPs[0] !== svc.clusterIP) errs.push(invalid(clusterIPsPath, clusterIPs, 'first value must match `clusterIP`'));
  } else if (svc.clusterIP === '' && clusterIPs.length !== 0) {
    errs.push(invalid(clusterIPsPath, clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  (svc.ipFamilies ?? []).forEach((family, i) => {
    if (family === undefined) return;
    const path = spec.child('ipFamilies').index(i);
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(path, family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(path, family));
    seen.add(family);
  });

  if (typeof svc.ipFamilyPolicy === 'string' && !IP_FAMILY_POLICIES.includes(svc.ipFamilyPolicy)) {
    errs.push(notSupported(spec.child('ipFamilyPolicy'), svc.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }

  clusterIPs.forEach((ip, i) => {
    if (ip === undefined) return;
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(invalid(clusterIPsPath, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    if (msgs.length) hasInvalidIPs = true;
    for (const msg of msgs) errs.push(invalid(clusterIPsPath.index(i), ip, msg));
  });

  if (clusterIPs.length > 2) errs.push(invalid(clusterIPsPath, clusterIPs, 'may only hold up to 2 values'));
  if (hasInvalidIPs) return errs;

  if (clusterIPs.length > 1) {
    const families = new Set(clusterIPs.map((ip) => (isIPv6String(ip!) ? 'IPv6' : 'IPv4')));
    if (families.size < 2) errs.push(invalid(clusterIPsPath, clusterIPs, 'may specify no more than one IP for each IP family'));
  }

  const ipFamilies = svc.ipFamilies ?? [];
  if (!isHeadless(svc) && clusterIPs.length > 0 && ipFamilies.length > 0) {
    clusterIPs.forEach((ip, i) => {
      if (i > ipFamilies.length - 1) return;
      if (ipFamilies[i] === 'IPv4' && isIPv6String(ip!)) {
        errs.push(invalid(clusterIPsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (ipFamilies[i] === 'IPv6' && !isIPv6String(ip!)) {
        errs.push(invalid(clusterIPsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

/** ValidateService (create), after defaults, in the API server's order. Metadata is checked by validateObjectMeta. */
function validateServiceSpec(svc: Svc, features: KubernetesFeatures): FieldError[] {
  const spec = FieldPath.root('spec');
  return [
    ...validateTopologyAnnotations(svc),
    ...validateTypeSpecificFields(svc, features),
    ...validateServicePorts(svc),
    ...(svc.selector !== undefined && svc.selector !== null ? validateLabels(svc.selector, spec.child('selector')) : []),
    ...validateSessionAffinity(svc),
    ...validateClusterIPsRelatedFields(svc),
    ...validateExternalIPs(svc),
    ...validateType(svc),
    ...validateNodePortsAndDuplicates(svc),
    ...validateLoadBalancerFields(svc, features),
    ...validateExternalTrafficFields(svc, features),
    ...validateInternalTrafficPolicy(svc),
    ...validateTrafficDistribution(svc, features),
  ];
}

function validateTopologyAnnotations(svc: Svc): FieldError[] {
  const hints = svc.annotations[TOPOLOGY_HINTS_ANNOTATION];
  const mode = svc.annotations[TOPOLOGY_MODE_ANNOTATION];
  if (hints === undefined || mode === undefined || hints === mode) return [];
  const path = FieldPath.root('metadata').child('annotations').key(TOPOLOGY_MODE_ANNOTATION);
  return [invalid(path, mode, `must match annotations[${TOPOLOGY_HINTS_ANNOTATION}] when both are specified`)];
}

/** Ports are required unless headless or ExternalName; NodePort/LoadBalancer may not be headless; ExternalName's own fields. */
function validateTypeSpecificFields(svc: Svc, features: KubernetesFeatures): FieldError[] {
  const errs: FieldError[] = [];
  const spec = FieldPath.root('spec');
  const headless = isHeadless(svc);
  if (svc.ports.length === 0 && !svc.portsBad && !headless && svc.type !== 'ExternalName') {
    errs.push(required(spec.child('ports')));
  }
  switch (svc.type) {
    case 'LoadBalancer':
      // ≤1.32, a workaround for clouds that over-open firewalls: the kubelet's port stays internal.
      if (features.kubeletPortRuleOnLoadBalancer) {
        svc.ports.forEach((port, i) => {
          if (port.port === KUBELET_PORT) errs.push(invalid(spec.child('ports').index(i), port.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
        });
      }
      if (headless) errs.push(invalid(spec.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${svc.type} services`));
      break;
    case 'NodePort':
      if (headless) errs.push(invalid(spec.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${svc.type} services`));
      break;
    case 'ExternalName': {
      if (svc.clusterIPs && svc.clusterIPs.length > 0) errs.push(forbidden(spec.child('clusterIPs'), 'may not be set for ExternalName services'));
      if (svc.ipFamilies && svc.ipFamilies.length > 0) errs.push(forbidden(spec.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (svc.ipFamilyPolicy !== undefined) errs.push(forbidden(spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      if (svc.externalName !== undefined) {
        // A CNAME may end in a dot to mark it fully qualified.
        const cname = svc.externalName.endsWith('.') ? svc.externalName.slice(0, -1) : svc.externalName;
        if (cname.length > 0) {
          for (const msg of isDns1123Subdomain(cname)) errs.push(invalid(spec.child('externalName'), cname, msg));
        } else {
          errs.push(required(spec.child('externalName')));
        }
      }
      break;
    }
  }
  return errs;
}

function validateServicePorts(svc: Svc): FieldError[] {
  const names = new Set<string>();
  const ports = FieldPath.root('spec').child('ports');
  return svc.ports.flatMap((port, i) => validateServicePort(port, svc.ports.length > 1, names, ports.index(i)));
}

function validateSessionAffinity(svc: Svc): FieldError[] {
  const errs: FieldError[] = [];
  const spec = FieldPath.root('spec');
  if (svc.sessionAffinity === '') {
    errs.push(required(spec.child('sessionAffinity')));
  } else if (svc.sessionAffinity !== undefined && !SESSION_AFFINITIES.includes(svc.sessionAffinity)) {
    errs.push(notSupported(spec.child('sessionAffinity'), svc.sessionAffinity, SESSION_AFFINITIES));
  }
  if (svc.sessionAffinity === 'ClientIP') {
    errs.push(...validateClientIPAffinityConfig(svc.sessionAffinityConfig, spec.child('sessionAffinityConfig')));
  } else if (svc.sessionAffinity === 'None' && svc.sessionAffinityConfig !== undefined && svc.sessionAffinityConfig !== null) {
    errs.push(forbidden(spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }
  return errs;
}

function validateExternalIPs(svc: Svc): FieldError[] {
  const externalIPs = FieldPath.root('spec').child('externalIPs');
  return (svc.externalIPs ?? []).flatMap((ip, i) => {
    if (ip === undefined) return [];
    const path = externalIPs.index(i);
    const msgs = isValidIP(ip);
    return msgs.length ? msgs.map((msg) => invalid(path, ip, msg)) : validateNonSpecialIP(ip, path);
  });
}

function validateType(svc: Svc): FieldError[] {
  const path = FieldPath.root('spec').child('type');
  if (svc.type === '') return [required(path)];
  if (svc.type !== undefined && !SERVICE_TYPES.includes(svc.type)) return [notSupported(path, svc.type, SERVICE_TYPES)];
  return [];
}

/** No node ports on a ClusterIP Service; no two ports with the same (protocol, nodePort) or (protocol, port). */
function validateNodePortsAndDuplicates(svc: Svc): FieldError[] {
  const errs: FieldError[] = [];
  const portsPath = FieldPath.root('spec').child('ports');
  if (svc.type === 'ClusterIP') {
    svc.ports.forEach((port, i) => {
      if (port.nodePort) errs.push(forbidden(portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const ports = new Set<string>();
  svc.ports.forEach((port, i) => {
    const path = portsPath.index(i);
    if (port.nodePort) {
      const key = `${port.protocol}/${port.nodePort}`;
      if (nodePorts.has(key)) errs.push(duplicate(path.child('nodePort'), port.nodePort));
      nodePorts.add(key);
    }
    if (port.port === undefined || port.protocol === undefined) return;
    const key = `${port.protocol}/${port.port}`;
    if (ports.has(key)) errs.push(duplicate(path, { protocol: port.protocol, port: port.port }));
    ports.add(key);
  });
  return errs;
}

/** Source ranges (spec or the legacy annotation), allocateLoadBalancerNodePorts and loadBalancerClass. */
function validateLoadBalancerFields(svc: Svc, features: KubernetesFeatures): FieldError[] {
  const errs: FieldError[] = [];
  const spec = FieldPath.root('spec');
  const ranges = svc.loadBalancerSourceRanges ?? [];
  const annotation = svc.annotations[LB_SOURCE_RANGES_ANNOTATION];
  if (ranges.length > 0 || annotation !== undefined) {
    // The field keeps its historical capital L in every version.
    const fromSpec = ranges.length > 0;
    const path = fromSpec ? spec.child('LoadBalancerSourceRanges') : FieldPath.root('metadata').child('annotations').key(LB_SOURCE_RANGES_ANNOTATION);
    if (svc.type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    // Every entry, space-trimmed, must be a CIDR; an empty annotation means 0.0.0.0/0.
    const entries = fromSpec ? ranges : typeof annotation === 'string' && annotation.trim() !== '' ? annotation.split(',') : [];
    if (features.sourceRangeErrorPerCidr) {
      // ≥1.30: validation.IsValidCIDR per entry, indexed for the spec field, on the annotation's path for it.
      entries.forEach((value, i) => {
        if (value === undefined) return;
        const cidr = value.trim();
        for (const msg of isValidCIDR(cidr)) errs.push(invalid(fromSpec ? path.index(i) : path, cidr, msg));
      });
    } else if (entries.some((value) => value === undefined || isValidCIDR(value.trim()).length > 0)) {
      // ≤1.29: GetLoadBalancerSourceRanges fails once, reported with the whole list as Go prints it (`[a b]`).
      errs.push(invalid(path, fromSpec ? `[${ranges.map((r) => r ?? '').join(' ')}]` : annotation, SOURCE_RANGES_MESSAGE));
    }
  }

  if (svc.allocateLoadBalancerNodePorts !== undefined && svc.allocateLoadBalancerNodePorts !== null && svc.type !== 'LoadBalancer') {
    errs.push(forbidden(spec.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (svc.type === 'LoadBalancer' && svc.allocateLoadBalancerNodePorts === undefined) {
    // The API server really does report this path without `spec.`.
    errs.push(required('allocateLoadBalancerNodePorts'));
  }

  if (svc.type === 'LoadBalancer') {
    if (typeof svc.loadBalancerClass === 'string') {
      for (const msg of isQualifiedName(svc.loadBalancerClass)) errs.push(invalid(spec.child('loadBalancerClass'), svc.loadBalancerClass, msg));
    }
  } else if (svc.loadBalancerClass !== undefined) {
    errs.push(forbidden(spec.child('loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

/** validateServiceExternalTrafficPolicy: the policy, and healthCheckNodePort only with LoadBalancer + Local. */
function validateExternalTrafficFields(svc: Svc, features: KubernetesFeatures): FieldError[] {
  const errs: FieldError[] = [];
  const spec = FieldPath.root('spec');
  const accessible = externallyAccessible(svc.type, svc.externalIPs, features);
  if (svc.externalTrafficPolicy !== undefined) {
    if (!accessible) {
      if (svc.externalTrafficPolicy !== '') {
        errs.push(invalid(spec.child('externalTrafficPolicy'), svc.externalTrafficPolicy, features.externalIPsExternallyAccessible
          ? 'may only be set for externally-accessible services'
          : "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
      }
    } else if (svc.externalTrafficPolicy === '') {
      errs.push(required(spec.child('externalTrafficPolicy')));
    } else if (!TRAFFIC_POLICIES.includes(svc.externalTrafficPolicy)) {
      errs.push(notSupported(spec.child('externalTrafficPolicy'), svc.externalTrafficPolicy, TRAFFIC_POLICIES));
    }
  }
  if (svc.healthCheckNodePort !== undefined) {
    if (!needsHealthCheck(svc)) {
      if (svc.healthCheckNodePort !== 0) {
        errs.push(invalid(spec.child('healthCheckNodePort'), svc.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
      }
    } else if (svc.healthCheckNodePort !== 0) {
      // 0 is filled by the allocator before validation runs.
      for (const msg of isValidPortNum(svc.healthCheckNodePort)) errs.push(invalid(spec.child('healthCheckNodePort'), svc.healthCheckNodePort, msg));
    }
  }
  return errs;
}

/** validateServiceInternalTrafficFieldsValue. */
function validateInternalTrafficPolicy(svc: Svc): FieldError[] {
  const path = FieldPath.root('spec').child('internalTrafficPolicy');
  if (svc.internalTrafficPolicy === undefined) {
    return svc.type === 'NodePort' || svc.type === 'LoadBalancer' || svc.type === 'ClusterIP' ? [required(path)] : [];
  }
  if (svc.internalTrafficPolicy !== null && !TRAFFIC_POLICIES.includes(svc.internalTrafficPolicy)) {
    return [notSupported(path, svc.internalTrafficPolicy, TRAFFIC_POLICIES)];
  }
  return [];
}

/**
 * validateServiceTrafficDistribution. Before 1.30 the field does not exist: `kubectl apply`'s
 * strict field validation refuses the object with the decoder's error, reported here as Forbidden.
 */
function validateTrafficDistribution(svc: Svc, features: KubernetesFeatures): FieldError[] {
  const value = svc.trafficDistribution;
  if (value === undefined || value === null) return [];
  const path = FieldPath.root('spec').child('trafficDistribution');
  if (!features.trafficDistributionFieldKnown) {
    return [forbidden(path, `strict decoding error: unknown field "spec.trafficDistribution" (Kubernetes ${features.version} has no such field; it arrives in 1.30)`)];
  }
  const supported = features.trafficDistributionValues;
  return supported.includes(value) ? [] : [notSupported(path, value, supported)];
}

/**
 * The create-time allocator checks that need no cluster state beyond kube-apiserver's flags
 * (pkg/registry/core/service/storage/alloc.go): the IP families against the policy and the
 * families the cluster serves (`--service-cluster-ip-range`), once the clusterIP/family fields
 * are well-formed, and requested node ports against the node-port range and each other.
 * The API server runs these before validation and stops at the first node-port failure.
 */
function validateAllocation(
  svc: Svc, clusterIPErrors: number, range: { readonly min: number; readonly max: number }, clusterFamilies: readonly IpFamily[],
): FieldError[] {
  const spec = FieldPath.root('spec');
  const wellFormed = clusterIPErrors === 0 && svc.ipFamilyPolicy !== null
    && svc.clusterIPs !== undefined && !svc.clusterIPs.includes(undefined) && svc.ipFamilies !== undefined && !svc.ipFamilies.includes(undefined);
  const errs: FieldError[] = wellFormed ? [...initServiceIpFamilies(svc, clusterFamilies).errors] : [];
  if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') return errs;

  const allocated = new Set<number>();
  const allocate = (nodePort: number): string | undefined => {
    if (nodePort < range.min || nodePort > range.max) {
      return `provided port is not in the valid range. The range of valid ports is ${range.min}-${range.max}`;
    }
    if (allocated.has(nodePort)) return 'provided port is already allocated';
    allocated.add(nodePort);
    return undefined;
  };
  // initNodePorts: ports with the same port number share one node port.
  const byServicePort = new Map<number, number>();
  for (let i = 0; i < svc.ports.length; i++) {
    const { port, nodePort } = svc.ports[i];
    if (port === undefined || nodePort === undefined) continue;
    const path = spec.child('ports').index(i).child('nodePort');
    const shared = byServicePort.get(port);
    if (shared === undefined) {
      const requested = svc.ports.find((p) => p.port === port && p.nodePort)?.nodePort;
      if (!requested) continue;
      const err = allocate(requested);
      if (err) return [...errs, invalid(path, requested, err)];
      byServicePort.set(port, requested);
    } else if (nodePort !== 0 && nodePort !== shared) {
      const err = allocate(nodePort);
      if (err) return [...errs, invalid(path, nodePort, err)];
    }
  }
  // allocHealthCheckNodePort reports an internal error, not a field error; it is given its field here.
  if (needsHealthCheck(svc) && svc.healthCheckNodePort) {
    const err = allocate(svc.healthCheckNodePort);
    if (err) errs.push(invalid(spec.child('healthCheckNodePort'), svc.healthCheckNodePort, `failed to allocate requested HealthCheck NodePort ${svc.healthCheckNodePort}: ${err}`));
  }
  return errs;
}

/** Validates a defaulted v1 Service (spec and service-specific annotations); defaults have made an absent spec `{}`. */
export function validateService(obj: any, options: ValidationOptions = {}, features: KubernetesFeatures = kubernetesFeatures()): FieldError[] {
  if (!isPlainObject(obj.spec)) return [invalid(FieldPath.root('spec'), obj.spec, 'must be an object')];
  const reader = new Reader();
  const svc = readService(obj, reader);
  const clusterIPErrors = validateClusterIPsRelatedFields(svc).length;
  const allocationErrors = validateAllocation(svc, clusterIPErrors, nodePortRangeOf(options), clusterFamiliesOf(options));
  return [...reader.errors, ...validateServiceSpec(svc, features), ...allocationErrors];
}

/**
 * pkg/api/service/warnings.go GetWarningsForService, the version-pinned ones: the deprecated
 * topology annotation (all versions), what headless Services ignore (1.34+; 1.34.0 warned about
 * sessionAffinity on every headless Service, kubernetes#134054), and PreferClose (1.35). The IP
 * canonical-form warnings are not restated.
 */
function serviceWarnings(obj: any, features: KubernetesFeatures): string[] {
  const spec = obj.spec;
  const annotations = isPlainObject(obj.metadata?.annotations) ? obj.metadata.annotations : {};
  const out: string[] = [];
  if (annotations[TOPOLOGY_HINTS_ANNOTATION] !== undefined) {
    out.push(`annotation ${TOPOLOGY_HINTS_ANNOTATION} is deprecated, please use ${TOPOLOGY_MODE_ANNOTATION} instead`);
  }
  if (features.minor >= 34 && spec.type === 'ClusterIP' && spec.clusterIP === 'None') {
    if (spec.loadBalancerIP) out.push('spec.loadBalancerIP is ignored for headless services');
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length) out.push('spec.externalIPs is ignored for headless services');
    if (features.minor === 34 || spec.sessionAffinity !== 'None') out.push('spec.SessionAffinity is ignored for headless services');
  }
  if (features.minor >= 35 && spec.trafficDistribution === 'PreferClose') out.push('spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"');
  return out;
}

/** v1/Service: namespaced, named by DNS-1035 labels (ValidateServiceName). */
export const SERVICE_RULES: KindRules = {
  meta: { namespaced: true, nameRule: isDns1035Label },
  applyDefaults: setServiceDefaults,
  validate: validateService,
  warnings: serviceWarnings,
};
