import { describe, expect, it } from 'vitest';
import { parseSize } from './size.js';

function bytes(text: string, kind: 'size' | 'rate' = 'size'): number {
  const r = parseSize(text, kind);
  if (!r.ok) throw r.error;
  return r.value;
}

function failure(text: string, kind: 'size' | 'rate' = 'size'): string {
  const r = parseSize(text, kind);
  if (r.ok) throw new Error(`${text} parsed as ${r.value}`);
  expect(r.error.code).toBe('invalid-input');
  return r.error.message;
}

describe('parseSize', () => {
  it('reads plain numbers and B as bytes', () => {
    expect(bytes('0')).toBe(0);
    expect(bytes('4096')).toBe(4096);
    expect(bytes('4096B')).toBe(4096);
    expect(bytes('  12 b ')).toBe(12);
  });

  it('reads decimal units as powers of 1000 and binary units as powers of 1024', () => {
    expect(bytes('1K')).toBe(1000);
    expect(bytes('1KB')).toBe(1000);
    expect(bytes('1KiB')).toBe(1024);
    expect(bytes('2M')).toBe(2_000_000);
    expect(bytes('2MB')).toBe(2_000_000);
    expect(bytes('256MiB')).toBe(256 * 1024 ** 2);
    expect(bytes('3G')).toBe(3e9);
    expect(bytes('3GB')).toBe(3e9);
    expect(bytes('3GiB')).toBe(3 * 1024 ** 3);
    expect(bytes('1T')).toBe(1e12);
    expect(bytes('1TB')).toBe(1e12);
    expect(bytes('1TiB')).toBe(1024 ** 4);
  });

  it('ignores the case of units and allows a space before them', () => {
    expect(bytes('256mib')).toBe(256 * 1024 ** 2);
    expect(bytes('256MIB')).toBe(256 * 1024 ** 2);
    expect(bytes('1 gb')).toBe(1e9);
    expect(bytes('5k')).toBe(5000);
  });

  it('computes decimal fractions exactly', () => {
    expect(bytes('1.5GiB')).toBe(1_610_612_736);
    expect(bytes('1.1MB')).toBe(1_100_000);
    expect(bytes('0.5KiB')).toBe(512);
    expect(bytes('2.25 MiB')).toBe(2_359_296);
  });

  it('refuses fractions of a byte', () => {
    expect(failure('1.5')).toMatch(/not a whole number of bytes/);
    expect(failure('0.1KiB')).toMatch(/not a whole number of bytes/);
  });

  it('accepts /s only for rates', () => {
    expect(bytes('1MB/s', 'rate')).toBe(1_000_000);
    expect(bytes('512KiB / s', 'rate')).toBe(512 * 1024);
    expect(bytes('10MiB', 'rate')).toBe(10 * 1024 ** 2);
    expect(failure('1MB/s')).toMatch(/'\/s' belongs to rates.*e\.g\. 512MiB/);
  });

  it('rejects garbage with an example', () => {
    for (const bad of [
      '',
      'abc',
      '-1',
      '1..5',
      '.5K',
      '1.',
      '1e6',
      'MB',
      '1 2',
      '1MB/h',
      '1/s/s',
    ]) {
      expect(failure(bad)).toMatch(/e\.g\. 512MiB/);
    }
    expect(failure('1 PB')).toMatch(/unknown unit "PB"/);
    expect(failure('1Ki')).toMatch(/unknown unit "Ki"/);
    expect(failure('x', 'rate')).toMatch(/invalid rate "x".*e\.g\. 1MB\/s/);
  });

  it('rejects sizes beyond the safe integer range', () => {
    expect(failure('9000TiB')).toMatch(/too large/);
    expect(bytes('8000TiB')).toBe(8000 * 1024 ** 4);
  });
});
