import { X509Certificate } from 'crypto';
import { Cluster, Diagnostic } from '../../src';
import { clusterIpService, deployment, service } from '../dataplane/fixtures';
import { ingressClass, makeCert, tlsSecret } from '../dataplane/ingress-controller-fixtures';

const web = deployment('shop', 'web', { labels: { app: 'web' } });
const webSvc = clusterIpService('shop', 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]);
const apiDep = deployment('shop', 'api', { labels: { app: 'api' } });
const apiSvc = clusterIpService('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }]);

interface PathSpec { path: string; pathType?: string; service?: string; port?: number | string }

interface IngressExtra { annotations?: any; tls?: any[]; className?: string; ns?: string }

function ingress(name: string, host: string | undefined, paths: PathSpec[], extra: IngressExtra = {}): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: extra.ns ?? 'shop', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      ...(extra.className ? { ingressClassName: extra.className } : {}),
      ...(extra.tls ? { tls: extra.tls } : {}),
      rules: [{
        ...(host ? { host } : {}),
        http: {
          paths: paths.map((p) => ({
            path: p.path,
            pathType: p.pathType ?? 'Prefix',
            backend: { service: { name: p.service ?? 'web', port: typeof p.port === 'string' ? { name: p.port } : { number: p.port ?? 80 } } },
          })),
        },
      }],
    },
  };
}

const base = [web, webSvc, apiDep, apiSvc];

function find(code: string, objects: any[], options: any = {}): Diagnostic[] {
  return Cluster.fromManifests(objects, options).diagnostics.filter((d) => d.code === code);
}

describe('Ingress backends', () => {
  test('INGRESS_BACKEND_SERVICE_NOT_FOUND names the backend field', () => {
    expect(find('INGRESS_BACKEND_SERVICE_NOT_FOUND', [...base, ingress('a', 'shop.example.com', [{ path: '/', service: 'cart' }])])).toEqual([
      expect.objectContaining({ severity: 'error', object: 'Ingress/shop/a', field: 'spec.rules[0].http.paths[0].backend.service.name' }),
    ]);
  });

  test('INGRESS_BACKEND_PORT_NOT_FOUND by number and by name, listing the ports the Service has', () => {
    const found = find('INGRESS_BACKEND_PORT_NOT_FOUND', [...base, ingress('a', 'shop.example.com', [{ path: '/a', port: 8080 }, { path: '/b', port: 'grpc' }])]);
    expect(found.map((d) => d.field)).toEqual([
      'spec.rules[0].http.paths[0].backend.service.port.number',
      'spec.rules[0].http.paths[1].backend.service.port.name',
    ]);
    expect(found[0].message).toContain('http (80)');
  });

  test('INGRESS_BACKEND_EXTERNAL_NAME fires for an ExternalName backend', () => {
    const ext = service('shop', 'ext', { type: 'ExternalName', externalName: 'api.example.net' });
    expect(find('INGRESS_BACKEND_EXTERNAL_NAME', [...base, ext, ingress('a', 'shop.example.com', [{ path: '/', service: 'ext' }])])).toHaveLength(1);
  });

  test('no backend finding when Service and port (number or name) exist', () => {
    const diags = Cluster.fromManifests([...base, ingress('a', 'shop.example.com', [{ path: '/a', port: 80 }, { path: '/b', port: 'http' }])]).diagnostics;
    expect(diags.filter((d) => d.code.startsWith('INGRESS_BACKEND'))).toEqual([]);
  });
});

describe('Ingress classes and admission', () => {
  test('INGRESS_CLASS_NOT_FOUND when the named class is not defined', () => {
    const objects = [...base, ingressClass('nginx', 'k8s.io/ingress-nginx'), ingress('a', 'shop.example.com', [{ path: '/' }], { className: 'traefik' })];
    expect(find('INGRESS_CLASS_NOT_FOUND', objects)).toEqual([expect.objectContaining({ field: 'spec.ingressClassName' })]);
  });

  test('INGRESS_NOT_ADMITTED when the class belongs to another controller, with the controller\'s reason', () => {
    const objects = [...base, ingressClass('nginx', 'k8s.io/ingress-nginx'), ingressClass('other', 'example.com/other'),
      ingress('a', 'shop.example.com', [{ path: '/' }], { className: 'other' })];
    const [d] = find('INGRESS_NOT_ADMITTED', objects);
    expect(d.message).toContain('example.com/other');
  });

  test('neither fires for an Ingress of the served class', () => {
    const objects = [...base, ingressClass('nginx', 'k8s.io/ingress-nginx'), ingress('a', 'shop.example.com', [{ path: '/' }], { className: 'nginx' })];
    expect([...find('INGRESS_CLASS_NOT_FOUND', objects), ...find('INGRESS_NOT_ADMITTED', objects)]).toEqual([]);
  });
});

