// Property test (fast-check): for random HTTPRoutes on one listener and random requests, the rule
// the model picks is the one a direct reading of the Gateway API precedence picks (HTTPRouteRule
// doc in apis/v1/httproute_types.go): among the rules whose matches hold, Exact path first, then
// the longest PathPrefix, then a method, the most headers, the most query parameters, the oldest
// route, then namespace/name, then rule order. The oracle below is written from the spec, not
// from the compiler.
import fc from 'fast-check';
import { Cluster } from '../../src';
import { baseManifests, CONTROLLER, httpRoute, NS, send, upstreamHeader } from '../conformance/gateway-api-fixtures';

interface Match {
  readonly type: 'Exact' | 'PathPrefix';
  readonly value: string;
  readonly method?: string;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}
interface Rule { readonly route: number; readonly rule: number; readonly match: Match }

const segment = fc.constantFrom('a', 'b', 'ab');
const pathArb = fc.array(segment, { maxLength: 2 }).map((s) => `/${s.join('/')}`);
const matchArb: fc.Arbitrary<Match> = fc.record({
  type: fc.constantFrom('Exact' as const, 'PathPrefix' as const),
  value: pathArb,
  method: fc.option(fc.constantFrom('GET', 'POST'), { nil: undefined }),
  headers: fc.dictionary(fc.constantFrom('x-a', 'x-b'), fc.constantFrom('1', '2'), { maxKeys: 2 }),
  query: fc.dictionary(fc.constantFrom('q', 'r'), fc.constantFrom('1', '2'), { maxKeys: 2 }),
});
const routesArb = fc.array(fc.array(matchArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 });
const requestArb = fc.record({
  path: fc.tuple(pathArb, fc.boolean()).map(([p, slash]) => (slash && p !== '/' ? `${p}/` : p)),
  method: fc.constantFrom('GET', 'POST'),
  headers: fc.dictionary(fc.constantFrom('X-A', 'x-b'), fc.constantFrom('1', '2'), { maxKeys: 2 }),
  query: fc.dictionary(fc.constantFrom('q', 'r'), fc.constantFrom('1', '2'), { maxKeys: 2 }),
});

const elements = (p: string) => p.split('/').filter((e) => e !== '');
function holds(m: Match, r: { path: string; method: string; headers: Record<string, string>; query: Record<string, string> }): boolean {
  const pathOk = m.type === 'Exact' ? r.path === m.value
    : elements(m.value).every((e, i) => elements(r.path)[i] === e);
  const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return pathOk && (m.method === undefined || m.method === r.method)
    && Object.entries(m.headers).every(([k, v]) => lower[k] === v)
    && Object.entries(m.query).every(([k, v]) => r.query[k] === v);
}
/** Negative when a takes precedence over b. */
function precedence(a: Rule, b: Rule): number {
  const rank = (m: Match) => (m.type === 'Exact' ? 0 : 1);
  return rank(a.match) - rank(b.match) || b.match.value.length - a.match.value.length
    || Number(a.match.method === undefined) - Number(b.match.method === undefined)
    || Object.keys(b.match.headers).length - Object.keys(a.match.headers).length
    || Object.keys(b.match.query).length - Object.keys(a.match.query).length
    || a.route - b.route || a.rule - b.rule;
}

test('the rule the model picks is the one the spec precedence picks', () => {
  fc.assert(fc.property(routesArb, fc.array(requestArb, { minLength: 1, maxLength: 5 }), (routes, requests) => {
    // Route names sort in creation order (no timestamps: namespace/name breaks the tie).
    const manifests = routes.map((matches, i) => httpRoute(`route-${i}`, {
      parentRefs: [{ name: 'same-namespace' }],
      rules: matches.map((m, j) => ({
        matches: [{
          path: { type: m.type, value: m.value },
          ...(m.method ? { method: m.method } : {}),
          ...(Object.keys(m.headers).length ? { headers: Object.entries(m.headers).map(([name, value]) => ({ name, value })) } : {}),
          ...(Object.keys(m.query).length ? { queryParams: Object.entries(m.query).map(([name, value]) => ({ name, value })) } : {}),
        }],
        filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Rule', value: `${i}/${j}` }] } }],
        backendRefs: [{ name: 'infra-backend-v1', port: 8080 }],
      })),
    }));
    const cluster = Cluster.fromManifests([...baseManifests(), ...manifests], { gatewayController: { controllerName: CONTROLLER } });
    const rules: Rule[] = routes.flatMap((matches, i) => matches.map((match, j) => ({ route: i, rule: j, match })));
    for (const r of requests) {
      const query = Object.entries(r.query).map(([k, v]) => `${k}=${v}`).join('&');
      const answer = send(cluster, 'same-namespace', { path: `${r.path}${query ? `?${query}` : ''}`, method: r.method, headers: r.headers });
      const winner = rules.filter((rule) => holds(rule.match, r)).sort(precedence)[0];
      if (!winner) expect(answer.status).toBe(404);
      else expect([answer.status, upstreamHeader(answer, 'X-Rule')]).toEqual([200, `${winner.route}/${winner.rule}`]);
    }
  }), { numRuns: 300 });
});

test(`routes in ${NS} are compared by creationTimestamp before their names`, () => {
  const older = httpRoute('zz-older', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] });
  older.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  const newer = httpRoute('aa-newer', { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] }] });
  newer.metadata.creationTimestamp = '2026-06-01T00:00:00Z';
  const c = Cluster.fromManifests([...baseManifests(), newer, older], { gatewayController: { controllerName: CONTROLLER } });
  expect(send(c, 'same-namespace').route).toBe(`${NS}/zz-older`);
});
