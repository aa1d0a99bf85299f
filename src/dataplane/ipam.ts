import { diagnostic } from './diagnostic-codes';
import { ServiceModel } from './services';
import { Diagnostic } from './types';
import { Cidr, cidrAddress, cidrHoldsUsable, cidrSize, fnv1a32, formatCidr, parseCidr4, parseCidr6 } from './util';
import { KUBERNETES_SERVICE_IP_INDEX, KUBERNETES_SERVICE_REF } from '../api/cluster-builtins';
import { ipFamilyOf } from '../api/names';
import { initServiceIpFamilies, IpFamily } from '../api/service-ip-families';

/**
 * Where MetalLB-style LoadBalancer IPs come from when a manifest has none: the tail of kind's
 * docker network in each family (IPv4 172.18.255.0/24; IPv6 the /120 at ::ff00 of kind's
 * fc00:f853:ccd:e793::/64, above the node addresses).
 */
const LOAD_BALANCER_POOLS: Record<IpFamily, Cidr> = {
  IPv4: parseCidr4('172.18.255.0/24')!,
  IPv6: parseCidr6('fc00:f853:ccd:e793::ff00/120')!,
};

/** Reports a Service the API server refuses (`field`, `value`, its message) and leaves it out. */
type Reject = (svc: ServiceModel, field: string, value: unknown, message: string) => void;

/** The tenth address of the primary service range: kubeadm's kube-dns ClusterIP. */
const KUBE_DNS_IP_INDEX = 10;

export interface IpamOptions {
  /** `--service-cluster-ip-range`: one range per family the cluster serves Services in, primary first. */
  readonly serviceCidrs: readonly Cidr[];
  readonly nodePortMin: number;
  readonly nodePortMax: number;
  /** ServiceNodePortStaticSubrange (KEP-3668): dynamic node ports from the upper band first. */
  readonly nodePortStaticSubrange: boolean;
  /** 1.33+: the MultiCIDR allocator, whose out-of-range error differs (and ServiceCIDR objects add ranges). */
  readonly serviceCidrObjects: boolean;
}

/**
 * IPAM: ClusterIPs, node ports and LoadBalancer IPs.
 *
 * ClusterIPs follow pkg/registry/core/service/ipallocator with KEP-3070 (GA in 1.26): the
 * range's lower band of min(max(16, size/16), 256) addresses is kept for static (explicit)
 * IPs and dynamic allocation uses the upper band first. The first address is the `kubernetes`
 * Service's (which takes it even when a manifest declares that Service without a clusterIP) and the
 * tenth kube-dns (kubeadm), so both are reserved; both Services are single-stack in the primary
 * family, so only the primary range has them. Instead of a random pick we hash
 * `namespace/name` into the band and probe linearly: a Service keeps its IP whatever else is in
 * the manifests (unless two hash to the same slot). Explicit IPs and node ports are taken first,
 * in manifest order; a second claim on one is what the API server refuses ("provided IP is
 * already allocated"), so that Service is reported and left out.
 *
 * Families (dual-stack, KEP-563): each Service's `ipFamilies` come from the API server's create-time
 * defaulting (src/api initServiceIpFamilies) over the families of `serviceCidrs`; it gets one
 * ClusterIP per family, primary first, each from that family's ranges by the same scheme, and one
 * LoadBalancer IP per family.
 *
 * Node ports: from 1.28 (ServiceNodePortStaticSubrange, KEP-3668) the range's lower
 * min(max(16, size/32), 128) ports are kept for explicit node ports the same way (30000–30085 of
 * the default range); 1.27 picks from the whole range. The pick is hashed like ClusterIPs.
 */
export class Ipam {
  private readonly usedIps = new Map<string, string>();
  private readonly usedNodePorts = new Map<number, string>();
  private readonly usedLbIps = new Map<string, string>();
  /** The ranges ClusterIPs come from, by family: the flag's, then those of ServiceCIDR objects (1.33+). */
  private readonly ranges = new Map<IpFamily, Cidr[]>();
  /** The families the cluster serves Services in, primary first. */
  public readonly families: readonly IpFamily[];
  /** By Service `namespace/name`: the node port of kube-proxy's health-check server. */
  public readonly healthCheckNodePorts = new Map<string, number>();

  public constructor(private readonly opts: IpamOptions) {
    this.families = opts.serviceCidrs.map((c) => c.family);
    for (const c of opts.serviceCidrs) this.ranges.set(c.family, [c]);
    this.usedIps.set(this.kubernetesServiceIp, KUBERNETES_SERVICE_REF);
    if (cidrSize(this.primaryRange) > KUBE_DNS_IP_INDEX + 1) this.usedIps.set(this.dnsServiceIp, 'Service/kube-system/kube-dns');
  }