describe('paths that never receive traffic', () => {
  for (const profile of ['portable', 'nginx']) {
    test(`INGRESS_PATH_CONFLICT: the same host+path in two Ingresses, the first created wins (${profile})`, () => {
      const objects = [...base,
        ingress('first', 'shop.example.com', [{ path: '/api', pathType: 'Exact' }]),
        ingress('second', 'shop.example.com', [{ path: '/api', pathType: 'Exact', service: 'api' }])];
      const found = find('INGRESS_PATH_CONFLICT', objects, { ingressController: { profile } });
      expect(found).toEqual([expect.objectContaining({ object: 'Ingress/shop/second', field: 'spec.rules[0].http.paths[0]' })]);
      expect(found[0].message).toContain('shop/first');
    });

    test(`INGRESS_PATH_CONFLICT: Prefix /api and /api/ in two Ingresses of one host are one path (${profile})`, () => {
      const objects = [...base,
        ingress('first', 'shop.example.com', [{ path: '/api' }]),
        ingress('second', 'shop.example.com', [{ path: '/api/', service: 'api' }])];
      const found = find('INGRESS_PATH_CONFLICT', objects, { ingressController: { profile } });
      expect(found).toEqual([expect.objectContaining({ object: 'Ingress/shop/second', field: 'spec.rules[0].http.paths[0]' })]);
      expect(found[0].message).toContain('also defined by Ingress shop/first as /api, the same path under Prefix matching');
      // Also when use-regex on the host turns both into regex locations that split the traffic (nginx: /api/x goes to second).
      const regex = [...objects, ingress('regex', 'shop.example.com', [{ path: '/r.*' }], { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } })];
      expect(find('INGRESS_PATH_CONFLICT', regex, { ingressController: { profile } })).toEqual([expect.objectContaining({ object: 'Ingress/shop/second' })]);
      // Other hosts, or Exact paths, do not conflict.
      const apart = [...base, ingress('first', 'a.example.com', [{ path: '/api' }]), ingress('second', 'b.example.com', [{ path: '/api/', service: 'api' }])];
      expect(find('INGRESS_PATH_CONFLICT', apart, { ingressController: { profile } })).toEqual([]);
    });

    test(`longest prefix match: /api and /api/v1 in two Ingresses shadow nothing (${profile})`, () => {
      const objects = [...base,
        ingress('first', 'shop.example.com', [{ path: '/api' }]),
        ingress('second', 'shop.example.com', [{ path: '/api/v1', service: 'api' }])];
      const diags = Cluster.fromManifests(objects, { ingressController: { profile } }).diagnostics;
      expect(diags.filter((d) => d.code.startsWith('INGRESS_PATH'))).toEqual([]);
    });
  }

  test('INGRESS_PATH_SHADOWED: with use-regex on a server, a longer regex location is tried first and takes /api/v1 (nginx)', () => {
    const objects = [...base,
      ingress('regex', 'shop.example.com', [{ path: '/[a-z]+/v1', pathType: 'ImplementationSpecific' }], { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }),
      ingress('plain', 'shop.example.com', [{ path: '/api/v1', service: 'api' }])];
    const found = find('INGRESS_PATH_SHADOWED', objects, { ingressController: { profile: 'nginx' } });
    expect(found).toEqual([expect.objectContaining({ object: 'Ingress/shop/plain' })]);
    expect(found[0].message).toContain('Ingress shop/regex');
    // The portable profile has no regex paths: nothing is shadowed there.
    expect(find('INGRESS_PATH_SHADOWED', objects, { ingressController: { profile: 'portable' } })).toEqual([]);
  });
});

