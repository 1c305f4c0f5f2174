import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { ed25519Verify } from './ed25519.js';
import { RuntimeKey } from './runtime-key.js';

describe('RuntimeKey', () => {
  it('creates a 32-byte 0600 seed on first use and loads the same key afterwards', async () => {
    const dir = join(await tempDir(), 'keys');
    const a = await RuntimeKey.loadOrCreate(dir);
    const stat = statSync(join(dir, 'runtime.key'));
    expect(stat.size).toBe(32);
    expect(stat.mode & 0o777).toBe(0o600);
    const b = await RuntimeKey.loadOrCreate(dir);
    expect(Buffer.from(b.publicKey).equals(Buffer.from(a.publicKey))).toBe(true);
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    const data = new TextEncoder().encode('hello');
    expect(ed25519Verify(a.publicKey, data, b.sign(data))).toBe(true);
    expect(ed25519Verify(a.publicKey, new TextEncoder().encode('hellO'), b.sign(data))).toBe(false);
  });

  it('refuses a key file of the wrong size', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'runtime.key'), Buffer.alloc(31));
    await expect(RuntimeKey.loadOrCreate(dir)).rejects.toThrow(
      /invalid runtime key .* expected 32 bytes, found 31/,
    );
  });
});
