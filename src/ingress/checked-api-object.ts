import { ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import { FieldError, formatFieldError } from '../api';
import { ValidatedApiObject } from '../service/validated-api-object';

/**
 * A ValidatedApiObject that first runs its owner's own checks (those the API server cannot
 * make: ports that exist, certificates that cover their hosts), so that they fail
 * `Testing.synth` and `cdk8s synth` alike and in the same format as the API rules.
 */
export class CheckedApiObject extends ValidatedApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps, private readonly check: () => FieldError[]) {
    super(scope, id, props);
  }

  public toJson(): any {
    const errors = this.check();
    if (errors.length > 0) {
      const owner = this.node.scope?.node.path ?? this.node.path;
      throw new Error(errors.map((error) => `${owner}: ${formatFieldError(error)}`).join('\n'));
    }
    return super.toJson();
  }
}
