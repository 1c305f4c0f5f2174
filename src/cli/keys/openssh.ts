const KEY_TYPE = 'ssh-ed25519';

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * The OpenSSH public-key line of a raw 32-byte ed25519 key:
 * `ssh-ed25519 <base64 of (u32be 11, "ssh-ed25519", u32be 32, key)>`. Pure.
 */
export function opensshPublicKey(raw: Uint8Array, comment?: string): string {
  if (raw.length !== 32)
    throw new RangeError(`an ed25519 public key is 32 bytes (got ${raw.length})`);
  const type = Buffer.from(KEY_TYPE, 'ascii');
  const blob = Buffer.concat([u32be(type.length), type, u32be(raw.length), raw]);
  const line = `${KEY_TYPE} ${blob.toString('base64')}`;
  return comment === undefined || comment.length === 0 ? line : `${line} ${comment}`;
}
