// One registry of diagnostic codes: every code the source can emit is registered, and every
// severity comes from the registry.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeOf, diagnostic, diagnosticCodes } from '../../src/dataplane/diagnostic-codes';

const SRC = path.join(__dirname, '..', '..', 'src');
const REGISTRY = path.join(SRC, 'dataplane', 'diagnostic-codes.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && full !== REGISTRY ? [full] : [];
  });
}

const CODE_LITERAL = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;

/** Codes written as `code: 'X'` (a Diagnostic or a diagnostic() argument) or as the first argument of finding(), ternaries included. */
function emittedCodes(text: string): string[] {
  const codes: string[] = [];
  for (const m of text.matchAll(/\bcode: '([^']*)'/g)) codes.push(m[1]);
  for (const m of text.matchAll(/\bfinding\(([^,]*),/g)) for (const c of m[1].matchAll(CODE_LITERAL)) codes.push(c[1]);
  return codes;
}

const files = sourceFiles(SRC).map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, 'utf8') }));
const emitted = new Map<string, string[]>();
for (const { file, text } of files) {
  for (const code of emittedCodes(text)) emitted.set(code, [...(emitted.get(code) ?? []), file]);
}

test('the scan sees the model\'s and the checks\' codes, including those chosen by a condition', () => {
  expect([...emitted.keys()]).toEqual(expect.arrayContaining(['INVALID_OBJECT', 'HOST_PORT_CONFLICT', 'ENDPOINTS_OVERWRITTEN', 'SERVICE_SELECTOR_NO_MATCH', 'TLS_KEY_MISMATCH', 'TLS_SECRET_MALFORMED']));
});

test('every code the source can emit is registered', () => {
  const unregistered = [...emitted].filter(([code]) => !diagnosticCodes().some((c) => c.code === code)).map(([code, where]) => `${code} (${where.join(', ')})`);
  expect(unregistered).toEqual([]);
});

test('every registered code is emitted somewhere (no stale entries)', () => {
  expect(diagnosticCodes().map((c) => c.code).filter((code) => !emitted.has(code))).toEqual([]);
});

test('no source file writes a severity: it comes from the registry', () => {
  const literal = files.filter(({ text }) => /\bseverity: '(error|warning|info)'/.test(text)).map(({ file }) => file);
  expect(literal).toEqual([]);
});

test('codes are unique, UPPER_SNAKE, with a severity, a summary and a source', () => {
  const codes = diagnosticCodes().map((c) => c.code);
  expect(new Set(codes).size).toBe(codes.length);
  for (const c of diagnosticCodes()) {
    expect(c.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
    expect(['error', 'warning', 'info']).toContain(c.severity);
    expect(c.summary).toMatch(/^\S.*[^.]$/);
    expect(c.source).not.toBe('');
  }
});

test('diagnostic() takes the severity from the registry, keeps field and hint only when given, and refuses an unknown code', () => {
  expect(diagnostic({ code: 'HOST_PORT_CONFLICT', object: 'Pod/a/b', message: 'm' })).toEqual({ code: 'HOST_PORT_CONFLICT', severity: 'warning', object: 'Pod/a/b', message: 'm' });
  const d = diagnostic({ code: 'INVALID_OBJECT', object: 'Service/a/b', field: 'spec.type', message: 'm', hint: 'h' });
  expect(d).toEqual({ code: 'INVALID_OBJECT', severity: 'error', object: 'Service/a/b', field: 'spec.type', message: 'm', hint: 'h' });
  expect(Object.keys(diagnostic({ code: 'TLS_CERT_EXPIRED', object: 'o', field: undefined, message: 'm', hint: undefined }))).toEqual(['code', 'severity', 'object', 'message']);
  expect(() => diagnostic({ code: 'NO_SUCH_CODE', object: 'o', message: 'm' })).toThrow(/unknown diagnostic code NO_SUCH_CODE/);
  expect(codeOf('EXPOSURE_NODE_PORT').severity).toBe('info');
});
