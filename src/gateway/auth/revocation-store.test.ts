import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { recordingLogger } from '../../core/logger.js';
import { REVOCATIONS_FILE, RevocationStore } from './revocation-store.js';

const alice = 'alice' as PrincipalId;
const bob = 'bob' as PrincipalId;

describe('RevocationStore', () => {
  it('starts empty without a file, persists atomically 0600, and reloads', async () => {
    const dir = await tempDir();
    const store = await RevocationStore.load(dir, recordingLogger());
    expect(store.size).toBe(0);
    expect(store.revoke(alice, 100)).toBe(true);
    expect(store.revoke(alice, 90)).toBe(false);
    expect(store.revoke(bob, 50)).toBe(true);
    await store.flush();
    const path = join(dir, REVOCATIONS_FILE);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ alice: 100, bob: 50 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp.'))).toEqual([]);
    const again = await RevocationStore.load(dir, recordingLogger());
    expect(again.revokedAt(alice)).toBe(100);
    expect(again.isRevoked(alice, 100)).toBe(true);
    expect(again.isRevoked(alice, 101)).toBe(false);
    expect(again.isRevoked(bob, 51)).toBe(false);
  });

  it('refuses a corrupt file at load', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, REVOCATIONS_FILE), '{"alice": ');
    await expect(RevocationStore.load(dir, recordingLogger())).rejects.toMatchObject({
      code: 'config',
      message: expect.stringMatching(/gateway-revocations\.json is corrupt: invalid JSON/),
    });
  });

  it('refuses a file over 10 MiB at load', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, REVOCATIONS_FILE), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    await expect(RevocationStore.load(dir, recordingLogger())).rejects.toThrow(/larger than/);
  });

  it('keeps the in-memory revocation and logs when the write fails', async () => {
    const dir = join(await tempDir(), 'gone');
    const logs = recordingLogger();
    const store = await RevocationStore.load(dir, logs);
    store.revoke(alice, 5);
    await store.flush();
    expect(store.isRevoked(alice, 5)).toBe(true);
    expect(
      logs.lines.some((l) => l.level === 'error' && /could not persist/.test(l.message ?? '')),
    ).toBe(true);
  });
});
