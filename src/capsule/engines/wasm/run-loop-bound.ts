/** Windows without an `ipc recv` after which a bounded run loop is stopped. */
export const RUN_LOOP_STRIKES = 3;
/** One epoch tick of the reference: 100 ms. */
export const TICK_MS = 100;

/** Window length: `clamp(max_timeout_secs × 10, 1, 50)` ticks (5 s with default quotas). */
export function runLoopWindowMs(maxTimeoutSecs: number | null): number {
  if (maxTimeoutSecs === null) return 50 * TICK_MS;
  return Math.min(50, Math.max(1, maxTimeoutSecs * 10)) * TICK_MS;
}

export type WindowVerdict = 'yielded' | 'blocked' | 'spinning' | 'stop';

/**
 * One window's decision: a loop that entered `recv` since the last window is
 * fine; one blocked inside a host call is not spinning; otherwise it earns a
 * strike, and the third consecutive strike stops it. Pure.
 */
export function judgeWindow(
  state: { recvYielded: boolean; hostCallsInFlight: number },
  strikes: number,
): { verdict: WindowVerdict; strikes: number } {
  if (state.recvYielded) return { verdict: 'yielded', strikes: 0 };
  if (state.hostCallsInFlight > 0) return { verdict: 'blocked', strikes };
  const next = strikes + 1;
  return { verdict: next >= RUN_LOOP_STRIKES ? 'stop' : 'spinning', strikes: next };
}
