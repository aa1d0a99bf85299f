/**
 * The compiled route tables answer as the definitions they implement, checked against direct
 * scans over random path sets: the Ingress specification (portable profile) and nginx's
 * location lookup over ingress-nginx's locations (nginx profile).
 */
import * as fc from 'fast-check';
import { controllerOf, ingress, send, service } from './ingress-controller-fixtures';

const segment = fc.constantFrom('a', 'aa', 'b', 'api', 'v1', 'A');
const pathArb = fc.tuple(fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([segs, slash]) => `/${segs.join('/')}${slash && segs.length ? '/' : ''}`);
const els = (p: string) => p.split('/').filter(Boolean);

/** Routes the paths (path i to Service `s<i>`) of one host and answers `request`. */
function answer(profile: string, paths: Array<[string, string]>, request: string) {
  const ctl = controllerOf([
    ...paths.map((_p, i) => service('web', `s${i}`, [{ port: 8080 }])),
    ingress('web', 'paths', { rules: [{ host: 'x.test', paths: paths.map(([path, pathType], i) => ({ path, pathType, service: `s${i}` })) }] }),
  ], { profile });
  return send(ctl, `http://x.test${request}`);
}

/** Docs "Ingress": Prefix matches element-wise ignoring trailing slashes; longest wins, Exact on a tie; the first definition keeps a path. */
function specMatch(paths: Array<[string, string]>, request: string): number | undefined {
  const req = els(request);
  const seen = new Set<string>();
  let best: { len: number; exact: boolean; id: number } | undefined;
  paths.forEach(([path, type], id) => {
    const key = type === 'Exact' ? `E${path}` : `P${els(path).join('/')}`;
    if (seen.has(key)) return;
    seen.add(key);
    const pe = els(path);
    const ok = type === 'Exact' ? path === request : pe.length <= req.length && pe.every((e, i) => e === req[i]);
    if (!ok) return;
    const len = type === 'Exact' ? Number.MAX_SAFE_INTEGER : pe.length;
    const exact = type === 'Exact';
    if (!best || len > best.len || (len === best.len && exact && !best.exact)) best = { len, exact, id };
  });
  return best?.id;
}

test('portable profile = the specification scan', () => {
  fc.assert(fc.property(fc.array(fc.tuple(pathArb, fc.constantFrom('Exact', 'Prefix')), { maxLength: 8 }), pathArb, (paths, request) => {
    const id = specMatch(paths, request);
    const res = answer('portable', paths, request);
    expect(res.service).toBe(id === undefined ? undefined : `web/s${id}`);
    expect(res.status).toBe(id === undefined ? 404 : 200);
  }), { seed: 14 });
});

/**
 * ingress-nginx's locations for one Ingress's paths (the server's root `/` is the default
 * backend, id -1, unless a path takes it) and nginx's lookup. ImplementationSpecific is Prefix
 * (SetDefaultNGINXPathType); a path merges into the first location of the same path only when
 * the types agree (getBackendServers); a Prefix path becomes `<path>/` plus an `=` twin unless an
 * Exact location of the path exists (updateServerLocations). nginx: an `=` location equal to the
 * URI; else 301 when a `/`-terminated static location is the URI plus `/` and no prefix location
 * is the URI; else the longest prefix. Two static locations of one name make nginx refuse the
 * configuration: such path sets are not asked.
 */
function nginxMatch(paths: Array<[string, string]>, request: string): number | 'redirect' | 'invalid' {
  const inputs: Array<{ path: string; type: string; id: number }> = [{ path: '/', type: 'Prefix', id: -1 }];
  paths.forEach(([path, declared], id) => {
    const type = declared === 'Exact' ? 'Exact' : 'Prefix';
    const first = inputs.find((i) => i.path === path);
    if (!first || first.type !== type) inputs.push({ path, type, id });
    else if (first.id === -1) first.id = id;
  });
  const exactPaths = new Set(inputs.filter((i) => i.type === 'Exact').map((i) => i.path));
  const exact: Array<{ path: string; id: number }> = [];
  const prefix: Array<{ path: string; id: number }> = [];
  for (const i of inputs) {
    if (i.type === 'Exact') {
      exact.push(i);
    } else if (i.path === '/') {
      prefix.push(i);
    } else {
      prefix.push({ path: i.path.endsWith('/') ? i.path : `${i.path}/`, id: i.id });
      if (!exactPaths.has(i.path)) exact.push(i);
    }
  }
  const names = [...exact.map((e) => `=${e.path}`), ...prefix.map((p) => p.path)];
  if (new Set(names).size !== names.length) return 'invalid';
  const byLength = (a: { path: string }, b: { path: string }) => b.path.length - a.path.length;
  const hit = exact.find((e) => e.path === request);
  if (hit) return hit.id;
  if (!prefix.some((p) => p.path === request) && [...prefix, ...exact].some((p) => p.path === `${request}/`)) return 'redirect';
  return prefix.filter((p) => request.startsWith(p.path)).sort(byLength)[0].id;
}

test('nginx profile = exact, else the slash redirect, else the longest string prefix', () => {
  const typeArb = fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific');
  fc.assert(fc.property(fc.array(fc.tuple(pathArb, typeArb), { maxLength: 8 }), pathArb, (paths, request) => {
    const expected = nginxMatch(paths, request);
    fc.pre(expected !== 'invalid');
    const res = answer('nginx', paths, request);
    if (expected === 'redirect') {
      expect(res).toMatchObject({ status: 301, location: `http://x.test${request}/` });
    } else if (expected === -1) {
      expect(res).toMatchObject({ status: 404 });
      expect(res.service).toBeUndefined();
    } else {
      expect(res).toMatchObject({ status: 200, service: `web/s${expected}` });
    }
  }), { seed: 14, numRuns: 300 });
});
