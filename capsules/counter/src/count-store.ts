import { fromUtf8, isHostError, kv, utf8 } from '@astrid/sdk';

/** The KV key of the count (KV is already scoped to the calling principal). */
const KEY = 'count';
const CAS_ATTEMPTS = 8;

function decode(value: Uint8Array | undefined): number {
  if (value === undefined) return 0;
  const n = Number(fromUtf8(value));
  if (!Number.isSafeInteger(n))
    throw new Error('the stored count is corrupt; run counter_reset to start again');
  return n;
}

/** The calling principal's count (0 before the first increment). */
export function readCount(): number {
  return decode(kv.get(KEY));
}

/**
 * Replaces the calling principal's count with `next(current)`, atomically:
 * a concurrent change makes the compare-and-swap fail and the update retry
 * on the new value.
 */
export function updateCount(next: (current: number) => number): {
  previous: number;
  count: number;
} {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const stored = kv.get(KEY);
    const previous = decode(stored);
    const count = next(previous);
    if (!Number.isSafeInteger(count))
      throw new Error(`the count would leave the exact integer range (${count})`);
    try {
      kv.compareAndSwap(KEY, stored, utf8(String(count)));
      return { previous, count };
    } catch (e) {
      if (!isHostError(e, 'cas-mismatch')) throw e;
    }
  }
  throw new Error(`the count kept changing during ${CAS_ATTEMPTS} attempts; try again`);
}
