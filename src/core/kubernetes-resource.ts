import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * A Kubernetes object made by a construct of another library, e.g. a cdk8s-plus Deployment,
 * Service or Secret of any major (27 … 33): each satisfies this interface as it is, without a
 * cast. The library reads such an object's synthesized `ApiObject`, never the other library's
 * classes, so it needs no copy of cdk8s-plus at runtime.
 */
export interface IKubernetesResource extends IConstruct {
  /** The object's `metadata.name`. */
  readonly name: string;
  /** The object's kind, e.g. `Service`. */
  readonly kind: string;
  /** The object's API version, e.g. `v1`. */
  readonly apiVersion: string;
}

/**
 * The ApiObject a construct synthesizes: the construct itself, or its default child (cdk8s-plus
 * resources name theirs `Resource`), followed down. Undefined for constructs that synthesize no
 * object of their own, e.g. an imported Secret or a cdk8s-plus pod selector.
 */
export function apiObjectOf(construct: IConstruct): ApiObject | undefined {
  let current: IConstruct | undefined = construct;
  while (current) {
    if (ApiObject.isApiObject(current)) return current;
    current = current.node.defaultChild;
  }
  return undefined;
}
