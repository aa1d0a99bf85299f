import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { validateManifest } from '../../src/api';
import {
  CertManagerIssuer, Ingress, IngressBackend, IngressClass, IngressClassParametersScope, NginxAffinityMode, NginxCookieSameSite, PathType,
  TlsCertificateSecret,
} from '../../src/ingress';
import { Protocol, ServiceReference } from '../../src/service/reference';
import { Labelled, schemaFailures } from '../schema';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const BILLBEAR = { certificatePem: fixture('billbear.crt'), privateKeyPem: fixture('billbear.key') };
const WILDCARD = { certificatePem: fixture('wildcard.crt'), privateKeyPem: fixture('wildcard.key') };

function chart(namespace = 'base'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

/** Every object synth() produced; the last test checks them all against the OpenAPI schema. */
const synthesized: Labelled[] = [];

/** Synthesizes, checks each object with the API rules and records it for the schema check. */
function synth(c: Chart): any[] {
  const objects = Testing.synth(c);
  for (const object of objects) {
    expect(validateManifest(object)).toEqual([]);
    synthesized.push({ label: `${expect.getState().currentTestName}: ${object.kind}`, object });
  }
  return objects;
}

const svc = (ports = [{ port: 8080, name: 'http' }], namespace?: string) =>
  ServiceReference.fromAttributes({ name: 'billbear-app-gateway-svc', namespace, ports });

describe('the seed billbear-app-gateway Ingress', () => {
  test('written with the constructs, it synthesizes to the seed manifest', () => {
    const c = chart('base');
    const ing = new Ingress(c, 'gateway', {
      metadata: { name: 'billbear-app-gateway' },
      ingressClass: IngressClass.fromName('nginx'),
    });
    ing.addRule('interests-m-dev.billbear.vip', '/api/', IngressBackend.fromService(svc(), { port: 8080 }), PathType.IMPLEMENTATION_SPECIFIC);
    ing.addTls({ hosts: ['interests-m-dev.billbear.vip'], secret: TlsCertificateSecret.fromSecretName('interests-m-dev.billbear.vip.ssl') });
    expect(synth(c)).toEqual([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'billbear-app-gateway', namespace: 'base' },
      spec: {
        ingressClassName: 'nginx',
        rules: [{
          host: 'interests-m-dev.billbear.vip',
          http: { paths: [{ backend: { service: { name: 'billbear-app-gateway-svc', port: { number: 8080 } } }, path: '/api/', pathType: 'ImplementationSpecific' }] },
        }],
        tls: [{ hosts: ['interests-m-dev.billbear.vip'], secretName: 'interests-m-dev.billbear.vip.ssl' }],
      },
    }]);
  });

  test('the same Ingress with its certificate written by the app checks the certificate covers the host', () => {
    const c = chart('base');
    const secret = new TlsCertificateSecret(c, 'cert', { ...BILLBEAR, metadata: { name: 'interests-m-dev.billbear.vip.ssl' } });
    new Ingress(c, 'gateway', {
      metadata: { name: 'billbear-app-gateway' },
      ingressClassName: 'nginx',
      rules: [{ host: 'interests-m-dev.billbear.vip', path: '/api/', pathType: PathType.IMPLEMENTATION_SPECIFIC, backend: IngressBackend.fromService(svc()) }],
      tls: [{ hosts: ['interests-m-dev.billbear.vip'], secret }],
    });
    const [secretObj, ingressObj] = synth(c);
    expect(secretObj).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'interests-m-dev.billbear.vip.ssl', namespace: 'base' } });
    expect(Buffer.from(secretObj.data['tls.crt'], 'base64').toString()).toBe(BILLBEAR.certificatePem);
    expect(Buffer.from(secretObj.data['tls.key'], 'base64').toString()).toBe(BILLBEAR.privateKeyPem);
    expect(ingressObj.spec.tls).toEqual([{ hosts: ['interests-m-dev.billbear.vip'], secretName: 'interests-m-dev.billbear.vip.ssl' }]);
    expect(ingressObj.spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 8080 });
  });
});

