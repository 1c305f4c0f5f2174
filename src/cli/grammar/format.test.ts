import { describe, expect, it } from 'vitest';
import { parseDurationSecs } from './duration.js';
import { formatDuration } from './format-duration.js';
import { formatRate, formatSize } from './format-size.js';
import { parseSize } from './size.js';

describe('formatSize', () => {
  it('uses exact binary or decimal units, the larger one winning', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1024)).toBe('1 KiB');
    expect(formatSize(1000)).toBe('1 KB');
    expect(formatSize(64 * 1024 ** 2)).toBe('64 MiB');
    expect(formatSize(1_610_612_736)).toBe('1.5 GiB');
    expect(formatSize(1_000_000)).toBe('1 MB');
    expect(formatSize(2_000_000_000)).toBe('2 GB');
    expect(formatSize(1100)).toBe('1.1 KB');
    expect(formatSize(1024 ** 4)).toBe('1 TiB');
  });

  it('rounds to two decimals when nothing is exact', () => {
    expect(formatSize(1_234_567)).toBe('1.18 MiB');
    expect(formatSize(1023)).toBe('1023 B');
  });

  it('round-trips exact values through the size grammar', () => {
    for (const n of [1, 1000, 1024, 1_610_612_736, 1_000_000, 2_359_296, 1100]) {
      const parsed = parseSize(formatSize(n));
      expect(parsed).toEqual({ ok: true, value: n });
    }
  });

  it('formats rates', () => {
    expect(formatRate(1_000_000)).toBe('1 MB/s');
    expect(formatRate(10 * 1024 ** 2)).toBe('10 MiB/s');
  });
});

describe('formatDuration', () => {
  it('writes the grammar notation', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(86_400)).toBe('1d');
    expect(formatDuration(93_784)).toBe('1d2h3m4s');
  });

  it('round-trips through the duration grammar', () => {
    for (const n of [0, 1, 59, 60, 3599, 3600, 86_400, 93_784]) {
      expect(parseDurationSecs(formatDuration(n))).toEqual({ ok: true, value: n });
    }
  });
});
