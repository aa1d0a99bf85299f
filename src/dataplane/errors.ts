/**
 * The one error the model throws for input it cannot read at all: malformed YAML (with the
 * document number and line), a directory that does not exist, or a value that is not a list of
 * manifests. Everything readable but wrong becomes a `Diagnostic` instead.
 */
export class ManifestError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
    Object.setPrototypeOf(this, ManifestError.prototype);
  }
}