describe('TLS', () => {
  const host = 'shop.example.com';
  const good = makeCert(host, [host]);
  const other = makeCert('other.example.com', ['other.example.com']);
  const tlsIngress = (secretName: string, hosts = [host], ruleHost = host) => ingress('shop', ruleHost, [{ path: '/' }], { tls: [{ hosts, secretName }] });
  // Judged one day into the test certificates' validity (openssl made them moments ago), not at the wall clock.
  const day = 24 * 3600 * 1000;
  const inValidity = Date.parse(new X509Certificate(good.crt).validFrom) + day;
  const codes = (objects: any[], now = inValidity) => Cluster.fromManifests([...base, ...objects], { now: new Date(now) }).diagnostics.filter((d) => d.code.startsWith('TLS_'));

  test('a valid Secret whose certificate covers the hosts gives no TLS finding', () => {
    expect(codes([tlsSecret('shop', 'tls', good), tlsIngress('tls')])).toEqual([]);
  });

  test('TLS_SECRET_NOT_FOUND, and it mentions a Secret of that name in another namespace', () => {
    const [d] = codes([tlsSecret('certs', 'tls', good), tlsIngress('tls')]);
    expect(d).toMatchObject({ code: 'TLS_SECRET_NOT_FOUND', field: 'spec.tls[0].secretName' });
    expect(d.message).toContain('namespace certs');
  });

  test('TLS_SECRET_WRONG_TYPE for an Opaque Secret', () => {
    expect(codes([{ ...tlsSecret('shop', 'tls', good), type: 'Opaque' }, tlsIngress('tls')]).map((d) => d.code)).toEqual(['TLS_SECRET_WRONG_TYPE']);
  });

  test('TLS_SECRET_MALFORMED for a tls.crt that is not PEM, TLS_KEY_MISMATCH for a foreign key', () => {
    const garbage = tlsSecret('shop', 'tls', { crt: 'not a certificate', key: good.key });
    expect(codes([garbage, tlsIngress('tls')]).map((d) => d.code)).toEqual(['TLS_SECRET_MALFORMED']);
    const mixed = tlsSecret('shop', 'tls', { crt: good.crt, key: other.key });
    expect(codes([mixed, tlsIngress('tls')]).map((d) => d.code)).toEqual(['TLS_KEY_MISMATCH']);
  });

  test('validity period: expired, not yet valid, expiring soon (RFC 5280 4.1.2.5)', () => {
    const x509 = new X509Certificate(good.crt);
    const objects = [tlsSecret('shop', 'tls', good), tlsIngress('tls')];
    expect(codes(objects, Date.parse(x509.validTo) + day).map((d) => d.code)).toEqual(['TLS_CERT_EXPIRED']);
    expect(codes(objects, Date.parse(x509.validFrom) - day).map((d) => d.code)).toEqual(['TLS_CERT_NOT_YET_VALID']);
    expect(codes(objects, Date.parse(x509.validTo) - 3 * day).map((d) => d.code)).toEqual(['TLS_CERT_EXPIRES_SOON']);
  });

  test('TLS_HOST_NOT_COVERED: a wildcard certificate covers exactly one label (RFC 6125 6.4.3)', () => {
    const wildcard = makeCert('*.example.com', ['*.example.com']);
    expect(codes([tlsSecret('shop', 'tls', wildcard), tlsIngress('tls', ['shop.example.com'])])).toEqual([]);
    const deep = codes([tlsSecret('shop', 'tls', wildcard), tlsIngress('tls', ['a.shop.example.com'], 'a.shop.example.com')]);
    expect(deep.map((d) => [d.code, d.field])).toEqual([['TLS_HOST_NOT_COVERED', 'spec.tls[0].hosts[0]']]);
  });

  test('TLS_HOST_WITHOUT_RULE and TLS_RULE_HOST_WITHOUT_TLS', () => {
    const objects = [tlsSecret('shop', 'tls', makeCert('x', ['shop.example.com', 'www.example.com'])),
      ingress('shop', 'shop.example.com', [{ path: '/' }], { tls: [{ hosts: ['www.example.com'], secretName: 'tls' }] })];
    expect(codes(objects).map((d) => [d.code, d.field])).toEqual([
      ['TLS_HOST_WITHOUT_RULE', 'spec.tls[0].hosts[0]'],
      ['TLS_RULE_HOST_WITHOUT_TLS', 'spec.rules[0].host'],
    ]);
  });
});