describe('rules', () => {
  test('a path without a pathType is Prefix, never an implementation-defined default', () => {
    const c = chart();
    new Ingress(c, 'ing').addRule('a.example.com', '/', IngressBackend.fromService(svc()));
    expect(synth(c)[0].spec.rules[0].http.paths[0].pathType).toBe('Prefix');
  });

  test('rules are grouped per host, hosts in first-added order, paths in added order; "" is every host', () => {
    const c = chart();
    const ing = new Ingress(c, 'ing');
    const b = IngressBackend.fromService(svc());
    ing.addRule('b.example.com', '/one', b);
    ing.addRule('', '/any', b);
    ing.addRule('a.example.com', '/two', b);
    ing.addRule('b.example.com', '/three', b, PathType.EXACT);
    const rules = synth(c)[0].spec.rules;
    expect(rules.map((r: any) => [r.host, r.http.paths.map((p: any) => `${p.pathType} ${p.path}`)])).toEqual([
      ['b.example.com', ['Prefix /one', 'Exact /three']],
      [undefined, ['Prefix /any']],
      ['a.example.com', ['Prefix /two']],
    ]);
  });

  test('the same path as Exact and as Prefix is legal (cdk8s-plus rejects it)', () => {
    const c = chart();
    const ing = new Ingress(c, 'ing');
    ing.addRule('a.example.com', '/x', IngressBackend.fromService(svc()), PathType.EXACT);
    ing.addRule('a.example.com', '/x', IngressBackend.fromService(svc()), PathType.PREFIX);
    expect(synth(c)[0].spec.rules[0].http.paths).toHaveLength(2);
  });

  test('the same host, path and pathType twice fails synth as a duplicate', () => {
    const c = chart();
    const ing = new Ingress(c, 'ing');
    ing.addRule('a.example.com', '/x', IngressBackend.fromService(svc()));
    ing.addRule('a.example.com', '/x', IngressBackend.fromService(svc()));
    expect(() => Testing.synth(c)).toThrow('test/ing: spec.rules[0].http.paths[1]: Duplicate value: {"path":"/x","pathType":"Prefix"}');
  });

  test('rules given in props behave like addRule', () => {
    const c = chart();
    new Ingress(c, 'ing', { rules: [{ path: '/', backend: IngressBackend.fromService(svc()) }] });
    expect(synth(c)[0].spec.rules).toEqual([{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'billbear-app-gateway-svc', port: { number: 8080 } } } }] } }]);
  });

  test.each([
    ['an IP address host', '10.0.0.1', '/', 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    ['a wildcard that is not the leftmost label', '*.*.bad', '/', 'spec.rules[0].host: Invalid value: "*.*.bad": a wildcard DNS-1123 subdomain'],
    ['a relative Prefix path', 'a.example.com', 'api', 'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    ['a Prefix path with //', 'a.example.com', '/a//b', "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"],
  ])('the API rules refuse %s at synth, naming the construct', (_name, host, path, message) => {
    const c = chart();
    new Ingress(c, 'ing').addRule(host, path, IngressBackend.fromService(svc()));
    expect(() => Testing.synth(c)).toThrow(`test/ing: ${message}`);
  });

  test('an Ingress with neither rules nor default backend fails synth', () => {
    const c = chart();
    new Ingress(c, 'ing');
    expect(() => Testing.synth(c)).toThrow('test/ing: spec: Invalid value: null: either `defaultBackend` or `rules` must be specified');
  });
});

