import { describe, expect, it } from 'vitest';
import { RedeemLimiter } from './redeem-limiter.js';

describe('RedeemLimiter', () => {
  it('allows one attempt per IP per interval and reports the remaining wait', () => {
    let t = 0;
    const limiter = new RedeemLimiter(60, () => t);
    expect(limiter.check('1.1.1.1')).toEqual({ allowed: true });
    t = 10_500;
    expect(limiter.check('1.1.1.1')).toEqual({ allowed: false, retryAfterSecs: 50 });
    expect(limiter.check('2.2.2.2')).toEqual({ allowed: true });
    t = 60_000;
    expect(limiter.check('1.1.1.1')).toEqual({ allowed: true });
  });

  it('does not extend the wait on a refusal', () => {
    let t = 0;
    const limiter = new RedeemLimiter(10, () => t);
    limiter.check('ip');
    t = 9_000;
    expect(limiter.check('ip')).toEqual({ allowed: false, retryAfterSecs: 1 });
    t = 10_000;
    expect(limiter.check('ip').allowed).toBe(true);
  });

  it('reports at least 1 second', () => {
    let t = 0;
    const limiter = new RedeemLimiter(1, () => t);
    limiter.check('ip');
    t = 999.9;
    expect(limiter.check('ip')).toEqual({ allowed: false, retryAfterSecs: 1 });
  });

  it('forgets entries older than 8 intervals', () => {
    let t = 0;
    const limiter = new RedeemLimiter(1, () => t);
    limiter.check('a');
    limiter.check('b');
    expect(limiter.size).toBe(2);
    t = 8_001;
    limiter.check('c');
    expect(limiter.size).toBe(1);
  });

  it('interval 0 never limits', () => {
    const limiter = new RedeemLimiter(0, () => 0);
    for (let i = 0; i < 5; i++) expect(limiter.check('ip').allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });
});
