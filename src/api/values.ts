/** Shape tests for decoded JSON/YAML, which may hold anything (the model feeds arbitrary input). */

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What Go's zero value would be after decoding: the API server's defaulters treat these alike. */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
