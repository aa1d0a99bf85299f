/**
 * Cluster DNS conformance, restated from:
 * - coredns/coredns plugin/kubernetes tests: handler_test.go (commonDnsTestCases, dnsTestCases,
 *   nsTestCases), kubernetes_test.go (TestEndpointHostname, TestServices, TestServicesAuthority),
 *   reverse_test.go (TestReverse), kubernetes_apex_test.go (kubeApexCases),
 *   handler_case_test.go (dnsPreserveCaseCases), handler_pod_insecure_test.go,
 *   handler_pod_verified_test.go, handler_pod_disabled_test.go,
 *   handler_ignore_emptyservice_test.go;
 * - the Kubernetes DNS-Based Service Discovery specification (kubernetes/dns docs/specification.md).
 *
 * The plugin's fake API (APIConnServeTest, APIConnReverseTest) is restated as manifests:
 * Services, EndpointSlices with explicit addresses and hostnames, Pods. Differences, all on
 * purpose:
 * - ClusterIPs: the fixture gives svc1 and svcempty the same 10.0.0.1, which an API server refuses,
 *   and in a real cluster the first address of the range is default/kubernetes; here they are
 *   10.0.0.11 and 10.0.0.12 (serviceCidr 10.0.0.0/24).
 * - TTL: the tests configure the plugin's default `ttl 5`; the model is kubeadm's Corefile, `ttl 30`.
 * - Answers are compared as sets of `TYPE value` (CoreDNS's test.SortAndCheck sorts them too);
 *   the authority (SOA) and additional sections are not modelled, only the rcode and answer.
 * - IPv6 ClusterIPs (svc6 1234:abcd::1, svc-dual-stack 10.0.0.3 and 10::3: commonDnsTestCases 4,
 *   18, 19, 28-30; TestServices' svc-dual-stack) are restated on a dual-stack variant of the
 *   cluster (serviceCidr 10.0.0.0/24,10::/112 and a ServiceCIDR object for 1234:abcd::/112, as
 *   no /108 or smaller range holds both IPv6 addresses); svc-dual-stack says RequireDualStack and
 *   clusterIP, which the fake API's object leaves out but the API server requires for two ClusterIPs.
 * Not expressible, and why:
 * - HINFO queries (kubeApexCases 1, podModeInsecureCases 4): resolve() answers
 *   A AAAA SRV CNAME PTR TXT NS SOA.
 * - Case preservation (handler_case_test.go): the model answers lower-cased names; the rcodes and
 *   values are restated.
 * - Multicluster and zonal names, the `namespaces` exposure list (svc1.unexposedns), a plugin that
 *   has not synced (SERVFAIL), truncation, and the additional section's A records: not modelled.
 * - nsAddrs (ns_test.go) reads CoreDNS's own pod IPs; the model has no CoreDNS pods, so the apex NS
 *   is the plugin's fallback ns.dns.<zone> (as in kubernetes_apex_test.go).
 */
import { Cluster, ClusterOptions, ResolveResult } from '../../src';

type Case = [citation: string, name: string, type: string, rcode: 'NOERROR' | 'NXDOMAIN', answer: string[]];

const service = (namespace: string, name: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
const slice = (namespace: string, svc: string, name: string, addressType: string, endpoints: Array<[string, string?]>, ports?: object[]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace, labels: { 'kubernetes.io/service-name': svc } },
  addressType,
  endpoints: endpoints.map(([ip, hostname]) => ({ addresses: [ip], conditions: { ready: true }, ...(hostname ? { hostname } : {}) })),
  ...(ports ? { ports } : {}),
});
const http = [{ name: 'http', port: 80, protocol: 'TCP' }];

