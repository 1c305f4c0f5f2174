import type { PrincipalId } from '../../core/ids/principal-id.js';

export const MEMORY_LEDGER_CAPACITY = 4096;

/**
 * Peak linear-memory bytes per principal, bounded: when full, a newcomer
 * replaces the lowest peak only if its own peak is strictly greater.
 */
export class MemoryLedger {
  private readonly peaks = new Map<PrincipalId, number>();
  readonly capacity: number;

  constructor(capacity = MEMORY_LEDGER_CAPACITY) {
    this.capacity = capacity;
  }

  recordPeak(principal: PrincipalId, bytes: number): void {
    if (bytes <= 0) return;
    const known = this.peaks.get(principal);
    if (known !== undefined) {
      if (bytes > known) this.peaks.set(principal, bytes);
      return;
    }
    if (this.peaks.size >= this.capacity) {
      let lowestKey: PrincipalId | undefined;
      let lowest = Number.POSITIVE_INFINITY;
      for (const [key, value] of this.peaks) {
        if (value < lowest) {
          lowest = value;
          lowestKey = key;
        }
      }
      if (lowestKey === undefined || !(bytes > lowest)) return;
      this.peaks.delete(lowestKey);
    }
    this.peaks.set(principal, bytes);
  }

  peak(principal: PrincipalId): number | undefined {
    return this.peaks.get(principal);
  }

  get size(): number {
    return this.peaks.size;
  }
}
