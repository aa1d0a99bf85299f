import { diagnostic } from './diagnostic-codes';
import { Inventory } from './inventory';
import { ServiceModel, ServicePortModelInternal } from './services';
import { Diagnostic } from './types';
import { canonicalIp, parseIPv6 } from './util';
import { NodeModel, PodModel, Workloads } from './workloads';
import { isPlainObject } from '../api/values';

/** One endpoint of one Service port (internal). */
export interface EndpointModel {
  readonly ip: string;
  readonly port: number;
  /** EndpointSlice `conditions.ready` (serving and not terminating, or publishNotReadyAddresses). */
  readonly ready: boolean;
  /** EndpointSlice `conditions.serving`: the pod's Ready condition, whether terminating or not. */
  readonly serving: boolean;
  /** EndpointSlice `conditions.terminating`: the pod is being deleted. */
  readonly terminating: boolean;
  /** The backing pod, when the endpoint is one. */
  readonly pod?: PodModel;
  /** The node the endpoint is on (for Local traffic policies), when known. */
  readonly node?: NodeModel;
  /** The DNS hostname of the endpoint (headless Services), when it has one. */
  readonly hostname?: string;
}

/** The endpoints of one Service port (internal). */
export interface PortEndpoints {
  readonly service: ServiceModel;
  readonly port: ServicePortModelInternal;
  /** All endpoints, ordered by IP then port. */
  readonly all: readonly EndpointModel[];
  /** The ready ones, which kube-proxy load-balances over. */
  readonly ready: readonly EndpointModel[];
  /** Serving and terminating, not ready: kube-proxy's fallback when no endpoint is ready (KEP-1669). */
  readonly servingTerminating: readonly EndpointModel[];
}

function portEndpoints(service: ServiceModel, port: ServicePortModelInternal, all: EndpointModel[]): PortEndpoints {
  return { service, port, all, ready: all.filter((e) => e.ready), servingTerminating: all.filter((e) => !e.ready && e.serving && e.terminating) };
}

/** The endpoints of one family (kube-proxy's proxier for a family reads only that family's EndpointSlices); `pe` itself when it has no other. */
export function endpointsOfFamily(pe: PortEndpoints, v6: boolean): PortEndpoints {
  if (pe.all.every((e) => e.ip.includes(':') === v6)) return pe;
  return portEndpoints(pe.service, pe.port, pe.all.filter((e) => e.ip.includes(':') === v6));
}

/** An address of a Service regardless of port (what headless DNS answers with). */
export interface ServiceAddress {
  readonly ip: string;
  readonly ready: boolean;
  readonly hostname?: string;
  readonly pod?: PodModel;
}

/** Running pods of one namespace by label key, then label value, in pod order (internal). */
export type LabelPostings = ReadonlyMap<string, ReadonlyMap<string, readonly PodModel[]>>;

export interface EndpointsTable {
  /** By Service `namespace/name`, one entry per Service port, in port order. */
  readonly byService: ReadonlyMap<string, readonly PortEndpoints[]>;
  /** By Service `namespace/name`: every address once, ordered by IP. */
  readonly addresses: ReadonlyMap<string, readonly ServiceAddress[]>;
  /** The pods a Service's selector matches (running or not), by Service `namespace/name`. */
  readonly selected: ReadonlyMap<string, readonly PodModel[]>;
  /** By namespace: what selectors are matched against. */
  readonly podsByLabel: ReadonlyMap<string, LabelPostings>;
}

/** A dotted-quad IPv4 address as a number, else -1. Allocation-free: it runs inside sort comparators. */
function ipv4Number(ip: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || octet > 255 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
    } else {
      return -1;
    }
  }
  return dots === 3 && digits > 0 && octet <= 255 ? value * 256 + octet : -1;
}