describe('exposure', () => {
  test('EXPOSURE_EXTERNAL_IPS cites CVE-2020-8554; a Service without externalIPs does not fire', () => {
    const svc = clusterIpService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }], { externalIPs: ['198.51.100.7'] });
    const [d] = find('EXPOSURE_EXTERNAL_IPS', [web, svc]);
    expect(d.message).toContain('CVE-2020-8554');
    expect(find('EXPOSURE_EXTERNAL_IPS', [web, webSvc])).toEqual([]);
  });

  test('NodePort and LoadBalancer exposure are info; an LB without source ranges is a warning', () => {
    const np = service('shop', 'np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    const lb = service('shop', 'lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    const closed = service('shop', 'closed', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 81, targetPort: 'http' }], loadBalancerSourceRanges: ['192.0.2.0/24'] });
    const diags = Cluster.fromManifests([web, np, lb, closed]).diagnostics;
    const pick = (code: string) => diags.filter((d) => d.code === code).map((d) => `${d.severity} ${d.object}`);
    expect(pick('EXPOSURE_NODE_PORT')).toEqual(['info Service/shop/np']);
    expect(pick('EXPOSURE_LOAD_BALANCER')).toEqual(['info Service/shop/lb', 'info Service/shop/closed']);
    expect(pick('EXPOSURE_LOAD_BALANCER_OPEN')).toEqual(['warning Service/shop/lb']);
    expect(find('EXPOSURE_NODE_PORT', [web, webSvc])).toEqual([]);
  });

  test('EXPOSURE_LOAD_BALANCER_OPEN: the legacy source-ranges annotation closes an LB like the spec field; a blank one does not (GetLoadBalancerSourceRanges)', () => {
    const lb = (name: string, ranges: string) => ({
      ...service('shop', name, { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
      metadata: { name, namespace: 'shop', annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': ranges } },
    });
    expect(find('EXPOSURE_LOAD_BALANCER_OPEN', [web, lb('annotated', '192.0.2.0/24, 198.51.100.0/24'), lb('blank', ' ')]).map((d) => d.object)).toEqual(['Service/shop/blank']);
  });

  test('INGRESS_NO_TLS fires without a tls section and not with one', () => {
    expect(find('INGRESS_NO_TLS', [...base, ingress('a', 'shop.example.com', [{ path: '/' }])])).toHaveLength(1);
    expect(find('INGRESS_NO_TLS', [...base, ingress('a', 'shop.example.com', [{ path: '/' }], { tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }] })])).toEqual([]);
  });

  test('INGRESS_NO_TLS does not fire when another Ingress\'s tls section covers every rule host (certificates are chosen by host)', () => {
    const withTls = ingress('a', 'shop.example.com', [{ path: '/' }], { tls: [{ hosts: ['*.example.com'], secretName: 'tls' }] });
    const plain = ingress('b', 'shop.example.com', [{ path: '/api', service: 'api' }]);
    expect(find('INGRESS_NO_TLS', [...base, withTls, plain])).toEqual([]);
    const otherHost = ingress('c', 'other.test', [{ path: '/' }]);
    expect(find('INGRESS_NO_TLS', [...base, withTls, otherHost]).map((d) => d.object)).toEqual(['Ingress/shop/c']);
  });

  test('INGRESS_SSL_REDIRECT_DISABLED fires for ssl-redirect "false" on an Ingress with TLS, not for "true"', () => {
    const withAnn = (v: string) => ingress('a', 'shop.example.com', [{ path: '/' }], {
      tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }], annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': v },
    });
    expect(find('INGRESS_SSL_REDIRECT_DISABLED', [...base, withAnn('false')])).toHaveLength(1);
    expect(find('INGRESS_SSL_REDIRECT_DISABLED', [...base, withAnn('true')])).toEqual([]);
  });

  test('INGRESS_NGINX_SNIPPET cites CVE-2021-25742 and CVE-2025-1974; other nginx annotations do not fire', () => {
    const snippet = ingress('a', 'shop.example.com', [{ path: '/' }], { annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";' } });
    const [d] = find('INGRESS_NGINX_SNIPPET', [...base, snippet]);
    expect(d.field).toBe('metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]');
    expect(`${d.message} ${d.hint}`).toMatch(/CVE-2021-25742[\s\S]*CVE-2025-1974/);
    const plain = ingress('a', 'shop.example.com', [{ path: '/' }], { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } });
    expect(find('INGRESS_NGINX_SNIPPET', [...base, plain])).toEqual([]);
  });

  test('INGRESS_ANY_HOST fires for a rule without host, not for a named host', () => {
    expect(find('INGRESS_ANY_HOST', [...base, ingress('a', undefined, [{ path: '/' }])])).toEqual([expect.objectContaining({ field: 'spec.rules[0].host', severity: 'info' })]);
    expect(find('INGRESS_ANY_HOST', [...base, ingress('a', 'shop.example.com', [{ path: '/' }])])).toEqual([]);
  });
});

