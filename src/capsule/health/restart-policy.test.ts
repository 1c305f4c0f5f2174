import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RESTART_POLICY as P, restartDecision } from './restart-policy.js';

describe('restart policy', () => {
  it('never restarts on the tick that first sees the failure, then backs off 2 s doubling to 120 s', () => {
    let d = restartDecision(undefined, 0, P);
    expect(d.restart).toBe(false);
    d = restartDecision(d.tracker, 1999, P);
    expect(d.restart).toBe(false);
    d = restartDecision(d.tracker, 2000, P);
    expect(d).toMatchObject({ restart: true, tracker: { attempts: 1, lastAttemptMs: 2000 } });
    expect(restartDecision(d.tracker, 5999, P).restart).toBe(false);
    expect(restartDecision(d.tracker, 6000, P).restart).toBe(true);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(a, P))).toEqual([
      2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000,
    ]);
  });

  it('gives up after five attempts', () => {
    const d = restartDecision({ attempts: 5, lastAttemptMs: 0 }, 10_000_000, P);
    expect(d).toMatchObject({ restart: false, exhausted: true });
  });
});
