import { describe, expect, it } from 'vitest';
import { parsePubkeyFormat } from './pubkey.js';

describe('parsePubkeyFormat', () => {
  it('defaults to hex and treats pretty as hex', () => {
    expect(parsePubkeyFormat(undefined)).toBe('hex');
    expect(parsePubkeyFormat('pretty')).toBe('hex');
    expect(parsePubkeyFormat('OpenSSH')).toBe('openssh');
    expect(parsePubkeyFormat('yml')).toBe('yaml');
  });

  it('refuses an unknown format as a usage error', () => {
    expect(() => parsePubkeyFormat('pem')).toThrow(/use hex or openssh/);
  });
});
