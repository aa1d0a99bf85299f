// IPAM restated from pkg/registry/core/service/ipallocator (KEP-3070: the lower band of the
// range is kept for static IPs, dynamic allocation prefers the upper band) and
// pkg/registry/core/service/portallocator (node ports from --service-node-port-range).
import { clusterIpService, deployment, service } from './fixtures';
import { Cluster } from '../../src';

const ipOf = (c: Cluster, name: string) => c.services.find((s) => s.name === name)?.clusterIp;
// Every cluster also has default/kubernetes (first address of the range); these tests look at the manifests' Services.
const own = (c: Cluster) => c.services.filter((s) => s.name !== 'default/kubernetes');
const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

describe('ClusterIPs', () => {
  test('allocated in the service range, above the static band (10.96.0.0/12 keeps 256 addresses)', () => {
    const c = Cluster.fromManifests(Array.from({ length: 50 }, (_, i) => clusterIpService('a', `s${i}`, { app: 'x' }, [{ port: 80 }])));
    const ips = own(c).map((s) => toInt(s.clusterIp!));
    expect(new Set(ips).size).toBe(50);
    for (const ip of ips) {
      expect(ip).toBeGreaterThanOrEqual(toInt('10.96.1.0'));
      expect(ip).toBeLessThanOrEqual(toInt('10.111.255.254'));
    }
  });

  test('stable for a service whatever else is in the manifests', () => {
    const alone = ipOf(Cluster.fromManifests([clusterIpService('shop', 'cart', { app: 'cart' }, [{ port: 80 }])]), 'shop/cart');
    const others = Array.from({ length: 30 }, (_, i) => clusterIpService('x', `o${i}`, { app: 'o' }, [{ port: 80 }]));
    const crowded = ipOf(Cluster.fromManifests([...others, clusterIpService('shop', 'cart', { app: 'cart' }, [{ port: 80 }])]), 'shop/cart');
    expect(crowded).toBe(alone);
  });

  test('an explicit clusterIP is honoured', () => {
    const c = Cluster.fromManifests([clusterIpService('a', 'dns', { app: 'x' }, [{ port: 53, protocol: 'UDP' }], { clusterIP: '10.96.0.53' })]);
    expect(ipOf(c, 'a/dns')).toBe('10.96.0.53');
  });

  test('a second claim on one clusterIP is refused like the API server ("provided IP is already allocated")', () => {
    const c = Cluster.fromManifests([
      clusterIpService('a', 'one', { app: 'x' }, [{ port: 80 }], { clusterIP: '10.96.5.5' }),
      clusterIpService('a', 'two', { app: 'x' }, [{ port: 80 }], { clusterIP: '10.96.5.5' }),
    ]);
    expect(own(c).map((s) => s.name)).toEqual(['a/one']);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'ALLOCATION_CONFLICT', object: 'Service/a/two', message: expect.stringContaining('provided IP is already allocated') }));
  });

  test('the kubernetes (first) and kube-dns (tenth) addresses are taken', () => {
    const c = Cluster.fromManifests([clusterIpService('a', 'x', { app: 'x' }, [{ port: 80 }], { clusterIP: '10.96.0.10' })]);
    expect(c.diagnostics[0]).toMatchObject({ code: 'ALLOCATION_CONFLICT', message: expect.stringContaining('Service/kube-system/kube-dns') });
    const first = Cluster.fromManifests([clusterIpService('a', 'x', { app: 'x' }, [{ port: 80 }], { clusterIP: '10.96.0.1' })]);
    expect(first.diagnostics[0]).toMatchObject({ code: 'ALLOCATION_CONFLICT', message: expect.stringContaining('Service/default/kubernetes') });
  });

  test('...but the Services they are kept for may claim them (cluster dumps declare both)', () => {
    const c = Cluster.fromManifests([
      clusterIpService('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', port: 53, protocol: 'UDP' }], { clusterIP: '10.96.0.10' }),
      clusterIpService('default', 'kubernetes', undefined, [{ name: 'https', port: 443, targetPort: 6443 }], { clusterIP: '10.96.0.1' }),
    ]);
    expect(c.diagnostics.filter((d) => d.code === 'ALLOCATION_CONFLICT')).toEqual([]);
    expect(c.services.map((s) => `${s.name} ${s.clusterIp}`)).toEqual(['kube-system/kube-dns 10.96.0.10', 'default/kubernetes 10.96.0.1']);
  });

  test('an explicit IP outside serviceCidr is refused', () => {
    const c = Cluster.fromManifests([clusterIpService('a', 'x', { app: 'x' }, [{ port: 80 }], { clusterIP: '10.96.0.20' })], { serviceCidr: '10.100.0.0/16' });
    expect(own(c)).toEqual([]);
    expect(c.diagnostics.map((d) => d.code)).toContain('ALLOCATION_CONFLICT');
  });

  test('an explicit IPv6 clusterIP is refused on a single-stack IPv4 cluster (the family is not configured)', () => {
    const c = Cluster.fromManifests([clusterIpService('a', 'v6', { app: 'x' }, [{ port: 80 }], { clusterIP: 'fd00::10', ipFamilies: ['IPv6'] })]);
    expect(own(c)).toEqual([]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ object: 'Service/a/v6', message: expect.stringContaining('not configured on this cluster') }));
  });

  test('an explicit IPv6 clusterIP outside the IPv6 range of a dual-stack cluster is refused with that range', () => {
    const c = Cluster.fromManifests([clusterIpService('a', 'v6', { app: 'x' }, [{ port: 80 }], { clusterIP: 'fd00::10', ipFamilies: ['IPv6'] })], {
      serviceCidr: '10.96.0.0/12,fd00:10:96::/112', podCidr: '10.244.0.0/16,fd00:10:244::/56',
    });
    expect(own(c)).toEqual([]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ object: 'Service/a/v6', message: expect.stringContaining('The range of valid IPs is fd00:10:96::/112') }));
  });

  test('a dual-stack Service refused for its second IP holds neither: the first stays free for a later Service', () => {
    const dual = { serviceCidr: '10.96.0.0/12,fd00:10:96::/112', podCidr: '10.244.0.0/16,fd00:10:244::/56' };
    const c = Cluster.fromManifests([
      clusterIpService('a', 'refused', { app: 'x' }, [{ port: 80 }], { ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.40', clusterIPs: ['10.96.0.40', 'fd00:20::40'] }),
      clusterIpService('a', 'later', { app: 'x' }, [{ port: 80 }], { clusterIP: '10.96.0.40' }),
    ], dual);
    expect(own(c).map((s) => `${s.name} ${s.clusterIp}`)).toEqual(['a/later 10.96.0.40']);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ object: 'Service/a/refused', field: 'spec.clusterIPs[1]' }));
  });

  test('a full IPv6 range is reported like a full IPv4 one, naming it', () => {
    // fd00:10:96::/124: 14 usable addresses, none reserved (kubernetes and kube-dns are in the primary IPv4 range).
    const c = Cluster.fromManifests(Array.from({ length: 15 }, (_, i) => clusterIpService('a', `s${i}`, { app: 'x' }, [{ port: 80 }], { ipFamilies: ['IPv6'] })), {
      serviceCidr: '10.96.0.0/12,fd00:10:96::/124', podCidr: '10.244.0.0/16,fd00:10:244::/56',
    });
    expect(own(c)).toHaveLength(14);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'ALLOCATION_CONFLICT', object: 'Service/a/s14', message: expect.stringContaining('no free ClusterIP left in fd00:10:96::/124') }));
  });

  test('a full service range is reported like the API server ("no free ClusterIP")', () => {
    // 10.96.0.0/28: 14 usable addresses, two of them reserved for kubernetes and kube-dns.
    const c = Cluster.fromManifests(Array.from({ length: 13 }, (_, i) => clusterIpService('a', `s${i}`, { app: 'x' }, [{ port: 80 }])), { serviceCidr: '10.96.0.0/28' });
    expect(own(c)).toHaveLength(12);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'ALLOCATION_CONFLICT', object: 'Service/a/s12', message: expect.stringContaining('no free ClusterIP') }));
  });

  test('headless and ExternalName services get no ClusterIP', () => {
    const c = Cluster.fromManifests([
      clusterIpService('a', 'h', { app: 'x' }, [{ port: 80 }], { clusterIP: 'None' }),
      service('a', 'ext', { type: 'ExternalName', externalName: 'db.example.com' }),
    ]);
    expect(own(c).map((s) => s.clusterIp)).toEqual(['None', undefined]);
  });
});

