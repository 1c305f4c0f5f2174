/** Small helpers so every benchmark prints comparable `name: value unit (context)` lines. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `fn(iterations)` `runs` times after one warm-up and returns the median
 * operations per second.
 */
export function opsPerSecond(
  fn: (iterations: number) => void,
  iterations: number,
  runs = 7,
): number {
  fn(Math.min(iterations, 10_000));
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    fn(iterations);
    const ns = Number(process.hrtime.bigint() - start);
    rates.push(iterations / (ns / 1e9));
  }
  return median(rates);
}

export async function opsPerSecondAsync(
  fn: (iterations: number) => Promise<void>,
  iterations: number,
  runs = 7,
): Promise<number> {
  await fn(Math.min(iterations, 1_000));
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    await fn(iterations);
    const ns = Number(process.hrtime.bigint() - start);
    rates.push(iterations / (ns / 1e9));
  }
  return median(rates);
}

export function report(name: string, value: number, unit: string, context?: string): void {
  const shown = value >= 100 ? Math.round(value).toString() : value.toPrecision(3);
  console.log(`${name}: ${shown} ${unit}${context ? ` (${context})` : ''}`);
}
