// Workloads → pods, restating what the controllers and the scheduler do:
// pkg/controller/deployment (pod-template-hash label), pkg/controller/statefulset (ordinal
// names, hostname = pod name, subdomain = serviceName), pkg/controller/daemon (one pod per node),
// pkg/controller/job (parallelism pods, job-name label).
import { deployment, pod, statefulSet } from './fixtures';
import { Cluster } from '../../src';
import { Dataplane } from '../../src/dataplane/dataplane';

const byName = (c: Cluster) => new Map(c.pods.map((p) => [p.name, p]));

describe('nodes', () => {
  test('three nodes by default, each with a /24 of the pod range (kube-controller-manager --node-cidr-mask-size 24)', () => {
    expect(Cluster.fromManifests([]).nodes).toEqual([
      { name: 'node-1', ip: '172.18.0.2', podCidr: '10.244.0.0/24' },
      { name: 'node-2', ip: '172.18.0.3', podCidr: '10.244.1.0/24' },
      { name: 'node-3', ip: '172.18.0.4', podCidr: '10.244.2.0/24' },
    ]);
  });
  test('the node count and pod range are options', () => {
    const c = Cluster.fromManifests([], { nodes: 2, podCidr: '10.1.0.0/16' });
    expect(c.nodes.map((n) => n.podCidr)).toEqual(['10.1.0.0/24', '10.1.1.0/24']);
  });
  test('invalid options are refused with a clear message', () => {
    expect(() => Cluster.fromManifests([], { nodes: 0 })).toThrow('Cluster options: nodes must be an integer from 1 to 1000, got 0');
    expect(() => Cluster.fromManifests([], { proxyMode: 'userspace' })).toThrow('Cluster options: proxyMode must be one of iptables, ipvs, nftables, got "userspace"');
    expect(() => Cluster.fromManifests([], { proxyMode: 'nftables' })).toThrow('Cluster options: proxyMode nftables needs Kubernetes 1.29 or later (kubernetesVersion is 1.27)');
    expect(() => Cluster.fromManifests([], { serviceCidr: '10.96.0.0' })).toThrow('serviceCidr "10.96.0.0": "10.96.0.0" is not a CIDR');
    expect(() => Cluster.fromManifests([], { nodePortRange: '32767-30000' })).toThrow('nodePortRange');
    expect(() => Cluster.fromManifests([], { podCidr: '10.96.0.0/16' })).toThrow('serviceCidr 10.96.0.0/12 and podCidr 10.96.0.0/16 overlap');
    expect(() => Cluster.fromManifests([], { podCidr: '172.18.0.0/16' })).toThrow('overlaps the node network 172.18.0.0/16');
  });
});

