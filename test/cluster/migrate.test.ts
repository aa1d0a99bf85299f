/**
 * migrateIngresses: the Gateway API objects that replace the Ingresses, with ingress-nginx's
 * behaviours emulated where Gateway API can express them and the rest named in notes.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { migrateChart, migrateIngresses } from '../../src';
import { ingress, service } from '../dataplane/ingress-controller-fixtures';

const SEED = parseAllDocuments(readFileSync(join(__dirname, '..', 'fixtures', 'ingress-controller-seed.yaml'), 'utf8')).map((d) => d.toJSON());
const kinds = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);

describe('migrateIngresses', () => {
  test('the seed: one Gateway with HTTP and HTTPS listeners, the HTTPS route and the HTTP → HTTPS redirect route', () => {
    const { manifests, notes } = migrateIngresses(SEED, { gatewayClassName: 'eg' });
    expect(kinds(manifests)).toEqual([
      'Gateway/base/nginx',
      'HTTPRoute/base/billbear-app-gateway-interests-m-dev-billbear-vip',
      'HTTPRoute/base/billbear-app-gateway-interests-m-dev-billbear-vip-redirect',
    ]);
    const [gateway, routeObj, redirect] = manifests;
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.spec.gatewayClassName).toBe('eg');
    expect(gateway.spec.listeners).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https-interests-m-dev-billbear-vip',
        hostname: 'interests-m-dev.billbear.vip',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'interests-m-dev.billbear.vip.ssl' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
    expect(routeObj.spec.parentRefs).toEqual([{ name: 'nginx', sectionName: 'https-interests-m-dev-billbear-vip' }]);
    expect(routeObj.spec.hostnames).toEqual(['interests-m-dev.billbear.vip']);
    // Prefix /api/ plus ingress-nginx's 301 from /api to /api/.
    expect(routeObj.spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/api/' } }], backendRefs: [{ name: 'billbear-app-gateway-svc', port: 8080 }] },
      { matches: [{ path: { type: 'Exact', value: '/api' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/api/' }, statusCode: 301 } }] },
    ]);
    expect(redirect.spec.parentRefs).toEqual([{ name: 'nginx', sectionName: 'http' }]);
    expect(redirect.spec.rules[0]).toEqual({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }] });
    // ingress-nginx drops the trailing slash of /api/ when it redirects to HTTPS.
    expect(redirect.spec.rules[1]).toEqual({
      matches: [{ path: { type: 'Exact', value: '/api/' } }],
      filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', path: { type: 'ReplaceFullPath', replaceFullPath: '/api' }, statusCode: 308 } }],
    });
    expect(notes.map((n) => n.feature)).toEqual(['ssl-redirect trailing slash']);
  });

  test('what Gateway API cannot carry over is named, never dropped: snippets, auth, capture groups, case-insensitive regex, canaries', () => {
    const objects = [
      service('web', 'app', [{ port: 80 }]),
      ingress('web', 'a', {
        className: 'nginx',
        annotations: {
          'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";',
          'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com',
          'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
          'nginx.ingress.kubernetes.io/affinity': 'cookie',
        },
        rules: [{ host: 'a.test', paths: [{ path: '/x(/|$)(.*)', pathType: 'ImplementationSpecific', service: 'app', port: 80 }] }],
      }),
      ingress('web', 'b', { className: 'nginx', annotations: { 'nginx.ingress.kubernetes.io/canary': 'true' }, rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 80 }] }] }),
    ];
    const { manifests, notes } = migrateIngresses(objects, { gatewayClassName: 'eg', ingressController: { profile: 'nginx' } });
    expect(notes.map((n) => `${n.object} ${n.feature}`)).toEqual(expect.arrayContaining([
      'Ingress/web/a configuration-snippet',
      'Ingress/web/a auth-url',
      'Ingress/web/a rewrite-target capture groups',
      'Ingress/web/a case-insensitive regex',
      'Ingress/web/b canary',
    ]));
    expect(notes.find((n) => n.feature === 'affinity')?.message).toMatch(/cookie affinity is not carried over \(Gateway API sessionPersistence is experimental\)/);
    const route = manifests.find((m) => m.kind === 'HTTPRoute' && m.metadata.name.startsWith('a-'));
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'RegularExpression', value: '/x(/|$)(.*).*' } }]);
  });

  test('Ingresses of several namespaces: routes in their own namespace, one Gateway allowing all, a ReferenceGrant for a Secret elsewhere', () => {
    const objects = [
      ingress('one', 'a', { className: 'nginx', rules: [{ host: 'a.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 80 }] }] }),
      ingress('two', 'b', { className: 'nginx', rules: [{ host: 'b.test', paths: [{ path: '/', pathType: 'Prefix', service: 'app', port: 80 }] }], tls: [{ hosts: ['b.test'], secretName: 'b-tls' }] }),
    ];
    const { manifests } = migrateIngresses(objects, { gatewayClassName: 'eg', ingressController: { profile: 'nginx' } });
    const gateway = manifests.find((m) => m.kind === 'Gateway');
    expect(gateway.metadata).toEqual({ name: 'nginx', namespace: 'one' });
    expect(gateway.spec.listeners.every((l: any) => l.allowedRoutes.namespaces.from === 'All')).toBe(true);
    expect(gateway.spec.listeners[1].tls.certificateRefs).toEqual([{ kind: 'Secret', name: 'b-tls', namespace: 'two' }]);
    const routeB = manifests.find((m) => m.kind === 'HTTPRoute' && m.metadata.namespace === 'two' && !m.metadata.name.endsWith('-redirect'));
    expect(routeB.spec.parentRefs).toEqual([{ name: 'nginx', namespace: 'one', sectionName: 'https-b-test' }]);
    expect(manifests.find((m) => m.kind === 'ReferenceGrant')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'allow-gateway-one-nginx', namespace: 'two' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'one' }], to: [{ group: '', kind: 'Secret' }] },
    });
  });

  test('bad options are refused naming the option', () => {
    expect(() => migrateIngresses(SEED, { gatewayClassName: 'Not A Name' })).toThrow(/^migrateIngresses: gatewayClassName must be a DNS subdomain .*"Not A Name"/);
    expect(() => migrateIngresses(null as any, { gatewayClassName: 'eg' })).toThrow(/^migrateIngresses: expected a list of manifest objects, got null/);
  });

  test('migrateChart adds the objects to a chart, so cdk8s synth writes them', () => {
    const app = Testing.app();
    const source = new Chart(app, 'source');
    for (const o of SEED) new ApiObject(source, `${o.kind}-${o.metadata.name}`, o);
    const target = new Chart(app as App, 'gateway');
    const notes = migrateChart(source, target, { gatewayClassName: 'eg' });
    expect(Testing.synth(target).map((o: any) => o.kind)).toEqual(['Gateway', 'HTTPRoute', 'HTTPRoute']);
    expect(notes).toHaveLength(1);
  });
});

test('each thing not carried over is noted once, also on hosts whose HTTP is redirected', () => {
  const objects = [
    service('web', 'app', [{ port: 80 }]),
    ingress('web', 'r', {
      className: 'nginx',
      annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
      tls: [{ hosts: ['a.test'], secretName: 'a-tls' }],
      rules: [{ host: 'a.test', paths: [{ path: '/api/', pathType: 'Prefix', service: 'app', port: 80 }] }],
    }),
  ];
  const { notes } = migrateIngresses(objects, { gatewayClassName: 'eg', ingressController: { profile: 'nginx' } });
  expect(notes.filter((n) => n.feature === 'case-insensitive regex')).toHaveLength(1);
});
