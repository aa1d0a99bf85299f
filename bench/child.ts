/** Runs one scenario in this process and sends its result to bench/main.ts over IPC. */
import { SCENARIOS } from './scenarios';

async function main(): Promise<void> {
  const name = process.argv[2];
  const scenario = SCENARIOS[name];
  if (!scenario || !process.send) throw new Error(`bench/child.ts: run by bench/main.ts with one of ${Object.keys(SCENARIOS).join(', ')}`);
  const result = await scenario();
  process.send({ result }, () => process.exit(0));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (process.send) {
    process.send({ error: message }, () => process.exit(1));
  } else {
    console.error(message);
    process.exit(1);
  }
});
