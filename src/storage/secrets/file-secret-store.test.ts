import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { parseCapsuleId } from '../../core/ids/capsule-id.js';
import { HOST_SCOPE, parsePrincipalId } from '../../core/ids/principal-id.js';
import { AstridHome } from '../home/astrid-home.js';
import { capsuleSecretStore, resolveCapsuleSecret } from './capsule-secrets.js';
import { FileSecretStore, MAX_SECRET_BYTES } from './file-secret-store.js';

describe('FileSecretStore', () => {
  it('stores one 0600 file per key in a 0700 directory and reads it back', async () => {
    const root = join(await tempDir(), 'secrets', 'alice', 'cap');
    const s = new FileSecretStore(root);
    await s.set('API_KEY', 'sk-123');
    expect(await s.get('API_KEY')).toBe('sk-123');
    expect(await s.exists('API_KEY')).toBe(true);
    expect((await stat(join(root, 'API_KEY'))).mode & 0o777).toBe(0o600);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    expect(await s.delete('API_KEY')).toBe(true);
    expect(await s.delete('API_KEY')).toBe(false);
    expect(await s.get('API_KEY')).toBeNull();
  });

  it.each(['a:b', 'a/b', '', '..', 'a\0b'])('rejects the key %j', async (key) => {
    const s = new FileSecretStore(await tempDir());
    await expect(s.set(key, 'v')).rejects.toThrow();
  });

  it('rejects empty values and refuses to read an oversized file', async () => {
    const root = await tempDir();
    const s = new FileSecretStore(root);
    await expect(s.set('K', '')).rejects.toThrow(/must not be empty/);
    await writeFile(join(root, 'BIG'), Buffer.alloc(MAX_SECRET_BYTES + 1, 0x61));
    await expect(s.get('BIG')).rejects.toThrow(/65536/);
  });

  it('resolves a principal secret before the host-wide one', async () => {
    const home = new AstridHome(await tempDir());
    const cap = parseCapsuleId('weather');
    const alice = parsePrincipalId('alice');
    expect(await resolveCapsuleSecret(home, alice, cap, 'KEY')).toBeNull();
    await capsuleSecretStore(home, HOST_SCOPE, cap).set('KEY', 'host');
    expect(await resolveCapsuleSecret(home, alice, cap, 'KEY')).toBe('host');
    await capsuleSecretStore(home, alice, cap).set('KEY', 'mine');
    expect(await resolveCapsuleSecret(home, alice, cap, 'KEY')).toBe('mine');
  });
});
