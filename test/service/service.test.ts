import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  applyDefaults,
  ClusterIpService,
  ExternalNameService,
  ExternalTrafficPolicy,
  HeadlessService,
  InternalTrafficPolicy,
  IpFamily,
  IpFamilyPolicy,
  IServiceReference,
  LoadBalancerService,
  NodePortService,
  Protocol,
  SessionAffinity,
  validateManifest,
} from '../../src';
import { Labelled, schemaFailures } from '../schema';

/** Every object synthesized by the tests below; the last test checks them against the OpenAPI schema. */
const synthesized: Labelled[] = [];

function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  for (const object of manifests) synthesized.push({ label: `${expect.getState().currentTestName}: ${object.kind}`, object });
  return manifests;
}

function services(chart: Chart): any[] {
  return synth(chart).filter((m) => m.kind === 'Service');
}

/** The seed's billbear-api-gateway-svc (../shared/seeds), status dropped. */
const SEED = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'billbear-api-gateway-svc', namespace: 'base' },
  spec: {
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'billbear-api-gateway' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  },
};

describe('seed: billbear-api-gateway-svc', () => {
  test('written with ClusterIpService, it means what the seed manifest means', () => {
    const chart = Testing.chart();
    new ClusterIpService(chart, 'api-gateway', {
      metadata: { name: 'billbear-api-gateway-svc', namespace: 'base' },
      selector: { app: 'billbear-api-gateway' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: Protocol.TCP }],
      internalTrafficPolicy: InternalTrafficPolicy.CLUSTER,
      ipFamilies: [IpFamily.IPV4],
      ipFamilyPolicy: IpFamilyPolicy.SINGLE_STACK,
      sessionAffinity: SessionAffinity.none(),
    });
    const [svc] = services(chart);
    expect(validateManifest(svc)).toEqual([]);
    expect(applyDefaults(svc)).toEqual(applyDefaults(SEED));
  });
});

describe('ClusterIpService', () => {
  test('renders only what was set, plus the type', () => {
    const chart = Testing.chart();
    new ClusterIpService(chart, 'web', { metadata: { name: 'web' }, selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(services(chart)).toEqual([{
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80 }] },
    }]);
  });

  test('every ClusterIP field reaches the manifest', () => {
    const chart = Testing.chart();
    // externalTrafficPolicy on a ClusterIP Service with externalIPs exists from Kubernetes 1.29.
    chart.node.setContext('cdk8s-traffic/kubernetesVersion', '1.29');
    new ClusterIpService(chart, 'web', {
      metadata: { name: 'web' },
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPortName: 'http', protocol: Protocol.TCP, appProtocol: 'http' }],
      clusterIPs: ['10.96.0.10', 'fd00::10'],
      ipFamilies: [IpFamily.IPV4, IpFamily.IPV6],
      ipFamilyPolicy: IpFamilyPolicy.REQUIRE_DUAL_STACK,
      internalTrafficPolicy: InternalTrafficPolicy.LOCAL,
      sessionAffinity: SessionAffinity.clientIp(Duration.minutes(30)),
      externalIPs: ['203.0.113.10'],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      publishNotReadyAddresses: true,
    });
    expect(services(chart)[0].spec).toEqual({
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10', 'fd00::10'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      externalIPs: ['203.0.113.10'],
      internalTrafficPolicy: 'Local',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 1800 } },
      externalTrafficPolicy: 'Local',
      selector: { app: 'web' },
      ports: [{ name: 'http', protocol: 'TCP', appProtocol: 'http', port: 80, targetPort: 'http' }],
      publishNotReadyAddresses: true,
    });
  });

  test('empty lists leave no trace, and a selector-less service has no selector key', () => {
    const chart = Testing.chart();
    new ClusterIpService(chart, 'manual', { metadata: { name: 'manual' }, ports: [{ port: 5432 }], externalIPs: [], ipFamilies: [] });
    expect(services(chart)[0].spec).toEqual({ type: 'ClusterIP', ports: [{ port: 5432 }] });
  });

  test('addPort() after construction is synthesized', () => {
    const chart = Testing.chart();
    const svc = new ClusterIpService(chart, 'web', { metadata: { name: 'web' }, selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
    svc.addPort({ name: 'dns', port: 53, protocol: Protocol.UDP });
    expect(services(chart)[0].spec.ports).toEqual([{ name: 'http', port: 80 }, { name: 'dns', protocol: 'UDP', port: 53 }]);
    expect(svc.listPorts()).toEqual([{ name: 'http', port: 80, protocol: Protocol.TCP }, { name: 'dns', port: 53, protocol: Protocol.UDP }]);
  });

  test('is an IServiceReference with the chart namespace and a generated name when none is given', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'base' });
    const ref: IServiceReference = new ClusterIpService(chart, 'cart', { selector: { app: 'cart' }, ports: [{ port: 8080 }] });
    const [svc] = services(chart);
    expect(ref.serviceName).toBe(svc.metadata.name);
    expect(ref.serviceName).toMatch(/^shop-cart-/);
    expect(ref.serviceNamespace).toBe('base');
    expect(svc.metadata.namespace).toBe('base');
  });

  test('clusterIP "None" is refused: that is a HeadlessService', () => {
    expect(() => new ClusterIpService(Testing.chart(), 'x', { clusterIP: 'None', ports: [{ port: 1 }] })).toThrow(/test\/x: spec\.clusterIP: "None" makes a headless Service; use HeadlessService/);
  });

  test('targetPort and targetPortName together are refused', () => {
    const svc = new ClusterIpService(Testing.chart(), 'x', {});
    expect(() => svc.addPort({ port: 80, targetPort: 8080, targetPortName: 'http' })).toThrow('test/x: port 80: give targetPort or targetPortName, not both');
  });
});