describe('TLS Secrets cert-manager creates', () => {
  const tlsIngress = (annotations?: any) => ingress('shop', 'shop.example.com', [{ path: '/' }], { tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], annotations });
  const tlsCodes = (objects: any[]) => Cluster.fromManifests([...base, ...objects]).diagnostics.filter((d) => d.code.startsWith('TLS_')).map((d) => `${d.severity} ${d.code}`);

  test('an ingress-shim annotation turns a missing Secret into info TLS_SECRET_ISSUED_LATER', () => {
    expect(tlsCodes([tlsIngress({ 'cert-manager.io/cluster-issuer': 'letsencrypt' })])).toEqual(['info TLS_SECRET_ISSUED_LATER']);
  });

  test('so does a cert-manager Certificate writing that Secret', () => {
    const certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { secretName: 'shop-tls', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
    };
    expect(tlsCodes([certificate, tlsIngress()])).toEqual(['info TLS_SECRET_ISSUED_LATER']);
  });

  test('without either it stays an error', () => {
    expect(tlsCodes([tlsIngress()])).toEqual(['error TLS_SECRET_NOT_FOUND']);
  });
});

describe('ingress-nginx cookie affinity and canary annotations', () => {
  const A = 'nginx.ingress.kubernetes.io/';
  const NGINX = { ingressController: { profile: 'nginx' } };
  const nginx = (name: string, paths: PathSpec[], annotations: Record<string, string>) => ingress(name, 'shop.example.com', paths, { className: 'nginx', annotations });
  const cls = ingressClass('nginx', 'k8s.io/ingress-nginx');

  test('INGRESS_AFFINITY_COOKIE_PATH: a session-cookie-path the Ingress path is not under (RFC 6265 path-match)', () => {
    const found = find('INGRESS_AFFINITY_COOKIE_PATH', [...base, cls, nginx('a', [{ path: '/shop' }, { path: '/api/v1' }, { path: '/apiv2' }], {
      [`${A}affinity`]: 'cookie', [`${A}session-cookie-path`]: '/api',
    })], NGINX);
    expect(found.map((d) => d.field)).toEqual(['spec.rules[0].http.paths[0].path', 'spec.rules[0].http.paths[2].path']);
    expect(found[0].message).toMatch(/session-cookie-path \/api does not cover the path \/shop: browsers do not send the affinity cookie \(INGRESSCOOKIE\)/);
  });

  test('INGRESS_AFFINITY_COOKIE_PATH: use-regex without session-cookie-path (controller.go warns "session-cookie-path should be set when use-regex is true")', () => {
    const found = find('INGRESS_AFFINITY_COOKIE_PATH', [...base, cls, nginx('a', [{ path: '/foo/.*', pathType: 'ImplementationSpecific' }], {
      [`${A}affinity`]: 'cookie', [`${A}use-regex`]: 'true',
    })], NGINX);
    expect(found).toHaveLength(1);
    expect(find('INGRESS_AFFINITY_COOKIE_PATH', [...base, cls, nginx('a', [{ path: '/shop' }], { [`${A}affinity`]: 'cookie' })], NGINX)).toEqual([]);
  });

  test.each([
    ['150', undefined, /canary-weight 150 is above the total 100/],
    ['-5', undefined, /canary-weight -5 is negative/],
    ['10', '50', /canary-weight-total 50 is below 100/],
  ])('INGRESS_CANARY_WEIGHT_RANGE: weight %s, total %s', (weight, total, message) => {
    const canary = nginx('c', [{ path: '/', service: 'api' }], { [`${A}canary`]: 'true', [`${A}canary-weight`]: weight, ...(total ? { [`${A}canary-weight-total`]: total } : {}) });
    const found = find('INGRESS_CANARY_WEIGHT_RANGE', [...base, cls, nginx('a', [{ path: '/' }], {}), canary], NGINX);
    expect(found).toEqual([expect.objectContaining({ object: 'Ingress/shop/c', message: expect.stringMatching(message) })]);
  });

  test('INGRESS_CANARY_WEIGHT_RANGE: 100 of 200 and 0 are fine', () => {
    for (const anns of [{ [`${A}canary-weight`]: '100', [`${A}canary-weight-total`]: '200' }, { [`${A}canary-weight`]: '0' }]) {
      const canary = nginx('c', [{ path: '/', service: 'api' }], { [`${A}canary`]: 'true', ...anns });
      expect(find('INGRESS_CANARY_WEIGHT_RANGE', [...base, cls, nginx('a', [{ path: '/' }], {}), canary], NGINX)).toEqual([]);
    }
  });
});
