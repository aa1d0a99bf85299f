import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import { FieldError, formatFieldError, validateManifest } from '../api';

/**
 * Construct context key naming the Kubernetes minor the constructs are judged as (`'1.27'` …
 * `'1.35'`, default 1.27): `chart.node.setContext('cdk8s-traffic/kubernetesVersion', '1.33')`,
 * or `context` in cdk8s.yaml.
 */
export const KUBERNETES_VERSION_CONTEXT = 'cdk8s-traffic/kubernetesVersion';

/**
 * Construct context key naming the target cluster's kube-apiserver `--service-cluster-ip-range`
 * (e.g. `'10.96.0.0/12'` for an IPv4 single-stack cluster), against which Services' IP families
 * are judged. Unset, the cluster is unknown, so Services are judged as on a dual-stack cluster,
 * which accepts every family and policy some cluster accepts.
 */
export const SERVICE_CLUSTER_IP_RANGE_CONTEXT = 'cdk8s-traffic/serviceClusterIpRange';
const ANY_CLUSTER_SERVICE_RANGE = '10.96.0.0/12,fd00:10:96::/112';

/**
 * An ApiObject that checks its own synthesized manifest with the API server's rules, so that
 * `cdk8s synth` and `Testing.synth` refuse what `kubectl apply` would refuse. An owner may add
 * checks the API server cannot make (ports that exist, certificates that cover their hosts);
 * they run first. The rules are those of the Kubernetes minor in the construct context
 * `cdk8s-traffic/kubernetesVersion` (default 1.27). Errors name the owning construct's path, then field, value and rule in
 * kubectl's format.
 */
export class ValidatedApiObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps, private readonly ownerChecks: () => FieldError[] = () => []) {
    super(scope, id, props);
  }

  public toJson(): any {
    this.throwIfAny(this.ownerChecks());
    const json = super.toJson();
    const kubernetesVersion = this.node.tryGetContext(KUBERNETES_VERSION_CONTEXT);
    const serviceClusterIpRange = this.node.tryGetContext(SERVICE_CLUSTER_IP_RANGE_CONTEXT) ?? ANY_CLUSTER_SERVICE_RANGE;
    let errors: FieldError[];
    try {
      errors = validateManifest(json, { kubernetesVersion, serviceClusterIpRange });
    } catch (e) {
      const message = (e as Error).message;
      const context = message.startsWith('serviceClusterIpRange: ') ? SERVICE_CLUSTER_IP_RANGE_CONTEXT : KUBERNETES_VERSION_CONTEXT;
      throw new Error(`construct context ${context}: ${message.replace(/^(validateManifest options|serviceClusterIpRange): /, '')}`);
    }
    this.throwIfAny(errors);
    return json;
  }

  private throwIfAny(errors: FieldError[]): void {
    if (errors.length === 0) return;
    const owner = this.node.scope?.node.path ?? this.node.path;
    throw new Error(errors.map((error) => `${owner}: ${formatFieldError(error)}`).join('\n'));
  }
}
