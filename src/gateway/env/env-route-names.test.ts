import { describe, expect, it } from 'vitest';
import { capsulePathId, checkEnvSegment } from './env-route-names.js';

describe('checkEnvSegment', () => {
  it.each(['API_KEY', 'a.b', 'x-1', 'A'.repeat(128)])('accepts %j', (value) => {
    expect(checkEnvSegment('field', value)).toEqual({ ok: true, value });
  });

  it.each(['', '..', 'a..b', 'a/b', 'a b', 'ä', 'A'.repeat(129), '%2e%2e'])(
    'refuses %j',
    (value) => {
      const r = checkEnvSegment('field', value);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-input');
        expect(r.error.message).toMatch(/^invalid field /);
      }
    },
  );
});

describe('capsulePathId', () => {
  it('needs both the segment rule and the capsule name grammar', () => {
    expect(capsulePathId('weather')).toEqual({ ok: true, value: 'weather' });
    expect(capsulePathId('a..b').ok).toBe(false);
    const upper = capsulePathId('Weather.v2');
    expect(upper.ok).toBe(false);
    if (!upper.ok) expect(upper.error.message).toMatch(/lowercase letters, digits and '-'/);
    expect(capsulePathId('-lead').ok).toBe(false);
  });
});
