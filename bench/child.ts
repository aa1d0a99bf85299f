/**
 * Runs one scenario in this process. Started by bench/main.ts it reports over IPC; run by hand
 * (e.g. under `node --cpu-prof`) it prints the result.
 */
import { SCENARIOS } from './scenarios';

function report(message: { result?: unknown; error?: string }, code: number): void {
  if (process.send) {
    process.send(message, () => process.exit(code));
  } else {
    if (message.error) console.error(message.error);
    else console.log(JSON.stringify(message.result, null, 2));
    process.exit(code);
  }
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`bench/child.ts: give one scenario of ${Object.keys(SCENARIOS).join(', ')}`);
  report({ result: await scenario() }, 0);
}

main().catch((error: unknown) => report({ error: error instanceof Error ? error.message : String(error) }, 1));