/** APIConnServeTest (handler_test.go) as manifests. */
const serveFixture = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'testns' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'svcns' } },
  service('testns', 'svc1', { clusterIP: '10.0.0.11', ports: http }),
  slice('testns', 'svc1', 'svc1-slice1', 'IPv4', [['172.0.0.1', 'ep1a']], http),
  service('testns', 'svcempty', { clusterIP: '10.0.0.12', ports: http }),
  slice('testns', 'svcempty', 'svcempty-slice1', 'IPv4', [], http),
  service('testns', 'hdls1', { clusterIP: 'None' }),
  slice('testns', 'hdls1', 'hdls1-slice1', 'IPv4', [['172.0.0.2'], ['172.0.0.3'], ['172.0.0.4', 'dup-name'], ['172.0.0.5', 'dup-name']], http),
  slice('testns', 'hdls1', 'hdls1-slice2', 'IPv6', [['5678:abcd::1'], ['5678:abcd::2']], http),
  service('testns', 'hdlsprtls', { clusterIP: 'None' }),
  slice('testns', 'hdlsprtls', 'hdlsprtls-slice1', 'IPv4', [['172.0.0.20']]),
  service('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test', ports: http }),
  service('testns', 'external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.', ports: http }),
  // PodIndex: pod foo in podns has 10.240.0.1.
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'foo', namespace: 'podns' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i' }] }, status: { podIP: '10.240.0.1' } },
];
/**
 * The tests restated are CoreDNS's after 1.12.1 (ExternalName answers only its own name, PTR for
 * every endpoint): Kubernetes 1.34 ships CoreDNS 1.12.1. Where older releases differ:
 * test/dataplane/versions.test.ts.
 */
const COREDNS_1_12_1 = '1.34';
const serveOptions: ClusterOptions = { serviceCidr: '10.0.0.0/24', podCidr: '10.240.0.0/16', kubernetesVersion: COREDNS_1_12_1 };
/** The same cluster dual-stack: svc-dual-stack's 10::3 (10::2) in the flag's IPv6 range, svc6's 1234:abcd::1 in a ServiceCIDR object's. */
const dualStackServeOptions: ClusterOptions = { ...serveOptions, serviceCidr: '10.0.0.0/24,10::/112', podCidr: '10.240.0.0/16,fd00:10:240::/56' };
const serviceCidrObject = (name: string, cidr: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec: { cidrs: [cidr] } });

/** APIConnReverseTest (reverse_test.go) as manifests. svc2 exists only as the owner of the double-ep slice there. */
const reverseFixture = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'testns' } },
  service('testns', 'svc1', { clusterIP: '192.168.1.100', ports: http }),
  service('testns', 'svc2', { ports: http }),
  slice('testns', 'svc1', 'svc1-slice1', 'IPv4', [['10.0.0.100', 'ep1a'], ['10.0.0.99', 'double-ep']], http),
  slice('testns', 'svc1', 'svc1-slice2', 'IPv6', [['1234:abcd::1', 'ep1b'], ['fd00:77:30::a', 'ip6svc1ex'], ['fd00:77:30::2:9ba6', 'ip6svc1in']], http),
  // EndpointSlice skew: a second slice of svc1 with the same address.
  slice('testns', 'svc1', 'svc1-ccccc', 'IPv4', [['10.0.0.100', 'ep1a']], http),
  slice('testns', 'svc2', 'svc2-slice1', 'IPv4', [['10.0.0.99', 'double-ep']], http),
];
const reverseOptions: ClusterOptions = { serviceCidr: '192.168.0.0/16', kubernetesVersion: COREDNS_1_12_1 };

const answer = (r: ResolveResult) => r.records.map((x) => `${x.type} ${x.value}`).sort();

function check(cluster: Cluster, [, name, type, rcode, expected]: Case) {
  const r = cluster.resolve(name, { type });
  expect({ rcode: r.rcode, answer: answer(r) }).toEqual({ rcode, answer: [...expected].sort() });
}

const SVC1 = 'A 10.0.0.11';
const SVCEMPTY = 'A 10.0.0.12';

