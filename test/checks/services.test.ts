import { Cluster, Diagnostic } from '../../src';
import { clusterIpService, deployment, service, statefulSet } from '../dataplane/fixtures';

function diagnostics(objects: any[], options = {}): Diagnostic[] {
  return Cluster.fromManifests(objects, options).diagnostics;
}

function only(code: string, objects: any[], options = {}): Diagnostic[] {
  return diagnostics(objects, options).filter((d) => d.code === code);
}

const web = deployment('shop', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] });

describe('SERVICE_SELECTOR_NO_MATCH', () => {
  test('fires when no pod of the namespace carries the labels, naming the label that differs', () => {
    const [d] = only('SERVICE_SELECTOR_NO_MATCH', [web, clusterIpService('shop', 'web', { app: 'wbe' }, [{ port: 80, targetPort: 'http' }])]);
    expect(d).toMatchObject({ severity: 'warning', object: 'Service/shop/web', field: 'spec.selector' });
    expect(d.message).toContain('app=wbe');
    expect(d.hint).toMatch(/app=wbe \(pod has app=web\)/);
  });

  test('fires for pods in another namespace and says a Service selects in its own namespace only', () => {
    const [d] = only('SERVICE_SELECTOR_NO_MATCH', [web, clusterIpService('other', 'web', { app: 'web' }, [{ port: 80 }])]);
    expect(d.hint).toMatch(/another namespace/);
  });

  test('does not fire when the selector matches', () => {
    expect(only('SERVICE_SELECTOR_NO_MATCH', [web, clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }])])).toEqual([]);
  });
});

describe('SERVICE_NO_READY_ENDPOINTS', () => {
  const objects = [deployment('shop', 'web', { replicas: 1 }), clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }])];

  test('fires when every selected pod is unready', () => {
    const found = diagnostics(objects, { notReadyPods: Cluster.fromManifests(objects).pods.map((p) => p.name) });
    expect(found.filter((d) => d.code === 'SERVICE_NO_READY_ENDPOINTS')).toEqual([
      expect.objectContaining({ severity: 'error', object: 'Service/shop/web' }),
    ]);
  });

  test('does not fire with a ready pod', () => {
    expect(only('SERVICE_NO_READY_ENDPOINTS', objects)).toEqual([]);
  });
});

describe('target ports (pkg/api/v1/pod FindPort: name and protocol must agree)', () => {
  test('SERVICE_TARGET_PORT_UNRESOLVED: a named targetPort no container declares', () => {
    const [d] = only('SERVICE_TARGET_PORT_UNRESOLVED', [web, clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'htp' }])]);
    expect(d).toMatchObject({ severity: 'error', field: 'spec.ports[0].targetPort' });
    expect(d.message).toContain('"htp"');
  });

  test('SERVICE_PROTOCOL_MISMATCH: the named port exists with another protocol', () => {
    const dns = deployment('shop', 'dns', { labels: { app: 'dns' }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] });
    const found = diagnostics([dns, clusterIpService('shop', 'dns', { app: 'dns' }, [{ port: 53, targetPort: 'dns', protocol: 'TCP' }])]);
    expect(found.map((d) => d.code)).toContain('SERVICE_PROTOCOL_MISMATCH');
    expect(found.map((d) => d.code)).not.toContain('SERVICE_TARGET_PORT_UNRESOLVED');
    expect(found.find((d) => d.code === 'SERVICE_PROTOCOL_MISMATCH')!.field).toBe('spec.ports[0].protocol');
  });

  test('SERVICE_TARGET_PORT_UNDECLARED: a numeric targetPort the pods do not declare', () => {
    const [d] = only('SERVICE_TARGET_PORT_UNDECLARED', [web, clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 9090 }])]);
    expect(d).toMatchObject({ severity: 'warning', field: 'spec.ports[0].targetPort' });
    expect(d.message).toContain('8080/TCP');
  });

  test('no target-port finding when the port resolves, by name or number', () => {
    const codes = diagnostics([web,
      clusterIpService('shop', 'by-name', { app: 'web' }, [{ port: 80, targetPort: 'http' }]),
      clusterIpService('shop', 'by-number', { app: 'web' }, [{ port: 80, targetPort: 8080 }])]).map((d) => d.code);
    expect(codes.filter((c) => c.startsWith('SERVICE_'))).toEqual([]);
  });

  test('a numeric targetPort is not suspicious when the pods declare no ports at all (declaring is optional)', () => {
    const bare = deployment('shop', 'bare', { labels: { app: 'bare' }, ports: [] });
    expect(only('SERVICE_TARGET_PORT_UNDECLARED', [bare, clusterIpService('shop', 'bare', { app: 'bare' }, [{ port: 80, targetPort: 9090 }])])).toEqual([]);
  });
});