describe('pods', () => {
  test('Deployment pods: <name>-<pod-template-hash>-<i>, labelled pod-template-hash, spread over nodes', () => {
    const c = Cluster.fromManifests([deployment('shop', 'cart', { replicas: 3 })]);
    const pods = c.pods;
    expect(pods).toHaveLength(3);
    const hash = pods[0].labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(pods.map((p) => p.name)).toEqual([0, 1, 2].map((i) => `shop/cart-${hash}-${i}`));
    expect(new Set(pods.map((p) => p.node)).size).toBe(3);
    expect(pods.every((p) => p.ready && p.owner === 'Deployment/shop/cart')).toBe(true);
  });

  test('the pod-template-hash changes with the template, so a new rollout gets new pod names', () => {
    const a = Cluster.fromManifests([deployment('s', 'web')]).pods[0].labels['pod-template-hash'];
    const b = Cluster.fromManifests([deployment('s', 'web', { podSpec: { hostname: 'other' } })]).pods[0].labels['pod-template-hash'];
    expect(a).not.toBe(b);
  });

  test('pod IPs come from the node\'s podCIDR, .2 first (.1 is the bridge)', () => {
    const c = Cluster.fromManifests([deployment('s', 'web', { replicas: 6 })]);
    for (const p of c.pods) {
      const node = c.nodes.find((n) => n.name === p.node)!;
      expect(p.ip.split('.').slice(0, 3).join('.')).toBe(node.podCidr.split('.').slice(0, 3).join('.'));
      expect(Number(p.ip.split('.')[3])).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(c.pods.map((p) => p.ip)).size).toBe(6);
  });

  test('ReplicaSet pods are <name>-<i> (a stable stand-in for the random suffix)', () => {
    const rs = { ...deployment('s', 'legacy', { replicas: 2 }), kind: 'ReplicaSet' };
    expect(Cluster.fromManifests([rs]).pods.map((p) => `${p.name} ${p.owner}`)).toEqual(['s/legacy-0 ReplicaSet/s/legacy', 's/legacy-1 ReplicaSet/s/legacy']);
  });

  test('StatefulSet pods are <name>-<ordinal> in order', () => {
    const c = Cluster.fromManifests([statefulSet('db', 'pg', 'pg', 3)]);
    expect(c.pods.map((p) => p.name)).toEqual(['db/pg-0', 'db/pg-1', 'db/pg-2']);
    expect(c.pods[1].labels['statefulset.kubernetes.io/pod-name']).toBe('pg-1');
  });

  test('DaemonSet: one pod per node, on that node', () => {
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops' }, spec: { selector: { matchLabels: { a: 'x' } }, template: { metadata: { labels: { a: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    const c = Cluster.fromManifests([ds], { nodes: 4 });
    expect(c.pods.map((p) => `${p.name}@${p.node}`)).toEqual(['ops/agent-node-1@node-1', 'ops/agent-node-2@node-2', 'ops/agent-node-3@node-3', 'ops/agent-node-4@node-4']);
  });

  test('Job: parallelism pods (capped by completions), labelled job-name', () => {
    const job = (parallelism: number, completions?: number) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'ops' },
      spec: { parallelism, completions, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } },
    });
    expect(Cluster.fromManifests([job(3)]).pods.map((p) => p.name)).toEqual(['ops/migrate-0', 'ops/migrate-1', 'ops/migrate-2']);
    expect(Cluster.fromManifests([job(3, 1)]).pods).toHaveLength(1);
    expect(Cluster.fromManifests([job(1)]).pods[0].labels['job-name']).toBe('migrate');
  });

  test('a bare Pod honours spec.nodeName, status.podIP and a Ready condition', () => {
    const p = pod('a', 'fixed', { spec: { nodeName: 'node-2' }, status: { podIP: '10.244.1.77', conditions: [{ type: 'Ready', status: 'False' }] } });
    const got = byName(Cluster.fromManifests([p])).get('a/fixed')!;
    expect(got).toMatchObject({ node: 'node-2', ip: '10.244.1.77', ready: false });
  });

  test('an explicit status.podIP is not handed out again', () => {
    const c = Cluster.fromManifests([pod('a', 'x', { spec: { nodeName: 'node-1' }, status: { podIP: '10.244.0.2' } }), pod('a', 'y', { spec: { nodeName: 'node-1' } })]);
    expect(byName(c).get('a/y')!.ip).toBe('10.244.0.3');
  });

  test('a pod bound to a node that does not exist never runs, with a warning', () => {
    const c = Cluster.fromManifests([pod('a', 'lost', { spec: { nodeName: 'gpu-1' } })]);
    expect(byName(c).get('a/lost')!).toMatchObject({ ip: '', ready: false });
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'POD_NODE_UNKNOWN', object: 'Pod/a/lost', field: 'spec.nodeName' }));
  });

  test('Succeeded and Failed pods have no IP', () => {
    const c = Cluster.fromManifests([pod('a', 'done', { status: { phase: 'Succeeded' } })]);
    expect(byName(c).get('a/done')!.ip).toBe('');
  });

  test('hostNetwork pods use their node\'s IP', () => {
    const c = Cluster.fromManifests([pod('a', 'h', { spec: { hostNetwork: true, nodeName: 'node-3' } })]);
    expect(byName(c).get('a/h')!.ip).toBe('172.18.0.4');
  });

  test('notReadyPods marks pods not ready; an unknown name is a warning', () => {
    const c = Cluster.fromManifests([statefulSet('db', 'pg', 'pg', 2)], { notReadyPods: ['db/pg-1', 'db/pg-9'] });
    expect(c.pods.map((p) => p.ready)).toEqual([true, false]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_POD', field: 'notReadyPods' }));
  });

  test('a bare Pod holding a StatefulSet ordinal\'s name blocks the controller, which is reported', () => {
    const c = Cluster.fromManifests([statefulSet('db', 'pg', 'pg', 1), pod('db', 'pg-0')]);
    expect(c.pods.map((p) => [p.name, p.owner])).toEqual([['db/pg-0', undefined]]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'DUPLICATE_OBJECT', object: 'StatefulSet/db/pg', message: expect.stringContaining('pod db/pg-0') }));
  });

  test('more pods than a /24 holds widen the per-node block instead of failing', () => {
    const c = Dataplane.compile([deployment('s', 'big', { replicas: 900 })]);
    expect(c.model.diagnostics).toEqual([]);
    expect(c.nodes[0].podCidr).toBe('10.244.0.0/23');
    expect(new Set(c.pods.map((p) => p.ip)).size).toBe(900);
  });

  test('two pods claiming one status.podIP: the second is reported', () => {
    const c = Cluster.fromManifests([pod('a', 'x', { status: { podIP: '10.244.0.9' } }), pod('a', 'y', { status: { podIP: '10.244.0.9' } })]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'POD_IP_CONFLICT', object: 'Pod/a/y', field: 'status.podIP' }));
  });

  test('two pods with one hostPort on one node: the second would stay Pending (reported)', () => {
    const hp = (name: string) => pod('a', name, { spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }] }] } });
    const c = Cluster.fromManifests([hp('one'), hp('two')]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'HOST_PORT_CONFLICT', object: 'Pod/a/two' }));
    expect(c.connect({ to: '172.18.0.2:8080' }).pod).toBe('a/one');
  });

  test('a pod range too small for the nodes is reported, and pods beyond it get no IP', () => {
    const c = Cluster.fromManifests([deployment('s', 'web', { replicas: 3 })], { podCidr: '10.244.0.0/24', nodes: 3 });
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'POD_CIDR_EXHAUSTED', severity: 'error' }));
    expect(c.pods.filter((p) => p.ip === '')).toHaveLength(2);
  });

  test('placement and names do not depend on unrelated objects', () => {
    const alone = Cluster.fromManifests([deployment('s', 'web', { replicas: 3 })]).pods.map((p) => `${p.name}@${p.node}`);
    const crowded = Cluster.fromManifests([deployment('s', 'other', { replicas: 5 }), deployment('s', 'web', { replicas: 3 })]).pods
      .filter((p) => p.name.startsWith('s/web-')).map((p) => `${p.name}@${p.node}`);
    expect(crowded).toEqual(alone);
  });
});
