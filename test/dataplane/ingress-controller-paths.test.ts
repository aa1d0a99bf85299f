/**
 * The compiled path tables agree with the definitions they implement, checked against direct
 * per-request scans over random path sets.
 */
import * as fc from 'fast-check';
import { NginxServerLocations, PortablePathTable } from '../../src/dataplane/ingress-controller-paths';

const segment = fc.constantFrom('a', 'aa', 'b', 'api', 'v1', 'A');
const pathArb = fc.tuple(fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([segs, slash]) => `/${segs.join('/')}${slash && segs.length ? '/' : ''}`);
const typeArb = fc.constantFrom('Exact', 'Prefix');

/** Docs "Ingress": Prefix matches element-wise ignoring trailing slashes; longest wins, Exact on a tie. */
function specMatch(entries: Array<[string, string, number]>, request: string): number | undefined {
  const els = (p: string) => p.split('/').filter(Boolean);
  const req = els(request);
  let best: { len: number; exact: boolean; id: number } | undefined;
  for (const [path, type, id] of entries) {
    let ok: boolean;
    if (type === 'Exact') {
      ok = path === request;
    } else {
      const pe = els(path);
      ok = pe.length <= req.length && pe.every((e, i) => e === req[i]);
    }
    if (!ok) continue;
    const len = type === 'Exact' ? Number.MAX_SAFE_INTEGER : els(path).length;
    const exact = type === 'Exact';
    if (!best || len > best.len || (len === best.len && exact && !best.exact)) best = { len, exact, id };
  }
  return best?.id;
}

test('portable path table = the specification scan', () => {
  fc.assert(fc.property(fc.array(fc.tuple(pathArb, typeArb), { maxLength: 8 }), pathArb, (paths, request) => {
    const table = new PortablePathTable<number>();
    const kept: Array<[string, string, number]> = [];
    paths.forEach(([p, t], id) => {
      if (table.add(p, t, id)) kept.push([p, t, id]);
    });
    expect(table.match(request)?.value).toBe(specMatch(kept, request));
  }), { seed: 14 });
});

test('nginx static lookup = exact, else the slash redirect, else the longest string prefix', () => {
  const isArb = fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific');
  fc.assert(fc.property(fc.array(fc.tuple(pathArb, isArb), { maxLength: 8 }), pathArb, (paths, request) => {
    const inputs = [{ path: '/', pathType: 'Prefix', regexAnnotated: false, value: -1 }, ...paths.map(([path, pathType], i) => ({ path, pathType, regexAnnotated: false, value: i }))];
    const server = new NginxServerLocations(inputs);
    const m = server.match(request);
    const locs = server.locations;
    const exact = locs.find((l) => l.pathType === 'Exact' && l.path === request);
    const prefixes = locs.filter((l) => l.pathType !== 'Exact');
    if (exact) {
      expect(m).toMatchObject({ kind: 'location', location: { path: request, pathType: 'Exact' } });
    } else if (!prefixes.some((l) => l.path === request) && prefixes.some((l) => l.path === `${request}/`)) {
      expect(m).toMatchObject({ kind: 'slash-redirect', location: { path: `${request}/` } });
    } else {
      const longest = Math.max(...prefixes.filter((l) => request.startsWith(l.path)).map((l) => l.path.length));
      expect(m.kind).toBe('location');
      if (m.kind === 'location') expect(m.location.path.length).toBe(longest);
    }
  }), { seed: 14 });
});
