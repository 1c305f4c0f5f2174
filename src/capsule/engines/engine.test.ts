import { describe, expect, it } from 'vitest';
import { mapCapsuleResult } from './engine.js';

const text = (u: Uint8Array) => new TextDecoder().decode(u);

describe('mapCapsuleResult', () => {
  it('maps continue, final, deny and abort; anything else continues', () => {
    const c = mapCapsuleResult({ action: 'continue', data: 'x' });
    expect(c.kind === 'continue' && text(c.payload)).toBe('x');
    const f = mapCapsuleResult({ action: 'final' });
    expect(f.kind === 'final' && f.payload.length).toBe(0);
    expect(mapCapsuleResult({ action: 'deny', data: 'no' })).toEqual({
      kind: 'deny',
      reason: 'no',
    });
    expect(mapCapsuleResult({ action: 'abort' })).toEqual({
      kind: 'deny',
      reason: 'denied by interceptor',
    });
    const other = mapCapsuleResult({ action: 'Deny', data: 'y' });
    expect(other.kind === 'continue' && text(other.payload)).toBe('y');
  });
});
