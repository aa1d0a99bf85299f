import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidatedApiObject } from '../../src/core/validated-api-object';

class Owner extends Construct {
  constructor(scope: Construct, id: string, name: string) {
    super(scope, id);
    new ValidatedApiObject(this, 'Resource', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

test('a valid object synthesizes unchanged', () => {
  const chart = Testing.chart();
  new Owner(chart, 'ns', 'base');
  expect(Testing.synth(chart)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'base' } }]);
});

test('an object the API server would reject fails synth naming the owner, field, value and rule', () => {
  const chart = Testing.chart();
  new Owner(chart, 'ns', 'Not_Valid');
  expect(() => Testing.synth(chart)).toThrow(/^test\/ns: metadata\.name: Invalid value: "Not_Valid": a lowercase RFC 1123 label/);
});

describe('the construct context cdk8s-traffic/serviceClusterIpRange', () => {
  const dualStackService = (scope: Construct) => new ValidatedApiObject(scope, 'svc', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] },
  });

  test('unset, the cluster is unknown and a dual-stack Service is accepted', () => {
    const chart = Testing.chart();
    dualStackService(chart);
    expect(Testing.synth(chart)).toHaveLength(1);
  });

  test('a single-stack range refuses it as that API server would', () => {
    const chart = Testing.chart();
    chart.node.setContext('cdk8s-traffic/serviceClusterIpRange', '10.96.0.0/12');
    dualStackService(chart);
    expect(() => Testing.synth(chart)).toThrow('test: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  });

  test('a bad range names the context', () => {
    const chart = Testing.chart();
    chart.node.setContext('cdk8s-traffic/serviceClusterIpRange', '10.96.0.0/12,10.100.0.0/16');
    dualStackService(chart);
    expect(() => Testing.synth(chart)).toThrow('construct context cdk8s-traffic/serviceClusterIpRange: --service-cluster-ip-range "10.96.0.0/12,10.100.0.0/16": --service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family');
  });
});
