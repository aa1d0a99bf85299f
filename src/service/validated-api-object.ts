import { ApiObject } from 'cdk8s';
import { formatFieldError, validateManifest } from '../api';

/**
 * An ApiObject that checks its own synthesized manifest with the API server's rules, so that
 * `cdk8s synth` and `Testing.synth` refuse what `kubectl apply` would refuse. Errors name the
 * owning construct's path, then the field, value and rule in kubectl's format.
 */
export class ValidatedApiObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    const errors = validateManifest(json);
    if (errors.length > 0) {
      const owner = this.node.scope?.node.path ?? this.node.path;
      throw new Error(errors.map((error) => `${owner}: ${formatFieldError(error)}`).join('\n'));
    }
    return json;
  }
}
