// Property tests (fast-check): loading random and mutated manifests never throws anything but
// ManifestError; queries on whatever loaded never throw; answers are deterministic; ClientIP
// affinity keeps each client on one endpoint until the timeout (iptables `recent` semantics).
import fc from 'fast-check';
import { clusterIpService, deployment, pod, service, statefulSet } from './fixtures';
import { Cluster, isManifestError } from '../../src';

const base = () => [
  deployment('shop', 'cart', { replicas: 3 }),
  clusterIpService('shop', 'cart', { app: 'cart' }, [{ name: 'http', port: 80, targetPort: 'http' }]),
  statefulSet('db', 'pg', 'pg', 2),
  clusterIpService('db', 'pg', { app: 'pg' }, [{ name: 'pg', port: 5432 }], { clusterIP: 'None' }),
  service('shop', 'np', { type: 'NodePort', selector: { app: 'cart' }, ports: [{ port: 81, targetPort: 8080 }], externalTrafficPolicy: 'Local' }),
  service('shop', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db', namespace: 'shop' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 5432 }] }] },
  pod('shop', 'client'),
];

/** Replaces the value at a path chosen by `steps` with `value`. */
function mutate(doc: any, steps: number[], value: unknown): any {
  const copy = structuredClone(doc);
  let node = copy;
  for (let i = 0; i < steps.length; i++) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[steps[i] % keys.length];
    if (i === steps.length - 1 || typeof node[key] !== 'object' || node[key] === null) {
      node[key] = value;
      return copy;
    }
    node = node[key];
  }
  return value;
}

/** How many inputs loaded (and were then queried), so a property that refused every input shows. */
let loaded = 0;

function load(fn: () => Cluster): Cluster | undefined {
  try {
    const c = fn();
    loaded++;
    return c;
  } catch (e) {
    if (isManifestError(e)) return undefined;
    throw e;
  }
}

function exercise(c: Cluster) {
  for (const s of c.services) {
    if (s.clusterIp && s.clusterIp !== 'None') for (const p of s.ports) c.connect({ to: `${s.clusterIp}:${p.port}`, from: { ip: '10.244.0.200' } });
    for (const p of s.ports) if (p.nodePort) c.connect({ to: `${c.nodes[0].ip}:${p.nodePort}` });
  }
  c.resolve('cart', { fromNamespace: 'shop' });
  c.resolve('_http._tcp.cart.shop.svc.cluster.local', { type: 'SRV' });
  const from = c.pods.find((p) => p.ip);
  if (from) c.request({ url: 'http://cart.shop/', from: { pod: from.name } });
  c.request({ url: 'http://cart.shop/' });
  void c.diagnostics;
}

describe('loading never throws anything but ManifestError', () => {
  beforeEach(() => { loaded = 0; });
  test('random values as documents', () => {
    fc.assert(fc.property(fc.array(fc.anything(), { maxLength: 6 }), (docs) => {
      const c = load(() => Cluster.fromManifests(docs));
      if (c) exercise(c);
    }), { numRuns: 300, seed: 42 });
    expect(loaded).toBeGreaterThan(150);
  });

  test('valid manifests with one field replaced by a random value', () => {
    fc.assert(fc.property(fc.nat(7), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.anything(), (which, steps, value) => {
      const docs = base();
      docs[which] = mutate(docs[which], steps, value);
      const c = load(() => Cluster.fromManifests(docs));
      if (c) exercise(c);
    }), { numRuns: 500, seed: 7 });
    expect(loaded).toBeGreaterThan(250);
  });

  test('random text as YAML', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const c = load(() => Cluster.fromYaml(text));
      if (c) exercise(c);
    }), { numRuns: 300, seed: 3 });
    expect(loaded).toBeGreaterThan(150);
  });

  test('random names to resolve never throw and give NOERROR or NXDOMAIN', () => {
    const c = Cluster.fromManifests(base());
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom(undefined, 'shop', 'db'), (name, ns) => {
      expect(['NOERROR', 'NXDOMAIN']).toContain(c.resolve(name, { fromNamespace: ns }).rcode);
    }), { numRuns: 300, seed: 9 });
  });
});

describe('determinism', () => {
  test('the same manifests, seed and query sequence give the same answers and traces', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.constantFrom('svc', 'np', 'req', 'dns'), { maxLength: 15 }), (seed, ops) => {
      const run = () => {
        const c = Cluster.fromManifests(base(), { seed });
        const cart = c.services.find((s) => s.name === 'shop/cart')!;
        const np = c.services.find((s) => s.name === 'shop/np')!.ports[0].nodePort!;
        return ops.map((op) => {
          if (op === 'svc') return c.connect({ to: `${cart.clusterIp}:80`, from: { pod: 'shop/client' } });
          if (op === 'np') return c.connect({ to: `${c.nodes[1].ip}:${np}` });
          if (op === 'req') return c.request({ url: 'http://cart/', from: { pod: 'shop/client' } });
          return c.resolve('pg.db', { fromNamespace: 'shop' });
        });
      };
      expect(run()).toEqual(run());
    }), { numRuns: 60, seed: 1 });
  });
});

describe('ClientIP affinity invariant', () => {
  test('until timeoutSeconds pass without a connection, a client always reaches its first endpoint', () => {
    const timeout = 100;
    const docs = [deployment('a', 'web', { replicas: 4 }), service('a', 'web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: timeout } } })];
    // Short waits half the time, so clients often come back within the timeout.
    const waitArb = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 150 }));
    const op = fc.record({ client: fc.integer({ min: 2, max: 6 }), wait: waitArb });
    let sticky = 0;
    fc.assert(fc.property(fc.integer({ min: 0, max: 10000 }), fc.array(op, { minLength: 10, maxLength: 40, size: 'max' }), (seed, ops) => {
      const c = Cluster.fromManifests(docs, { seed });
      const vip = `${c.services[0].clusterIp}:80`;
      const last = new Map<number, { endpoint: string; at: number }>();
      for (const { client, wait } of ops) {
        c.advanceClock(wait);
        const r = c.connect({ to: vip, from: { ip: `10.244.7.${client}` } });
        // Every pod is ready, so every connection lands; an undefined endpoint would make the check vacuous.
        expect(r.endpoint).toMatch(/^10\.244\.\d+\.\d+:8080$/);
        const prev = last.get(client);
        if (prev && c.now - prev.at <= timeout) {
          expect(r.endpoint).toBe(prev.endpoint);
          sticky++;
        }
        last.set(client, { endpoint: r.endpoint!, at: c.now });
      }
    }), { numRuns: 100, seed: 5 });
    // The generated sequences must reach the sticky case often, or the invariant went unchecked.
    expect(sticky).toBeGreaterThan(500);
  });
});
