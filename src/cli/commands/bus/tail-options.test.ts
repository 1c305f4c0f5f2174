import { describe, expect, it } from 'vitest';
import { UsageError } from '../../command-kit.js';
import { parseCount, parseTimeoutSecs, timeoutVerdict } from './tail-options.js';

describe('tail options', () => {
  it('parses -n and --timeout', () => {
    expect(parseCount('3')).toBe(3);
    expect(parseTimeoutSecs('10')).toBe(10);
    expect(parseTimeoutSecs('0.5')).toBe(0.5);
    for (const bad of ['0', '-1', 'x', '1.5', ''])
      expect(() => parseCount(bad)).toThrow(UsageError);
    for (const bad of ['0', '-1', 'x', '', '1e3', '99999999'])
      expect(() => parseTimeoutSecs(bad)).toThrow(UsageError);
  });

  it('fails a timed-out tail only when a count was asked for and not reached', () => {
    expect(timeoutVerdict(0, null, 5)).toEqual({ ok: true });
    expect(timeoutVerdict(2, 2, 5)).toEqual({ ok: true });
    expect(timeoutVerdict(0, 1, 10)).toEqual({
      ok: false,
      message: 'timed out after 10 s with 0 of 1 message',
    });
    expect(timeoutVerdict(1, 3, 2.5)).toEqual({
      ok: false,
      message: 'timed out after 2.5 s with 1 of 3 messages',
    });
  });
});
