import { UsageError } from '../../command-kit.js';

/** `-n`: a whole number of messages ≥ 1. Pure. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value)))
    throw new UsageError(
      `-n must be a whole number of messages ≥ 1 (got ${JSON.stringify(value)})`,
    );
  return Number(value);
}

/** `--timeout`: seconds > 0, fractions allowed. Pure. */
export function parseTimeoutSecs(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0) || n > 2_147_483)
    throw new UsageError(
      `--timeout must be a number of seconds > 0 (got ${JSON.stringify(value)})`,
    );
  return n;
}

/**
 * How a tail that stopped on its timeout ends: a failure when a count was
 * asked for and not reached (so `-n 1 --timeout 10` can gate a script),
 * otherwise a normal end. Pure.
 */
export function timeoutVerdict(
  received: number,
  wanted: number | null,
  timeoutSecs: number,
): { readonly ok: true } | { readonly ok: false; readonly message: string } {
  if (wanted === null || received >= wanted) return { ok: true };
  return {
    ok: false,
    message: `timed out after ${timeoutSecs} s with ${received} of ${wanted} message${wanted === 1 ? '' : 's'}`,
  };
}
