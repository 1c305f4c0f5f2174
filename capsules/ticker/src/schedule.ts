/**
 * The deadline after a tick due at `due`, at `now`: one interval later, or
 * one interval from now when the loop fell behind (missed ticks are skipped,
 * not replayed in a burst). Pure.
 */
export function nextDeadline(due: number, now: number, intervalMs: number): number {
  const next = due + intervalMs;
  return next > now ? next : now + intervalMs;
}
