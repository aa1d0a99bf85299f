// The README's quick start is examples/quick-start/main.ts; this keeps the two equal and runs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRules } from '../../src/checks/rules';

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

test('the README checks table lists every check code with its severity', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const rules = checkRules();
  expect(rules.map((r) => r.code)).toEqual(expect.arrayContaining(['SERVICE_SELECTOR_NO_MATCH', 'TLS_SECRET_NOT_FOUND', 'INGRESS_NO_TLS']));
  for (const rule of rules) expect(readme).toContain(`| \`${rule.code}\` | ${rule.severity} |`);
});