describe('backends', () => {
  test('a port by name is kept by name when the Service has it', () => {
    const c = chart();
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromService(svc(), { portName: 'http' }) });
    expect(synth(c)[0].spec.defaultBackend).toEqual({ service: { name: 'billbear-app-gateway-svc', port: { name: 'http' } } });
  });

  test('a port the Service does not have fails synth, listing the ports it has', () => {
    const c = chart();
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromService(svc(), { port: 8081 }) });
    expect(() => Testing.synth(c)).toThrow('test/ing: spec.defaultBackend.service.port.number: Invalid value: 8081: Service "billbear-app-gateway-svc" has no port 8081 (its ports: 8080 (http))');
  });

  test('a port name the Service does not have fails synth', () => {
    const c = chart();
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromService(svc(), { portName: 'https' }) });
    expect(() => Testing.synth(c)).toThrow('spec.defaultBackend.service.port.name: Invalid value: "https": Service "billbear-app-gateway-svc" has no port named "https"');
  });

  test('no port given and several ports is ambiguous', () => {
    const c = chart();
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromService(svc([{ port: 80, name: 'http' }, { port: 443, name: 'https' }])) });
    expect(() => Testing.synth(c)).toThrow('test/ing: spec.defaultBackend.service.port: Required value: Service "billbear-app-gateway-svc" has several ports (80 (http), 443 (https)); give the backend a port or portName');
  });

  test('no port given and no ports known is an error, but a number for an unknown Service is taken as given', () => {
    const none = chart();
    new Ingress(none, 'ing', { defaultBackend: IngressBackend.fromService(svc([])) });
    expect(() => Testing.synth(none)).toThrow('spec.defaultBackend.service.port: Required value: Service "billbear-app-gateway-svc" lists no ports');
    const given = chart();
    new Ingress(given, 'ing', { defaultBackend: IngressBackend.fromService(svc([]), { port: 9000 }) });
    expect(synth(given)[0].spec.defaultBackend.service.port).toEqual({ number: 9000 });
  });

  test('a UDP port cannot carry Ingress traffic', () => {
    const c = chart();
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromService(svc([{ port: 53, protocol: Protocol.UDP } as any])) });
    expect(() => Testing.synth(c)).toThrow('spec.defaultBackend.service.port: Invalid value: 53: Service "billbear-app-gateway-svc" port 53 is UDP; an Ingress carries HTTP over TCP');
  });

  test('a Service in another namespace fails synth', () => {
    const c = chart('base');
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromService(svc(undefined, 'other')) });
    expect(() => Testing.synth(c)).toThrow('spec.defaultBackend.service.name: Invalid value: "billbear-app-gateway-svc": Service is in namespace "other" but the Ingress is in "base"');
  });

  test('port and portName together are refused at once', () => {
    expect(() => IngressBackend.fromService(svc(), { port: 8080, portName: 'http' })).toThrow('give port or portName, not both');
  });

  test('a cdk8s-plus Service: ports bound after the backend was made count at synth', () => {
    const c = chart();
    const plus = new kplus.Service(c, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80, name: 'http' }] });
    const ing = new Ingress(c, 'ing');
    ing.addRule('a.example.com', '/', IngressBackend.fromPlusService(plus, { portName: 'metrics' }));
    plus.bind(9090, { name: 'metrics' });
    const ingressObj = synth(c).find((o: any) => o.kind === 'Ingress');
    expect(ingressObj.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web', port: { name: 'metrics' } } });
  });

  test('a cdk8s-plus Service with one port needs no port option', () => {
    const c = chart();
    const plus = new kplus.Service(c, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromPlusService(plus) });
    expect(synth(c).find((o: any) => o.kind === 'Ingress').spec.defaultBackend.service.port).toEqual({ number: 80 });
  });

  test('a resource backend', () => {
    const c = chart();
    new Ingress(c, 'ing', { defaultBackend: IngressBackend.fromResource({ apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' }) });
    expect(synth(c)[0].spec.defaultBackend).toEqual({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' } });
  });

  test('a second default backend is refused', () => {
    const ing = new Ingress(chart(), 'ing', { defaultBackend: IngressBackend.fromService(svc()) });
    expect(() => ing.addDefaultBackend(IngressBackend.fromService(svc()))).toThrow('test/ing: the Ingress already has a default backend');
  });
});

describe('TLS', () => {
  function tlsIngress(hosts: string[], secretFor: (c: Chart) => any, ruleHost = hosts[0] ?? 'a.example.com') {
    const c = chart();
    const ing = new Ingress(c, 'ing');
    ing.addRule(ruleHost, '/', IngressBackend.fromService(svc()));
    ing.addTls({ hosts, secret: secretFor(c) });
    return c;
  }

  test('a wildcard certificate covers one label deep, not two, and not the wildcard\'s parent unless listed', () => {
    const ok = tlsIngress(['shop.example.com'], (c) => new TlsCertificateSecret(c, 'cert', WILDCARD));
    expect(synth(ok)).toHaveLength(2);
    const apex = tlsIngress(['example.com'], (c) => new TlsCertificateSecret(c, 'cert', WILDCARD));
    expect(synth(apex)).toHaveLength(2);
    const deep = tlsIngress(['a.shop.example.com'], (c) => new TlsCertificateSecret(c, 'cert', WILDCARD));
    expect(() => Testing.synth(deep)).toThrow(/test\/ing: spec\.tls\[0\]\.hosts\[0\]: Invalid value: "a\.shop\.example\.com": the certificate in Secret "test-cert-c8[0-9a-f]+" does not cover this host; its DNS names are \*\.example\.com, example\.com/);
  });

  test('a wildcard TLS host needs the same wildcard in the certificate', () => {
    const c = chart();
    const ing = new Ingress(c, 'ing');
    ing.addRule('*.example.com', '/', IngressBackend.fromService(svc()));
    ing.addTls({ hosts: ['*.example.com'], secret: new TlsCertificateSecret(c, 'cert', WILDCARD) });
    expect(synth(c)).toHaveLength(2);
    const other = tlsIngress(['*.example.com'], (cc) => new TlsCertificateSecret(cc, 'cert', BILLBEAR));
    expect(() => Testing.synth(other)).toThrow('spec.tls[0].hosts[0]: Invalid value: "*.example.com": the certificate in Secret');
  });

  test('a certificate with only a CN covers nothing', () => {
    const c = tlsIngress(['cn-only.example.com'], (cc) => new TlsCertificateSecret(cc, 'cert', { certificatePem: fixture('cn-only.crt'), privateKeyPem: fixture('cn-only.key') }));
    expect(() => Testing.synth(c)).toThrow('it has no DNS subjectAltName (clients ignore the CN)');
  });

  test('a key that does not belong to the certificate fails synth at the Secret', () => {
    const c = chart();
    new TlsCertificateSecret(c, 'cert', { certificatePem: BILLBEAR.certificatePem, privateKeyPem: fixture('other.key') });
    expect(() => Testing.synth(c)).toThrow('test/cert: data[tls.key]: Invalid value: "<private key>": does not match the certificate for CN=interests-m-dev.billbear.vip');
  });

  test('PEM that does not parse fails synth at the Secret', () => {
    const c = chart();
    new TlsCertificateSecret(c, 'cert', { certificatePem: 'not a certificate', privateKeyPem: BILLBEAR.privateKeyPem });
    expect(() => Testing.synth(c)).toThrow(/^test\/cert: data\[tls\.crt\]: Invalid value: "<certificate>": not a PEM X\.509 certificate/);
    const key = chart();
    new TlsCertificateSecret(key, 'cert', { certificatePem: BILLBEAR.certificatePem, privateKeyPem: 'nope' });
    expect(() => Testing.synth(key)).toThrow(/^test\/cert: data\[tls\.key\]: Invalid value: "<private key>": not a PEM private key/);
  });

  test('a cdk8s-plus TlsSecret is checked too', () => {
    const bad = tlsIngress(['shop.example.com'], (c) => TlsCertificateSecret.fromPlusSecret(new kplus.TlsSecret(c, 'cert', { tlsCert: BILLBEAR.certificatePem, tlsKey: BILLBEAR.privateKeyPem })));
    expect(() => Testing.synth(bad)).toThrow('spec.tls[0].hosts[0]: Invalid value: "shop.example.com": the certificate in Secret');
    const good = tlsIngress(['shop.example.com'], (c) => TlsCertificateSecret.fromPlusSecret(new kplus.TlsSecret(c, 'cert', { metadata: { name: 'shop-tls' }, tlsCert: WILDCARD.certificatePem, tlsKey: WILDCARD.privateKeyPem })));
    expect(synth(good).find((o: any) => o.kind === 'Ingress').spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  });

  test('a TLS host that no rule serves (and no default backend) fails synth', () => {
    const c = tlsIngress(['b.example.com'], () => TlsCertificateSecret.fromSecretName('tls'), 'a.example.com');
    expect(() => Testing.synth(c)).toThrow('test/ing: spec.tls[0].hosts[0]: Invalid value: "b.example.com": no rule serves this host and there is no default backend');
  });

  test('a TLS Secret in another namespace fails synth', () => {
    const c = tlsIngress(['a.example.com'], () => TlsCertificateSecret.fromSecretName('tls', 'other'));
    expect(() => Testing.synth(c)).toThrow('spec.tls[0].secretName: Invalid value: "tls": Secret is in namespace "other" but the Ingress is in "base"');
  });

  test('cert-manager: the issuer annotation plus TLS entries naming the Secrets it fills', () => {
    for (const [issuer, key] of [[CertManagerIssuer.clusterIssuer('letsencrypt'), 'cert-manager.io/cluster-issuer'], [CertManagerIssuer.issuer('letsencrypt'), 'cert-manager.io/issuer']] as const) {
      const c = chart();
      const ing = new Ingress(c, 'ing', { certManager: issuer });
      ing.addRule('a.example.com', '/', IngressBackend.fromService(svc()));
      ing.addTls({ hosts: ['a.example.com'], secret: TlsCertificateSecret.fromSecretName('a-tls') });
      const [obj] = synth(c);
      expect(obj.metadata.annotations).toEqual({ [key]: 'letsencrypt' });
      expect(obj.spec.tls).toEqual([{ hosts: ['a.example.com'], secretName: 'a-tls' }]);
    }
  });

  test('cert-manager without TLS entries, or over a Secret the app writes, fails synth', () => {
    const none = chart();
    new Ingress(none, 'ing', { certManager: CertManagerIssuer.clusterIssuer('le'), rules: [{ path: '/', backend: IngressBackend.fromService(svc()) }] });
    expect(() => Testing.synth(none)).toThrow('test/ing: metadata.annotations[cert-manager.io/cluster-issuer]: Invalid value: "le": cert-manager only issues certificates for spec.tls entries');
    const own = chart();
    const ing = new Ingress(own, 'ing', { certManager: CertManagerIssuer.clusterIssuer('le') });
    ing.addRule('interests-m-dev.billbear.vip', '/', IngressBackend.fromService(svc()));
    ing.addTls({ hosts: ['interests-m-dev.billbear.vip'], secret: new TlsCertificateSecret(own, 'cert', BILLBEAR) });
    expect(() => Testing.synth(own)).toThrow('cert-manager would overwrite this Secret');
  });
});

describe('IngressClass', () => {
  test('a cluster-scoped class, default, with parameters; usable as the Ingress class', () => {
    const c = chart('base');
    const cls = new IngressClass(c, 'nginx', {
      metadata: { name: 'nginx' },
      controller: IngressClass.NGINX_CONTROLLER,
      isDefault: true,
      parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' },
    });
    new Ingress(c, 'ing', { ingressClass: cls, defaultBackend: IngressBackend.fromService(svc()) });
    const [classObj, ingressObj] = synth(c);
    expect(classObj).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb', scope: 'Cluster' } },
    });
    expect(ingressObj.spec.ingressClassName).toBe('nginx');
  });

  test('namespaced parameters', () => {
    const c = chart();
    new IngressClass(c, 'cls', { controller: 'example.com/ingress', parameters: { kind: 'Params', name: 'p', scope: IngressClassParametersScope.NAMESPACE, namespace: 'infra' } });
    expect(synth(c)[0].spec.parameters).toEqual({ kind: 'Params', name: 'p', scope: 'Namespace', namespace: 'infra' });
  });

  test('a controller that is not a domain-prefixed path fails synth', () => {
    const c = chart();
    new IngressClass(c, 'cls', { controller: 'nginx' });
    expect(() => Testing.synth(c)).toThrow('test/cls: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")');
  });

  test('Namespace-scoped parameters without a namespace fail synth', () => {
    const c = chart();
    new IngressClass(c, 'cls', { controller: 'example.com/x', parameters: { kind: 'P', name: 'p', scope: IngressClassParametersScope.NAMESPACE } });
    expect(() => Testing.synth(c)).toThrow("test/cls: spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'");
  });

  test('ingressClass and ingressClassName together are refused', () => {
    expect(() => new Ingress(chart(), 'ing', { ingressClass: IngressClass.fromName('a'), ingressClassName: 'a' })).toThrow('give ingressClass or ingressClassName, not both');
  });

  test('ingressClassName plus the legacy annotation is refused, even with equal values (1.27 would only warn)', () => {
    expect(() => new Ingress(chart(), 'ing', { ingressClassName: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'nginx' } }))
      .toThrow('test/ing: metadata.annotations[kubernetes.io/ingress.class]: deprecated and redundant with spec.ingressClassName "nginx"; drop the annotation');
  });

  test('the legacy annotation alone is passed through', () => {
    const c = chart();
    new Ingress(c, 'ing', { annotations: { 'kubernetes.io/ingress.class': 'nginx' }, defaultBackend: IngressBackend.fromService(svc()) });
    expect(synth(c)[0].metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx' });
  });
});

describe('annotations', () => {
  test('typed ingress-nginx options become its annotations, alongside free-form ones', () => {
    const c = chart();
    new Ingress(c, 'ing', {
      defaultBackend: IngressBackend.fromService(svc()),
      annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
      nginx: { sslRedirect: false, forceSslRedirect: true, useRegex: true, rewriteTarget: '/$2', preserveTrailingSlash: true, backendProtocol: 'grpc' },
    });
    expect(synth(c)[0].metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/use-regex': 'true',
      'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
      'nginx.ingress.kubernetes.io/preserve-trailing-slash': 'true',
      'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC',
    });
  });

  test('a backend protocol ingress-nginx does not know is refused', () => {
    expect(() => new Ingress(chart(), 'ing', { nginx: { backendProtocol: 'h3' } })).toThrow('nginx.backendProtocol: Unsupported value: "h3": supported values: "AUTO_HTTP", "HTTP", "HTTPS", "AJP", "GRPC", "GRPCS", "FCGI"');
  });

  test('cookie affinity becomes the affinity and session-cookie-* annotations (examples/session-affinity runs them through the model)', () => {
    const c = chart();
    new Ingress(c, 'ing', {
      defaultBackend: IngressBackend.fromService(svc()),
      nginx: { affinity: { name: 'SHOP', mode: NginxAffinityMode.PERSISTENT, maxAge: Duration.minutes(30), path: '/', sameSite: NginxCookieSameSite.LAX, secure: true } },
    });
    expect(synth(c)[0].metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/session-cookie-name': 'SHOP',
      'nginx.ingress.kubernetes.io/affinity-mode': 'persistent',
      'nginx.ingress.kubernetes.io/session-cookie-max-age': '1800',
      'nginx.ingress.kubernetes.io/session-cookie-path': '/',
      'nginx.ingress.kubernetes.io/session-cookie-secure': 'true',
      'nginx.ingress.kubernetes.io/session-cookie-samesite': 'Lax',
    });
  });

  test('cookie affinity values ingress-nginx would replace or drop are refused', () => {
    expect(() => new Ingress(chart(), 'ing', { nginx: { affinity: { name: 'my cookie' } } })).toThrow('nginx.affinity.name: Invalid value: "my cookie"');
    expect(() => new Ingress(chart(), 'ing', { nginx: { affinity: { maxAge: Duration.millis(1500) } } })).toThrow('nginx.affinity.maxAge: Invalid value: 1.5s');
    expect(() => new Ingress(chart(), 'ing', { nginx: { useRegex: true, affinity: {} } })).toThrow('nginx.affinity.path: Required value');
    expect(() => new Ingress(chart(), 'ing', { nginx: { affinity: { path: 'api' } } })).toThrow('nginx.affinity.path: Invalid value: "api"');
  });

  test('a free-form annotation that contradicts a typed option is refused', () => {
    expect(() => new Ingress(chart(), 'ing', {
      annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'false' },
      nginx: { useRegex: true },
    })).toThrow('test/ing: metadata.annotations[nginx.ingress.kubernetes.io/use-regex]: set to both "false" and "true"');
  });
});

