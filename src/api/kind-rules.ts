import { FieldError } from './field-error';
import { ObjectMetaRules } from './object-meta';

/** kube-apiserver flags that change what it accepts. */
export interface ValidationOptions {
  /**
   * The API server's `--service-node-port-range`, e.g. `30000-32767`: explicit node ports outside
   * it are rejected.
   * @default '30000-32767'
   */
  readonly serviceNodePortRange?: string;
}

/** What the API server knows about one kind: its metadata rules, defaults and validation. */
export interface KindRules {
  readonly meta: ObjectMetaRules;
  /** Applies the API server's defaults in place (the kind's SetDefaults_* functions). */
  readonly applyDefaults?: (obj: any) => void;
  /** Validates a defaulted object, metadata excluded (the kind's Validate* functions). */
  readonly validate?: (obj: any, options: ValidationOptions) => FieldError[];
}
