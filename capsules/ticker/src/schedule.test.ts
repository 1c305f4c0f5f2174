import { describe, expect, it } from 'vitest';
import { nextDeadline } from './schedule.js';

describe('ticker schedule', () => {
  it('keeps a steady cadence when the loop is on time', () => {
    expect(nextDeadline(1000, 1003, 1000)).toBe(2000);
  });

  it('skips missed ticks instead of replaying them in a burst', () => {
    expect(nextDeadline(1000, 3500, 1000)).toBe(4500);
    expect(nextDeadline(1000, 2000, 1000)).toBe(3000);
  });
});