describe('synth fails like the API server, naming the construct, field, value and rule', () => {
  const failure = (build: (chart: Chart) => void): string => {
    const chart = Testing.chart();
    build(chart);
    try {
      Testing.synth(chart);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('synth succeeded');
  };

  test.each<[string, (chart: Chart) => void, string]>([
    ['nodePort outside the node-port range',
      (c) => new NodePortService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80, nodePort: 99999 }] }),
      'test/api: spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ['port 0',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 0 }] }),
      // targetPort defaults to the port, so it is reported too
      'test/api: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\ntest/api: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['no ports on a ClusterIP service',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, selector: { app: 'x' } }),
      'test/api: spec.ports: Required value'],
    ['two unnamed ports',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }, { port: 443 }] }),
      'test/api: spec.ports[0].name: Required value\ntest/api: spec.ports[1].name: Required value'],
    ['duplicate port',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }),
      'test/api: spec.ports[1]: Duplicate value: {"protocol":"TCP","port":80}'],
    ['a name that is not a DNS-1035 label',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: '9lives' }, ports: [{ port: 80 }] }),
      'test/api: metadata.name: Invalid value: "9lives": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')'],
    ['affinity timeout over a day',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIp(Duration.days(2)) }),
      'test/api: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 172800: must be greater than 0 and less than 86400'],
    ['loopback external IP',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }], externalIPs: ['127.0.0.1'] }),
      'test/api: spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['healthCheckNodePort without externalTrafficPolicy Local',
      (c) => new LoadBalancerService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }], healthCheckNodePort: 31000 }),
      "test/api: spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    ['bad source range',
      (c) => new LoadBalancerService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/33'] }),
      'test/api: spec.LoadBalancerSourceRanges: Invalid value: "[10.0.0.0/33]": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 '],
    ['an externalName that is not a DNS name',
      (c) => new ExternalNameService(c, 'api', { metadata: { name: 'api' }, externalName: 'http://db' }),
      'test/api: spec.externalName: Invalid value: "http://db": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
    ['a port added after construction is checked too',
      (c) => new ClusterIpService(c, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }] }).addPort({ port: 70000 } as any),
      'test/api: spec.ports[1].name: Required value\ntest/api: spec.ports[0].name: Required value\ntest/api: spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive\ntest/api: spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  ])('%s', (_name, build, message) => {
    expect(failure(build).split('\n').sort()).toEqual(message.split('\n').sort());
  });

  test('SessionAffinity.clientIp refuses fractions of a second at once', () => {
    expect(() => SessionAffinity.clientIp(Duration.millis(1500))).toThrow('SessionAffinity.clientIp: timeout must be a whole number of seconds, got 1 second 500 millis');
  });
});

