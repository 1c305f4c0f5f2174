import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERVAL_MS, parseInterval, parseRequest } from './request.js';

describe('ticker requests', () => {
  it('reads the status and crash ops', () => {
    expect(parseRequest({ op: 'status' })).toEqual({ op: 'status' });
    expect(parseRequest({ op: 'crash', extra: 1 })).toEqual({ op: 'crash' });
  });

  it('explains anything else', () => {
    expect(parseRequest({ op: 'stop' })).toEqual({
      op: 'invalid',
      reason: 'unknown op "stop"; expected "status" or "crash"',
    });
    expect(parseRequest({})).toMatchObject({
      op: 'invalid',
      reason: expect.stringContaining('null'),
    });
    for (const payload of [null, 'status', ['status'], 3])
      expect(parseRequest(payload).op).toBe('invalid');
  });
});

describe('ticker interval', () => {
  it('defaults to 1 s and accepts whole milliseconds from 50 to 60000', () => {
    expect(parseInterval(undefined)).toBe(DEFAULT_INTERVAL_MS);
    expect(parseInterval(' ')).toBe(DEFAULT_INTERVAL_MS);
    expect(parseInterval('50')).toBe(50);
    expect(parseInterval('60000')).toBe(60_000);
  });

  it('refuses values the loop could not honour', () => {
    for (const bad of ['49', '60001', '1.5', 'soon', '-1'])
      expect(() => parseInterval(bad)).toThrow(/TICK_INTERVAL_MS must be a whole number/);
  });
});
