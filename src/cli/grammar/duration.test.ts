import { describe, expect, it } from 'vitest';
import { parseDurationMs, parseDurationSecs } from './duration.js';

function ms(text: string): number {
  const r = parseDurationMs(text);
  if (!r.ok) throw r.error;
  return r.value;
}

function secs(text: string): number {
  const r = parseDurationSecs(text);
  if (!r.ok) throw r.error;
  return r.value;
}

function failure(text: string): string {
  const r = parseDurationSecs(text);
  if (r.ok) throw new Error(`${text} parsed as ${r.value}`);
  expect(r.error.code).toBe('invalid-input');
  return r.error.message;
}

describe('parseDurationMs / parseDurationSecs', () => {
  it('reads a plain integer as seconds', () => {
    expect(secs('0')).toBe(0);
    expect(secs('90')).toBe(90);
    expect(secs(' 3600 ')).toBe(3600);
  });

  it('reads each unit', () => {
    expect(ms('250ms')).toBe(250);
    expect(secs('45s')).toBe(45);
    expect(secs('5m')).toBe(300);
    expect(secs('1h')).toBe(3600);
    expect(secs('2d')).toBe(172_800);
  });

  it('adds concatenated components, in any order, with optional spaces', () => {
    expect(secs('1h30m')).toBe(5400);
    expect(secs('1d2h3m4s')).toBe(93_784);
    expect(secs('30m1h')).toBe(5400);
    expect(secs('1h 30m')).toBe(5400);
    expect(ms('1s500ms')).toBe(1500);
    expect(secs('1m1m')).toBe(120);
  });

  it('adds a trailing bare number as seconds', () => {
    expect(secs('1m30')).toBe(90);
    expect(secs('1h30m15')).toBe(5415);
  });

  it('ignores the case of units', () => {
    expect(secs('1H30M')).toBe(5400);
    expect(ms('5MS')).toBe(5);
  });

  it('refuses durations that are not whole seconds where seconds are needed', () => {
    expect(failure('1500ms')).toMatch(/not a whole number of seconds/);
    expect(secs('2000ms')).toBe(2);
  });

  it('rejects garbage with an example', () => {
    for (const bad of ['', 'abc', '-5', 'h', '1w', '1 2', '1h30x', 's1', '1y']) {
      expect(failure(bad)).toMatch(/e\.g\. 45s, 1h30m or 2d/);
    }
    expect(failure('1.5h')).toMatch(/no fractions: write 1h30m/);
  });

  it('rejects durations beyond the safe integer range', () => {
    expect(failure('999999999999999d')).toMatch(/too long/);
  });
});
