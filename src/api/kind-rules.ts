import { FieldError } from './field-error';
import { ObjectMetaRules } from './object-meta';
import type { KubernetesFeatures } from './versions';

/** kube-apiserver flags that change what it accepts. */
export interface ValidationOptions {
  /**
   * The API server's `--service-node-port-range`, e.g. `30000-32767`: explicit node ports outside
   * it are rejected.
   * @default '30000-32767'
   */
  readonly serviceNodePortRange?: string;
  /**
   * The API server's `--service-cluster-ip-range`: one CIDR (a single-stack cluster) or two of
   * different families, primary first (dual-stack), e.g. `10.96.0.0/12,fd00:10:96::/112`. The
   * families it serves decide a Service's `ipFamilyPolicy` and `ipFamilies` defaults and refuse
   * `RequireDualStack`, families and clusterIPs the cluster does not serve.
   * @default '10.96.0.0/12'
   */
  readonly serviceClusterIpRange?: string;
  /**
   * The Kubernetes minor whose API server judges the manifest, `1.27` … `1.35`: fields, values
   * and messages follow that release (with its feature gates at their defaults).
   * @default '1.27'
   */
  readonly kubernetesVersion?: string;
  /**
   * Feature gates to turn on or off against the version's defaults, e.g.
   * `{ PreferSameTrafficDistribution: true }` on 1.33. Only the gates that change an answer of
   * this library are accepted (see docs/api-rules.md).
   * @default - the version's defaults
   */
  readonly featureGates?: { [gate: string]: boolean };
}

/** What the API server knows about one kind: its metadata rules, defaults and validation. */
export interface KindRules {
  readonly meta: ObjectMetaRules;
  /**
   * Applies the API server's defaults in place (the kind's SetDefaults_* functions), and drops
   * the fields a disabled feature gate hides (the registry's dropDisabledFields).
   */
  readonly applyDefaults?: (obj: any, features: KubernetesFeatures) => void;
  /** Validates a defaulted object, metadata excluded (the kind's Validate* functions). */
  readonly validate?: (obj: any, options: ValidationOptions, features: KubernetesFeatures) => FieldError[];
  /** The warnings the API server returns for an accepted, defaulted object (`Warning:` lines of kubectl). */
  readonly warnings?: (obj: any, features: KubernetesFeatures) => string[];
}
