import { describe, expect, it } from 'vitest';
import { checkKeyName, defaultKeyName } from './key-name.js';

describe('checkKeyName', () => {
  it.each(['a', 'laptop-1', 'key-0a1b2c3d', 'x'.repeat(64)])('accepts %j', (name) => {
    expect(checkKeyName(name)).toBe(name);
  });

  it.each([
    ['', /must not be empty/],
    ['x'.repeat(65), /65 characters; the limit is 64/],
    ['Laptop', /lowercase letters, digits and '-'/],
    ['../etc', /invalid keypair name/],
    ['a.b', /invalid keypair name/],
    ['a_b', /invalid keypair name/],
    ['a b', /invalid keypair name/],
  ])('rejects %j', (name, message) => {
    expect(() => checkKeyName(name)).toThrow(message);
  });
});

describe('defaultKeyName', () => {
  it('is key- followed by 8 hex digits of the random bytes', () => {
    expect(defaultKeyName(Uint8Array.of(0x0a, 0xbc, 0x01, 0xff, 0x99))).toBe('key-0abc01ff');
    expect(checkKeyName(defaultKeyName(Uint8Array.of(1, 2, 3, 4)))).toBe('key-01020304');
  });
});