describe('handler_test.go TestServeDNS (commonDnsTestCases + dnsTestCases, kubernetes cluster.local, namespaces testns)', () => {
  const cases: Case[] = [
    ['common 0: A Service', 'svc1.testns.svc.cluster.local.', 'A', 'NOERROR', [SVC1]],
    ['common 1: A Service without endpoints', 'svcempty.testns.svc.cluster.local.', 'A', 'NOERROR', [SVCEMPTY]],
    ['common 2: SRV at the Service name', 'svc1.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc1.testns.svc.cluster.local']],
    ['common 3: SRV at the name of a Service without endpoints', 'svcempty.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svcempty.testns.svc.cluster.local']],
    ['common 5: SRV Service', '_http._tcp.svc1.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc1.testns.svc.cluster.local']],
    ['common 6: SRV Service without endpoints', '_http._tcp.svcempty.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svcempty.testns.svc.cluster.local']],
    ['common 7: A Service (headless)', 'hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.2', 'A 172.0.0.3', 'A 172.0.0.4', 'A 172.0.0.5']],
    ['common 8: A Service (headless and portless)', 'hdlsprtls.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.20']],
    ['common 9: AAAA of a Service with only an A record is NODATA', 'svc1.testns.svc.cluster.local.', 'AAAA', 'NOERROR', []],
    ['common 10: AAAA of a Service that does not exist', 'svc0.testns.svc.cluster.local.', 'AAAA', 'NXDOMAIN', []],
    ['common 11: A of a Service that does not exist', 'svc0.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['common 12: A in a namespace that does not exist', 'svc0.svc-nons.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['common 13: TXT schema version', 'dns-version.cluster.local.', 'TXT', 'NOERROR', ['TXT 1.1.0']],
    ['common 14: TXT where other records exist is NODATA', 'svc1.testns.svc.cluster.local.', 'TXT', 'NOERROR', []],
    ['common 15: TXT where nothing exists', 'svc0.svc-nons.svc.cluster.local.', 'TXT', 'NXDOMAIN', []],
    ['common 16: an endpoint a headless Service does not have', 'bogusendpoint.hdls1.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['common 17: an endpoint of a Service that does not exist', 'bogusendpoint.svc0.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['common 20: AAAA Service (headless)', 'hdls1.testns.svc.cluster.local.', 'AAAA', 'NOERROR', ['AAAA 5678:abcd::1', 'AAAA 5678:abcd::2']],
    ['common 21: svc.<zone> is NODATA', 'svc.cluster.local.', 'A', 'NOERROR', []],
    ['common 22: pod.<zone> is NODATA', 'pod.cluster.local.', 'A', 'NOERROR', []],
    ['common 23: <ns>.svc.<zone> is NODATA', 'testns.svc.cluster.local.', 'A', 'NOERROR', []],
    ['common 24: NS below the apex, existing name', 'svc.cluster.local.', 'NS', 'NOERROR', []],
    ['common 25: NS below the apex, existing namespace', 'testns.svc.cluster.local.', 'NS', 'NOERROR', []],
    ['common 26: NS below the apex, name that does not exist', 'foo.cluster.local.', 'NS', 'NXDOMAIN', []],
    ['common 27: NS below the apex, namespace that does not exist', 'foo.svc.cluster.local.', 'NS', 'NXDOMAIN', []],
    ['common 31: SOA below the apex is NODATA', 'svc1.testns.svc.cluster.local.', 'SOA', 'NOERROR', []],
    ['common 32: no names below an ExternalName Service', 'endpoint.external.testns.svc.cluster.local.', 'CNAME', 'NXDOMAIN', []],
    ['common 33: no names two labels below an ExternalName Service', 'subdomain.subdomain.external.testns.svc.cluster.local.', 'CNAME', 'NXDOMAIN', []],
    ['dns 0: SRV Service (headless): one per address, weight 100/6, dup-name once', '_http._tcp.hdls1.testns.svc.cluster.local.', 'SRV', 'NOERROR', [
      'SRV 0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local',
      'SRV 0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local',
      'SRV 0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local',
      'SRV 0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local',
      'SRV 0 16 80 dup-name.hdls1.testns.svc.cluster.local',
    ]],
    ['dns 1: A Service (headless), IPv4 endpoints only', 'hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.2', 'A 172.0.0.3', 'A 172.0.0.4', 'A 172.0.0.5']],
    ['dns 2: AAAA endpoint named by its dashed IPv6 address', '5678-abcd--2.hdls1.testns.svc.cluster.local', 'AAAA', 'NOERROR', ['AAAA 5678:abcd::2']],
    ['dns 3: AAAA endpoint', '5678-abcd--1.hdls1.testns.svc.cluster.local.', 'AAAA', 'NOERROR', ['AAAA 5678:abcd::1']],
    ['dns 4: an endpoint without ports', '172-0-0-20.hdlsprtls.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.20']],
    ['dns 5: an endpoint by IP', '172-0-0-2.hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.2']],
    ['dns 6: an endpoint by IP', '172-0-0-3.hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.3']],
    ['dns 7: an endpoint by hostname, two addresses', 'dup-name.hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.4', 'A 172.0.0.5']],
    ['dns 8: CNAME External', 'external.testns.svc.cluster.local.', 'CNAME', 'NOERROR', ['CNAME ext.interwebs.test']],
    ['dns 10: CNAME to an internal Service, followed', 'external-to-service.testns.svc.cluster.local', 'A', 'NOERROR', ['CNAME svc1.testns.svc.cluster.local', SVC1]],
  ];
  const cluster = Cluster.fromManifests(serveFixture, serveOptions);
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));

  // IPv6 ClusterIPs, on a dual-stack variant of the fixture (see the header for its ranges and policy).
  const ipv6Cases: Case[] = [
    ['common 4: SRV at the name of an IPv6 Service', 'svc6.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc6.testns.svc.cluster.local']],
    ['common 18: AAAA Service', 'svc6.testns.svc.cluster.local.', 'AAAA', 'NOERROR', ['AAAA 1234:abcd::1']],
    ['common 19: SRV of an IPv6 Service port', '_http._tcp.svc6.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc6.testns.svc.cluster.local']],
    ['common 28: A of a dual-stack Service: its IPv4 ClusterIP', 'svc-dual-stack.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 10.0.0.3']],
    ['common 29: AAAA of a dual-stack Service: its IPv6 ClusterIP', 'svc-dual-stack.testns.svc.cluster.local.', 'AAAA', 'NOERROR', ['AAAA 10::3']],
    ['common 30: SRV of a dual-stack Service: two ClusterIPs weigh 50 each, one record per target and port', 'svc-dual-stack.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local']],
  ];
  const dualStack = Cluster.fromManifests([
    ...serveFixture,
    service('testns', 'svc6', { clusterIP: '1234:abcd::1', ports: http }),
    service('testns', 'svc-dual-stack', { ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.0.0.3', clusterIPs: ['10.0.0.3', '10::3'], ports: http }),
    serviceCidrObject('svc6-range', '1234:abcd::/112'),
  ], dualStackServeOptions);
  test.each(ipv6Cases)('%s: %s %s', (...c) => check(dualStack, c));
  test('the dual-stack variant answers the IPv4 cases as the single-stack fixture does', () => {
    for (const c of cases) check(dualStack, c);
  });

  test('dns 9: CNAME External with an upstream: the CNAME, then the upstream A (CNAMEOrder)', () => {
    const c = Cluster.fromManifests(serveFixture, { ...serveOptions, dns: { upstream: { 'ext.interwebs.test': ['1.2.3.4'] } } });
    const r = c.resolve('external.testns.svc.cluster.local.', { type: 'A' });
    expect(r.rcode).toBe('NOERROR');
    expect(r.records.map((x) => `${x.name} ${x.type} ${x.value}`)).toEqual([
      'external.testns.svc.cluster.local CNAME ext.interwebs.test',
      'ext.interwebs.test A 1.2.3.4',
    ]);
  });

  test('TTL: kubeadm\'s ttl 30 on every record, 28800 on dns-version', () => {
    expect(cluster.resolve('svc1.testns.svc.cluster.local').records[0].ttl).toBe(30);
    expect(cluster.resolve('_http._tcp.hdls1.testns.svc.cluster.local', { type: 'SRV' }).records.every((x) => x.ttl === 30)).toBe(true);
    expect(cluster.resolve('dns-version.cluster.local', { type: 'TXT' }).records[0].ttl).toBe(28800);
  });
});

