import { describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import {
  isRevoked,
  MAX_REVOCATIONS_BYTES,
  nextRevocationEpoch,
  parseRevocations,
  serializeRevocations,
} from './revocation-map.js';

const alice = 'alice' as PrincipalId;
const bob = 'bob' as PrincipalId;

describe('revocation map', () => {
  it('parses empty and whitespace-only text as no revocations', () => {
    for (const t of ['', '  \n\t']) {
      const r = parseRevocations(t, 'f');
      expect(r.ok && r.value.size).toBe(0);
    }
  });

  it('round-trips through pretty, sorted JSON', () => {
    const map = new Map([
      [bob, 5],
      [alice, 7],
    ]);
    const text = serializeRevocations(map);
    expect(text).toBe('{\n  "alice": 7,\n  "bob": 5\n}\n');
    const back = parseRevocations(text, 'f');
    expect(back.ok && [...back.value]).toEqual([
      ['alice', 7],
      ['bob', 5],
    ]);
  });

  it.each([
    ['invalid JSON', '{', /invalid JSON/],
    ['an array', '[]', /JSON object/],
    ['an invalid principal', '{"bad.id": 1}', /invalid principal id/],
    ['a negative epoch', '{"alice": -1}', /non-negative integer/],
    ['a fractional epoch', '{"alice": 1.5}', /non-negative integer/],
    ['a string epoch', '{"alice": "1"}', /non-negative integer/],
  ])('refuses %s', (_w, text, message) => {
    const r = parseRevocations(text, '/x/gateway-revocations.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('config');
      expect(r.error.message).toMatch(message);
      expect(r.error.message).toContain('/x/gateway-revocations.json');
    }
  });

  it('refuses more than 10 MiB', () => {
    const r = parseRevocations(' '.repeat(MAX_REVOCATIONS_BYTES + 1), 'f');
    expect(r.ok).toBe(false);
  });

  it('rejects bearers issued at or before the revocation, per principal', () => {
    const map = new Map([[alice, 100]]);
    expect(isRevoked(map, alice, 99)).toBe(true);
    expect(isRevoked(map, alice, 100)).toBe(true);
    expect(isRevoked(map, alice, 101)).toBe(false);
    expect(isRevoked(map, bob, 1)).toBe(false);
  });

  it('never moves an epoch backwards', () => {
    expect(nextRevocationEpoch(undefined, 5)).toBe(5);
    expect(nextRevocationEpoch(5, 9)).toBe(9);
    expect(nextRevocationEpoch(9, 5)).toBeNull();
    expect(nextRevocationEpoch(9, 9)).toBeNull();
  });
});
