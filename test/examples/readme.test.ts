// The README's quick start is examples/quick-start/main.ts; this keeps the two equal and runs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnosticCodes } from '../../src/dataplane/diagnostic-codes';

const root = path.join(__dirname, '..', '..');

test('the README quick start is examples/quick-start/main.ts', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const example = fs.readFileSync(path.join(root, 'examples', 'quick-start', 'main.ts'), 'utf8');
  expect(block).toContain('Cluster.fromChart');
  expect(example.split('\n').slice(1).join('\n')).toBe(block!.replace("from 'cdk8s-traffic';", "from '../../src';"));
});

test('the quick start routes the request to cart and reports the missing TLS secret', () => {
  const lines: unknown[][] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args); });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- run the script's top level, as a reader would
    jest.isolateModules(() => require('../../examples/quick-start/main'));
  } finally {
    log.mockRestore();
  }
  expect(lines[0].slice(0, 2)).toEqual([200, 'base/cart']);
  expect(String(lines[0][2])).toMatch(/^base\/shop-cart-/);
  const diagnostics = lines[lines.length - 1][0] as Array<{ code: string; object: string }>;
  expect(diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'TLS_SECRET_NOT_FOUND', object: 'Ingress/base/shop' })]));
});

/** The rows of the README table that follows `heading` (a line of the Checks section). */
function tableAfter(readme: string, heading: string): string[] {
  const start = readme.indexOf(heading);
  expect(start).toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('| Code |'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  return lines.slice(first + 2, end);
}

test('the README tables are the diagnostic code registry: every code, in order, with severity and summary', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const rows = (reportedBy: string) => diagnosticCodes().filter((c) => c.reportedBy === reportedBy).map((c) => `| \`${c.code}\` | ${c.severity} | ${c.summary} |`);
  expect(tableAfter(readme, 'The model itself reports')).toEqual(rows('model'));
  expect(tableAfter(readme, 'The checks read the compiled model')).toEqual(rows('check'));
  expect(rows('model')).toContain('| `INVALID_OBJECT` | error | The API server would reject the object; it takes no part in the model |');
});
