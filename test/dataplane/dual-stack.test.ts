// Dual-stack and IPv6-only clusters (KEP-563). Expected values follow the rules, not the model's output:
// - kube-apiserver --service-cluster-ip-range '10.96.0.0/12,fd00:10:96::/112': IPv4 primary; the
//   `kubernetes` Service is single-stack in the primary family (its first address), kube-dns the tenth;
// - kube-controller-manager --cluster-cidr '10.244.0.0/16,fd00:10:244::/56': node i gets the i-th /24
//   and the i-th /64; pods get each block's addresses from the second (`.2`, `::2`) on;
// - nodes sit on kind's docker network, 172.18.0.2… and fc00:f853:ccd:e793::2…; LoadBalancer IPs
//   come from 172.18.255.0/24 and fc00:f853:ccd:e793::ff00/120 (docs/model.md);
// - the families of a Service: initIPFamilyFields (SingleStack in the primary family unless asked).
import { clusterIpService, deployment, pod, service, statefulSet } from './fixtures';
import { Cluster, ClusterOptions, ResolveResult } from '../../src';

const DUAL: ClusterOptions = { nodes: 2, serviceCidr: '10.96.0.0/12,fd00:10:96::/112', podCidr: '10.244.0.0/16,fd00:10:244::/56' };

const http = [{ name: 'http', port: 80, targetPort: 'http' }];
const manifests = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  deployment('shop', 'web', { replicas: 2 }),
  pod('shop', 'client', { labels: { app: 'client' } }),
  // Static addresses (the lower band of each range) so that names and reverse names are known.
  clusterIpService('shop', 'web', { app: 'web' }, http, { ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00:10:96::20'] }),
  clusterIpService('shop', 'web-v4', { app: 'web' }, http),
  clusterIpService('shop', 'web-v6', { app: 'web' }, http, { ipFamilies: ['IPv6'] }),
  clusterIpService('shop', 'web-any', { app: 'web' }, http, { ipFamilyPolicy: 'PreferDualStack' }),
  statefulSet('shop', 'db', 'db', 2),
  clusterIpService('shop', 'db', { app: 'db' }, [{ name: 'pg', port: 5432 }], { clusterIP: 'None', ipFamilyPolicy: 'PreferDualStack' }),
  service('shop', 'np', { type: 'NodePort', selector: { app: 'web' }, ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }),
  service('shop', 'np4', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30081 }] }),
  service('shop', 'lb', { type: 'LoadBalancer', selector: { app: 'web' }, ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80, targetPort: 8080 }] }),
];

const values = (r: ResolveResult) => r.records.map((x) => `${x.type} ${x.value}`).sort();

/** The ip6.arpa name of a fully written IPv6 address (eight groups of four hex digits): its 32 nibbles reversed. */
const ip6Arpa = (fullAddress: string) => `${fullAddress.replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa`;

/** An IPv6 address with `::` written out and every group four digits long. */
function writtenOut(ip: string): string {
  const [head, tail] = ip.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  return [...groups(head), ...Array(missing).fill('0'), ...groups(tail)].map((g) => g.padStart(4, '0')).join(':');
}

/** Whether an IPv6 address text is in a /64 given as its first four groups (`fd00:10:244:1`), reading groups as numbers. */
function inSlash64(ip: string, prefix: string): boolean {
  const head = ip.split('::')[0].split(':');
  const want = prefix.split(':').map((g) => parseInt(g, 16));
  const got = [...head.map((g) => parseInt(g, 16)), 0, 0, 0, 0].slice(0, 4);
  return want.every((g, i) => g === got[i]);
}