describe('handler_test.go TestServeNamespaceDNS (nsTestCases)', () => {
  const cases: Case[] = [
    ['ns 0: a Service in a namespace that exists', 'svc1.testns.svc.cluster.local.', 'A', 'NOERROR', [SVC1]],
    ['ns 1: a namespace that does not exist', 'svc1.nsnoexist.svc.cluster.local.', 'A', 'NXDOMAIN', []],
  ];
  const cluster = Cluster.fromManifests(serveFixture, serveOptions);
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
});

describe('kubernetes_apex_test.go TestServeDNSApex', () => {
  const cases: Case[] = [
    ['apex 0: SOA', 'cluster.local.', 'SOA', 'NOERROR', ['SOA ns.dns.cluster.local hostmaster.cluster.local 1 7200 1800 86400 30']],
    ['apex 2: NS', 'cluster.local.', 'NS', 'NOERROR', ['NS ns.dns.cluster.local']],
    ['apex 3: A is NODATA', 'cluster.local.', 'A', 'NOERROR', []],
    ['apex 4: AAAA is NODATA', 'cluster.local.', 'AAAA', 'NOERROR', []],
    ['apex 5: SRV is NODATA', 'cluster.local.', 'SRV', 'NOERROR', []],
  ];
  const cluster = Cluster.fromManifests(serveFixture, serveOptions);
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));

  test('ns.dns.<zone> (kubernetes_test.go TestServicesAuthority 0, 1): A → the plugin\'s address (the model: the kube-dns address), no AAAA', () => {
    const c = Cluster.fromManifests([]);
    expect(answer(c.resolve('ns.dns.cluster.local'))).toEqual(['A 10.96.0.10']);
    expect(c.resolve('ns.dns.cluster.local', { type: 'AAAA' })).toMatchObject({ rcode: 'NOERROR', records: [] });
  });
});

