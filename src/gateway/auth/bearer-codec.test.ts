import { describe, expect, it } from 'vitest';
import { b64urlEncode } from './base64url.js';
import {
  bearerFromHeader,
  claimsOf,
  decodeBearer,
  encodeBearer,
  expiryFor,
  MAX_EPOCH,
  signedMessage,
} from './bearer-codec.js';

const SIG = new Uint8Array(64).fill(0xab);

describe('bearer codec (v2)', () => {
  it('encodes four dot-separated parts with a lowercase 128-hex signature', () => {
    const token = encodeBearer('alice', 100, 200, SIG);
    const parts = token.split('.');
    expect(parts).toHaveLength(4);
    expect(parts.slice(0, 3)).toEqual([
      b64urlEncode('alice'),
      b64urlEncode('100'),
      b64urlEncode('200'),
    ]);
    expect(parts[3]).toBe('ab'.repeat(64));
  });

  it('decodes what it encodes, and rebuilds the signed message', () => {
    const d = decodeBearer(encodeBearer('alice', 100, 200, SIG));
    expect(d).not.toBeNull();
    expect(d?.principal).toBe('alice');
    expect(d?.iat).toBe(100);
    expect(d?.exp).toBe(200);
    expect(d?.message.toString()).toBe('alice:100:200');
    expect(signedMessage('alice', 100, 200).toString()).toBe('alice:100:200');
    expect(Buffer.from(d?.signature ?? []).equals(Buffer.from(SIG))).toBe(true);
  });

  it('accepts an upper-case hex signature', () => {
    const token = encodeBearer('alice', 1, 2, SIG).replace(/ab/g, 'AB');
    expect(decodeBearer(token)).not.toBeNull();
  });

  const good = encodeBearer('alice', 100, 200, SIG);
  const [p, i, e, s] = good.split('.') as [string, string, string, string];
  it.each([
    ['a v1 three-part token', [p, i, s].join('.')],
    ['five parts', `${good}.x`],
    ['a flood of dots', '.'.repeat(10_000)],
    ['padding in a part', [`${p}=`, i, e, s].join('.')],
    ['a short signature', [p, i, e, s.slice(2)].join('.')],
    ['a non-hex signature', [p, i, e, `${s.slice(2)}zz`].join('.')],
    ['a non-numeric iat', [p, b64urlEncode('12a'), e, s].join('.')],
    ['a negative exp', [p, i, b64urlEncode('-5'), s].join('.')],
    ['a leading-zero iat', [p, b64urlEncode('0100'), e, s].join('.')],
    ['an iat above 2^53', [p, b64urlEncode('18446744073709551615'), e, s].join('.')],
    ['a principal that is not UTF-8', [b64urlEncode(Buffer.from([0xff, 0xfe])), i, e, s].join('.')],
    ['an empty string', ''],
  ])('refuses %s', (_what, token) => {
    expect(decodeBearer(token)).toBeNull();
  });

  it('claims: rejects exp <= now and invalid principal ids', () => {
    const d = decodeBearer(good);
    if (d === null) throw new Error('decode');
    expect(claimsOf(d, 199)).toEqual({ principal: 'alice', iat: 100, exp: 200 });
    expect(claimsOf(d, 200)).toBeNull();
    const bad = decodeBearer(encodeBearer('bad.id', 100, 200, SIG));
    if (bad === null) throw new Error('decode');
    expect(claimsOf(bad, 150)).toBeNull();
    const reserved = decodeBearer(encodeBearer('__host__', 100, 200, SIG));
    if (reserved === null) throw new Error('decode');
    expect(claimsOf(reserved, 150)).toBeNull();
  });

  it('expiry saturates', () => {
    expect(expiryFor(10, 5)).toBe(15);
    expect(expiryFor(MAX_EPOCH - 1, 10)).toBe(MAX_EPOCH);
  });

  it('reads only `Bearer <token>` (case-sensitive, one space)', () => {
    expect(bearerFromHeader('Bearer abc')).toBe('abc');
    expect(bearerFromHeader('bearer abc')).toBeNull();
    expect(bearerFromHeader('Bearer')).toBeNull();
    expect(bearerFromHeader('Bearer ')).toBeNull();
    expect(bearerFromHeader('Basic abc')).toBeNull();
    expect(bearerFromHeader(undefined)).toBeNull();
    expect(bearerFromHeader('Bearer  abc')).toBe(' abc');
  });
});
