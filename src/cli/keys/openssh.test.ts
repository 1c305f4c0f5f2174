import { describe, expect, it } from 'vitest';
import { opensshPublicKey } from './openssh.js';

describe('opensshPublicKey', () => {
  it('encodes (u32be 11, "ssh-ed25519", u32be 32, key) in base64 after the type', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const line = opensshPublicKey(key);
    const [type, b64, comment] = line.split(' ');
    expect(type).toBe('ssh-ed25519');
    expect(comment).toBeUndefined();
    const blob = Buffer.from(b64 as string, 'base64');
    expect(blob.readUInt32BE(0)).toBe(11);
    expect(blob.subarray(4, 15).toString('ascii')).toBe('ssh-ed25519');
    expect(blob.readUInt32BE(15)).toBe(32);
    expect([...blob.subarray(19)]).toEqual([...key]);
    expect(blob.length).toBe(51);
  });

  it('matches a known OpenSSH encoding and appends a comment', () => {
    // The all-zero key: ssh-keygen prints this blob for it.
    expect(opensshPublicKey(new Uint8Array(32), 'me@host')).toBe(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA me@host',
    );
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => opensshPublicKey(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});
