/**
 * `gatewayController.pathNormalization`: the Gateway API leaves path normalisation to
 * implementations. Envoy's `normalize_path` resolves dot segments and decodes escapes of
 * unreserved characters (RFC 3986 §6.2.2), Envoy Gateway also merges slashes, and Envoy rewrites
 * `:path` so redirects and the upstream see the normalised path.
 */
import { Cluster } from '../../src';
import { baseManifests, CONTROLLER, httpRoute, infra, send } from '../conformance/gateway-api-fixtures';

const routes = [
  httpRoute('api', { parentRefs: [{ name: 'same-namespace' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }] }),
  httpRoute('to-https', {
    parentRefs: [{ name: 'same-namespace' }],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] }],
  }),
];

const cluster = (pathNormalization?: string) => Cluster.fromManifests([...baseManifests(), ...routes], {
  gatewayController: { controllerName: CONTROLLER, ...(pathNormalization ? { pathNormalization } : {}) },
});

const answer = (c: Cluster, path: string) => {
  const r = send(c, 'same-namespace', { path });
  return { status: r.status, service: r.service, upstream: r.upstream?.path, location: r.location };
};

describe('gatewayController.pathNormalization', () => {
  test('none (the default): the path is matched and forwarded as sent', () => {
    const c = cluster();
    expect(answer(c, '/%61pi/x')).toMatchObject({ status: 404 });
    // PathPrefix compares non-empty path elements, so //api is under /api; it is forwarded as sent.
    expect(answer(c, '//api')).toMatchObject({ status: 200, upstream: '//api' });
    expect(answer(c, '/api/%7Ex')).toEqual({ status: 200, service: infra('v1'), upstream: '/api/%7Ex', location: undefined });
  });

  // Dot segments never reach a Gateway here: the client resolves them before sending, as curl does.
  test('rfc3986: unreserved escapes decoded, in place; slashes and %2F kept', () => {
    const c = cluster('rfc3986');
    expect(answer(c, '/%61pi/x')).toEqual({ status: 200, service: infra('v1'), upstream: '/api/x', location: undefined });
    expect(answer(c, '/api/%7Ex')).toMatchObject({ status: 200, upstream: '/api/~x' });
    expect(answer(c, '/%2Eapi')).toMatchObject({ status: 404 });
    // %2F is a reserved character: it stays escaped, so /api%2Fx is one segment that is not /api.
    expect(answer(c, '/api%2Fx')).toMatchObject({ status: 404 });
    expect(answer(c, '//api')).toMatchObject({ status: 200, upstream: '//api' });
    const r = send(c, 'same-namespace', { path: '/%61pi' });
    expect(r.trace.find((h) => h.action === 'path')?.text).toMatch(/\/%61pi is rewritten to \/api$/);
  });

  test('rfc3986-merge-slashes: runs of / merged as well', () => {
    const c = cluster('rfc3986-merge-slashes');
    expect(answer(c, '//api//x')).toEqual({ status: 200, service: infra('v1'), upstream: '/api/x', location: undefined });
  });

  test('nginx: matched on nginx\'s normalised URI (every escape decoded, slashes merged), redirected and forwarded as sent', () => {
    const c = cluster('nginx');
    expect(answer(c, '//%61pi/x')).toEqual({ status: 200, service: infra('v1'), upstream: '//%61pi/x', location: undefined });
    expect(answer(c, '/api%2Fx')).toMatchObject({ status: 200, upstream: '/api%2Fx' });
    expect(answer(c, '//%6Fld/a')).toMatchObject({ status: 302, location: expect.stringMatching(/^https:\/\/[^/]+\/\/%6Fld\/a$/) });
  });

  test('a redirect names the normalised path', () => {
    expect(answer(cluster('rfc3986-merge-slashes'), '//%6Fld/a/../b')).toMatchObject({ status: 302, location: expect.stringMatching(/^https:\/\/[^/]+\/old\/b$/) });
    expect(answer(cluster(), '/old//a')).toMatchObject({ status: 302, location: expect.stringMatching(/^https:\/\/[^/]+\/old\/\/a$/) });
  });

  test('a bad value is refused naming the option', () => {
    expect(() => cluster('envoy')).toThrow('Cluster options: gatewayController.pathNormalization must be one of none, rfc3986, rfc3986-merge-slashes, nginx, got "envoy"');
  });
});
