import { describe, expect, it } from 'vitest';
import { humanBytes } from './human-bytes.js';

describe('humanBytes', () => {
  it('uses B, kB, MB and GB', () => {
    expect(humanBytes(999)).toBe('999 B');
    expect(humanBytes(1500)).toBe('1.5 kB');
    expect(humanBytes(2_500_000)).toBe('2.5 MB');
    expect(humanBytes(1_200_000_000)).toBe('1.20 GB');
  });
});
