export const MAX_RESTART_ATTEMPTS = 5;
export const RESTART_BACKOFF_BASE_MS = 2000;
export const RESTART_BACKOFF_CAP_MS = 120_000;

export interface RestartTracker {
  readonly attempts: number;
  readonly lastAttemptMs: number;
}

export interface RestartPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxAttempts: MAX_RESTART_ATTEMPTS,
  baseMs: RESTART_BACKOFF_BASE_MS,
  capMs: RESTART_BACKOFF_CAP_MS,
};

/** The wait before the next attempt: base × 2^attempts, capped. */
export function backoffMs(attempts: number, policy: RestartPolicy): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** attempts);
}

/**
 * Whether a failed capsule may be restarted now. A fresh tracker starts at
 * "last attempt = now", so the tick that first sees a failure never restarts.
 * Pure.
 */
export function restartDecision(
  tracker: RestartTracker | undefined,
  nowMs: number,
  policy: RestartPolicy,
): { readonly restart: boolean; readonly tracker: RestartTracker; readonly exhausted: boolean } {
  const t = tracker ?? { attempts: 0, lastAttemptMs: nowMs };
  if (t.attempts >= policy.maxAttempts) return { restart: false, tracker: t, exhausted: true };
  const due = nowMs - t.lastAttemptMs >= backoffMs(t.attempts, policy) && tracker !== undefined;
  return due
    ? {
        restart: true,
        tracker: { attempts: t.attempts + 1, lastAttemptMs: nowMs },
        exhausted: false,
      }
    : { restart: false, tracker: t, exhausted: false };
}