describe('NodePortService', () => {
  test('ports carry nodePort; externalTrafficPolicy renders', () => {
    const chart = Testing.chart();
    const svc = new NodePortService(chart, 'web', {
      metadata: { name: 'web' },
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    });
    svc.addPort({ name: 'https', port: 443, targetPort: 8443 });
    expect(services(chart)[0].spec).toEqual({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'https', port: 443, targetPort: 8443 }],
    });
  });
});

describe('LoadBalancerService', () => {
  test('every LoadBalancer field reaches the manifest and passes validation', () => {
    const chart = Testing.chart();
    new LoadBalancerService(chart, 'edge', {
      metadata: { name: 'edge' },
      selector: { app: 'edge' },
      ports: [{ name: 'https', port: 443, targetPort: 8443, nodePort: 31443 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      healthCheckNodePort: 32000,
      loadBalancerClass: 'example.com/internal-vip',
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      loadBalancerIP: '198.51.100.7',
      allocateLoadBalancerNodePorts: false,
      sessionAffinity: SessionAffinity.clientIp(),
    });
    const [svc] = services(chart);
    expect(svc.spec).toEqual({
      type: 'LoadBalancer',
      sessionAffinity: 'ClientIP',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
      loadBalancerClass: 'example.com/internal-vip',
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      loadBalancerIP: '198.51.100.7',
      allocateLoadBalancerNodePorts: false,
      selector: { app: 'edge' },
      ports: [{ name: 'https', port: 443, targetPort: 8443, nodePort: 31443 }],
    });
    expect(applyDefaults(svc).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
});

describe('ExternalNameService', () => {
  test('renders type and externalName only; ports are optional', () => {
    const chart = Testing.chart();
    const db = new ExternalNameService(chart, 'db', { metadata: { name: 'db' }, externalName: 'db.example.com' });
    expect(services(chart)[0].spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com' });
    db.addPort({ port: 5432 });
    expect(services(chart)[0].spec.ports).toEqual([{ port: 5432 }]);
    expect(db.externalName).toBe('db.example.com');
  });
});

describe('HeadlessService', () => {
  test('clusterIP None, ports optional, publishNotReadyAddresses; governs a StatefulSet by name', () => {
    const chart = Testing.chart();
    const peers = new HeadlessService(chart, 'peers', { metadata: { name: 'db-peers' }, selector: { app: 'db' }, publishNotReadyAddresses: true });
    new kplus.k8s.KubeStatefulSet(chart, 'db', {
      metadata: { name: 'db' },
      spec: {
        serviceName: peers.serviceName,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      },
    });
    const manifests = synth(chart);
    expect(manifests.find((m) => m.kind === 'Service').spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' }, publishNotReadyAddresses: true });
    expect(manifests.find((m) => m.kind === 'StatefulSet').spec.serviceName).toBe('db-peers');
  });

  test('without a selector (hand-managed endpoints), with dual-stack families', () => {
    const chart = Testing.chart();
    new HeadlessService(chart, 'ext', { metadata: { name: 'ext' }, ports: [{ port: 9000 }], ipFamilies: [IpFamily.IPV6, IpFamily.IPV4], ipFamilyPolicy: IpFamilyPolicy.PREFER_DUAL_STACK });
    expect(services(chart)[0].spec).toEqual({
      type: 'ClusterIP', clusterIP: 'None', ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 9000 }],
    });
  });
});

describe('selecting cdk8s-plus workloads and pods', () => {
  test('a Deployment is selected by its match labels, read at synth time', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const svc = new ClusterIpService(chart, 'svc', { metadata: { name: 'web' }, selectPods: deployment, ports: [{ port: 80 }] });
    deployment.podMetadata.addLabel('tier', 'front');
    deployment.select(kplus.LabelSelector.of({ labels: { tier: 'front' } }));
    svc.selectLabel('tier', 'front');
    const manifests = synth(chart);
    const template = manifests.find((m) => m.kind === 'Deployment').spec.template.metadata.labels;
    const selector = manifests.find((m) => m.kind === 'Service').spec.selector;
    expect(selector).toEqual(deployment.matchLabels);
    expect(selector.tier).toBe('front');
    for (const [key, value] of Object.entries(selector)) expect(template[key]).toBe(value);
  });

  test('selector takes a workload as well as a label map (DESIGN: labels or a cdk8s-plus workload)', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    new ClusterIpService(chart, 'by-workload', { metadata: { name: 'by-workload' }, selector: deployment, ports: [{ port: 80 }] });
    new ClusterIpService(chart, 'by-labels', { metadata: { name: 'by-labels' }, selector: { app: 'web' }, ports: [{ port: 80 }] });
    const [byWorkload, byLabels] = services(chart);
    expect(byWorkload.spec.selector).toEqual(deployment.matchLabels);
    expect(Object.keys(byWorkload.spec.selector).length).toBeGreaterThan(0);
    expect(byLabels.spec.selector).toEqual({ app: 'web' });
  });

  test('Pods.select with plain labels works; with expressions it is refused', () => {
    const chart = Testing.chart();
    const svc = new ClusterIpService(chart, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    svc.select(kplus.Pods.select(chart, 'pods', { labels: { app: 'web' } }));
    expect(services(chart)[0].spec.selector).toEqual({ app: 'web' });

    const chart2 = Testing.chart();
    const svc2 = new ClusterIpService(chart2, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    svc2.select(kplus.Pods.select(chart2, 'pods', { expressions: [kplus.LabelExpression.exists('app')] }));
    expect(() => Testing.synth(chart2)).toThrow('test/svc: spec.selector: cannot select the pods of test/pods: it uses label expressions, and a Service selector can only match labels exactly');
  });

  test('a workload in another namespace, or conflicting labels, are refused', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'other' }, containers: [{ image: 'nginx' }] });
    new ClusterIpService(chart, 'svc', { metadata: { name: 'web', namespace: 'base' }, selectPods: deployment, ports: [{ port: 80 }] });
    expect(() => Testing.synth(chart)).toThrow(/test\/svc: spec\.selector: cannot select the pods of test\/web: it is in namespace other and a Service selects pods in its own namespace \(base\)/);

    const chart2 = Testing.chart();
    const svc = new ClusterIpService(chart2, 'svc', { metadata: { name: 'web' }, selector: { app: 'a' }, ports: [{ port: 80 }] });
    svc.select(kplus.Pods.select(chart2, 'pods', { labels: { app: 'b' } }));
    expect(() => Testing.synth(chart2)).toThrow('test/svc: spec.selector: test/pods needs app=b but the selector already has app=a; no pod can match both');
  });
});

describe('OpenAPI schema (kubernetes-models)', () => {
  test('every object synthesized above passes the official schema', () => {
    expect(synthesized.length).toBeGreaterThan(15);
    expect(schemaFailures(synthesized)).toEqual([]);
  });

  test('the check is live: a wrongly-typed port fails it', () => {
    const bad = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: '80' }] } };
    expect(schemaFailures([{ label: 'bad', object: bad }])).toEqual([expect.objectContaining({ label: 'bad' })]);
  });
});

test('the constructs are judged as the Kubernetes minor in the context (default 1.27)', () => {
  const make = (version?: string) => {
    const chart = Testing.chart();
    if (version) chart.node.setContext('cdk8s-traffic/kubernetesVersion', version);
    new ClusterIpService(chart, 'web', {
      metadata: { name: 'web' }, selector: { app: 'web' }, ports: [{ port: 80 }], externalIPs: ['203.0.113.10'], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    });
    return () => Testing.synth(chart);
  };
  expect(make()).toThrow("test/web: spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set when `type` is 'NodePort' or 'LoadBalancer'");
  expect(make('1.28')).toThrow('may only be set when `type`');
  expect(make('1.29')()).toHaveLength(1);
  expect(make('1.26')).toThrow('construct context cdk8s-traffic/kubernetesVersion: kubernetesVersion must be one of 1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, got "1.26"');
});