test('snapshot of a full Ingress (second net; the assertions above carry the meaning)', () => {
  const c = chart();
  const ing = new Ingress(c, 'shop', { ingressClassName: 'nginx', nginx: { forceSslRedirect: true } });
  ing.addRule('shop.example.com', '/api', IngressBackend.fromService(svc(), { portName: 'http' }));
  ing.addRule('shop.example.com', '/', IngressBackend.fromService(svc()), PathType.EXACT);
  ing.addTls({ hosts: ['shop.example.com'], secret: new TlsCertificateSecret(c, 'cert', { ...WILDCARD, metadata: { name: 'shop-tls' } }) });
  const manifests = synth(c);
  const [ingress, secret] = manifests;
  expect(manifests.map((m) => m.kind)).toEqual(['Ingress', 'Secret']);
  expect(ingress.spec.ingressClassName).toBe('nginx');
  expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' });
  // Rules for one host merge into one rule; a port name stays a name, a Service with one port and no port given takes that port's number.
  expect(ingress.spec.rules).toEqual([{
    host: 'shop.example.com',
    http: {
      paths: [
        { path: '/api', pathType: 'Prefix', backend: { service: { name: 'billbear-app-gateway-svc', port: { name: 'http' } } } },
        { path: '/', pathType: 'Exact', backend: { service: { name: 'billbear-app-gateway-svc', port: { number: 8080 } } } },
      ],
    },
  }]);
  expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  expect(secret).toMatchObject({ type: 'kubernetes.io/tls', metadata: { name: 'shop-tls', namespace: 'base' } });
  expect(Buffer.from(secret.data['tls.crt'], 'base64').toString()).toBe(WILDCARD.certificatePem);
  expect(Buffer.from(secret.data['tls.key'], 'base64').toString()).toBe(WILDCARD.privateKeyPem);
  expect(manifests).toMatchSnapshot();
});