describe('kubernetes_test.go TestServices (zone interwebs.test; multicluster cases not modelled)', () => {
  const fixture = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'testns' } },
    service('testns', 'svc1', { clusterIP: '10.0.0.11', ports: http }),
    slice('testns', 'svc1', 'svc1-slice1', 'IPv4', [['172.0.0.1', 'ep1a']], http),
    service('testns', 'hdls1', { clusterIP: 'None' }),
    // Two slices of hdls1 list the same address: one A record.
    slice('testns', 'hdls1', 'hdls1-slice1', 'IPv4', [['172.0.0.2']], http),
    slice('testns', 'hdls1', 'hdls1-slice2', 'IPv4', [['172.0.0.2']], http),
    service('testns', 'external', { type: 'ExternalName', externalName: 'coredns.io', ports: http }),
  ];
  const cases: Case[] = [
    ['services 0: ClusterIP Service', 'svc1.testns.svc.interwebs.test.', 'A', 'NOERROR', [SVC1]],
    ['services 1: SRV of a ClusterIP Service port', '_http._tcp.svc1.testns.svc.interwebs.test.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc1.testns.svc.interwebs.test']],
    ['services 2: an endpoint of a ClusterIP Service by hostname', 'ep1a.svc1.testns.svc.interwebs.test.', 'A', 'NOERROR', ['A 172.0.0.1']],
    ['services 4: ExternalName', 'external.testns.svc.interwebs.test.', 'CNAME', 'NOERROR', ['CNAME coredns.io']],
    ['services 5: headless, one address in two slices', 'hdls1.testns.svc.interwebs.test.', 'A', 'NOERROR', ['A 172.0.0.2']],
    ['services 5: the headless endpoint by its dashed IP', '172-0-0-2.hdls1.testns.svc.interwebs.test.', 'A', 'NOERROR', ['A 172.0.0.2']],
  ];
  const cluster = Cluster.fromManifests(fixture, { ...serveOptions, clusterDomain: 'interwebs.test' });
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
  // services 3: Services() finds one entry per ClusterIP (10.0.0.2 and 10::2): the SRV weight is 100/2, A and AAAA answer one each.
  const dualStack = Cluster.fromManifests([
    ...fixture,
    service('testns', 'svc-dual-stack', { ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.0.0.2', clusterIPs: ['10.0.0.2', '10::2'], ports: http }),
  ], { ...dualStackServeOptions, clusterDomain: 'interwebs.test' });
  test.each<Case>([
    ['services 3: SRV of a dual-stack Service port', '_http._tcp.svc-dual-stack.testns.svc.interwebs.test.', 'SRV', 'NOERROR', ['SRV 0 50 80 svc-dual-stack.testns.svc.interwebs.test']],
    ['services 3: its IPv4 ClusterIP', 'svc-dual-stack.testns.svc.interwebs.test.', 'A', 'NOERROR', ['A 10.0.0.2']],
    ['services 3: its IPv6 ClusterIP', 'svc-dual-stack.testns.svc.interwebs.test.', 'AAAA', 'NOERROR', ['AAAA 10::2']],
  ])('%s: %s %s', (...c) => check(dualStack, c));
});

