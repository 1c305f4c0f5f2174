import { describe, expect, it } from 'vitest';
import { incrementStep, MAX_STEP } from './increment.js';

describe('counter_increment step', () => {
  it('is 1 by default and "by" when it is a whole number in range', () => {
    expect(incrementStep({})).toBe(1);
    expect(incrementStep({ by: null })).toBe(1);
    expect(incrementStep({ by: 7 })).toBe(7);
    expect(incrementStep({ by: -3 })).toBe(-3);
    expect(incrementStep({ by: MAX_STEP })).toBe(MAX_STEP);
  });

  it('refuses fractions, out-of-range numbers and non-numbers with a message naming the value', () => {
    expect(() => incrementStep({ by: 1.5 })).toThrow('"by" must be a whole number');
    expect(() => incrementStep({ by: MAX_STEP + 1 })).toThrow(`got ${MAX_STEP + 1}`);
    expect(() => incrementStep({ by: '2' })).toThrow('got "2"');
  });
});
