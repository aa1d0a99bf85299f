import { isPlainObject } from '../../api/values';
import { Inventory } from '../inventory';
import { Workloads } from '../workloads';

/** An endpoint port as CoreDNS keeps it; port -1 stands for a slice without ports (object/endpoint.go) (internal). */
export interface DnsPort {
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
}

/** A ready address of an EndpointSlice with the slice's ports (internal). */
export interface SliceEndpoint {
  readonly ip: string;
  readonly hostname?: string;
  /** The name of the pod the endpoint's targetRef points to. */
  readonly podName?: string;
  readonly ports: readonly DnsPort[];
  /** The pod, when the model has it, else the Service. */
  readonly object: string;
}

/**
 * The ready addresses of the EndpointSlices given in the manifests and of v1 Endpoints subsets
 * (which the mirroring controller turns into slices), each with its slice's ports, by Service
 * `namespace/name`. They count for selector-less Services only; a selector's slices are the
 * controller's.
 */
export function givenEndpoints(inv: Inventory, w: Workloads): Map<string, SliceEndpoint[]> {
  const out = new Map<string, SliceEndpoint[]>();
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const portsOf = (ports: unknown): DnsPort[] => (Array.isArray(ports) ? ports : [])
    .filter((p) => isPlainObject(p) && typeof p.port === 'number')
    .map((p) => ({ name: text(p.name) ?? '', protocol: text(p.protocol) ?? 'TCP', port: p.port }));
  const add = (namespace: string, service: string, ip: string, hostname: unknown, targetRef: unknown, ports: DnsPort[]) => {
    const podName = isPlainObject(targetRef) && targetRef.kind === 'Pod' ? text(targetRef.name) : undefined;
    const pod = (podName ? w.podByKey.get(`${text((targetRef as any).namespace) ?? namespace}/${podName}`) : undefined) ?? w.podByIp.get(ip);
    const key = `${namespace}/${service}`;
    const e = { ip, hostname: text(hostname), podName, ports, object: pod ? `Pod/${pod.key}` : `Service/${key}` };
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  };
  for (const o of inv.ofKind('discovery.k8s.io/v1/EndpointSlice')) {
    const m = o.manifest;
    const service = text(m.metadata?.labels?.['kubernetes.io/service-name']);
    if (!service || m.addressType === 'FQDN') continue;
    const ports = portsOf(m.ports);
    for (const e of Array.isArray(m.endpoints) ? m.endpoints : []) {
      // discovery/v1: an unset ready condition means ready.
      if (!isPlainObject(e) || !Array.isArray(e.addresses) || e.conditions?.ready === false) continue;
      for (const ip of e.addresses) if (typeof ip === 'string') add(o.namespace!, service, ip, e.hostname, e.targetRef, ports);
    }
  }
  for (const o of inv.ofKind('v1/Endpoints')) {
    for (const subset of Array.isArray(o.manifest.subsets) ? o.manifest.subsets : []) {
      if (!isPlainObject(subset) || !Array.isArray(subset.addresses)) continue;
      const ports = portsOf(subset.ports);
      for (const a of subset.addresses) if (isPlainObject(a) && typeof a.ip === 'string') add(o.namespace!, o.name, a.ip, a.hostname, a.targetRef, ports);
    }
  }
  return out;
}
