// Cluster DNS restated from kubernetes/dns docs/specification.md (records for ClusterIP,
// headless, ExternalName services, SRV `_port._proto`, pod records), the CoreDNS kubernetes
// plugin (plugin/kubernetes; plugin/backend_lookup.go SRV weights; `pods insecure` and `ttl 30`
// from kubeadm's default Corefile) and kubelet's resolv.conf for ClusterFirst pods
// (pkg/kubelet/network/dns: search <ns>.svc.<domain> svc.<domain> <domain>, options ndots:5).
import { clusterIpService, deployment, service, statefulSet } from './fixtures';
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
    expect(() => cluster().resolve('x', { type: 'MX' })).toThrow('resolve: type must be one of A, AAAA, SRV, CNAME, PTR');
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