describe('kubernetes_test.go TestEndpointHostname (an endpoint\'s name: hostname, else pod name with endpoint_pod_names, else dashed IP)', () => {
  // [ip, hostname, targetRef pod name, endpoint_pod_names, expected name]
  const table: Array<[string, string, string, boolean, string]> = [
    ['10.11.12.13', '', '', false, '10-11-12-13'],
    ['10.11.12.13', 'epname', '', false, 'epname'],
    ['10.11.12.13', '', 'hello-abcde', false, '10-11-12-13'],
    ['10.11.12.13', 'epname', 'hello-abcde', false, 'epname'],
    ['10.11.12.13', 'epname', 'hello-abcde', true, 'epname'],
    ['10.11.12.13', '', 'hello-abcde', true, 'hello-abcde'],
    ['2001:db8:3333:4444:5555:6666:7777:8888', '', '', false, '2001-db8-3333-4444-5555-6666-7777-8888'],
    ['2001:db8:3333:4444:5555:6666::', '', '', false, '2001-db8-3333-4444-5555-6666--0'],
  ];
  test.each(table)('%s hostname %j pod %j endpointPodNames %s → %s', (ip, hostname, podName, endpointPodNames, expected) => {
    const ipv6 = ip.includes(':');
    const m = [
      service('default', 'db', { clusterIP: 'None' }),
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'db-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } },
        addressType: ipv6 ? 'IPv6' : 'IPv4',
        endpoints: [{
          addresses: [ip],
          ...(hostname ? { hostname } : {}),
          ...(podName ? { targetRef: { kind: 'Pod', namespace: 'default', name: podName } } : {}),
        }],
      },
    ];
    const c = Cluster.fromManifests(m, { dns: { endpointPodNames } });
    const type = ipv6 ? 'AAAA' : 'A';
    expect(c.resolve(`${expected}.db.default.svc.cluster.local`, { type })).toMatchObject({ rcode: 'NOERROR', records: [expect.objectContaining({ value: ip })] });
  });
});

describe('handler_case_test.go TestPreserveCase (ignore empty_service; rcodes and values, names answered lower-cased)', () => {
  const cases: Case[] = [
    ['case 0: negative response', 'not-a-service.testns.svc.ClUsTeR.lOcAl.', 'A', 'NXDOMAIN', []],
    ['case 1: A Service', 'SvC1.TeStNs.SvC.cLuStEr.LoCaL.', 'A', 'NOERROR', [SVC1]],
    ['case 2: SRV Service', '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc1.testns.svc.cluster.local']],
    ['case 3: SOA', 'Cluster.local.', 'SOA', 'NOERROR', ['SOA ns.dns.cluster.local hostmaster.cluster.local 1 7200 1800 86400 30']],
  ];
  const cluster = Cluster.fromManifests(serveFixture, { ...serveOptions, dns: { ignoreEmptyService: true } });
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
});

describe('handler_ignore_emptyservice_test.go TestServeDNSEmptyService (ignore empty_service)', () => {
  const cases: Case[] = [
    ['empty 0: a ClusterIP Service without endpoints is NXDOMAIN', 'svcempty.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['empty 1: ExternalName is not affected', 'external.testns.svc.cluster.local.', 'CNAME', 'NOERROR', ['CNAME ext.interwebs.test']],
  ];
  const cluster = Cluster.fromManifests(serveFixture, { ...serveOptions, dns: { ignoreEmptyService: true } });
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));

  test('a Service with a ready endpoint still answers', () => {
    expect(answer(cluster.resolve('svc1.testns.svc.cluster.local'))).toEqual([SVC1]);
  });
});

describe('handler_pod_insecure_test.go TestServeDNSModeInsecure (pods insecure, kubeadm\'s default)', () => {
  const cases: Case[] = [
    ['insecure 0: a pod that exists', '10-240-0-1.podns.pod.cluster.local.', 'A', 'NOERROR', ['A 10.240.0.1']],
    ['insecure 1: any address, no pod needed', '172-0-0-2.podns.pod.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.2']],
    ['insecure 2: not an address', 'blah.podns.pod.cluster.local.', 'A', 'NXDOMAIN', []],
    ['insecure 3: not an address (AAAA)', 'blah.podns.pod.cluster.local.', 'AAAA', 'NXDOMAIN', []],
    ['insecure 5: a namespace that does not exist', 'blah.pod-nons.pod.cluster.local.', 'A', 'NXDOMAIN', []],
    ['insecure 6: <ns>.pod.<zone> is NODATA', 'podns.pod.cluster.local.', 'A', 'NOERROR', []],
  ];
  const cluster = Cluster.fromManifests(serveFixture, serveOptions);
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
});

