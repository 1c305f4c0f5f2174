import { describe, expect, it } from 'vitest';
import { formatUptime } from './uptime.js';

describe('formatUptime', () => {
  it('shows seconds alone under a minute', () => {
    expect(formatUptime(0)).toBe('0s');
    expect(formatUptime(5)).toBe('5s');
    expect(formatUptime(59.9)).toBe('59s');
  });

  it('pads seconds once minutes show', () => {
    expect(formatUptime(60)).toBe('1m00s');
    expect(formatUptime(123)).toBe('2m03s');
    expect(formatUptime(3599)).toBe('59m59s');
  });

  it('pads minutes and seconds once hours show, past a day too', () => {
    expect(formatUptime(3723)).toBe('1h02m03s');
    expect(formatUptime(3600)).toBe('1h00m00s');
    expect(formatUptime(26 * 3600 + 61)).toBe('26h01m01s');
  });

  it('treats negative or non-finite input as zero', () => {
    expect(formatUptime(-4)).toBe('0s');
    expect(formatUptime(Number.NaN)).toBe('0s');
  });
});
