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
