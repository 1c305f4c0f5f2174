export const EPHEMERAL_IDLE_SECS = 30;

export interface IdlePlan {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly graceMs: number;
}

/**
 * When a daemon shuts itself down for idleness: ephemeral daemons after the
 * configured timeout (default 30 s), checking every second after 5 s;
 * persistent daemons only when a timeout is configured, checking every 15 s
 * after 30 s. Null = never. Pure.
 */
export function idlePlan(ephemeral: boolean, configuredSecs: number | null): IdlePlan | null {
  if (ephemeral)
    return {
      timeoutMs: (configuredSecs ?? EPHEMERAL_IDLE_SECS) * 1000,
      pollMs: 1000,
      graceMs: 5000,
    };
  if (configuredSecs === null) return null;
  return { timeoutMs: configuredSecs * 1000, pollMs: 15_000, graceMs: 30_000 };
}

/** Tracks how long the daemon has been idle; `observe` returns true once the timeout has passed. */
export class IdleClock {
  private idleSince: number | null = null;
  private readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  observe(idle: boolean, nowMs: number): boolean {
    if (!idle) {
      this.idleSince = null;
      return false;
    }
    this.idleSince ??= nowMs;
    return nowMs - this.idleSince >= this.timeoutMs;
  }
}