describe('handler_pod_verified_test.go TestServeDNSModeVerified (pods verified)', () => {
  const cases: Case[] = [
    ['verified 0: the address of a pod in that namespace', '10-240-0-1.podns.pod.cluster.local.', 'A', 'NOERROR', ['A 10.240.0.1']],
    ['verified 1: <ns>.pod.<zone> is NODATA', 'podns.pod.cluster.local.', 'A', 'NOERROR', []],
    ['verified 2: <ns>.svc.<zone> is NODATA', 'svcns.svc.cluster.local.', 'A', 'NOERROR', []],
    ['verified 3: a namespace that does not exist', 'pod-nons.pod.cluster.local.', 'A', 'NXDOMAIN', []],
    ['verified 4: no pod has that address', '172-0-0-2.podns.pod.cluster.local.', 'A', 'NXDOMAIN', []],
  ];
  const cluster = Cluster.fromManifests(serveFixture, { ...serveOptions, dns: { pods: 'verified' } });
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
});

describe('handler_pod_disabled_test.go TestServeDNSModeDisabled (pods disabled)', () => {
  const cases: Case[] = [
    ['disabled 0: a pod that exists', '10-240-0-1.podns.pod.cluster.local.', 'A', 'NXDOMAIN', []],
    ['disabled 1: any address', '172-0-0-2.podns.pod.cluster.local.', 'A', 'NXDOMAIN', []],
  ];
  const cluster = Cluster.fromManifests(serveFixture, { ...serveOptions, dns: { pods: 'disabled' } });
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
});

