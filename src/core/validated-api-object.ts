import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import { FieldError, formatFieldError, validateManifest } from '../api';

/**
 * An ApiObject that checks its own synthesized manifest with the API server's rules, so that
 * `cdk8s synth` and `Testing.synth` refuse what `kubectl apply` would refuse. An owner may add
 * checks the API server cannot make (ports that exist, certificates that cover their hosts);
 * they run first. Errors name the owning construct's path, then field, value and rule in
 * kubectl's format.
 */
export class ValidatedApiObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps, private readonly ownerChecks: () => FieldError[] = () => []) {
    super(scope, id, props);
  }

  public toJson(): any {
    this.throwIfAny(this.ownerChecks());
    const json = super.toJson();
    this.throwIfAny(validateManifest(json));
    return json;
  }

  private throwIfAny(errors: FieldError[]): void {
    if (errors.length === 0) return;
    const owner = this.node.scope?.node.path ?? this.node.path;
    throw new Error(errors.map((error) => `${owner}: ${formatFieldError(error)}`).join('\n'));
  }
}
