/** The outcome of one redeem attempt against the limiter. */
export type RedeemVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSecs: number };

/**
 * One allowed redeem per client IP per interval, shared by the invite and
 * pair-device redeem routes (spec §1.5). A refusal does not extend the wait.
 * Entries older than 8 intervals are dropped on every check. Interval 0
 * disables the limiter. `clockMs` is a monotonic clock in milliseconds.
 */
export class RedeemLimiter {
  readonly intervalSecs: number;
  private readonly clockMs: () => number;
  private readonly last = new Map<string, number>();

  constructor(intervalSecs: number, clockMs: () => number = () => performance.now()) {
    this.intervalSecs = intervalSecs;
    this.clockMs = clockMs;
  }

  check(ip: string): RedeemVerdict {
    if (this.intervalSecs <= 0) return { allowed: true };
    const now = this.clockMs();
    const interval = this.intervalSecs * 1000;
    for (const [key, at] of this.last) if (now - at > 8 * interval) this.last.delete(key);
    const previous = this.last.get(ip);
    if (previous !== undefined && now - previous < interval) {
      const waitMs = interval - (now - previous);
      return { allowed: false, retryAfterSecs: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    this.last.set(ip, now);
    return { allowed: true };
  }

  /** Tracked IPs (for tests and diagnostics). */
  get size(): number {
    return this.last.size;
  }
}
