/**
 * The one error the model throws for input it cannot read at all: malformed YAML (with the
 * document number and line), a directory that does not exist, or a value that is not a list of
 * manifests. Everything readable but wrong becomes a `Diagnostic` instead.
 *
 * jsii cannot export subclasses of `Error`, so the class stays internal: callers recognise it
 * by `error.name === 'ManifestError'` or with `isManifestError(error)`.
 */
export class ManifestError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
    Object.setPrototypeOf(this, ManifestError.prototype);
  }
}

/** Whether `error` is the model's ManifestError (unreadable manifests). */
export function isManifestError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ManifestError';
}