describe('reverse_test.go TestReverse (with kubeadm\'s fallthrough in-addr.arpa ip6.arpa and no upstream)', () => {
  const cases: Case[] = [
    ['reverse 0: an endpoint with a hostname', '100.0.0.10.in-addr.arpa.', 'PTR', 'NOERROR', ['PTR ep1a.svc1.testns.svc.cluster.local']],
    ['reverse 1: a ClusterIP', '100.1.168.192.in-addr.arpa.', 'PTR', 'NOERROR', ['PTR svc1.testns.svc.cluster.local']],
    ['reverse 2: an IPv6 endpoint',
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.', 'PTR', 'NOERROR', ['PTR ep1b.svc1.testns.svc.cluster.local']],
    ['reverse 3: an IPv6 endpoint',
      'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.', 'PTR', 'NOERROR', ['PTR ip6svc1ex.svc1.testns.svc.cluster.local']],
    ['reverse 4: an IPv6 endpoint',
      '6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.', 'PTR', 'NOERROR', ['PTR ip6svc1in.svc1.testns.svc.cluster.local']],
    ['reverse 5: an address no Service has (falls through to an upstream that does not know it)', '101.0.0.10.in-addr.arpa.', 'PTR', 'NXDOMAIN', []],
    ['reverse 6: a cluster name that is not a Service name', 'example.org.cluster.local.', 'PTR', 'NXDOMAIN', []],
    ['reverse 7: PTR of a Service name is NODATA', 'svc1.testns.svc.cluster.local.', 'PTR', 'NOERROR', []],
    ['reverse 8: a Service name inside a reverse zone', 'svc1.testns.svc.0.10.in-addr.arpa.', 'A', 'NXDOMAIN', []],
    ['reverse 9: an address inside the cluster domain', '100.0.0.10.cluster.local.', 'PTR', 'NXDOMAIN', []],
    ['reverse 10: an endpoint two Services share: one PTR per Service', '99.0.0.10.in-addr.arpa.', 'PTR', 'NOERROR', [
      'PTR double-ep.svc1.testns.svc.cluster.local',
      'PTR double-ep.svc2.testns.svc.cluster.local',
    ]],
  ];
  const cluster = Cluster.fromManifests(reverseFixture, reverseOptions);
  test.each(cases)('%s: %s %s', (...c) => check(cluster, c));
});

describe('kubernetes/dns docs/specification.md', () => {
  const statefulPods = ['my-pet', 'my-pet-2'].map((hostname, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pet-${i}`, namespace: 'default', labels: { app: 'pets' } },
    spec: { hostname, subdomain: 'headless', containers: [{ name: 'c', image: 'i', ports: [{ name: 'https', containerPort: 443 }] }] },
  }));
  const unnamed = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pet-2', namespace: 'default', labels: { app: 'pets' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const manifests = [
    ...statefulPods,
    unnamed,
    service('default', 'headless', { clusterIP: 'None', selector: { app: 'pets' }, ports: [{ name: 'https', port: 443, targetPort: 443 }] }),
    service('default', 'foo', { type: 'ExternalName', externalName: 'www.example.com' }),
  ];
  const cluster = Cluster.fromManifests(manifests, { dns: { upstream: { 'www.example.com': ['192.0.2.53'] } } });
  const ipOf = (pod: string) => cluster.pods.find((p) => p.name === `default/${pod}`)!.ip;

  test('2.2: TXT dns-version.<zone> holds the schema version', () => {
    expect(answer(cluster.resolve('dns-version.cluster.local.', { type: 'TXT' }))).toEqual(['TXT 1.1.0']);
  });

  test('2.3.1: A <service>.<ns>.svc.<zone> → the ClusterIP (the example: kubernetes.default, the first address of the range)', () => {
    expect(answer(cluster.resolve('kubernetes.default.svc.cluster.local.'))).toEqual(['A 10.96.0.1']);
  });

  test('2.3.2: SRV _<port>._<proto>.<service>.<ns>.svc.<zone> → port and the Service name', () => {
    const r = cluster.resolve('_https._tcp.kubernetes.default.svc.cluster.local.', { type: 'SRV' });
    expect(r.records).toEqual([expect.objectContaining({ port: 443, target: 'kubernetes.default.svc.cluster.local' })]);
  });

  test('2.3.3: PTR of the ClusterIP → the Service name', () => {
    expect(answer(cluster.resolve('1.0.96.10.in-addr.arpa.', { type: 'PTR' }))).toEqual(['PTR kubernetes.default.svc.cluster.local']);
  });

  test('2.4.1: headless A → one per ready endpoint; <hostname>.<service> → that endpoint; none ready → NXDOMAIN', () => {
    expect(answer(cluster.resolve('headless.default.svc.cluster.local.'))).toEqual(['pet-0', 'pet-1', 'pet-2'].map((p) => `A ${ipOf(p)}`).sort());
    expect(answer(cluster.resolve('my-pet.headless.default.svc.cluster.local.'))).toEqual([`A ${ipOf('pet-0')}`]);
    const none = Cluster.fromManifests(manifests, { notReadyPods: ['default/pet-0', 'default/pet-1', 'default/pet-2'] });
    expect(none.resolve('headless.default.svc.cluster.local.').rcode).toBe('NXDOMAIN');
  });

  test('2.4.2: headless SRV → one per ready endpoint and named port, the endpoint\'s hostname or a unique identifier', () => {
    const r = cluster.resolve('_https._tcp.headless.default.svc.cluster.local.', { type: 'SRV' });
    expect(r.records.map((x) => x.target).sort()).toEqual([
      `${ipOf('pet-2').replace(/\./g, '-')}.headless.default.svc.cluster.local`,
      'my-pet-2.headless.default.svc.cluster.local',
      'my-pet.headless.default.svc.cluster.local',
    ].sort());
    expect(r.records.every((x) => x.port === 443)).toBe(true);
  });

  test('2.4.3: PTR of a ready endpoint with a hostname → <hostname>.<service>.<ns>.svc.<zone>', () => {
    const rev = `${ipOf('pet-0').split('.').reverse().join('.')}.in-addr.arpa.`;
    expect(answer(cluster.resolve(rev, { type: 'PTR' }))).toEqual(['PTR my-pet.headless.default.svc.cluster.local']);
  });

  test('2.5: ExternalName → CNAME to the external name, then its A record', () => {
    expect(cluster.resolve('foo.default.svc.cluster.local.').records.map((x) => `${x.name} ${x.type} ${x.value}`)).toEqual([
      'foo.default.svc.cluster.local CNAME www.example.com',
      'www.example.com A 192.0.2.53',
    ]);
  });

  test('2.6: deprecated <a>-<b>-<c>-<d>.<ns>.pod.<zone> A records', () => {
    expect(answer(cluster.resolve('10-0-3-200.default.pod.cluster.local.'))).toEqual(['A 10.0.3.200']);
  });

  test('2.1: all comparisons are case-insensitive', () => {
    expect(answer(cluster.resolve('KUBERNETES.Default.SVC.Cluster.Local.'))).toEqual(['A 10.96.0.1']);
  });
});