  private get primaryRange(): Cidr {
    return this.opts.serviceCidrs[0];
  }

  /**
   * Adds the ranges of ServiceCIDR objects (the allocator serves every range of a family it
   * serves; the model tries them after `serviceCidr`, in manifest order). A range of a family the
   * cluster does not serve gets no allocator.
   */
  public addServiceCidrs(ranges: readonly Cidr[]): void {
    for (const r of ranges) {
      const list = this.ranges.get(r.family);
      if (list && !list.some((x) => x.base === r.base && x.prefix === r.prefix)) (list as Cidr[]).push(r);
    }
  }

  /** Whether `ip` is an allocatable address (not the first or last) of a service range. */
  public inServiceRange(ip: string): boolean {
    const list = this.ranges.get(ip.includes(':') ? 'IPv6' : 'IPv4');
    if (list) for (const r of list) if (cidrHoldsUsable(r, ip)) return true;
    return false;
  }

  /** The DNS server address pods get in resolv.conf (kubeadm: the tenth address of the primary range). */
  public get dnsServiceIp(): string {
    return cidrAddress(this.primaryRange, KUBE_DNS_IP_INDEX);
  }

  /** The `default/kubernetes` Service's ClusterIP: the first address of the primary range. */
  public get kubernetesServiceIp(): string {
    return cidrAddress(this.primaryRange, KUBERNETES_SERVICE_IP_INDEX);
  }

  /** Allocates every Service's addresses; returns the Services that exist afterwards. */
  public allocate(services: readonly ServiceModel[], diagnostics: Diagnostic[]): ServiceModel[] {
    const rejected = new Set<ServiceModel>();
    const reject: Reject = (svc, field, value, message) => {
      diagnostics.push(diagnostic({ code: 'ALLOCATION_CONFLICT', object: svc.ref, field, message: `the API server would reject it: ${field}: Invalid value: ${JSON.stringify(value)}: ${message}` }));
      rejected.add(svc);
    };

    // Pass 1: families, then explicit ClusterIPs, node ports and LoadBalancer IPs, in manifest order.
    for (const svc of services) {
      // What the defaulting refuses never gets here: the inventory's validateManifest ran it over the same range.
      svc.ipFamilies = initServiceIpFamilies(svc.manifest.spec, this.families).ipFamilies;
      const requested = svc.requestedClusterIPs;
      if (requested.length && requested[0] !== 'None' && svc.type !== 'ExternalName') {
        if (requested.some((ip, i) => this.refuseClusterIp(svc, ip, i, reject))) {
          // A refused Service holds none of its requested IPs (the first may have been claimed).
          for (const ip of requested) if (this.usedIps.get(ip) === svc.ref && ip !== this.kubernetesServiceIp) this.usedIps.delete(ip);
          continue;
        }
        svc.clusterIPs = [...requested];
      }
      if (this.hasNodePorts(svc)) {
        for (const p of svc.ports) {
          if (p.nodePort === undefined) continue;
          const field = `spec.ports[${p.index}].nodePort`;
          if (p.nodePort < this.opts.nodePortMin || p.nodePort > this.opts.nodePortMax) {
            reject(svc, field, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.opts.nodePortMin}-${this.opts.nodePortMax}`);
            continue;
          }
          const owner = this.usedNodePorts.get(p.nodePort);
          // One Service may reuse its own node port for another protocol (same number, TCP and UDP).
          if (owner && owner !== svc.ref) {
            reject(svc, field, p.nodePort, `provided port is already allocated (by ${owner})`);
            continue;
          }
          this.usedNodePorts.set(p.nodePort, svc.ref);
        }
      }
      const hcnp = this.needsHealthCheckNodePort(svc) ? svc.manifest?.spec?.healthCheckNodePort : undefined;
      if (typeof hcnp === 'number' && hcnp !== 0) {
        const field = 'spec.healthCheckNodePort';
        const owner = this.usedNodePorts.get(hcnp);
        if (hcnp < this.opts.nodePortMin || hcnp > this.opts.nodePortMax) {
          reject(svc, field, hcnp, `provided port is not in the valid range. The range of valid ports is ${this.opts.nodePortMin}-${this.opts.nodePortMax}`);
        } else if (owner) {
          reject(svc, field, hcnp, `provided port is already allocated (by ${owner})`);
        } else {
          this.usedNodePorts.set(hcnp, svc.ref);
          this.healthCheckNodePorts.set(svc.key, hcnp);
        }
      }
      if (svc.type === 'LoadBalancer') {
        for (const lb of svc.requestedLoadBalancerIPs) {
          if (!this.usedLbIps.has(lb)) this.usedLbIps.set(lb, svc.ref);
          svc.loadBalancerIPs.push(lb);
        }
      }
    }

    // Pass 2: dynamic allocation for what is left.
    const kept: ServiceModel[] = [];
    for (const svc of services) {
      if (rejected.has(svc)) {
        this.release(svc);
        continue;
      }
      if (svc.type !== 'ExternalName' && !svc.headless && !this.allocateClusterIps(svc, diagnostics)) continue;
      if (this.hasNodePorts(svc)) {
        let full = false;
        for (const p of svc.ports) {
          if (p.nodePort !== undefined) continue;
          // A port with the same number as another of this Service's ports shares its node port (TCP+UDP DNS style).
          const twin = svc.ports.find((q) => q !== p && q.port === p.port && q.nodePort !== undefined);
          p.nodePort = twin?.nodePort ?? this.allocateNodePort(`${svc.key}:${p.index}`, svc.ref);
          if (p.nodePort === undefined) full = true;
        }
        if (full) {
          diagnostics.push(diagnostic({ code: 'ALLOCATION_CONFLICT', object: svc.ref, field: 'spec.ports', message: `the API server would reject it: no free node port left in ${this.opts.nodePortMin}-${this.opts.nodePortMax}` }));
          continue;
        }
      }
      if (this.needsHealthCheckNodePort(svc) && !this.healthCheckNodePorts.has(svc.key)) {
        const hcnp = this.allocateNodePort(`${svc.key}:healthCheckNodePort`, svc.ref);
        if (hcnp === undefined) {
          diagnostics.push(diagnostic({ code: 'ALLOCATION_CONFLICT', object: svc.ref, field: 'spec.healthCheckNodePort', message: `the API server would reject it: no free node port left in ${this.opts.nodePortMin}-${this.opts.nodePortMax}` }));
          continue;
        }
        this.healthCheckNodePorts.set(svc.key, hcnp);
      }
      if (svc.type === 'LoadBalancer' && svc.loadBalancerIPs.length === 0) {
        // One address per family of the Service, as a dual-stack load balancer announces.
        for (const family of svc.ipFamilies) {
          const ip = this.allocateLoadBalancerIp(svc.key, svc.ref, family);
          if (ip) {
            svc.loadBalancerIPs.push(ip);
          } else {
            diagnostics.push(diagnostic({ code: 'LOAD_BALANCER_PENDING', object: svc.ref, message: `no LoadBalancer IP left in the model's pool ${formatCidr(LOAD_BALANCER_POOLS[family])}; status.loadBalancer stays empty (EXTERNAL-IP <pending>)` }));
          }
        }
      }
      kept.push(svc);
    }
    return kept;
  }

