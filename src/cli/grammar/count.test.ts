import { describe, expect, it } from 'vitest';
import { parseCount } from './count.js';

describe('parseCount', () => {
  it('reads whole numbers, with optional _ grouping', () => {
    expect(parseCount('0')).toEqual({ ok: true, value: 0 });
    expect(parseCount(' 4 ')).toEqual({ ok: true, value: 4 });
    expect(parseCount('2_000_000_000')).toEqual({ ok: true, value: 2_000_000_000 });
  });

  it('rejects signs, fractions, units and misplaced separators', () => {
    for (const bad of ['', '-1', '+1', '1.5', '4k', '_1', '1__0', '1_', 'four']) {
      const r = parseCount(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/whole number such as 4/);
    }
  });

  it('rejects numbers beyond the safe integer range', () => {
    const r = parseCount('9007199254740993');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/too large/);
  });
});
