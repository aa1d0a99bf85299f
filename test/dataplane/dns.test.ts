// Cluster DNS restated from kubernetes/dns docs/specification.md (records for ClusterIP,
// headless, ExternalName services, SRV `_port._proto`, pod records), the CoreDNS kubernetes
// plugin (plugin/kubernetes; plugin/backend_lookup.go SRV weights; `pods insecure` and `ttl 30`
// from kubeadm's default Corefile) and kubelet's resolv.conf for ClusterFirst pods
// (pkg/kubelet/network/dns: search <ns>.svc.<domain> svc.<domain> <domain>, options ndots:5).
import { clusterIpService, deployment, pod, service, statefulSet } from './fixtures';
import { Cluster } from '../../src';

const manifests = [
  deployment('shop', 'cart', { replicas: 2 }),
  clusterIpService('shop', 'cart', { app: 'cart' }, [{ name: 'http', port: 80, targetPort: 'http' }, { port: 9000, name: 'grpc', targetPort: 9000 }]),
  statefulSet('db', 'pg', 'pg', 2),
  clusterIpService('db', 'pg', { app: 'pg' }, [{ name: 'pg', port: 5432 }], { clusterIP: 'None' }),
  service('shop', 'payments', { type: 'ExternalName', externalName: 'payments.example.com' }),
  service('shop', 'alias', { type: 'ExternalName', externalName: 'cart.shop.svc.cluster.local' }),
];
const cluster = () => Cluster.fromManifests(manifests);
const values = (r: { records: { type: string; value: string }[] }) => r.records.map((x) => `${x.type} ${x.value}`);

