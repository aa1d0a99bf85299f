/**
 * The kinds of field errors the Kubernetes API server reports
 * (k8s.io/apimachinery/pkg/util/validation/field/errors.go).
 */
export enum FieldErrorType {
  /** A required field is missing or empty. */
  REQUIRED = 'Required',
  /** The value is malformed or out of range. */
  INVALID = 'Invalid',
  /** The value is not one of the supported values. */
  NOT_SUPPORTED = 'NotSupported',
  /** The value must be unique and is not. */
  DUPLICATE = 'Duplicate',
  /** The field may not be set in this context. */
  FORBIDDEN = 'Forbidden',
  /** The value is longer than allowed. */
  TOO_LONG = 'TooLong',
  /** The list has more items than allowed. */
  TOO_MANY = 'TooMany',
}

/**
 * One validation failure, as the Kubernetes API server reports it.
 */
export interface FieldError {
  /** Field path exactly as the API server writes it, e.g. `spec.ports[0].nodePort`. */
  readonly field: string;
  /**
   * The kind of failure, one of the `FieldErrorType` values: `Required`, `Invalid`,
   * `NotSupported`, `Duplicate`, `Forbidden`, `TooLong`, `TooMany`.
   */
  readonly type: string;
  /** Human-readable detail, e.g. `must be between 1 and 65535, inclusive`. */
  readonly message: string;
  /**
   * The offending value, when the error type carries one.
   * @default - no value
   */
  readonly value?: any;
}

/** The detail text the API server prefixes to each error type (field/errors.go `ErrorType.String`). */
const TYPE_PREFIX: Record<string, string> = {
  [FieldErrorType.REQUIRED]: 'Required value',
  [FieldErrorType.INVALID]: 'Invalid value',
  [FieldErrorType.NOT_SUPPORTED]: 'Unsupported value',
  [FieldErrorType.DUPLICATE]: 'Duplicate value',
  [FieldErrorType.FORBIDDEN]: 'Forbidden',
  [FieldErrorType.TOO_LONG]: 'Too long',
  [FieldErrorType.TOO_MANY]: 'Too many',
};

const TYPES_WITH_VALUE = new Set<string>([FieldErrorType.INVALID, FieldErrorType.NOT_SUPPORTED, FieldErrorType.DUPLICATE]);

/**
 * Renders a field error the way `kubectl apply` shows it, e.g.
 * `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`.
 */
export function formatFieldError(error: FieldError): string {
  let text = `${error.field}: ${TYPE_PREFIX[error.type]}`;
  if (TYPES_WITH_VALUE.has(error.type) && error.value !== undefined) {
    text += `: ${JSON.stringify(error.value)}`;
  }
  if (error.message) text += `: ${error.message}`;
  return text;
}