/** IPv4 addresses numerically, before IPv6 addresses numerically; anything else as text. */
function compareIp(a: string, b: string): number {
  const na = ipv4Number(a);
  const nb = ipv4Number(b);
  if (na >= 0 && nb >= 0) return na - nb;
  const a6 = a.includes(':');
  if (a6 !== b.includes(':')) return a6 ? 1 : -1;
  if (a6) {
    const xa = parseIPv6(a);
    const xb = parseIPv6(b);
    if (xa !== undefined && xb !== undefined) return xa < xb ? -1 : xa > xb ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function byIpPort(a: { ip: string; port: number }, b: { ip: string; port: number }): number {
  return compareIp(a.ip, b.ip) || a.port - b.port;
}

/**
 * pkg/api/v1/pod/util.go FindPort: a numeric targetPort is used as is; a named one is the
 * containerPort of the pod's container port with that name and the Service port's protocol,
 * and with `sidecars` (the EndpointSlice controller from 1.33, kubernetes#128850) else a
 * sidecar's port of that name.
 */
export function findPort(pod: PodModel, port: ServicePortModelInternal, sidecars = false): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  for (const cp of pod.ports) if (cp.name === port.targetPort && cp.protocol === port.protocol) return cp.port;
  if (sidecars) for (const cp of pod.sidecarPorts) if (cp.name === port.targetPort && cp.protocol === port.protocol) return cp.port;
  return undefined;
}

function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** The pods a non-empty selector matches, found from its smallest posting list, in pod order. */
export function podsMatching(postings: LabelPostings | undefined, selector: Readonly<Record<string, string>>): PodModel[] {
  let candidates: readonly PodModel[] | undefined;
  for (const k in selector) {
    const list = postings?.get(k)?.get(selector[k]) ?? [];
    if (!candidates || list.length < candidates.length) candidates = list;
  }
  return (candidates ?? []).filter((p) => selectorMatches(selector, p.labels));
}

/**
 * The EndpointSlice controller's view (pkg/controller/endpointslice, utils.go podToEndpoint):
 * a Service with a selector gets every running pod of its namespace whose labels match, pods
 * being deleted included; serving is the pod's Ready condition, terminating whether it is being
 * deleted, ready is serving and not terminating, or always true with publishNotReadyAddresses; a pod appears
 * under a port only when FindPort resolves (a named targetPort the pod lacks leaves it out of
 * that port); the hostname is set when the pod's subdomain names the Service. Selector-less
 * Services take addresses from v1/Endpoints (mirrored into slices) and EndpointSlices labelled
 * `kubernetes.io/service-name`; ports there match Service ports by name.
 */
export function buildEndpoints(
  inv: Inventory, services: readonly ServiceModel[], w: Workloads, diagnostics: Diagnostic[], sidecarNamedPorts = false,
): EndpointsTable {
  const byService = new Map<string, PortEndpoints[]>();
  const addresses = new Map<string, ServiceAddress[]>();
  const selected = new Map<string, PodModel[]>();

  // Index running pods by namespace and label pair so selectors cost the smallest posting list.
  // Nested maps (namespace → label key → value) avoid building a string key per pod label.
  const podsByLabel = new Map<string, Map<string, Map<string, PodModel[]>>>();
  for (const [ns, pods] of w.podsByNamespace) {
    const byKey = new Map<string, Map<string, PodModel[]>>();
    podsByLabel.set(ns, byKey);
    for (const pod of pods) {
      for (const k in pod.labels) {
        let byValue = byKey.get(k);
        if (!byValue) byKey.set(k, (byValue = new Map()));
        const v = pod.labels[k];
        let list = byValue.get(v);
        if (!list) byValue.set(v, (list = []));
        list.push(pod);
      }
    }
  }

  const manual = collectManualEndpoints(inv, w);
  const servicesByKey = new Map(services.map((s) => [s.key, s]));
  for (const key of manual.keys()) {
    const svc = servicesByKey.get(key);
    if (svc?.selector) {
      diagnostics.push(diagnostic({
        code: 'ENDPOINTS_OVERWRITTEN',
        object: svc.ref,
        field: 'spec.selector',
        message: `Service ${key} has a selector, so the endpoint controllers manage its endpoints and replace the Endpoints/EndpointSlice objects given for it`,
      }));
    }
  }

  for (const svc of services) {
    if (svc.type === 'ExternalName') continue;
    const perPort: PortEndpoints[] = [];
    const addrs = new Map<string, ServiceAddress>();
    if (svc.selector) {
      const pods = podsMatching(podsByLabel.get(svc.namespace), svc.selector);
      selected.set(svc.key, pods);
      // The EndpointSlice controller writes a slice per family of the Service (getAddressTypesForService), each with the pods' addresses of that family.
      const v4 = svc.ipFamilies.includes('IPv4');
      const v6 = svc.ipFamilies.includes('IPv6');
      const endpointOf = (pod: PodModel, ip: string, port: number): EndpointModel => {
        const ready = svc.publishNotReadyAddresses || (pod.ready && !pod.terminating);
        const hostname = pod.hostname !== undefined && pod.subdomain === svc.name ? pod.hostname : undefined;
        return { ip, port, ready, serving: pod.ready, terminating: pod.terminating, pod, node: pod.node, hostname };
      };
      for (const port of svc.ports) {
        const all: EndpointModel[] = [];
        for (const pod of pods) {
          const target = findPort(pod, port, sidecarNamedPorts);
          if (target === undefined) continue;
          for (const ip of pod.ips) if (ip.includes(':') ? v6 : v4) all.push(endpointOf(pod, ip, target));
        }
        all.sort(byIpPort);
        perPort.push(portEndpoints(svc, port, all));
      }
      for (const pod of pods) {
        for (const ip of pod.ips) {
          if (!(ip.includes(':') ? v6 : v4) || addrs.has(ip)) continue;
          const e = endpointOf(pod, ip, 0);
          addrs.set(ip, { ip, ready: e.ready, hostname: e.hostname, pod });
        }
      }
    } else {
      const given = manual.get(svc.key) ?? [];
      for (const port of svc.ports) {
        const all = dedupe(given.filter((e) => e.portName === port.name && e.protocol === port.protocol).map((e) => e.endpoint).sort(byIpPort));
        perPort.push(portEndpoints(svc, port, all));
      }
      for (const e of given) {
        const { ip, ready, hostname, pod } = e.endpoint;
        if (!addrs.has(ip)) addrs.set(ip, { ip, ready, hostname, pod });
      }
    }
    byService.set(svc.key, perPort);
    addresses.set(svc.key, [...addrs.values()].sort((a, b) => compareIp(a.ip, b.ip)));
  }
  return { byService, addresses, selected, podsByLabel };
}

function dedupe(list: EndpointModel[]): EndpointModel[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.ip}|${e.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

interface ManualEndpoint {
  readonly portName: string;
  readonly protocol: string;
  readonly endpoint: EndpointModel;
}

/** Endpoints and EndpointSlices from the manifests, by Service `namespace/name`. */
function collectManualEndpoints(inv: Inventory, w: Workloads): Map<string, ManualEndpoint[]> {
  const out = new Map<string, ManualEndpoint[]>();
  const add = (key: string, e: ManualEndpoint) => {
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(e);
  };
  const nodeByName = new Map(w.nodes.map((n) => [n.name, n]));
  const link = (ip: string, nodeName: unknown, targetRef: any, ns: string) => {
    let pod = w.podByIp.get(ip);
    if (isPlainObject(targetRef) && targetRef.kind === 'Pod' && typeof targetRef.name === 'string') {
      pod = w.podByKey.get(`${targetRef.namespace || ns}/${targetRef.name}`) ?? pod;
    }
    const node = (typeof nodeName === 'string' ? nodeByName.get(nodeName) : undefined) ?? pod?.node;
    return { pod, node: node && node.index >= 0 ? node : undefined };
  };
  for (const o of inv.ofKind('v1/Endpoints')) {
    const key = `${o.namespace}/${o.name}`;
    for (const subset of Array.isArray(o.manifest.subsets) ? o.manifest.subsets : []) {
      const ports = Array.isArray(subset?.ports) ? subset.ports : [];
      const groups: [any[], boolean][] = [[subset?.addresses ?? [], true], [subset?.notReadyAddresses ?? [], false]];
      for (const [list, ready] of groups) {
        for (const a of Array.isArray(list) ? list : []) {
          if (!isPlainObject(a) || typeof a.ip !== 'string') continue;
          const ip = canonicalIp(a.ip);
          const { pod, node } = link(ip, a.nodeName, a.targetRef, o.namespace!);
          for (const p of ports) {
            if (!isPlainObject(p) || typeof p.port !== 'number') continue;
            add(key, {
              portName: typeof p.name === 'string' ? p.name : '',
              protocol: p.protocol ?? 'TCP',
              endpoint: { ip, port: p.port, ready, serving: ready, terminating: false, pod, node, hostname: typeof a.hostname === 'string' && a.hostname ? a.hostname : undefined },
            });
          }
        }
      }
    }
  }
  for (const o of inv.ofKind('discovery.k8s.io/v1/EndpointSlice')) {
    const svcName = o.manifest.metadata?.labels?.['kubernetes.io/service-name'];
    if (typeof svcName !== 'string' || o.manifest.addressType === 'FQDN') continue;
    const key = `${o.namespace}/${svcName}`;
    const ports = Array.isArray(o.manifest.ports) ? o.manifest.ports : [];
    for (const e of Array.isArray(o.manifest.endpoints) ? o.manifest.endpoints : []) {
      if (!isPlainObject(e) || !Array.isArray(e.addresses)) continue;
      // kube-proxy's reading of discovery/v1 (endpointslicecache.go): unset ready and serving mean
      // true, unset terminating means false.
      const ready = e.conditions?.ready !== false;
      const serving = e.conditions?.serving !== false;
      const terminating = e.conditions?.terminating === true;
      for (const address of e.addresses) {
        if (typeof address !== 'string') continue;
        const ip = canonicalIp(address);
        const { pod, node } = link(ip, e.nodeName, e.targetRef, o.namespace!);
        for (const p of ports) {
          if (!isPlainObject(p) || typeof p.port !== 'number') continue;
          add(key, {
            portName: typeof p.name === 'string' ? p.name : '',
            protocol: p.protocol ?? 'TCP',
            endpoint: { ip, port: p.port, ready, serving, terminating, pod, node, hostname: typeof e.hostname === 'string' && e.hostname ? e.hostname : undefined },
          });
        }
      }
    }
  }
  return out;
}
