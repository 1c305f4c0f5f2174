import { describe, expect, it } from 'vitest';
import { b64urlDecodeStrict, b64urlEncode } from './base64url.js';

describe('strict base64url', () => {
  it('round-trips unpadded URL-safe text', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'alice', '1700000000', '\u00ff\u0000?>']) {
      const enc = b64urlEncode(s);
      expect(enc).not.toContain('=');
      expect(b64urlDecodeStrict(enc)?.toString('utf8')).toBe(s);
    }
  });

  it.each([
    ['padding', 'YWxpY2U='],
    ['standard alphabet +', 'a+b'],
    ['standard alphabet /', 'a/bc'],
    ['whitespace', 'YWxp Y2U'],
    ['dangling 6 bits', 'YWxpY'],
    ['non-canonical trailing bits', 'YR'],
    ['non-canonical trailing bits (2 bytes)', 'YWy'],
    ['a dot', 'YW.x'],
  ])('rejects %s', (_what, text) => {
    expect(b64urlDecodeStrict(text)).toBeNull();
  });
});
