// Endpoints with EndpointSlice semantics, restated from kubernetes/kubernetes
// pkg/controller/endpointslice (utils.go podToEndpoint: ready = publishNotReadyAddresses ||
// pod Ready; hostname only when the pod's subdomain names the Service; getEndpointPorts skips a
// pod whose named port does not resolve) and pkg/api/v1/pod/util.go FindPort (a named targetPort
// matches a container port by name AND protocol).
import { clusterIpService, deployment, pod, service, statefulSet } from './fixtures';
import { Dataplane } from '../../src/dataplane/dataplane';

function endpointsOf(c: Dataplane, key: string, portIndex = 0) {
  const all = c.model.endpoints.byService.get(key)?.[portIndex]?.all ?? [];
  return all.map((e) => ({ ip: e.ip, port: e.port, ready: e.ready, pod: e.pod?.key, hostname: e.hostname }));
}

describe('selector services', () => {
  test('select running pods with matching labels in the same namespace only', () => {
    const c = Dataplane.compile([
      deployment('shop', 'cart', { replicas: 2 }),
      deployment('other', 'cart', { replicas: 2 }),
      pod('shop', 'stray', { labels: { app: 'carts' } }),
      clusterIpService('shop', 'cart', { app: 'cart' }, [{ port: 80, targetPort: 8080 }]),
    ]);
    const eps = endpointsOf(c, 'shop/cart');
    expect(eps).toHaveLength(2);
    expect(eps.every((e) => e.pod!.startsWith('shop/cart-') && e.port === 8080)).toBe(true);
  });

  test('every selector label must match (subset semantics)', () => {
    const c = Dataplane.compile([
      deployment('a', 'web', { labels: { app: 'web', tier: 'front' } }),
      clusterIpService('a', 'both', { app: 'web', tier: 'front' }, [{ port: 80 }]),
      clusterIpService('a', 'wrong', { app: 'web', tier: 'back' }, [{ port: 80 }]),
    ]);
    expect(endpointsOf(c, 'a/both')).toHaveLength(2);
    expect(endpointsOf(c, 'a/wrong')).toHaveLength(0);
  });

  test('a named targetPort resolves per pod, so pods may listen on different numbers', () => {
    const c = Dataplane.compile([
      pod('a', 'v1', { labels: { app: 'x' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] } }),
      pod('a', 'v2', { labels: { app: 'x' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 9090 }] }] } }),
      pod('a', 'none', { labels: { app: 'x' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'metrics', containerPort: 9100 }] }] } }),
      clusterIpService('a', 'x', { app: 'x' }, [{ port: 80, targetPort: 'http' }]),
    ]);
    expect(endpointsOf(c, 'a/x').map((e) => `${e.pod}:${e.port}`).sort()).toEqual(['a/v1:8080', 'a/v2:9090']);
  });

  test('a named targetPort must match the protocol too (FindPort)', () => {
    const c = Dataplane.compile([
      pod('a', 'dns', { labels: { app: 'dns' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }] }] } }),
      clusterIpService('a', 'dns', { app: 'dns' }, [{ name: 'udp', port: 53, protocol: 'UDP', targetPort: 'dns' }, { name: 'tcp', port: 53, protocol: 'TCP', targetPort: 'dns' }]),
    ]);
    expect(endpointsOf(c, 'a/dns', 0)).toHaveLength(1);
    expect(endpointsOf(c, 'a/dns', 1)).toHaveLength(0);
  });

  test('not-ready pods are endpoints with ready=false; publishNotReadyAddresses makes them ready', () => {
    const manifests = (publish: boolean) => [
      statefulSet('db', 'pg', 'pg', 2),
      clusterIpService('db', 'pg', { app: 'pg' }, [{ port: 5432 }], { publishNotReadyAddresses: publish }),
    ];
    const plain = Dataplane.compile(manifests(false), { notReadyPods: ['db/pg-1'] });
    const readiness = (c: Dataplane) => endpointsOf(c, 'db/pg').map((e) => `${e.pod} ${e.ready}`).sort();
    expect(readiness(plain)).toEqual(['db/pg-0 true', 'db/pg-1 false']);
    const published = Dataplane.compile(manifests(true), { notReadyPods: ['db/pg-1'] });
    expect(readiness(published)).toEqual(['db/pg-0 true', 'db/pg-1 true']);
  });

  test('endpoints carry a hostname only when the pod\'s subdomain names the Service', () => {
    const c = Dataplane.compile([
      statefulSet('db', 'pg', 'pg-headless', 1),
      clusterIpService('db', 'pg-headless', { app: 'pg' }, [{ port: 5432 }], { clusterIP: 'None' }),
      clusterIpService('db', 'pg', { app: 'pg' }, [{ port: 5432 }]),
    ]);
    expect(endpointsOf(c, 'db/pg-headless')[0].hostname).toBe('pg-0');
    expect(endpointsOf(c, 'db/pg')[0].hostname).toBeUndefined();
  });

  test('pods that are not running (no IP) are not endpoints', () => {
    const c = Dataplane.compile([pod('a', 'done', { labels: { app: 'x' }, status: { phase: 'Failed' } }), clusterIpService('a', 'x', { app: 'x' }, [{ port: 80 }])]);
    expect(endpointsOf(c, 'a/x')).toEqual([]);
  });
});

