// Inventory: what the API server would hold after `kubectl apply` of the documents in order.
import { deployment, pod, service } from './fixtures';
import { Cluster, isManifestError } from '../../src';
import { Dataplane } from '../../src/dataplane/dataplane';

describe('inventory', () => {
  test('an object the API server would reject becomes error diagnostics naming object and field, and takes no part', () => {
    const bad = service('shop', 'cart', { selector: { app: 'cart' }, ports: [{ port: 0 }] });
    const c = Cluster.fromManifests([bad, deployment('shop', 'cart')]);
    expect(c.services.map((s) => s.name)).toEqual(['default/kubernetes']);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({
      code: 'INVALID_OBJECT', severity: 'error', object: 'Service/shop/cart', field: 'spec.ports[0].port',
    }));
  });

  test('namespace defaults to "default"', () => {
    const c = Cluster.fromManifests([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { a: 'b' }, ports: [{ port: 80 }] } }]);
    expect(c.services.map((s) => s.name)).toEqual(['default/web', 'default/kubernetes']);
  });

  // kubectl apply -f applies the documents in order: the second updates the object the first created.
  test('a duplicate kind/namespace/name: the later document wins, in the first one\'s place, with a warning', () => {
    const first = service('a', 'web', { selector: { app: 'one' }, ports: [{ port: 80 }] });
    const other = service('a', 'api', { selector: { app: 'api' }, ports: [{ port: 90 }] });
    const second = service('a', 'web', { selector: { app: 'two' }, ports: [{ port: 81 }] });
    const c = Cluster.fromManifests([first, other, second]);
    expect(c.services.map((s) => `${s.name}:${s.ports[0].port}`)).toEqual(['a/web:81', 'a/api:90', 'default/kubernetes:443']);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({
      code: 'OBJECT_APPLIED_TWICE', severity: 'warning', object: 'Service/a/web', message: expect.stringContaining('document 1 and document 3'),
    }));
  });

  test('the same name in two kinds or two namespaces is not a duplicate', () => {
    const c = Dataplane.compile([service('a', 'web', { ports: [{ port: 80 }] }), service('b', 'web', { ports: [{ port: 80 }] }), deployment('a', 'web')]);
    expect(c.model.diagnostics).toEqual([]);
  });

  test('unknown kinds are kept inert, without diagnostics', () => {
    const c = Dataplane.compile([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: true } }]);
    expect(c.model.diagnostics).toEqual([]);
    expect(c.pods).toEqual([]);
  });

  test.each([
    ['a string', 'hello', 'document 1 is a string'],
    ['a number', 42, 'document 1 is a number'],
    ['a list', [1, 2], 'document 1 is a list'],
  ])('a document that is %s is reported, not dropped', (_name, doc, message) => {
    const c = Cluster.fromManifests([doc]);
    expect(c.diagnostics).toContainEqual(expect.objectContaining({ code: 'INVALID_OBJECT', object: 'document 1', message: expect.stringContaining(message) }));
  });

  test('missing apiVersion, kind or name are named', () => {
    const c = Cluster.fromManifests([{ kind: 'Service', metadata: { name: 'x' } }, { apiVersion: 'v1', metadata: { name: 'y' } }, { apiVersion: 'v1', kind: 'Service', metadata: {} }]);
    expect(c.diagnostics.map((d) => `${d.object} ${d.field}`)).toEqual([
      'Service/default/x apiVersion', 'Object/default/y kind', 'Service (document 3) metadata.name', 'Service (document 3) spec.ports',
    ]);
  });

  test('wrong field types give a diagnostic naming the field, never a throw', () => {
    const c = Cluster.fromManifests([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: 'eighty' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'three', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    ]);
    const found = c.diagnostics.map((d) => `${d.object} ${d.field}`);
    expect(found).toEqual(expect.arrayContaining(['Service/default/s spec.ports', 'Deployment/default/d spec.replicas', 'Pod/default/p metadata.labels']));
    expect(c.pods).toEqual([]);
  });

  test('generateName gets a stable five-character suffix from the safe alphabet', () => {
    const doc = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'runner-', namespace: 'ci' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const names = Cluster.fromManifests([doc]).pods.map((p) => p.name);
    expect(names).toEqual([expect.stringMatching(/^ci\/runner-[bcdfghjklmnpqrstvwxz2456789]{5}$/)]);
    expect(Cluster.fromManifests([doc]).pods.map((p) => p.name)).toEqual(names);
  });

  test('List documents are flattened like kubectl does', () => {
    const c = Cluster.fromManifests([{ apiVersion: 'v1', kind: 'List', items: [deployment('a', 'web'), pod('a', 'solo')] }]);
    expect(c.pods).toHaveLength(3);
  });

  test('null documents (empty YAML documents) are skipped like kubectl', () => {
    expect(Cluster.fromYaml('---\n---\n').diagnostics).toEqual([]);
  });
});

describe('YAML input', () => {
  test('malformed YAML throws ManifestError with document number and line', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [Service\nmetadata: x\n';
    let thrown: unknown;
    try {
      Cluster.fromYaml(text);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(isManifestError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/input: document 2, line 7: Flow sequence/);
  });

  // Expanded, this is 9^12 strings; the loader's alias cap refuses it before expansion, so the
  // test asserts that cap's message rather than a wall-clock bound.
  test('a YAML alias bomb is refused by the alias cap instead of expanded', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    expect(() => Cluster.fromYaml(lines.join('\n'))).toThrow(expect.objectContaining({
      name: 'ManifestError',
      message: expect.stringContaining('input: document 1: Excessive alias count'),
    }));
  });

  test('non-string input to fromYaml and non-list input to fromManifests throw ManifestError', () => {
    expect(() => Cluster.fromYaml(undefined as any)).toThrow(expect.objectContaining({ name: 'ManifestError' }));
    expect(() => Cluster.fromManifests({} as any)).toThrow(expect.objectContaining({ name: 'ManifestError' }));
  });

  test('multi-document YAML is read in order', () => {
    const c = Cluster.fromYaml([
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: [{name: c, image: i}]}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\nspec: {containers: [{name: c, image: i}]}',
    ].join('\n---\n'));
    expect(c.pods.map((p) => p.name)).toEqual(['x/a', 'x/b']);
  });
});