  /** Claims an explicit ClusterIP (`spec.clusterIPs[index]`); true when the API server refuses it (reported). */
  private refuseClusterIp(svc: ServiceModel, ip: string, index: number, reject: Reject): boolean {
    const family = ipFamilyOf(ip);
    const ranges = (family && this.ranges.get(family)) || [];
    if (!this.inServiceRange(ip)) {
      const cidrText = ranges.length ? formatCidr(ranges[0]) : this.opts.serviceCidrs.map(formatCidr).join(',');
      // 1.33's MultiCIDR allocator finds no range for the IP (ipallocator ErrMismatchedNetwork).
      if (this.opts.serviceCidrObjects) reject(svc, 'spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided network does not match the current range`);
      else reject(svc, `spec.clusterIPs[${index}]`, ip, `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidrText}`);
      return true;
    }
    const owner = this.usedIps.get(ip);
    if (owner && owner !== svc.ref) {
      reject(svc, 'spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated (by ${owner})`);
      return true;
    }
    this.usedIps.set(ip, svc.ref);
    return false;
  }

  /**
   * Gives a Service a ClusterIP in each of its families that has none yet, primary first;
   * false (reported) when a family's ranges are full.
   */
  private allocateClusterIps(svc: ServiceModel, diagnostics: Diagnostic[]): boolean {
    const ips = [...svc.clusterIPs];
    for (const family of svc.ipFamilies.slice(ips.length)) {
      const ranges = this.ranges.get(family) ?? [];
      const reserved = family === this.families[0] && this.usedIps.get(this.kubernetesServiceIp) === svc.ref ? this.kubernetesServiceIp : undefined;
      let ip = reserved;
      for (const range of ranges) ip ??= this.allocateClusterIp(svc, range);
      if (!ip) {
        diagnostics.push(diagnostic({ code: 'ALLOCATION_CONFLICT', object: svc.ref, field: 'spec.clusterIP', message: `the API server would reject it: no free ClusterIP left in ${ranges.map(formatCidr).join(', ')}` }));
        for (const taken of ips) if (this.usedIps.get(taken) === svc.ref) this.usedIps.delete(taken);
        return false;
      }
      ips.push(ip);
    }
    svc.clusterIPs = ips;
    return true;
  }

  /**
   * A free LoadBalancer IP of `family` (default: the cluster's primary) for `key` (hashed into
   * the pool, probing linearly), or undefined when the pool is full. The ingress controller model
   * uses it for its own address.
   */
  public allocateLoadBalancerIp(key: string, owner: string, family: IpFamily = this.families[0]): string | undefined {
    const pool = LOAD_BALANCER_POOLS[family];
    const usable = cidrSize(pool) - 2;
    const start = fnv1a32(key) % usable;
    for (let i = 0; i < usable; i++) {
      const ip = cidrAddress(pool, 1 + ((start + i) % usable));
      if (!this.usedLbIps.has(ip)) {
        this.usedLbIps.set(ip, owner);
        return ip;
      }
    }
    return undefined;
  }

  /** The API server gives a LoadBalancer with externalTrafficPolicy Local a health-check node port (pkg/registry/core/service/storage). */
  private needsHealthCheckNodePort(svc: ServiceModel): boolean {
    return svc.type === 'LoadBalancer' && svc.externalTrafficLocal;
  }

  /**
   * Claims one LoadBalancer IP asked for by address (a Gateway's static address); the reason it
   * cannot be used otherwise: outside the pool, or already taken.
   */
  public claimLoadBalancerIp(ip: string, owner: string): { ok: true } | { ok: false; reason: string } {
    const pool = LOAD_BALANCER_POOLS[ip.includes(':') ? 'IPv6' : 'IPv4'];
    if (!cidrHoldsUsable(pool, ip)) {
      return { ok: false, reason: `${ip} is not a usable address of the model's load balancer pool ${formatCidr(pool)}` };
    }
    const holder = this.usedLbIps.get(ip);
    if (holder !== undefined) return { ok: false, reason: `${ip} is already used by ${holder}` };
    this.usedLbIps.set(ip, owner);
    return { ok: true };
  }

  private hasNodePorts(svc: ServiceModel): boolean {
    return svc.type === 'NodePort' || (svc.type === 'LoadBalancer' && svc.allocateLoadBalancerNodePorts);
  }

  private release(svc: ServiceModel) {
    for (const ip of svc.clusterIPs) if (this.usedIps.get(ip) === svc.ref) this.usedIps.delete(ip);
    for (const p of svc.ports) if (p.nodePort !== undefined && this.usedNodePorts.get(p.nodePort) === svc.ref) this.usedNodePorts.delete(p.nodePort);
    for (const ip of svc.loadBalancerIPs) if (this.usedLbIps.get(ip) === svc.ref) this.usedLbIps.delete(ip);
    const hcnp = this.healthCheckNodePorts.get(svc.key);
    if (hcnp !== undefined && this.usedNodePorts.get(hcnp) === svc.ref) this.usedNodePorts.delete(hcnp);
    this.healthCheckNodePorts.delete(svc.key);
  }

  private allocateClusterIp(svc: ServiceModel, range: Cidr): string | undefined {
    const size = cidrSize(range);
    // Usable addresses exclude the network and broadcast addresses (the allocator does so for IPv6 too).
    const lowFirst = 1;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);
    const upperFirst = size > 16 ? staticBand : lowFirst;
    const last = size - 2;
    const tryBand = (first: number, lastInBand: number) => {
      const count = lastInBand - first + 1;
      if (count <= 0) return undefined;
      const start = fnv1a32(svc.key) % count;
      for (let i = 0; i < count; i++) {
        const ip = cidrAddress(range, first + ((start + i) % count));
        if (!this.usedIps.has(ip)) {
          this.usedIps.set(ip, svc.ref);
          return ip;
        }
      }
      return undefined;
    };
    return tryBand(upperFirst, last) ?? (upperFirst > lowFirst ? tryBand(lowFirst, upperFirst - 1) : undefined);
  }

  private allocateNodePort(key: string, owner: string): number | undefined {
    const { nodePortMin: min, nodePortMax: max } = this.opts;
    const size = max - min + 1;
    const tryBand = (first: number, last: number) => {
      const count = last - first + 1;
      if (count <= 0) return undefined;
      const start = fnv1a32(key) % count;
      for (let i = 0; i < count; i++) {
        const port = first + ((start + i) % count);
        if (!this.usedNodePorts.has(port)) {
          this.usedNodePorts.set(port, owner);
          return port;
        }
      }
      return undefined;
    };
    if (!this.opts.nodePortStaticSubrange) return tryBand(min, max);
    // portallocator calculateRangeOffset: no band in a range of 16 ports or fewer.
    const staticBand = size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 32)), 128);
    return tryBand(min + staticBand, max) ?? tryBand(min, min + staticBand - 1);
  }
}