describe('selector-less services take manual endpoints', () => {
  test('v1/Endpoints with the Service\'s name; ports match by name', () => {
    const c = Dataplane.compile([
      clusterIpService('a', 'db', undefined, [{ name: 'pg', port: 5432 }]),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db', namespace: 'a' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], notReadyAddresses: [{ ip: '192.0.2.11' }], ports: [{ name: 'pg', port: 5432 }] }] },
    ]);
    expect(endpointsOf(c, 'a/db')).toEqual([
      { ip: '192.0.2.10', port: 5432, ready: true, pod: undefined, hostname: undefined },
      { ip: '192.0.2.11', port: 5432, ready: false, pod: undefined, hostname: undefined },
    ]);
  });

  test('EndpointSlices labelled kubernetes.io/service-name; unset ready means ready (discovery/v1)', () => {
    const c = Dataplane.compile([
      clusterIpService('a', 'db', undefined, [{ port: 5432 }]),
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'db-x', namespace: 'a', labels: { 'kubernetes.io/service-name': 'db' } },
        addressType: 'IPv4',
        ports: [{ port: 5432 }],
        endpoints: [{ addresses: ['192.0.2.20'] }, { addresses: ['192.0.2.21'], conditions: { ready: false } }],
      },
    ]);
    expect(endpointsOf(c, 'a/db').map((e) => `${e.ip} ${e.ready}`)).toEqual(['192.0.2.20 true', '192.0.2.21 false']);
  });

  test('manual endpoints that name a pod (targetRef) or a node (nodeName) are linked to them', () => {
    const c0 = Dataplane.compile([pod('a', 'backend', { spec: { nodeName: 'node-2' } })]);
    const ip = c0.pods[0].ip;
    const c = Dataplane.compile([
      pod('a', 'backend', { spec: { nodeName: 'node-2' } }),
      clusterIpService('a', 'manual', undefined, [{ port: 80 }], { internalTrafficPolicy: 'Local' }),
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'manual-1', namespace: 'a', labels: { 'kubernetes.io/service-name': 'manual' } },
        addressType: 'IPv4',
        ports: [{ port: 80 }],
        endpoints: [{ addresses: [ip], targetRef: { kind: 'Pod', name: 'backend' } }, { addresses: ['192.0.2.5'], nodeName: 'node-3' }],
      },
    ]);
    const eps = c.model.endpoints.byService.get('a/manual')![0].all;
    expect(eps.map((e) => `${e.ip} ${e.pod?.key} ${e.node?.name}`)).toEqual([`${ip} a/backend node-2`, '192.0.2.5 undefined node-3']);
    // internalTrafficPolicy Local now knows where each endpoint lives.
    expect(c.connect({ to: `${c.services[0].clusterIp}:80`, from: { ip: '172.18.0.4' } }).endpoint).toBe('192.0.2.5:80');
  });

  test('manual endpoint ports must match the Service port\'s protocol', () => {
    const c = Dataplane.compile([
      clusterIpService('a', 'dns', undefined, [{ port: 53, protocol: 'UDP' }]),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'dns', namespace: 'a' }, subsets: [{ addresses: [{ ip: '192.0.2.53' }], ports: [{ port: 53, protocol: 'TCP' }] }] },
    ]);
    expect(endpointsOf(c, 'a/dns')).toEqual([]);
  });

  test('manual Endpoints for a Service with a selector are replaced by the controller (warning)', () => {
    const c = Dataplane.compile([
      clusterIpService('a', 'web', { app: 'web' }, [{ port: 80 }]),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'a' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] },
    ]);
    expect(endpointsOf(c, 'a/web')).toEqual([]);
    expect(c.model.diagnostics).toContainEqual(expect.objectContaining({ code: 'ENDPOINTS_OVERWRITTEN', severity: 'warning', object: 'Service/a/web' }));
  });

  test('ExternalName services have no endpoints', () => {
    const c = Dataplane.compile([service('a', 'ext', { type: 'ExternalName', externalName: 'db.example.com' })]);
    expect(c.model.endpoints.byService.has('a/ext')).toBe(false);
  });
});