describe('a dual-stack cluster', () => {
  const c = Cluster.fromManifests(manifests, DUAL);
  const svc = (name: string) => c.services.find((s) => s.name === name)!;
  const podIps = (name: string) => c.pods.find((p) => p.name === name)!.ips!;

  test('accepts every Service (no diagnostics about allocation or validation)', () => {
    expect(c.diagnostics.filter((d) => d.code === 'ALLOCATION_CONFLICT' || d.code === 'INVALID_OBJECT')).toEqual([]);
  });

  test('nodes get an address and a pod range per family, IPv4 first', () => {
    expect(c.nodes).toEqual([
      { name: 'node-1', ip: '172.18.0.2', ips: ['172.18.0.2', 'fc00:f853:ccd:e793::2'], podCidr: '10.244.0.0/24', podCidrs: ['10.244.0.0/24', 'fd00:10:244::/64'] },
      { name: 'node-2', ip: '172.18.0.3', ips: ['172.18.0.3', 'fc00:f853:ccd:e793::3'], podCidr: '10.244.1.0/24', podCidrs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] },
    ]);
  });

  test('pods get one IP per family from their node\'s blocks, the same host number in both (no explicit IPs here)', () => {
    for (const p of c.pods) {
      const node = c.nodes.find((n) => n.name === p.node)!;
      expect(p.ips).toHaveLength(2);
      const [v4, v6] = p.ips!;
      expect(p.ip).toBe(v4);
      expect(v4.startsWith(node.podCidr.replace('0/24', ''))).toBe(true);
      expect(inSlash64(v6, node.podCidrs![1].replace('::/64', ''))).toBe(true);
      const host = Number(v4.split('.')[3]);
      expect(host).toBeGreaterThanOrEqual(2);
      expect(v6.endsWith(`::${host.toString(16)}`)).toBe(true);
    }
  });

  test('status.podIPs are honoured as given', () => {
    const given = Cluster.fromManifests([pod('shop', 'fixed', { spec: { nodeName: 'node-2' }, status: { podIP: '10.244.1.50', podIPs: [{ ip: '10.244.1.50' }, { ip: 'fd00:10:244:1::50' }] } })], DUAL);
    expect(given.pods.find((p) => p.name === 'shop/fixed')).toMatchObject({ ip: '10.244.1.50', ips: ['10.244.1.50', 'fd00:10:244:1::50'] });
  });

  test('kubernetes is single-stack at the primary range\'s first address; Services get ClusterIPs per their families', () => {
    expect(svc('default/kubernetes').clusterIp).toBe('10.96.0.1');
    expect(svc('default/kubernetes').clusterIps).toBeUndefined();
    expect(svc('shop/web')).toMatchObject({ clusterIp: '10.96.0.20', clusterIps: ['10.96.0.20', 'fd00:10:96::20'] });
    expect(svc('shop/web-v4').clusterIps).toBeUndefined();
    expect(svc('shop/web-v4').clusterIp).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(svc('shop/web-v6').clusterIp).toMatch(/^fd00:10:96::[0-9a-f]{1,4}$/);
    const [v4, v6] = svc('shop/web-any').clusterIps!;
    expect(v4).toMatch(/^10\./);
    // Dynamic IPv6 addresses come from above the /112's static band (256 addresses: ::100 and up).
    expect(parseInt(v6.split('::')[1], 16)).toBeGreaterThanOrEqual(0x100);
  });

  test('A answers the IPv4 ClusterIP, AAAA the IPv6 one', () => {
    expect(values(c.resolve('web.shop.svc.cluster.local'))).toEqual(['A 10.96.0.20']);
    expect(values(c.resolve('web.shop.svc.cluster.local', { type: 'AAAA' }))).toEqual(['AAAA fd00:10:96::20']);
  });

  test('a single-stack Service answers NODATA for the other family', () => {
    const aaaa = c.resolve('web-v4.shop.svc.cluster.local', { type: 'AAAA' });
    expect([aaaa.rcode, aaaa.records]).toEqual(['NOERROR', []]);
    const a = c.resolve('web-v6.shop.svc.cluster.local', { type: 'A' });
    expect([a.rcode, a.records]).toEqual(['NOERROR', []]);
    expect(values(c.resolve('web-v6.shop.svc.cluster.local', { type: 'AAAA' }))).toEqual([`AAAA ${svc('shop/web-v6').clusterIp}`]);
  });

  test('PTR for both families: in-addr.arpa and ip6.arpa (nibbles)', () => {
    expect(values(c.resolve('20.0.96.10.in-addr.arpa', { type: 'PTR' }))).toEqual(['PTR web.shop.svc.cluster.local']);
    expect(values(c.resolve(ip6Arpa('fd00:0010:0096:0000:0000:0000:0000:0020'), { type: 'PTR' }))).toEqual(['PTR web.shop.svc.cluster.local']);
  });

  test('a dual-stack headless Service answers A and AAAA per ready endpoint; SRV names both families\' endpoints', () => {
    const dbPods = c.pods.filter((p) => p.name.startsWith('shop/db-'));
    expect(values(c.resolve('db.shop.svc.cluster.local', { type: 'A' }))).toEqual(dbPods.map((p) => `A ${p.ips![0]}`).sort());
    expect(values(c.resolve('db.shop.svc.cluster.local', { type: 'AAAA' }))).toEqual(dbPods.map((p) => `AAAA ${p.ips![1]}`).sort());
    expect(values(c.resolve('db-0.db.shop.svc.cluster.local', { type: 'AAAA' }))).toEqual([`AAAA ${podIps('shop/db-0')[1]}`]);
    // A StatefulSet pod is named by its hostname under its Service, in both reverse zones.
    expect(values(c.resolve(ip6Arpa(writtenOut(podIps('shop/db-0')[1])), { type: 'PTR' }))).toEqual(['PTR db-0.db.shop.svc.cluster.local']);
    expect(values(c.resolve(`${podIps('shop/db-0')[0].split('.').reverse().join('.')}.in-addr.arpa`, { type: 'PTR' }))).toEqual(['PTR db-0.db.shop.svc.cluster.local']);
    const notReady = Cluster.fromManifests(manifests, { ...DUAL, notReadyPods: ['shop/db-1'] });
    expect(values(notReady.resolve('db.shop.svc.cluster.local', { type: 'AAAA' }))).toEqual([`AAAA ${podIps('shop/db-0')[1]}`]);
  });

  test('a single-stack headless Service (SingleStack, the default with a selector) has no AAAA', () => {
    const single = Cluster.fromManifests([statefulSet('shop', 'db', 'db', 2), clusterIpService('shop', 'db', { app: 'db' }, [{ port: 5432 }], { clusterIP: 'None' })], DUAL);
    expect(single.resolve('db.shop.svc.cluster.local', { type: 'AAAA' }).records).toEqual([]);
    expect(single.resolve('db.shop.svc.cluster.local', { type: 'A' }).records).toHaveLength(2);
  });

  test('connect over both families: each family\'s rules DNAT to that family\'s endpoints, pod traffic unmasqueraded', () => {
    const clientIps = podIps('shop/client');
    const webIps = c.pods.filter((p) => p.name.startsWith('shop/web-')).map((p) => p.ips!);
    const v4 = c.connect({ to: '10.96.0.20:80', from: { pod: 'shop/client' } });
    expect(v4).toMatchObject({ connected: true, service: 'shop/web', sourceIp: clientIps[0], masqueraded: false });
    expect(webIps.map((ips) => `${ips[0]}:8080`)).toContain(v4.endpoint);
    const v6 = c.connect({ to: '[fd00:10:96::20]:80', from: { pod: 'shop/client' } });
    expect(v6).toMatchObject({ connected: true, service: 'shop/web', sourceIp: clientIps[1], masqueraded: false });
    expect(webIps.map((ips) => `[${ips[1]}]:8080`)).toContain(v6.endpoint);
    // Any spelling of the address is the same address.
    expect(c.connect({ to: '[fd00:10:96:0:0:0:0:20]:80', from: { pod: 'shop/client' } }).connected).toBe(true);
  });

  test('nftables rejects a port a Service does not have at each of its ClusterIPs (cluster-ips-check in both families)', () => {
    const nft = Cluster.fromManifests(manifests, { ...DUAL, proxyMode: 'nftables', kubernetesVersion: '1.31' });
    expect(nft.connect({ to: '10.96.0.20:81', from: { pod: 'shop/client' } })).toMatchObject({ connected: false, error: 'connection refused' });
    expect(nft.connect({ to: '[fd00:10:96::20]:81', from: { pod: 'shop/client' } })).toMatchObject({ connected: false, error: 'connection refused' });
  });

  test('an address of a node\'s IPv6 pod range that no pod has sends from that node', () => {
    expect(() => c.connect({ to: '[fd00:10:96::20]:80', from: { ip: 'fd00:10:244:1::77' }, via: 'node-1' }))
      .toThrow('connect: via "node-1" does not fit: fd00:10:244:1::77 (in node-2\'s pod range fd00:10:244:1::/64) is on node-2');
    expect(c.connect({ to: '[fd00:10:96::20]:80', from: { ip: 'fd00:10:244:1::77' } })).toMatchObject({ connected: true, service: 'shop/web', masqueraded: false });
  });

  test('request by URL literal and by name: AAAA for an IPv6-only Service, IPv4 first when both answer (ULA sorts after IPv4)', () => {
    expect(c.request({ url: 'http://[fd00:10:96::20]/', from: { pod: 'shop/client' } })).toMatchObject({ status: 200, service: 'shop/web' });
    const byV6Name = c.request({ url: 'http://web-v6.shop/', from: { pod: 'shop/client' } });
    expect(byV6Name).toMatchObject({ status: 200, service: 'shop/web-v6', sourceIp: podIps('shop/client')[1] });
    expect(byV6Name.endpoint!.startsWith('[fd00:10:244:')).toBe(true);
    const byDualName = c.request({ url: 'http://web.shop/', from: { pod: 'shop/client' } });
    expect(byDualName).toMatchObject({ status: 200, service: 'shop/web', sourceIp: podIps('shop/client')[0] });
    expect(byDualName.trace.filter((h) => h.component === 'dns' && h.action === 'query').map((h) => h.text.split(' ')[0])).toEqual(['A', 'AAAA']);
    expect(byDualName.trace.map((h) => h.action)).toContain('sort');
    const byV4Name = c.request({ url: 'http://web-v4.shop/', from: { pod: 'shop/client' } });
    expect(byV4Name).toMatchObject({ status: 200, service: 'shop/web-v4', sourceIp: podIps('shop/client')[0] });
    expect(byV4Name.trace.map((h) => h.action)).not.toContain('sort');
    expect(c.request({ url: 'http://nothing.shop/', from: { pod: 'shop/client' } })).toMatchObject({ status: 0, error: 'NXDOMAIN' });
  });

  test('NodePort per family: a dual-stack Service on both node addresses, a single-stack one only on the IPv4 address', () => {
    expect(c.connect({ to: '172.18.0.2:30080', from: { ip: '203.0.113.9' } })).toMatchObject({ connected: true, service: 'shop/np', sourceIp: '172.18.0.2' });
    expect(c.connect({ to: '[fc00:f853:ccd:e793::2]:30080', from: { ip: '2001:db8::9' } }))
      .toMatchObject({ connected: true, service: 'shop/np', sourceIp: 'fc00:f853:ccd:e793::2', masqueraded: true });
    expect(c.connect({ to: '172.18.0.3:30081', from: { ip: '203.0.113.9' } })).toMatchObject({ connected: true, service: 'shop/np4' });
    expect(c.connect({ to: '[fc00:f853:ccd:e793::3]:30081', from: { ip: '2001:db8::9' } })).toMatchObject({ connected: false, error: 'connection refused' });
  });

  test('LoadBalancer per family: one address from each pool, reachable over each family', () => {
    const [v4, v6] = svc('shop/lb').loadBalancerIps;
    expect(v4).toMatch(/^172\.18\.255\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$/);
    expect(v6).toMatch(/^fc00:f853:ccd:e793::ff([0-9a-f]{2})$/);
    expect(['ff00', 'ffff']).not.toContain(v6.split('::')[1]);
    expect(c.connect({ to: `${v4}:80` })).toMatchObject({ connected: true, service: 'shop/lb' });
    // The model's default outside client has an address of each family.
    expect(c.connect({ to: `[${v6}]:80` })).toMatchObject({ connected: true, service: 'shop/lb' });
    expect(c.request({ url: `http://[${v6}]/` })).toMatchObject({ status: 200, service: 'shop/lb' });
    // An IPv4-only client has no route to an IPv6 address.
    expect(c.connect({ to: `[${v6}]:80`, from: { ip: '203.0.113.9' } })).toMatchObject({ connected: false, error: 'no route' });
  });

  test('healthCheckNodePort: each family\'s kube-proxy counts its own family\'s local endpoints (a dual-stack pod once), and answers at that family\'s node address', () => {
    const local = Cluster.fromManifests([
      ...manifests,
      service('shop', 'lb-local', { type: 'LoadBalancer', selector: { app: 'web' }, ipFamilyPolicy: 'RequireDualStack', externalTrafficPolicy: 'Local', healthCheckNodePort: 31999, ports: [{ port: 80, targetPort: 8080 }] }),
    ], DUAL);
    for (const node of local.nodes) {
      const webPodsHere = local.pods.filter((p) => p.name.startsWith('shop/web-') && p.node === node.name).length;
      for (const address of node.ips!) {
        const r = local.connect({ to: address.includes(':') ? `[${address}]:31999` : `${address}:31999` });
        expect(r).toMatchObject({ connected: true, service: 'shop/lb-local', endpoint: address.includes(':') ? `[${address}]:31999` : `${address}:31999` });
        expect(r.trace.find((h) => h.action === 'health-check')!.text).toContain(`answers: ${webPodsHere} local ready endpoint(s)`);
      }
    }
  });

  test('loadBalancerSourceRanges apply per family: IPv4 ranges firewall the IPv4 LoadBalancer IP only (each proxier keeps its family\'s ranges)', () => {
    const ranged = Cluster.fromManifests([
      ...manifests,
      service('shop', 'lb-ranged', { type: 'LoadBalancer', selector: { app: 'web' }, ipFamilyPolicy: 'RequireDualStack', loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [{ port: 80, targetPort: 8080 }] }),
    ], DUAL);
    const [v4, v6] = ranged.services.find((s) => s.name === 'shop/lb-ranged')!.loadBalancerIps;
    expect(ranged.connect({ to: `${v4}:80`, from: { ip: '203.0.113.9' } })).toMatchObject({ connected: true });
    expect(ranged.connect({ to: `${v4}:80`, from: { ip: '198.51.100.9' } })).toMatchObject({ connected: false, error: 'connection timed out' });
    expect(ranged.connect({ to: `[${v6}]:80`, from: { ip: '2001:db8::9' } })).toMatchObject({ connected: true, service: 'shop/lb-ranged' });
  });

  test('an externalIP of a family the Service has no ClusterIP of gets no rule (that family\'s proxier skips the Service)', () => {
    const ext = Cluster.fromManifests([
      ...manifests,
      clusterIpService('shop', 'ext-v4', { app: 'web' }, http, { externalIPs: ['192.0.2.50', '2001:db8::50'] }),
    ], DUAL);
    expect(ext.connect({ to: '192.0.2.50:80', from: { pod: 'shop/client' } })).toMatchObject({ connected: true, service: 'shop/ext-v4' });
    const v6 = ext.connect({ to: '[2001:db8::50]:80', from: { pod: 'shop/client' } });
    expect(v6).toMatchObject({ connected: false, error: 'no route' });
    expect(v6.service).toBeUndefined();
  });

  test('EndpointSlices given per family: each family\'s ClusterIP reaches that family\'s endpoints only', () => {
    const given = (addressType: string, ip: string) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `ext-${addressType.toLowerCase()}`, namespace: 'shop', labels: { 'kubernetes.io/service-name': 'ext' } },
      addressType,
      endpoints: [{ addresses: [ip] }],
      ports: [{ name: 'http', port: 8080 }],
    });
    const ext = Cluster.fromManifests([
      ...manifests,
      clusterIpService('shop', 'ext', undefined, [{ name: 'http', port: 80 }], { ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30', 'fd00:10:96::30'] }),
      given('IPv4', '192.0.2.10'),
      given('IPv6', '2001:db8:10::10'),
    ], DUAL);
    for (let i = 0; i < 10; i++) {
      expect(ext.connect({ to: '10.96.0.30:80', from: { pod: 'shop/client' } }).endpoint).toBe('192.0.2.10:8080');
      expect(ext.connect({ to: '[fd00:10:96::30]:80', from: { pod: 'shop/client' } }).endpoint).toBe('[2001:db8:10::10]:8080');
    }
  });

  test('addresses a manifest spells out in full are the same addresses (clusterIPs, externalIPs, EndpointSlice addresses)', () => {
    const webPod = c.pods.find((p) => p.name.startsWith('shop/web-'))!;
    const [, webV6] = webPod.ips!;
    const spelled = Cluster.fromManifests([
      ...manifests,
      clusterIpService('shop', 'long', { app: 'web' }, http, {
        ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.40', clusterIPs: ['10.96.0.40', 'fd00:10:96:0:0:0:0:40'], externalIPs: ['2001:db8:0:0:0:0:0:7'],
      }),
      clusterIpService('shop', 'manual', undefined, [{ name: 'http', port: 80 }], { ipFamilies: ['IPv6'], clusterIP: 'fd00:10:96::41', clusterIPs: ['fd00:10:96::41'] }),
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'manual-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'manual' } },
        addressType: 'IPv6',
        endpoints: [{ addresses: [writtenOut(webV6)] }],
        ports: [{ name: 'http', port: 8080 }],
      },
    ], DUAL);
    expect(spelled.diagnostics.filter((d) => d.code === 'ALLOCATION_CONFLICT' || d.code === 'INVALID_OBJECT')).toEqual([]);
    expect(spelled.connect({ to: '[fd00:10:96::40]:80', from: { pod: 'shop/client' } })).toMatchObject({ connected: true, service: 'shop/long' });
    expect(spelled.connect({ to: '[2001:db8::7]:80', from: { pod: 'shop/client' } })).toMatchObject({ connected: true, service: 'shop/long' });
    expect(spelled.connect({ to: '[fd00:10:96::41]:80', from: { pod: 'shop/client' } }))
      .toMatchObject({ connected: true, service: 'shop/manual', endpoint: `[${webV6}]:8080`, pod: webPod.name });
  });

  test('NetworkPolicy ipBlock with an IPv6 CIDR admits IPv6 sources only', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'v6-only', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: 'fd00:10:244::/56' } }] }] },
    };
    const guarded = Cluster.fromManifests([...manifests, policy], DUAL);
    expect(guarded.connect({ to: '[fd00:10:96::20]:80', from: { pod: 'shop/client' } })).toMatchObject({ connected: true });
    expect(guarded.connect({ to: '10.96.0.20:80', from: { pod: 'shop/client' } })).toMatchObject({ connected: false, error: 'connection timed out' });
  });

  test('a single-stack cluster refuses a RequireDualStack Service and an IPv6 ClusterIP', () => {
    const single = Cluster.fromManifests([
      clusterIpService('shop', 'dual', { app: 'web' }, http, { ipFamilyPolicy: 'RequireDualStack' }),
      clusterIpService('shop', 'v6', { app: 'web' }, http, { clusterIP: 'fd00:10:96::20' }),
    ]);
    expect(single.services.map((s) => s.name)).not.toContain('shop/dual');
    expect(single.services.map((s) => s.name)).not.toContain('shop/v6');
    const messages = single.diagnostics.map((d) => `${d.object} ${d.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^Service\/shop\/dual .*this cluster is not configured for dual-stack services/));
    expect(messages).toContainEqual(expect.stringMatching(/^Service\/shop\/v6 .*IPv6 is not configured on this cluster/));
  });
});

describe('an IPv6-only cluster', () => {
  const c = Cluster.fromManifests([deployment('shop', 'web', { replicas: 2 }), pod('shop', 'client'), clusterIpService('shop', 'web', { app: 'web' }, http)], { nodes: 2, serviceCidr: 'fd00:10:96::/112' });

  test('IPv6 everywhere: nodes, pod ranges (the default fd00:10:244::/56), kubernetes at the first address', () => {
    expect(c.nodes.map((n) => [n.ip, n.podCidr])).toEqual([['fc00:f853:ccd:e793::2', 'fd00:10:244::/64'], ['fc00:f853:ccd:e793::3', 'fd00:10:244:1::/64']]);
    expect(c.services.find((s) => s.name === 'default/kubernetes')!.clusterIp).toBe('fd00:10:96::1');
    for (const p of c.pods) expect(p.ips).toBeUndefined();
    for (const p of c.pods) expect(p.ip).toMatch(/^fd00:10:244:(1:)?:[0-9a-f]+$/);
  });

  test('DNS answers AAAA only; the pods\' nameserver is the tenth address; requests by name connect over IPv6', () => {
    const ip = c.services.find((s) => s.name === 'shop/web')!.clusterIp!;
    expect(values(c.resolve('kubernetes.default.svc.cluster.local', { type: 'AAAA' }))).toEqual(['AAAA fd00:10:96::1']);
    expect(c.resolve('web.shop.svc.cluster.local', { type: 'A' }).records).toEqual([]);
    expect(values(c.resolve('web.shop.svc.cluster.local', { type: 'AAAA' }))).toEqual([`AAAA ${ip}`]);
    const r = c.request({ url: 'http://web.shop/', from: { pod: 'shop/client' } });
    expect(r).toMatchObject({ status: 200, service: 'shop/web' });
    expect(r.trace.map((h) => h.text)).toContainEqual('AAAA web.shop to kube-dns fd00:10:96::a with shop/client\'s resolv.conf');
    expect(c.connect({ to: `[${ip}]:80`, from: { pod: 'shop/client' } })).toMatchObject({ connected: true, service: 'shop/web' });
  });
});

describe('an IPv6-only cluster with an Ingress', () => {
  test('the ingress controller gets an IPv6 address from the pool and proxies to an IPv6 pod (endpoint written [ip]:port)', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const ingressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
    const c = Cluster.fromManifests([deployment('shop', 'web', { replicas: 1 }), clusterIpService('shop', 'web', { app: 'web' }, http), ingressClass, ingress], { serviceCidr: 'fd00:10:96::/112' });
    expect(c.ingressControllerAddress).toMatch(/^fc00:f853:ccd:e793::ff[0-9a-f]{2}$/);
    const r = c.request({ url: 'http://shop.example.com/' });
    expect(r).toMatchObject({ status: 200, service: 'shop/web', endpoint: `[${c.pods[0].ip}]:8080` });
  });
});

describe('serviceCidr and podCidr values are checked', () => {
  test.each<[ClusterOptions, string]>([
    [{ serviceCidr: '10.96.0.0/12,10.100.0.0/16' }, 'serviceCidr "10.96.0.0/12,10.100.0.0/16" has two IPv4 ranges'],
    [{ serviceCidr: '10.96.0.0/12,fd00:10:96::/112,fd00:20::/112' }, 'serviceCidr takes one CIDR, or two'],
    [{ serviceCidr: '10.96.0.0/12,fd00:10:96::' }, '"fd00:10:96::" is not a CIDR'],
    [{ serviceCidr: 'fd00:10:96::/64' }, 'for 128-bit addresses, the mask must be >= 108'],
    [{ serviceCidr: '10.96.0.0/12,fd00:10:96::/112', podCidr: '10.244.0.0/16' }, 'has an IPv6 range but podCidr "10.244.0.0/16" has none'],
    [{ podCidr: '10.244.0.0/16,fd00:10:244::/112' }, 'podCidr fd00:10:244::/112: an IPv6 pod range needs a prefix from /48 to /64'],
    [{ serviceCidr: 'fd00:10:96::/112', podCidr: 'fd00:10:96::/48' }, 'serviceCidr fd00:10:96::/112 and podCidr fd00:10:96::/48 overlap'],
    [{ podCidr: '10.244.0.0/16,fc00:f853:ccd::/48' }, 'podCidr fc00:f853:ccd::/48 overlaps the node network fc00:f853:ccd:e793::/64'],
  ])('%j', (options, message) => {
    expect(() => Cluster.fromManifests([], options)).toThrow(message);
  });

  test('a dual-stack pod network under single-stack Services is a valid cluster (IPv4 Services, IPv6 pod addresses too)', () => {
    const c = Cluster.fromManifests([pod('shop', 'p')], { podCidr: '10.244.0.0/16,fd00:10:244::/56' });
    expect(c.pods[0].ips).toHaveLength(2);
    expect(c.services.find((s) => s.name === 'default/kubernetes')!.clusterIp).toBe('10.96.0.1');
  });
});
