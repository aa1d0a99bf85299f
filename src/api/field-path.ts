import { FieldError, FieldErrorType } from './field-error';

/** Constructors for FieldError, one per type, as field/errors.go has them. */
export function required(field: FieldPath | string, message = ''): FieldError {
  return { field: String(field), type: FieldErrorType.REQUIRED, message };
}
export function invalid(field: FieldPath | string, value: unknown, message: string): FieldError {
  return { field: String(field), type: FieldErrorType.INVALID, message, value };
}
export function notSupported(field: FieldPath | string, value: unknown, supported: readonly string[]): FieldError {
  const message = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
  return { field: String(field), type: FieldErrorType.NOT_SUPPORTED, message, value };
}
export function duplicate(field: FieldPath | string, value: unknown): FieldError {
  return { field: String(field), type: FieldErrorType.DUPLICATE, message: '', value };
}
export function forbidden(field: FieldPath | string, message: string): FieldError {
  return { field: String(field), type: FieldErrorType.FORBIDDEN, message };
}
export function tooLong(field: FieldPath | string, maxLength: number): FieldError {
  return { field: String(field), type: FieldErrorType.TOO_LONG, message: `may not be longer than ${maxLength}` };
}
export function tooMany(field: FieldPath | string, actual: number, max: number): FieldError {
  return { field: String(field), type: FieldErrorType.TOO_MANY, message: `must have at most ${max} items`, value: actual };
}

/**
 * A field path built the way the API server builds it (field/path.go):
 * `root.child`, `list[3]`, `map[key]`.
 */
export class FieldPath {
  public static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  private constructor(private readonly text: string) {}

  public child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }

  public index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  public key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  public toString(): string {
    return this.text;
  }
}