test('every object synthesized above passes the Kubernetes OpenAPI schema (kubernetes-models)', () => {
  expect(synthesized.length).toBeGreaterThan(20);
  expect(schemaFailures(synthesized)).toEqual([]);
});

test('the schema check is live for networking.k8s.io/v1: a numeric path fails it', () => {
  const bad = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' }, spec: { rules: [{ http: { paths: [{ path: 1, pathType: 'Prefix', backend: {} }] } }] } };
  expect(schemaFailures([{ label: 'bad', object: bad }])).toEqual([{ label: 'bad', error: expect.stringContaining('path') }]);
});

describe('addCanary (ingress-nginx canary Ingress)', () => {
  const A = 'nginx.ingress.kubernetes.io/';
  const named = (name: string) => ServiceReference.fromAttributes({ name, ports: [{ port: 8080 }] });
  test('a second Ingress with the class, hosts and paths of the main one, sent to the canary backend', () => {
    const c = chart();
    const main = new Ingress(c, 'shop', { metadata: { name: 'shop' }, ingressClassName: 'nginx' });
    main.addRule('shop.example.com', '/', IngressBackend.fromService(named('web'), { port: 8080 }));
    main.addCanary('shop-canary', { backend: IngressBackend.fromService(named('web-v2'), { port: 8080 }), header: 'X-Canary', weight: 10 });
    const canary = synth(c).find((m: any) => m.metadata.name === 'shop-canary');
    expect(canary.metadata.annotations).toEqual({ [`${A}canary`]: 'true', [`${A}canary-weight`]: '10', [`${A}canary-by-header`]: 'X-Canary' });
    expect(canary.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-v2', port: { number: 8080 } } } }] } }],
    });
  });

  test.each([
    [{ weight: 150 }, 'canary.weight: Invalid value: 150: an integer from 0 to 100'],
    [{ weight: 10, weightTotal: 50 }, 'canary.weightTotal: Invalid value: 50'],
    [{ headerValue: 'yes' }, 'canary.header: Required value'],
    [{ header: 'X', headerValue: 'yes', headerPattern: '^y' }, 'canary.headerPattern: Forbidden'],
    [{}, 'canary.weight: Required value: without a weight, header or cookie no request reaches the canary'],
  ])('%j is refused', (opts, message) => {
    const c = chart();
    const main = new Ingress(c, 'shop', { ingressClassName: 'nginx' });
    main.addRule('shop.example.com', '/', IngressBackend.fromService(named('web'), { port: 8080 }));
    expect(() => main.addCanary('c', { backend: IngressBackend.fromService(named('web-v2'), { port: 8080 }), ...opts })).toThrow(message);
  });

  test('without rules there is nothing to copy', () => {
    const main = new Ingress(chart(), 'shop', {});
    expect(() => main.addCanary('c', { backend: IngressBackend.fromService(named('web-v2'), { port: 8080 }), weight: 5 })).toThrow('test/shop: addCanary: add the rules first');
  });
});
