/** Timing and heap helpers for the scenarios (each scenario runs in its own process). */

const MIB = 1024 * 1024;

/**
 * Wall-clock milliseconds taken by `fn`, with its result, and the CPU milliseconds this process
 * spent meanwhile (all threads, so GC helper threads count): on a loaded machine the CPU time
 * is the steadier of the two.
 */
export function timed<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

/** Heap in use after full collections, in MiB. Needs node's --expose-gc. */
export function settledHeapMiB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: run node with --expose-gc (npm run bench does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed / MIB;
}

export function rssMiB(): number {
  return process.memoryUsage().rss / MIB;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