describe('service records', () => {
  test('<svc>.<ns>.svc.<domain> A → the ClusterIP, TTL 30', () => {
    const c = cluster();
    const ip = c.services.find((s) => s.name === 'shop/cart')!.clusterIp;
    const r = c.resolve('cart.shop.svc.cluster.local');
    expect(r).toMatchObject({ rcode: 'NOERROR', name: 'cart.shop.svc.cluster.local' });
    expect(r.records).toEqual([{ name: 'cart.shop.svc.cluster.local', type: 'A', ttl: 30, value: ip }]);
  });

  test('names are case-insensitive and a trailing dot is absolute', () => {
    expect(cluster().resolve('CART.Shop.svc.cluster.local.').rcode).toBe('NOERROR');
  });

  test('AAAA for an IPv4 service is NODATA (NOERROR, no records)', () => {
    expect(cluster().resolve('cart.shop.svc.cluster.local', { type: 'AAAA' })).toMatchObject({ rcode: 'NOERROR', records: [] });
  });

  test('unknown names are NXDOMAIN', () => {
    expect(cluster().resolve('nope.shop.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('headless: one A per ready endpoint, sorted; none for a not-ready pod', () => {
    const c = Cluster.fromManifests(manifests, { notReadyPods: ['db/pg-1'] });
    const pg0 = c.pods.find((p) => p.name === 'db/pg-0')!.ip;
    expect(values(c.resolve('pg.db.svc.cluster.local'))).toEqual([`A ${pg0}`]);
  });

  test('headless with publishNotReadyAddresses answers not-ready pods too', () => {
    const m = manifests.map((o) => (o.metadata.name === 'pg' && o.kind === 'Service' ? { ...o, spec: { ...o.spec, publishNotReadyAddresses: true } } : o));
    const c = Cluster.fromManifests(m, { notReadyPods: ['db/pg-1'] });
    expect(c.resolve('pg.db.svc.cluster.local').records).toHaveLength(2);
  });

  test('headless without ready endpoints: the name does not exist (NXDOMAIN)', () => {
    const c = Cluster.fromManifests(manifests, { notReadyPods: ['db/pg-0', 'db/pg-1'] });
    expect(c.resolve('pg.db.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('StatefulSet pods: <hostname>.<subdomain>.<ns>.svc.<domain> → that pod', () => {
    const c = cluster();
    const pg1 = c.pods.find((p) => p.name === 'db/pg-1')!.ip;
    expect(values(c.resolve('pg-1.pg.db.svc.cluster.local'))).toEqual([`A ${pg1}`]);
  });

  test('ExternalName → CNAME; an in-cluster target is followed', () => {
    const c = cluster();
    expect(values(c.resolve('payments.shop.svc.cluster.local'))).toEqual(['CNAME payments.example.com']);
    const ip = c.services.find((s) => s.name === 'shop/cart')!.clusterIp;
    expect(values(c.resolve('alias.shop.svc.cluster.local'))).toEqual(['CNAME cart.shop.svc.cluster.local', `A ${ip}`]);
  });

  test('SRV _<port>._<proto>.<svc>: ClusterIP → one record to the service name', () => {
    const r = cluster().resolve('_http._tcp.cart.shop.svc.cluster.local', { type: 'SRV' });
    expect(r.records).toEqual([expect.objectContaining({ type: 'SRV', port: 80, target: 'cart.shop.svc.cluster.local', value: '0 100 80 cart.shop.svc.cluster.local' })]);
  });

  test('SRV for a headless service: one per ready endpoint, weight floor(100/n) (backend_lookup.go)', () => {
    const r = cluster().resolve('_pg._tcp.pg.db.svc.cluster.local', { type: 'SRV' });
    expect(r.records.map((x) => x.value).sort()).toEqual(['0 50 5432 pg-0.pg.db.svc.cluster.local', '0 50 5432 pg-1.pg.db.svc.cluster.local']);
  });

  test('PTR for a ClusterIP', () => {
    const c = cluster();
    const ip = c.services.find((s) => s.name === 'shop/cart')!.clusterIp!;
    const rev = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
    expect(values(c.resolve(rev, { type: 'PTR' }))).toEqual(['PTR cart.shop.svc.cluster.local']);
  });

  test('pod records a-b-c-d.<ns>.pod.<domain> (pods insecure)', () => {
    expect(values(cluster().resolve('10-244-1-9.shop.pod.cluster.local'))).toEqual(['A 10.244.1.9']);
  });

  test('the cluster domain is an option', () => {
    const c = Cluster.fromManifests(manifests, { clusterDomain: 'corp.internal' });
    expect(c.resolve('cart.shop.svc.corp.internal').rcode).toBe('NOERROR');
    expect(c.resolve('cart.shop.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('answers are reused but a caller cannot change the next one', () => {
    const c = cluster();
    const first = c.resolve('cart', { fromNamespace: 'shop' });
    (first.records as any[]).length = 0;
    expect(() => {
      'use strict';
      (c.resolve('cart', { fromNamespace: 'shop' }).records[0] as any).value = 'x';
    }).toThrow(TypeError);
    expect(c.resolve('cart', { fromNamespace: 'shop' }).records).toHaveLength(1);
    expect(c.resolve('cart', { fromNamespace: 'shop' }).records[0].value).toBe(c.services.find((s) => s.name === 'shop/cart')!.clusterIp);
  });

  test('unsupported query types are refused with a clear error', () => {
    expect(() => cluster().resolve('x', { type: 'MX' })).toThrow('resolve: type must be one of A, AAAA, SRV, CNAME, PTR, TXT, NS, SOA, got "MX"');
  });
});

describe('resolv.conf search path with ndots:5', () => {
  test('a short name tries <ns>.svc.<domain> first', () => {
    const r = cluster().resolve('cart', { fromNamespace: 'shop' });
    expect(r).toMatchObject({ rcode: 'NOERROR', name: 'cart.shop.svc.cluster.local' });
  });

  test('<svc>.<ns> resolves from another namespace via svc.<domain>', () => {
    const r = cluster().resolve('cart.shop', { fromNamespace: 'db' });
    expect(r.name).toBe('cart.shop.svc.cluster.local');
    expect(r.trace.map((h) => h.action)).toEqual(['search', 'nxdomain', 'answer']);
  });

  test('a bare service name from another namespace does not resolve', () => {
    expect(cluster().resolve('cart', { fromNamespace: 'db' }).rcode).toBe('NXDOMAIN');
  });

  test('a name with fewer than 5 dots walks the whole search list before trying itself', () => {
    const r = cluster().resolve('api.example.com', { fromNamespace: 'shop' });
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.trace[0].text).toContain('try api.example.com.shop.svc.cluster.local, api.example.com.svc.cluster.local, api.example.com.cluster.local, api.example.com');
  });

  test('a name with 5 or more dots is tried as is first', () => {
    const r = cluster().resolve('pg-0.pg.db.svc.cluster.local', { fromNamespace: 'shop' });
    expect(r.name).toBe('pg-0.pg.db.svc.cluster.local');
    expect(r.trace[0].text).toContain('try pg-0.pg.db.svc.cluster.local, pg-0.pg.db.svc.cluster.local.shop.svc.cluster.local');
  });

  test('the fully qualified service name from a pod needs no search (4 dots still searches first, then answers)', () => {
    const r = cluster().resolve('cart.shop.svc.cluster.local', { fromNamespace: 'db' });
    expect(r.rcode).toBe('NOERROR');
    expect(r.trace.filter((h) => h.action === 'nxdomain')).toHaveLength(3);
  });
});

const ipOf = (c: Cluster, key: string) => c.services.find((s) => s.name === key)!.clusterIp!;
const podIp = (c: Cluster, name: string) => c.pods.find((p) => p.name === name)!.ip;
const dashed = (ip: string) => ip.replace(/\./g, '-');
const reverse = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

describe('names CoreDNS answers beyond the specification (plugin/kubernetes findServices, reverse.go)', () => {
  test('endpoint names and PTR records also exist for the endpoints of a ClusterIP Service', () => {
    const c = cluster();
    const ip = podIp(c, c.pods.find((p) => p.name.startsWith('shop/cart-'))!.name);
    expect(values(c.resolve(`${dashed(ip)}.cart.shop.svc.cluster.local`))).toEqual([`A ${ip}`]);
    expect(values(c.resolve(reverse(ip), { type: 'PTR' }))).toEqual([`PTR ${dashed(ip)}.cart.shop.svc.cluster.local`]);
  });

  test('PTR: a ClusterIP answers only its Service; a pod behind two Services has one PTR per Service', () => {
    const c = Cluster.fromManifests([...manifests, clusterIpService('shop', 'cart-admin', { app: 'cart' }, [{ port: 9000 }])]);
    const ip = c.pods.find((p) => p.name.startsWith('shop/cart-'))!.ip;
    expect(values(c.resolve(reverse(ip), { type: 'PTR' })).sort()).toEqual([
      `PTR ${dashed(ip)}.cart-admin.shop.svc.cluster.local`,
      `PTR ${dashed(ip)}.cart.shop.svc.cluster.local`,
    ]);
    expect(values(c.resolve(reverse(ipOf(c, 'shop/cart-admin')), { type: 'PTR' }))).toEqual(['PTR cart-admin.shop.svc.cluster.local']);
  });

  test('SRV at the bare Service name: every port, named or not, weight floor(100/n)', () => {
    const r = cluster().resolve('cart.shop.svc.cluster.local', { type: 'SRV' });
    expect(r.records.map((x) => x.value).sort()).toEqual(['0 50 80 cart.shop.svc.cluster.local', '0 50 9000 cart.shop.svc.cluster.local']);
  });

  test('SRV: a port number shared by TCP and UDP gives one record, but both count towards the weight', () => {
    const c = Cluster.fromManifests([clusterIpService('kube-system', 'dns', { app: 'dns' }, [
      { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 },
    ])]);
    expect(c.resolve('dns.kube-system.svc.cluster.local', { type: 'SRV' }).records.map((x) => x.value).sort())
      .toEqual(['0 33 53 dns.kube-system.svc.cluster.local', '0 33 9153 dns.kube-system.svc.cluster.local']);
    expect(values(c.resolve('_dns._udp.dns.kube-system.svc.cluster.local', { type: 'SRV' }))).toEqual(['SRV 0 100 53 dns.kube-system.svc.cluster.local']);
    expect(c.resolve('_dns._tcp.dns.kube-system.svc.cluster.local', { type: 'SRV' }).rcode).toBe('NXDOMAIN');
  });

  test('ExternalName: no SRV records (NODATA); a CNAME to an in-zone name without an answer is dropped (NODATA)', () => {
    const c = Cluster.fromManifests([...manifests, service('shop', 'dangling', { type: 'ExternalName', externalName: 'nope.shop.svc.cluster.local' })]);
    expect(c.resolve('payments.shop.svc.cluster.local', { type: 'SRV' })).toMatchObject({ rcode: 'NOERROR', records: [] });
    const r = c.resolve('dangling.shop.svc.cluster.local');
    expect(r).toMatchObject({ rcode: 'NOERROR', records: [] });
    expect(r.trace.map((h) => h.action)).toEqual(['answer', 'nxdomain', 'nodata', 'nodata']);
  });

  test('a headless Service with no ports gets A records for its pods, and no SRV records', () => {
    const c = Cluster.fromManifests([deployment('db', 'cache', { replicas: 1 }), clusterIpService('db', 'cache', { app: 'cache' }, [], { clusterIP: 'None' })]);
    const ip = c.pods.find((p) => p.name.startsWith('db/cache-'))!.ip;
    expect(values(c.resolve('cache.db.svc.cluster.local'))).toEqual([`A ${ip}`]);
    expect(c.resolve('cache.db.svc.cluster.local', { type: 'SRV' })).toMatchObject({ rcode: 'NOERROR', records: [] });
  });

  test('a selector-less headless Service whose Endpoints have no ports answers its addresses', () => {
    const c = Cluster.fromManifests([
      service('ext', 'legacy', { clusterIP: 'None' }),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy', namespace: 'ext' }, subsets: [{ addresses: [{ ip: '192.0.2.10', hostname: 'db1' }] }] },
    ]);
    expect(values(c.resolve('legacy.ext.svc.cluster.local'))).toEqual(['A 192.0.2.10']);
    expect(values(c.resolve('db1.legacy.ext.svc.cluster.local'))).toEqual(['A 192.0.2.10']);
    expect(values(c.resolve('10.2.0.192.in-addr.arpa', { type: 'PTR' }))).toEqual(['PTR db1.legacy.ext.svc.cluster.local']);
  });

  test('given EndpointSlices and Endpoints: only ready addresses have records; FQDN slices are not addresses', () => {
    const sliceOf = (name: string, addressType: string, endpoints: object[]) => ({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'ext', labels: { 'kubernetes.io/service-name': 'legacy' } }, addressType, endpoints,
    });
    const subsets = [{ addresses: [{ ip: '192.0.2.3' }], notReadyAddresses: [{ ip: '192.0.2.4' }] }];
    const c = Cluster.fromManifests([
      service('ext', 'legacy', { clusterIP: 'None' }),
      sliceOf('a', 'IPv4', [{ addresses: ['192.0.2.1'] }, { addresses: ['192.0.2.2'], conditions: { ready: false } }]),
      sliceOf('b', 'FQDN', [{ addresses: ['db.example.com'] }]),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy', namespace: 'ext' }, subsets },
    ]);
    expect(values(c.resolve('legacy.ext.svc.cluster.local'))).toEqual(['A 192.0.2.1', 'A 192.0.2.3']);
    expect(c.resolve('192-0-2-2.legacy.ext.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('dns.endpointPodNames names endpoints without a hostname by their pod', () => {
    const m = [deployment('db', 'cache', { replicas: 1 }), clusterIpService('db', 'cache', { app: 'cache' }, [{ name: 'redis', port: 6379 }], { clusterIP: 'None' })];
    const c = Cluster.fromManifests(m, { dns: { endpointPodNames: true } });
    const p = c.pods.find((x) => x.name.startsWith('db/cache-'))!;
    const podName = p.name.split('/')[1];
    expect(values(c.resolve(`${podName}.cache.db.svc.cluster.local`))).toEqual([`A ${p.ip}`]);
    expect(c.resolve('_redis._tcp.cache.db.svc.cluster.local', { type: 'SRV' }).records[0].target).toBe(`${podName}.cache.db.svc.cluster.local`);
    expect(Cluster.fromManifests(m).resolve(`${podName}.cache.db.svc.cluster.local`).rcode).toBe('NXDOMAIN');
  });

  test('pod names: IPv6 dashed names answer AAAA (pods insecure); an IPv4 pod name has no AAAA; leading zeros are not an address', () => {
    const c = cluster();
    expect(values(c.resolve('fd00-10-244--5.shop.pod.cluster.local', { type: 'AAAA' }))).toEqual(['AAAA fd00:10:244::5']);
    expect(c.resolve('10-244-1-9.shop.pod.cluster.local', { type: 'AAAA' })).toMatchObject({ rcode: 'NOERROR', records: [] });
    expect(c.resolve('10-244-01-9.shop.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('pods verified: only the address of a pod of that namespace', () => {
    const c = Cluster.fromManifests(manifests, { dns: { pods: 'verified' } });
    const ip = c.pods.find((p) => p.name.startsWith('shop/cart-'))!.ip;
    expect(values(c.resolve(`${dashed(ip)}.shop.pod.cluster.local`))).toEqual([`A ${ip}`]);
    expect(c.resolve(`${dashed(ip)}.db.pod.cluster.local`).rcode).toBe('NXDOMAIN');
    expect(c.resolve('10-244-1-9.shop.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('TXT is NXDOMAIN at parent names that answer NODATA for other types (kubernetes.go Services, TXT)', () => {
    const c = cluster();
    expect(c.resolve('svc.cluster.local').rcode).toBe('NOERROR');
    expect(c.resolve('svc.cluster.local', { type: 'TXT' }).rcode).toBe('NXDOMAIN');
    expect(c.resolve('cluster.local', { type: 'TXT' }).rcode).toBe('NXDOMAIN');
  });

  test('namespaces exist when an object is in them, a Namespace names them, or the API server creates them', () => {
    const c = Cluster.fromManifests([...manifests, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } }]);
    for (const ns of ['shop', 'db', 'empty', 'default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect(c.resolve(`${ns}.svc.cluster.local`)).toMatchObject({ rcode: 'NOERROR', records: [] });
    }
    expect(c.resolve('nowhere.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(c.resolve('10-244-1-9.nowhere.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });
});

describe('the default/kubernetes Service (pkg/controlplane/controller/kubernetesservice)', () => {
  test('exists in every cluster: first address of the service range, https 443, A/SRV/PTR records', () => {
    const c = Cluster.fromManifests([], { serviceCidr: '10.100.0.0/16' });
    const https = { name: 'https', port: 443, protocol: 'TCP', targetPort: '6443' };
    expect(c.services).toEqual([{ name: 'default/kubernetes', type: 'ClusterIP', clusterIp: '10.100.0.1', loadBalancerIps: [], ports: [https] }]);
    expect(values(c.resolve('kubernetes', { fromNamespace: 'default' }))).toEqual(['A 10.100.0.1']);
    expect(values(c.resolve('_https._tcp.kubernetes.default.svc.cluster.local', { type: 'SRV' }))).toEqual(['SRV 0 100 443 kubernetes.default.svc.cluster.local']);
    expect(values(c.resolve('1.0.100.10.in-addr.arpa', { type: 'PTR' }))).toEqual(['PTR kubernetes.default.svc.cluster.local']);
  });

  test('a pod reaches the API server through it (the control plane is the node network\'s next address after the workers)', () => {
    const c = Cluster.fromManifests(manifests, { nodes: 2 });
    const client = c.pods.find((p) => p.name.startsWith('shop/cart-'))!.name;
    expect(c.request({ url: 'https://kubernetes.default.svc/', from: { pod: client } }))
      .toMatchObject({ status: 200, service: 'default/kubernetes', servicePort: 443, endpoint: '172.18.0.4:6443' });
  });

  test('a manifest that declares it (a cluster dump) is that Service: no conflict, its own endpoints', () => {
    const metadata = { name: 'kubernetes', namespace: 'default' };
    const dump = [
      { apiVersion: 'v1', kind: 'Service', metadata, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } },
      { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets: [{ addresses: [{ ip: '172.18.0.100' }], ports: [{ name: 'https', port: 6443 }] }] },
    ];
    const c = Cluster.fromManifests(dump);
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(c.services.map((s) => `${s.name} ${s.clusterIp}`)).toEqual(['default/kubernetes 10.96.0.1']);
    expect(c.connect({ to: '10.96.0.1:443', from: { ip: '10.244.0.9' } }).endpoint).toBe('172.18.0.100:6443');
    const noIp = Cluster.fromManifests([{ ...dump[0], spec: { ports: [{ name: 'https', port: 443, targetPort: 6443 }] } }]);
    expect(noIp.services.map((s) => s.clusterIp)).toEqual(['10.96.0.1']);
  });
});

describe('upstream (dns.upstream: what `forward . /etc/resolv.conf` answers)', () => {
  const upstream = { 'api.example.com': ['172.18.255.10', '2001:db8::10'], 'empty.example.com': [] };
  const lb = service('shop', 'edge', { type: 'LoadBalancer', loadBalancerIP: '172.18.255.10', selector: { app: 'cart' }, ports: [{ port: 80, targetPort: 8080 }] });
  const withUpstream = () => Cluster.fromManifests([...manifests, lb, service('shop', 'api', { type: 'ExternalName', externalName: 'api.example.com' })], { dns: { upstream } });

  test('without it, names outside the cluster domain are NXDOMAIN and the trace says so', () => {
    const r = cluster().resolve('api.example.com');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.trace[r.trace.length - 1].text).toContain('no upstream configured (dns.upstream)');
  });

  test('a listed name answers A and AAAA by family; an unlisted one is NXDOMAIN; other types are NODATA', () => {
    const c = withUpstream();
    expect(values(c.resolve('api.example.com'))).toEqual(['A 172.18.255.10']);
    expect(values(c.resolve('API.example.com.', { type: 'AAAA' }))).toEqual(['AAAA 2001:db8::10']);
    expect(c.resolve('empty.example.com')).toMatchObject({ rcode: 'NOERROR', records: [] });
    expect(c.resolve('api.example.com', { type: 'TXT' })).toMatchObject({ rcode: 'NOERROR', records: [] });
    const r = c.resolve('www.example.com');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.trace[0].text).toContain('not in dns.upstream');
  });

  test('an ExternalName answer carries the CNAME and the upstream addresses', () => {
    expect(withUpstream().resolve('api.shop.svc.cluster.local').records.map((x) => `${x.name} ${x.type} ${x.value}`)).toEqual([
      'api.shop.svc.cluster.local CNAME api.example.com',
      'api.example.com A 172.18.255.10',
    ]);
  });

  test('request() from a pod to an upstream name walks the search list, then reaches what the address is', () => {
    const c = withUpstream();
    const client = c.pods.find((p) => p.name.startsWith('shop/cart-'))!.name;
    const r = c.request({ url: 'http://api.example.com/', from: { pod: client } });
    expect(r).toMatchObject({ status: 200, service: 'shop/edge' });
    expect(r.trace.filter((h) => h.component === 'dns').map((h) => h.action)).toEqual(['query', 'search', 'nxdomain', 'nxdomain', 'nxdomain', 'forward']);
    expect(c.request({ url: 'http://api/', from: { pod: client } })).toMatchObject({ status: 200, service: 'shop/edge' });
  });

  test('request() to an upstream name without an upstream fails with NXDOMAIN', () => {
    const c = cluster();
    const client = c.pods.find((p) => p.name.startsWith('shop/cart-'))!.name;
    const r = c.request({ url: 'http://api.example.com/', from: { pod: client } });
    expect(r).toMatchObject({ status: 0, error: 'NXDOMAIN' });
    expect(r.trace.some((h) => h.text.includes('no upstream configured'))).toBe(true);
  });
});

describe('the search walk\'s end (glibc res_search: NODATA vs NXDOMAIN)', () => {
  test('a short name that meets NODATA on the way (svc.<domain>) ends NODATA, not NXDOMAIN', () => {
    const r = cluster().resolve('svc', { fromNamespace: 'shop' });
    expect(r).toMatchObject({ rcode: 'NOERROR', name: 'svc.cluster.local', records: [] });
    expect(r.trace.map((h) => h.action)).toEqual(['search', 'nxdomain', 'nxdomain', 'nodata', 'forward', 'result']);
  });

  test('NODATA does not stop the walk: a later candidate still answers', () => {
    const c = Cluster.fromManifests(manifests, { dns: { upstream: { db: ['192.0.2.7'] } } });
    // db.shop.svc.<d> NXDOMAIN, db.svc.<d> NODATA (namespace db), db.<d> NXDOMAIN, then db itself upstream.
    const r = c.resolve('db', { fromNamespace: 'shop' });
    expect(r).toMatchObject({ rcode: 'NOERROR', name: 'db' });
    expect(values(r)).toEqual(['A 192.0.2.7']);
    expect(r.trace.map((h) => h.action)).toEqual(['search', 'nxdomain', 'nodata', 'nxdomain', 'forward']);
  });

  test('request(): a namespace name as host is NODATA, and a name tried as is first ends with that answer', () => {
    const lean = pod('shop', 'lean', { spec: { dnsConfig: { options: [{ name: 'ndots', value: '1' }] } } });
    const c = Cluster.fromManifests([...manifests, pod('shop', 'client'), lean]);
    // ndots:5: shop.svc.shop.svc.<d>, shop.svc.svc.<d> NXDOMAIN, shop.svc.<d> NODATA, shop.svc.<d>.<d>... NODATA wins.
    const walked = c.request({ url: 'http://shop.svc/', from: { pod: 'shop/client' } });
    expect(walked).toMatchObject({ status: 0, error: 'no address' });
    expect(walked.trace[walked.trace.length - 1].text).toContain('met NODATA at shop.svc.cluster.local');
    // ndots:1: shop.svc is tried as is first (NXDOMAIN upstream); glibc keeps that answer.
    const asIs = c.request({ url: 'http://shop.svc/', from: { pod: 'shop/lean' } });
    expect(asIs).toMatchObject({ status: 0, error: 'NXDOMAIN' });
    expect(asIs.trace[asIs.trace.length - 1].text).toContain('tried as is first');
  });
});

describe('dns options', () => {
  test.each([
    [{ pods: 'strict' }, 'Cluster options: dns.pods must be one of insecure, verified, disabled, got "strict"'],
    [{ ignoreEmptyService: 'yes' }, 'Cluster options: dns.ignoreEmptyService must be true or false, got "yes"'],
    [{ endpointPodNames: 1 }, 'Cluster options: dns.endpointPodNames must be true or false, got 1'],
    [{ upstream: ['a'] }, 'Cluster options: dns.upstream must be a map of name to addresses, got ["a"]'],
    [{ upstream: { 'a.example.com': '1.2.3.4' } }, 'Cluster options: dns.upstream["a.example.com"] must be a list of IP addresses, got "1.2.3.4"'],
    [{ upstream: { 'a.example.com': ['1.2.3'] } }, 'Cluster options: dns.upstream["a.example.com"]: "1.2.3" is not an IP address'],
    [{ upstream: { 'not a name': [] } }, 'Cluster options: dns.upstream["not a name"]: not a DNS name'],
    [{ upstream: { 'x.svc.cluster.local': [] } }, 'Cluster options: dns.upstream["x.svc.cluster.local"]: names in the cluster domain cluster.local are answered by the kubernetes plugin, not upstream'],
    [{ upstream: { 'A.example.com': [], 'a.example.com.': [] } }, 'Cluster options: dns.upstream: "a.example.com." is listed twice'],
    ['on', 'Cluster options: dns must be an object, got "on"'],
  ])('%j is refused', (dns, message) => {
    expect(() => Cluster.fromManifests([], { dns: dns as any })).toThrow(message);
  });
});
