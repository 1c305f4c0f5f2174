import { describe, expect, it } from 'vitest';
import { UsageError } from '../../command-kit.js';
import { parseLimit, parseTimeArg } from './time-arg.js';

const NOW = 1_735_689_600; // 2025-01-01T00:00:00Z

describe('parseTimeArg', () => {
  it.each([
    ['1735689600', 1_735_689_600],
    ['0', 0],
    ['2025-01-01T00:00:00Z', NOW],
    ['2025-01-01T01:30:00+01:00', NOW + 1800],
    ['2025-01-01 00:00:10.9z', NOW + 10],
    ['2025-01-02', NOW + 86_400],
    ['30m', NOW - 1800],
    ['1h', NOW - 3600],
    ['2d', NOW - 172_800],
    ['1w', NOW - 604_800],
    ['1h30m', NOW - 5400],
    ['45s', NOW - 45],
  ])('%s → %d', (text, expected) => {
    expect(parseTimeArg('--since', text, NOW)).toBe(expected);
  });

  it.each(['', 'yesterday', '1y', '-5', '2025-01-01T00:00:00', '2025-13-45', 'h1', '1.5h'])(
    'refuses %j as a usage error naming the flag and the accepted forms',
    (text) => {
      expect(() => parseTimeArg('--until', text, NOW)).toThrow(UsageError);
      expect(() => parseTimeArg('--until', text, NOW)).toThrow(
        /^--until ".*" is not a time: use RFC 3339 .* unix seconds .* or an age such as 30m/,
      );
    },
  );

  it('never goes before the epoch', () => {
    expect(parseTimeArg('--since', '100w', 5)).toBe(0);
  });
});

describe('parseLimit', () => {
  it('accepts 1–1000 and refuses anything else', () => {
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('1000')).toBe(1000);
    for (const bad of ['0', '1001', '-1', 'ten', '2.5', ''])
      expect(() => parseLimit(bad)).toThrow('--limit must be a whole number from 1 to 1000');
  });
});