describe('session affinity', () => {
  const affinity = { sessionAffinity: 'ClientIP' };

  test('SERVICE_AFFINITY_HEADLESS fires on a headless Service and not on a ClusterIP one', () => {
    const headless = clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }], { clusterIP: 'None', ...affinity });
    expect(only('SERVICE_AFFINITY_HEADLESS', [web, headless])).toEqual([expect.objectContaining({ field: 'spec.sessionAffinity' })]);
    expect(only('SERVICE_AFFINITY_HEADLESS', [web, clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }], affinity)])).toEqual([]);
  });

  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'shop' },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  };

  test('SERVICE_AFFINITY_BEHIND_INGRESS fires for ClientIP affinity on an Ingress backend', () => {
    const svc = clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }], affinity);
    const [d] = only('SERVICE_AFFINITY_BEHIND_INGRESS', [web, svc, ingress]);
    expect(d.message).toMatch(/Ingress\/shop\/shop/);
    expect(d.message).toMatch(/pinned to the same pod/);
  });

  test('with the ingress-nginx profile it says the affinity is never applied (nginx proxies to endpoints)', () => {
    const svc = clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }], affinity);
    const [d] = only('SERVICE_AFFINITY_BEHIND_INGRESS', [web, svc, ingress], { ingressController: { profile: 'nginx' } });
    expect(d.message).toMatch(/never applied/);
    expect(d.hint).toMatch(/affinity: cookie/);
  });

  test('does not fire without affinity, or for a Service no Ingress reaches', () => {
    expect(only('SERVICE_AFFINITY_BEHIND_INGRESS', [web, clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }]), ingress])).toEqual([]);
    expect(only('SERVICE_AFFINITY_BEHIND_INGRESS', [web, clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }], affinity)])).toEqual([]);
  });
});

describe('SERVICE_LOCAL_TRAFFIC_NODES_WITHOUT_ENDPOINT (kube-proxy: Local drops traffic on nodes without a local endpoint)', () => {
  const local = (replicas: number) => [
    deployment('shop', 'web', { replicas }),
    service('shop', 'web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }], externalTrafficPolicy: 'Local' }),
  ];

  test('fires with one replica on three nodes, naming the two empty nodes', () => {
    const [d] = only('SERVICE_LOCAL_TRAFFIC_NODES_WITHOUT_ENDPOINT', local(1), { nodes: 3 });
    expect(d.field).toBe('spec.externalTrafficPolicy');
    expect(d.message.match(/node-\d/g)).toHaveLength(2);
  });

  test('does not fire when every node has a ready endpoint', () => {
    expect(only('SERVICE_LOCAL_TRAFFIC_NODES_WITHOUT_ENDPOINT', local(3), { nodes: 3 })).toEqual([]);
  });
});

describe('duplicate ClusterIP / nodePort are the core model\'s ALLOCATION_CONFLICT', () => {
  test('a nodePort used twice is reported on the second Service', () => {
    const np = (name: string) => service('shop', name, { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] });
    expect(only('ALLOCATION_CONFLICT', [web, np('a'), np('b')])).toEqual([expect.objectContaining({ object: 'Service/shop/b', field: 'spec.ports[0].nodePort' })]);
    expect(only('ALLOCATION_CONFLICT', [web, np('a')])).toEqual([]);
  });
});

describe('workload selector that does not match its template: rejected by the API rules (INVALID_OBJECT)', () => {
  test('fires for a mismatched Deployment and not for a matching one', () => {
    const bad = deployment('shop', 'web');
    bad.spec.selector = { matchLabels: { app: 'other' } };
    expect(only('INVALID_OBJECT', [bad]).map((d) => d.object)).toEqual(['Deployment/shop/web']);
    expect(only('INVALID_OBJECT', [deployment('shop', 'web')])).toEqual([]);
  });
});

describe('StatefulSet governing Service (StatefulSet docs: Stable Network ID)', () => {
  const set = statefulSet('db', 'pg', 'pg');
  const pgService = (extra: any) => clusterIpService('db', 'pg', { app: 'pg' }, [{ port: 5432, targetPort: 'pg' }], extra);

  test('STATEFULSET_SERVICE_MISSING fires without the Service', () => {
    expect(only('STATEFULSET_SERVICE_MISSING', [set])).toEqual([expect.objectContaining({ object: 'StatefulSet/db/pg', field: 'spec.serviceName' })]);
  });

  test('STATEFULSET_SERVICE_NOT_HEADLESS fires for a ClusterIP Service', () => {
    const [d, ...rest] = only('STATEFULSET_SERVICE_NOT_HEADLESS', [set, pgService({})]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'warning', object: 'StatefulSet/db/pg', field: 'spec.serviceName' });
    expect(d.message).toContain('pg-0.pg.db.svc do not resolve');
  });

  test('neither fires for a headless governing Service', () => {
    const codes = diagnostics([set, pgService({ clusterIP: 'None' })]).map((d) => d.code);
    expect(codes).not.toContain('STATEFULSET_SERVICE_MISSING');
    expect(codes).not.toContain('STATEFULSET_SERVICE_NOT_HEADLESS');
  });
});
