import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { publicKeyFingerprint } from '../../kernel/admin/audit-redaction.js';
import { KeypairStore, publicHexFromSeed } from './keypair-store.js';

async function store(): Promise<KeypairStore> {
  return new KeypairStore(join(await tempDir(), 'keys', 'local'));
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('KeypairStore', () => {
  it('writes seed 0600, pub.hex 0644, meta 0600 in a 0700 directory and reads them back', async () => {
    const s = await store();
    const seed = Buffer.alloc(32, 7);
    const key = await s.generate({
      name: 'laptop',
      note: 'work',
      seed,
      now: () => new Date(5_000),
    });
    expect(await mode(s.dir)).toBe(0o700);
    expect(await mode(key.paths.seed)).toBe(0o600);
    expect(await mode(key.paths.pub)).toBe(0o644);
    expect(await mode(key.paths.meta)).toBe(0o600);
    expect(await readFile(key.paths.seed)).toEqual(seed);
    expect(await readFile(key.paths.pub, 'utf8')).toBe(`${publicHexFromSeed(seed)}\n`);
    expect(key.meta).toEqual({
      schemaVersion: 1,
      fingerprint: publicKeyFingerprint(`ed25519:${key.publicKeyHex}`),
      createdAtEpoch: 5,
      backend: 'file',
      note: 'work',
      boundPrincipal: null,
    });
    expect(await s.read('laptop')).toEqual(key);
    expect(await readdir(s.dir)).toEqual(['laptop.ed25519', 'laptop.meta.toml', 'laptop.pub.hex']);
  });

  it('refuses to replace a key without force, replaces it with force', async () => {
    const s = await store();
    const first = await s.generate({ name: 'k' });
    await expect(s.generate({ name: 'k' })).rejects.toThrow(/already exists.*--force/);
    expect((await s.read('k')).publicKeyHex).toBe(first.publicKeyHex);
    const second = await s.generate({ name: 'k', force: true });
    expect(second.publicKeyHex).not.toBe(first.publicKeyHex);
    expect((await s.read('k')).publicKeyHex).toBe(second.publicKeyHex);
    expect((await readdir(s.dir)).sort()).toEqual(['k.ed25519', 'k.meta.toml', 'k.pub.hex']);
  });

  it('leaves nothing behind when a generate fails half-way', async () => {
    const s = await store();
    // A directory where the meta file should go makes the last rename fail.
    await mkdir(join(s.dir, 'k.meta.toml'), { recursive: true });
    await expect(s.generate({ name: 'k' })).rejects.toThrow();
    expect(await readdir(s.dir)).toEqual(['k.meta.toml']);
    expect(await s.exists('k')).toBe(false);
  });

  it('lists keys sorted and reports damaged ones without failing', async () => {
    const s = await store();
    expect(await s.list()).toEqual({ keys: [], problems: [] });
    await s.generate({ name: 'b' });
    await s.generate({ name: 'a' });
    await s.generate({ name: 'c' });
    await writeFile(join(s.dir, 'c.pub.hex'), `${'00'.repeat(32)}\n`);
    const listing = await s.list();
    expect(listing.keys.map((k) => k.name)).toEqual(['a', 'b']);
    expect(listing.problems.map((p) => [p.name, p.error.code])).toEqual([['c', 'integrity']]);
    expect(listing.problems[0]?.error.message).toMatch(/does not match the private key/);
  });

  it('rejects a meta file from a newer schema', async () => {
    const s = await store();
    const key = await s.generate({ name: 'k' });
    const text = await readFile(key.paths.meta, 'utf8');
    await writeFile(key.paths.meta, text.replace('schema_version = 1', 'schema_version = 9'));
    await expect(s.read('k')).rejects.toThrow(/schema_version 9, written by a newer astrid/);
  });

  it('reports a missing key as not-found and an incomplete one as integrity', async () => {
    const s = await store();
    await expect(s.read('nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(s.delete('nope')).rejects.toMatchObject({ code: 'not-found' });
    const key = await s.generate({ name: 'k' });
    await writeFile(key.paths.meta, '');
    await expect(s.read('k')).rejects.toMatchObject({ code: 'integrity' });
  });

  it('binds a principal in the meta file and deletes every file', async () => {
    const s = await store();
    await s.generate({ name: 'k' });
    const bound = await s.bindPrincipal('k', 'alice' as PrincipalId);
    expect(bound.meta.boundPrincipal).toBe('alice');
    expect((await s.read('k')).meta.boundPrincipal).toBe('alice');
    expect(await mode(bound.paths.meta)).toBe(0o600);
    await s.delete('k');
    expect(await readdir(s.dir)).toEqual([]);
  });

  it('validates names before touching the disk', async () => {
    const s = await store();
    await expect(s.generate({ name: '../x' })).rejects.toThrow(/invalid keypair name/);
    await expect(s.read('A')).rejects.toThrow(/invalid keypair name/);
  });
});