describe('node ports', () => {
  const nodePort = (name: string, ports: any[], extra: any = {}) => service('a', name, { type: 'NodePort', selector: { app: name }, ports, ...extra });

  test('allocated in 30000-32767 when not given, honoured when given', () => {
    const c = Cluster.fromManifests([nodePort('web', [{ name: 'http', port: 80 }, { name: 'admin', port: 81, nodePort: 30081 }])]);
    const [http, admin] = own(c)[0].ports;
    expect(http.nodePort).toBeGreaterThanOrEqual(30000);
    expect(http.nodePort).toBeLessThanOrEqual(32767);
    expect(admin.nodePort).toBe(30081);
  });

  test('the range is an option', () => {
    const c = Cluster.fromManifests([nodePort('web', [{ port: 80 }])], { nodePortRange: '31000-31009' });
    expect(own(c)[0].ports[0].nodePort).toBeGreaterThanOrEqual(31000);
    expect(own(c)[0].ports[0].nodePort).toBeLessThanOrEqual(31009);
  });

  test('a full node port range is reported', () => {
    const c = Cluster.fromManifests([nodePort('a', [{ port: 80 }]), nodePort('b', [{ port: 80 }]), nodePort('c', [{ port: 80 }])], { nodePortRange: '30000-30001' });
    expect(own(c)).toHaveLength(2);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'ALLOCATION_CONFLICT', object: 'Service/a/c', message: expect.stringContaining('no free node port') }));
  });

  test('a node port claimed twice is refused for the second Service', () => {
    const c = Cluster.fromManifests([nodePort('one', [{ port: 80, nodePort: 30080 }]), nodePort('two', [{ port: 80, nodePort: 30080 }])]);
    expect(own(c).map((s) => s.name)).toEqual(['a/one']);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ object: 'Service/a/two', field: 'spec.ports[0].nodePort', message: expect.stringContaining('provided port is already allocated') }));
  });

  test('a ClusterIP service gets no node ports; LoadBalancer gets them unless allocateLoadBalancerNodePorts is false', () => {
    const c = Cluster.fromManifests([
      clusterIpService('a', 'c', { app: 'c' }, [{ port: 80 }]),
      service('a', 'lb', { type: 'LoadBalancer', selector: { app: 'lb' }, ports: [{ port: 80 }] }),
      service('a', 'lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, selector: { app: 'lb' }, ports: [{ port: 80 }] }),
    ]);
    expect(own(c).map((s) => s.ports[0].nodePort === undefined)).toEqual([true, false, true]);
  });
});

describe('LoadBalancer IPs', () => {
  test('when the pool is exhausted the Service stays <pending>, with a warning', () => {
    const lbs = Array.from({ length: 255 }, (_, i) => service('a', `lb${i}`, { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, selector: { app: 'x' }, ports: [{ port: 80 }] }));
    const c = Cluster.fromManifests(lbs);
    expect(own(c).filter((s) => s.loadBalancerIps.length === 0)).toHaveLength(1);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'LOAD_BALANCER_PENDING', severity: 'warning' }));
  });

  test('status.loadBalancer.ingress is honoured; otherwise one is allocated from the model\'s pool', () => {
    const given = service('a', 'given', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] });
    given.status = { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } };
    const c = Cluster.fromManifests([given, service('a', 'auto', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] }), deployment('a', 'x')]);
    expect(own(c)[0].loadBalancerIps).toEqual(['198.51.100.7']);
    expect(own(c)[1].loadBalancerIps[0]).toMatch(/^172\.18\.255\.\d+$/);
  });
});
