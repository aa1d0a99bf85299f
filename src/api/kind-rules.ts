import { FieldError } from './field-error';
import { ObjectMetaRules } from './object-meta';

/** What the API server knows about one kind: its metadata rules, defaults and validation. */
export interface KindRules {
  readonly meta: ObjectMetaRules;
  /** Applies the API server's defaults in place (the kind's SetDefaults_* functions). */
  readonly applyDefaults?: (obj: any) => void;
  /** Validates a defaulted object, metadata excluded (the kind's Validate* functions). */
  readonly validate?: (obj: any) => FieldError[];
}
