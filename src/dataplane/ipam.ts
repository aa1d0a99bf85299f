import { diagnostic } from './diagnostic-codes';
import { ServiceModel } from './services';
import { Diagnostic } from './types';
import { Cidr4, cidrContains, fnv1a32, formatCidr4, formatIPv4, parseCidr4, parseIPv4 } from './util';
import { KUBERNETES_SERVICE_IP_INDEX, KUBERNETES_SERVICE_REF } from '../api/cluster-builtins';
import { ipFamilyOf } from '../api/names';

/** Where MetalLB-style LoadBalancer IPs come from when a manifest has none (kind's docker network tail). */
const LOAD_BALANCER_POOL = parseCidr4('172.18.255.0/24')!;

export interface IpamOptions {
  readonly serviceCidr: Cidr4;
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
 * tenth kube-dns (kubeadm), so both are reserved. Instead of a random pick we hash
 * `namespace/name` into the band and probe linearly: a Service keeps its IP whatever else is in
 * the manifests (unless two hash to the same slot). Explicit IPs and node ports are taken first,
 * in manifest order; a second claim on one is what the API server refuses ("provided IP is
 * already allocated"), so that Service is reported and left out.
 *
 * Node ports: from 1.28 (ServiceNodePortStaticSubrange, KEP-3668) the range's lower
 * min(max(16, size/32), 128) ports are kept for explicit node ports the same way (30000–30085 of
 * the default range); 1.27 picks from the whole range. The pick is hashed like ClusterIPs.
 */
export class Ipam {
  private readonly usedIps = new Map<string, string>();
  private readonly usedNodePorts = new Map<number, string>();
  private readonly usedLbIps = new Map<string, string>();
  /** The ranges of ServiceCIDR objects (1.33+), after `serviceCidr`. */
  private readonly extraRanges: Cidr4[] = [];
  /** By Service `namespace/name`: the node port of kube-proxy's health-check server. */
  public readonly healthCheckNodePorts = new Map<string, number>();

  public constructor(private readonly opts: IpamOptions) {
    this.usedIps.set(this.kubernetesServiceIp, KUBERNETES_SERVICE_REF);
    if (opts.serviceCidr.size > 11) this.usedIps.set(formatIPv4(opts.serviceCidr.base + 10), 'Service/kube-system/kube-dns');
  }

  /** Adds the IPv4 ranges of ServiceCIDR objects (the allocator serves every range; the model tries them after `serviceCidr`, in manifest order). */
  public addServiceCidrs(ranges: readonly Cidr4[]): void {
    for (const r of ranges) {
      const known = [this.opts.serviceCidr, ...this.extraRanges].some((x) => x.base === r.base && x.size === r.size);
      if (!known) this.extraRanges.push(r);
    }
  }

  /** Whether `n` (an IPv4 address as a number) is an allocatable address of a service range. */
  public inServiceRange(n: number): boolean {
    return [this.opts.serviceCidr, ...this.extraRanges].some((r) => cidrContains(r, n) && n !== r.base && n !== r.base + r.size - 1);
  }

  /** The DNS server address pods get in resolv.conf (kubeadm: the tenth address of the range). */
  public get dnsServiceIp(): string {
    return formatIPv4(this.opts.serviceCidr.base + 10);
  }

  /** The `default/kubernetes` Service's ClusterIP: the first address of the range. */
  public get kubernetesServiceIp(): string {
    return formatIPv4(this.opts.serviceCidr.base + KUBERNETES_SERVICE_IP_INDEX);
  }

  /** Allocates every Service's addresses; returns the Services that exist afterwards. */
  public allocate(services: readonly ServiceModel[], diagnostics: Diagnostic[]): ServiceModel[] {
    const rejected = new Set<ServiceModel>();
    const reject = (svc: ServiceModel, field: string, value: unknown, message: string) => {
      diagnostics.push(diagnostic({ code: 'ALLOCATION_CONFLICT', object: svc.ref, field, message: `the API server would reject it: ${field}: Invalid value: ${JSON.stringify(value)}: ${message}` }));
      rejected.add(svc);
    };
    const cidrText = formatCidr4(this.opts.serviceCidr);

    // Pass 1: explicit ClusterIPs, node ports and LoadBalancer IPs, in manifest order.
    for (const svc of services) {
      const ip = svc.requestedClusterIP;
      if (ip !== undefined && ip !== 'None' && svc.type !== 'ExternalName') {
        const n = parseIPv4(ip);
        if (n === undefined || !this.inServiceRange(n)) {
          if (ipFamilyOf(ip) === 'IPv6') reject(svc, 'spec.clusterIPs[0]', ip, 'this cluster is IPv4 only (serviceCidr ' + cidrText + ')');
          // 1.33's MultiCIDR allocator finds no range for the IP (ipallocator ErrMismatchedNetwork).
          else if (this.opts.serviceCidrObjects) reject(svc, 'spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided network does not match the current range`);
          else reject(svc, 'spec.clusterIPs[0]', ip, `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidrText}`);
          continue;
        }
        const owner = this.usedIps.get(ip);
        if (owner && owner !== svc.ref) {
          reject(svc, 'spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated (by ${owner})`);
          continue;
        }
        this.usedIps.set(ip, svc.ref);
        svc.clusterIP = ip;
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
      if (svc.type !== 'ExternalName' && !svc.headless && svc.clusterIP === undefined) {
        const reserved = this.usedIps.get(this.kubernetesServiceIp) === svc.ref ? this.kubernetesServiceIp : undefined;
        let ip = reserved ?? this.allocateClusterIp(svc, this.opts.serviceCidr);
        for (const range of this.extraRanges) ip ??= this.allocateClusterIp(svc, range);
        if (!ip) {
          const ranges = [this.opts.serviceCidr, ...this.extraRanges].map(formatCidr4).join(', ');
          diagnostics.push(diagnostic({ code: 'ALLOCATION_CONFLICT', object: svc.ref, field: 'spec.clusterIP', message: `the API server would reject it: no free ClusterIP left in ${ranges}` }));
          continue;
        }
        svc.clusterIP = ip;
      }
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
        const ip = this.allocateLoadBalancerIp(svc.key, svc.ref);
        if (ip) {
          svc.loadBalancerIPs.push(ip);
        } else {
          diagnostics.push(diagnostic({ code: 'LOAD_BALANCER_PENDING', object: svc.ref, message: `no LoadBalancer IP left in the model's pool ${formatCidr4(LOAD_BALANCER_POOL)}; status.loadBalancer stays empty (EXTERNAL-IP <pending>)` }));
        }
      }
      kept.push(svc);
    }
    return kept;
  }

  /**
   * A free LoadBalancer IP for `key` (hashed into the pool, probing linearly), or undefined when
   * the pool is full. The ingress controller model uses it for its own address.
   */
  public allocateLoadBalancerIp(key: string, owner: string): string | undefined {
    const usable = LOAD_BALANCER_POOL.size - 2;
    const start = fnv1a32(key) % usable;
    for (let i = 0; i < usable; i++) {
      const ip = formatIPv4(LOAD_BALANCER_POOL.base + 1 + ((start + i) % usable));
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
    const n = parseIPv4(ip);
    if (n === undefined || n <= LOAD_BALANCER_POOL.base || n >= LOAD_BALANCER_POOL.base + LOAD_BALANCER_POOL.size - 1) {
      return { ok: false, reason: `${ip} is not a usable address of the model's load balancer pool ${formatCidr4(LOAD_BALANCER_POOL)}` };
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
    if (svc.clusterIP && this.usedIps.get(svc.clusterIP) === svc.ref) this.usedIps.delete(svc.clusterIP);
    for (const p of svc.ports) if (p.nodePort !== undefined && this.usedNodePorts.get(p.nodePort) === svc.ref) this.usedNodePorts.delete(p.nodePort);
    for (const ip of svc.loadBalancerIPs) if (this.usedLbIps.get(ip) === svc.ref) this.usedLbIps.delete(ip);
    const hcnp = this.healthCheckNodePorts.get(svc.key);
    if (hcnp !== undefined && this.usedNodePorts.get(hcnp) === svc.ref) this.usedNodePorts.delete(hcnp);
    this.healthCheckNodePorts.delete(svc.key);
  }

  private allocateClusterIp(svc: ServiceModel, range: Cidr4): string | undefined {
    const { base, size } = range;
    // Usable addresses exclude the network and broadcast addresses.
    const lowFirst = 1;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);
    const upperFirst = size > 16 ? staticBand : lowFirst;
    const last = size - 2;
    const tryBand = (first: number, lastInBand: number) => {
      const count = lastInBand - first + 1;
      if (count <= 0) return undefined;
      const start = fnv1a32(svc.key) % count;
      for (let i = 0; i < count; i++) {
        const ip = formatIPv4(base + first + ((start + i) % count));
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
