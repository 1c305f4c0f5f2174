import type { PrincipalId } from '../../core/ids/principal-id.js';

const WINDOW_MS = 1000;
const PRUNE_ABOVE = 1000;
const PRUNE_INTERVAL_MS = 60_000;

interface Window {
  start: number;
  fuel: bigint;
}

/**
 * Per-principal fuel spent in the current one-second window. Enforcement is a
 * decision (`overBudget`), recording is separate (`record`, after a call), so
 * a principal over its budget is denied until the window rolls.
 */
export class CpuRateLimiter {
  private readonly windows = new Map<PrincipalId, Window>();
  private lastPrune = 0;

  /**
   * Whether `principal` has spent more than `budget` fuel in the current
   * window. `0` means unlimited; a principal never seen is within budget
   * (nothing is created). Strict: spending exactly the budget is allowed.
   */
  overBudget(principal: PrincipalId, budget: bigint, now: number): boolean {
    if (budget <= 0n) return false;
    const w = this.windows.get(principal);
    if (w === undefined) return false;
    this.roll(w, now);
    return w.fuel > budget;
  }

  record(principal: PrincipalId, fuel: bigint, now: number): void {
    if (fuel <= 0n) return;
    let w = this.windows.get(principal);
    if (w === undefined) {
      w = { start: now, fuel: 0n };
      this.windows.set(principal, w);
    }
    this.roll(w, now);
    w.fuel += fuel;
    if (this.windows.size > PRUNE_ABOVE && now - this.lastPrune >= PRUNE_INTERVAL_MS) {
      this.lastPrune = now;
      for (const [key, value] of this.windows)
        if (now - value.start >= WINDOW_MS) this.windows.delete(key);
    }
  }

  /** Fuel spent in the current window (0 when none). */
  spent(principal: PrincipalId, now: number): bigint {
    const w = this.windows.get(principal);
    if (w === undefined) return 0n;
    this.roll(w, now);
    return w.fuel;
  }

  get size(): number {
    return this.windows.size;
  }

  private roll(w: Window, now: number): void {
    // A clock that steps backwards also starts a fresh window (fails open, never denies forever).
    if (now - w.start >= WINDOW_MS || now < w.start) {
      w.start = now;
      w.fuel = 0n;
    }
  }
}

/** The denial reason the kernel reports. */
export function cpuBudgetReason(principal: string, budget: bigint): string {
  return `principal '${principal}' exceeded CPU budget of ${budget} fuel/sec`;
}
