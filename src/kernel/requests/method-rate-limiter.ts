const WINDOW_MS = 60_000;

/**
 * Per-method sliding 60 s windows shared by every caller (kernel requests
 * such as Shutdown 1/min, ReloadCapsules 5/min). Pure apart from the clock
 * passed in.
 */
export class MethodRateLimiter {
  private readonly hits = new Map<string, number[]>();

  /** Records a hit and returns true, or returns false (nothing recorded) when `limit` hits are in the window. */
  allow(method: string, limit: number, nowMs: number): boolean {
    const recent = (this.hits.get(method) ?? []).filter((t) => nowMs - t < WINDOW_MS);
    if (recent.length >= limit) {
      this.hits.set(method, recent);
      return false;
    }
    recent.push(nowMs);
    this.hits.set(method, recent);
    return true;
  }
}
