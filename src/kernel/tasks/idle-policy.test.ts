import { describe, expect, it } from 'vitest';
import { MethodRateLimiter } from '../requests/method-rate-limiter.js';
import { IdleClock, idlePlan } from './idle-policy.js';

describe('idle policy', () => {
  it('ephemeral daemons default to 30 s; persistent ones only with a configured timeout', () => {
    expect(idlePlan(true, null)).toEqual({ timeoutMs: 30_000, pollMs: 1000, graceMs: 5000 });
    expect(idlePlan(true, 2)?.timeoutMs).toBe(2000);
    expect(idlePlan(false, null)).toBeNull();
    expect(idlePlan(false, 60)).toEqual({ timeoutMs: 60_000, pollMs: 15_000, graceMs: 30_000 });
  });

  it('the idle clock resets on activity', () => {
    const c = new IdleClock(1000);
    expect(c.observe(true, 0)).toBe(false);
    expect(c.observe(true, 900)).toBe(false);
    expect(c.observe(false, 950)).toBe(false);
    expect(c.observe(true, 1000)).toBe(false);
    expect(c.observe(true, 2000)).toBe(true);
  });
});

describe('method rate limiter', () => {
  it('allows N per sliding minute per method', () => {
    const r = new MethodRateLimiter();
    expect(r.allow('Shutdown', 1, 0)).toBe(true);
    expect(r.allow('Shutdown', 1, 59_999)).toBe(false);
    expect(r.allow('Other', 1, 1)).toBe(true);
    expect(r.allow('Shutdown', 1, 60_000)).toBe(true);
  });
});
