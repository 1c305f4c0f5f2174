import { describe, expect, it } from 'vitest';
import { parsePrincipalId } from '../../core/ids/principal-id.js';
import { CpuRateLimiter, cpuBudgetReason } from './cpu-rate-limiter.js';
import { FuelLedger, U64_MAX } from './fuel-ledger.js';
import { MemoryLedger } from './memory-ledger.js';

const p = (s: string) => parsePrincipalId(s);

describe('FuelLedger', () => {
  it('sums per principal, ignores zero, saturates at u64::MAX', () => {
    const l = new FuelLedger();
    expect(l.total(p('a'))).toBe(0n);
    l.charge(p('a'), 5n);
    l.charge(p('a'), 0n);
    l.charge(p('b'), 7n);
    l.charge(p('a'), 10n);
    expect(l.total(p('a'))).toBe(15n);
    expect(l.total(p('b'))).toBe(7n);
    l.charge(p('a'), U64_MAX);
    expect(l.total(p('a'))).toBe(U64_MAX);
    expect(l.size).toBe(2);
  });
});

describe('MemoryLedger', () => {
  it('keeps the peak per principal and ignores zero', () => {
    const l = new MemoryLedger();
    l.recordPeak(p('a'), 100);
    l.recordPeak(p('a'), 50);
    l.recordPeak(p('a'), 0);
    expect(l.peak(p('a'))).toBe(100);
    l.recordPeak(p('a'), 200);
    expect(l.peak(p('a'))).toBe(200);
  });

  it('when full, evicts the lowest peak only for a strictly greater newcomer', () => {
    const l = new MemoryLedger(3);
    l.recordPeak(p('a'), 10);
    l.recordPeak(p('b'), 20);
    l.recordPeak(p('c'), 30);
    l.recordPeak(p('d'), 10);
    expect(l.peak(p('d'))).toBeUndefined();
    expect(l.peak(p('a'))).toBe(10);
    l.recordPeak(p('e'), 11);
    expect(l.peak(p('a'))).toBeUndefined();
    expect(l.peak(p('e'))).toBe(11);
    expect(l.size).toBe(3);
  });
});

describe('CpuRateLimiter', () => {
  it('denies over the budget within the window and admits again after it rolls', () => {
    const l = new CpuRateLimiter();
    const a = p('a');
    expect(l.overBudget(a, 100n, 0)).toBe(false);
    expect(l.size).toBe(0);
    l.record(a, 100n, 0);
    expect(l.overBudget(a, 100n, 10)).toBe(false); // exactly the budget is allowed
    l.record(a, 1n, 20);
    expect(l.overBudget(a, 100n, 30)).toBe(true);
    expect(l.overBudget(a, 100n, 999)).toBe(true);
    expect(l.overBudget(a, 100n, 1000)).toBe(false);
    expect(l.spent(a, 1000)).toBe(0n);
  });

  it('treats a zero budget as unlimited and keeps principals apart', () => {
    const l = new CpuRateLimiter();
    l.record(p('a'), 10n ** 12n, 0);
    expect(l.overBudget(p('a'), 0n, 1)).toBe(false);
    expect(l.overBudget(p('a'), 1n, 1)).toBe(true);
    expect(l.overBudget(p('b'), 1n, 1)).toBe(false);
  });

  it('fails open when the clock steps back', () => {
    const l = new CpuRateLimiter();
    l.record(p('a'), 500n, 10_000);
    expect(l.overBudget(p('a'), 100n, 5_000)).toBe(false);
  });

  it('prunes old windows once there are many', () => {
    const l = new CpuRateLimiter();
    for (let i = 0; i < 1100; i++) l.record(p(`p${i}`), 1n, 0);
    l.record(p('late'), 1n, 70_000);
    expect(l.size).toBe(1);
  });

  it('formats the denial reason', () => {
    expect(cpuBudgetReason('alice', 2_000_000_000n)).toBe(
      "principal 'alice' exceeded CPU budget of 2000000000 fuel/sec",
    );
  });
});
