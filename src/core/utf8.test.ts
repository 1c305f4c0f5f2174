import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from './utf8.js';

describe('utf8ByteLength', () => {
  it.each(['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800', '\ud800x', '\udc00'])(
    'agrees with TextEncoder for %j',
    (s) => {
      expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
    },
  );
});
