import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness } from '../helpers/engine-harness.js';
import { HOSTS_JS, HOSTS_WORLD } from '../helpers/guests.js';

let h: Harness;
let component: Uint8Array;
let kv: WasmEngine;
let files: WasmEngine;
let narrow: WasmEngine;

const ok = (value: unknown) => ({ ok: value });
const err = (tag: string) => expect.objectContaining({ err: tag });

beforeAll(async () => {
  component = await componentFromJs(HOSTS_JS, HOSTS_WORLD, 'hosts');
  h = await harness();
  const ws = h.services.workspace;
  mkdirSync(join(ws, 'src'), { recursive: true });
  mkdirSync(join(ws, 'docs'), { recursive: true });
  writeFileSync(join(ws, 'src', 'a.txt'), 'alpha');
  writeFileSync(join(ws, 'docs', 'a.txt'), 'doc');
  writeFileSync(join(ws, 'big.bin'), Buffer.alloc(11 * 1024 * 1024));
  symlinkSync('/etc/passwd', join(ws, 'escape'));
  symlinkSync('src/a.txt', join(ws, 'inner'));
  for (const p of ['default', 'alice', 'bob'])
    mkdirSync(join(h.home.root, 'home', p, '.local'), { recursive: true });
  h.profiles
    .set('alice', { groups: ['agent'] })
    .set('bob', { groups: ['agent'] })
    .set('tight', { groups: ['agent'], quotas: { maxStorageBytes: 200 } });
  kv = await h.engine('kvcap', component, '');
  files = await h.engine(
    'fscap',
    component,
    '[capabilities]\nfs_read = ["*", "home://"]\nfs_write = ["*", "home://"]\n',
  );
  narrow = await h.engine('narrow', component, '[capabilities]\nfs_read = ["cwd://src"]\n');
}, 120_000);

afterAll(async () => {
  await h.close();
});

describe('astrid:kv', () => {
  it('gets, sets, deletes; keys are checked; values are capped at 1 MiB', async () => {
    expect(await call(kv, 'kvSet', { key: 'a', value: '1' })).toEqual(ok('ok'));
    expect(await call(kv, 'kvGet', { key: 'a' })).toEqual(ok('1'));
    expect(await call(kv, 'kvDelete', { key: 'a' })).toEqual(ok('ok'));
    expect(await call(kv, 'kvDelete', { key: 'a' })).toEqual(ok('ok'));
    expect(await call(kv, 'kvGet', { key: 'a' })).toEqual(ok(null));
    expect(await call(kv, 'kvSet', { key: '', value: 'x' })).toEqual(err('invalid-key'));
    expect(await call(kv, 'kvSet', { key: 'bad\u0001key', value: 'x' })).toEqual(
      err('invalid-key'),
    );
    expect(await call(kv, 'kvSet', { key: 'k'.repeat(257), value: 'x' })).toEqual(
      err('invalid-key'),
    );
    expect(await call(kv, 'kvSet', { key: 'k'.repeat(256), value: 'x' })).toEqual(ok('ok'));
    expect(await call(kv, 'kvSetSize', { key: 'big', size: 1024 * 1024 + 1 })).toEqual(
      err('too-large'),
    );
    expect(await call(kv, 'kvSetSize', { key: 'big', size: 1024 * 1024 })).toEqual(ok('ok'));
  });

  it('compare-and-swap: absent once, then a mismatch', async () => {
    expect(await call(kv, 'kvCas', { key: 'c', expected: null, value: '1' })).toEqual(ok('ok'));
    expect(await call(kv, 'kvCas', { key: 'c', expected: null, value: '2' })).toEqual(
      err('cas-mismatch'),
    );
    expect(await call(kv, 'kvCas', { key: 'c', expected: '9', value: '2' })).toEqual(
      err('cas-mismatch'),
    );
    expect(await call(kv, 'kvCas', { key: 'c', expected: '1', value: '2' })).toEqual(ok('ok'));
    expect(await call(kv, 'kvGet', { key: 'c' })).toEqual(ok('2'));
  });

  it('lists at most 1,024 keys and pages the rest; clears a prefix', async () => {
    expect(await call(kv, 'kvFill', { prefix: 'p/', n: 1500 })).toEqual(ok(1500));
    expect(await call(kv, 'kvList', { prefix: 'p/' })).toEqual(err('too-large'));
    const first = (await call(kv, 'kvPage', { prefix: 'p/', cursor: null, limit: 0 })) as {
      ok: { n: number; last: string; next: string };
    };
    expect(first.ok).toMatchObject({ n: 1024, first: 'p/00000', last: 'p/01023', next: 'p/01023' });
    expect(await call(kv, 'kvPage', { prefix: 'p/', cursor: first.ok.next, limit: 5000 })).toEqual(
      ok({ n: 476, first: 'p/01024', last: 'p/01499', next: null }),
    );
    expect(await call(kv, 'kvClear', { prefix: 'p/' })).toEqual(ok(1500));
    expect(await call(kv, 'kvList', { prefix: 'p/' })).toEqual(ok([]));
  });

  it('isolates principals on the same capsule', async () => {
    expect(await call(kv, 'kvSet', { key: 'secret', value: 'alice-only' }, 'alice')).toEqual(
      ok('ok'),
    );
    expect(await call(kv, 'kvGet', { key: 'secret' }, 'bob')).toEqual(ok(null));
    expect(await call(kv, 'kvGet', { key: 'secret' }, 'alice')).toEqual(ok('alice-only'));
    expect(
      new TextDecoder().decode(h.services.kv.get('alice:capsule:kvcap', 'secret') ?? undefined),
    ).toBe('alice-only');
  });

  it('enforces the principal’s storage quota', async () => {
    expect(await call(kv, 'kvSetSize', { key: 'x', size: 150 }, 'tight')).toEqual(ok('ok'));
    expect(await call(kv, 'kvSetSize', { key: 'y', size: 100 }, 'tight')).toEqual(err('quota'));
    expect(await call(kv, 'kvSetSize', { key: 'x', size: 180 }, 'tight')).toEqual(ok('ok'));
  });
});

describe('astrid:fs', () => {
  it('refuses ../ and symlink escapes from every scheme', async () => {
    for (const path of [
      '../../etc/passwd',
      'cwd://../x',
      'workspace://a/../../x',
      'home://../bob/x',
      '/tmp/../../x',
      'tmp://..',
    ]) {
      expect(await call(files, 'read', { path })).toEqual(err('boundary-escape'));
    }
    expect(await call(files, 'read', { path: 'cwd://escape' })).toEqual(err('boundary-escape'));
    expect(await call(files, 'read', { path: 'cwd://inner' })).toEqual(ok('alpha'));
    expect(await call(files, 'readLink', { path: 'cwd://inner' })).toEqual(ok('src/a.txt'));
    expect(await call(files, 'statSymlink', { path: 'cwd://inner' })).toMatchObject({
      ok: { kind: 'symlink' },
    });
    expect(await call(files, 'canonicalize', { path: 'cwd://inner' })).toEqual(
      ok('cwd://src/a.txt'),
    );
    expect(await call(files, 'read', { path: '/etc/passwd' })).toEqual(err('not-found'));
  });

  it('workspace writes land in the overlay: invisible on disk until commit; discard restores the view', async () => {
    const ws = h.services.workspace;
    expect(await call(files, 'write', { path: 'new/dir/f.txt', content: 'x' })).toEqual(ok('ok'));
    expect(await call(files, 'read', { path: 'new/dir/f.txt' })).toEqual(ok('x'));
    expect(existsSync(join(ws, 'new'))).toBe(false);
    expect(await call(files, 'unlink', { path: 'docs/a.txt' })).toEqual(ok('ok'));
    expect(await call(files, 'exists', { path: 'docs/a.txt' })).toEqual(ok(false));
    expect(existsSync(join(ws, 'docs', 'a.txt'))).toBe(true);
    const overlay = h.services.overlays?.get('fscap');
    await overlay?.discard();
    expect(await call(files, 'exists', { path: 'docs/a.txt' })).toEqual(ok(true));
    expect(await call(files, 'exists', { path: 'new/dir/f.txt' })).toEqual(ok(false));
    expect(await call(files, 'write', { path: 'committed.txt', content: 'c' })).toEqual(ok('ok'));
    await overlay?.commit();
    expect(readFileSync(join(ws, 'committed.txt'), 'utf8')).toBe('c');
  });

  it('maps OS failures to the contract’s codes', async () => {
    expect(await call(files, 'read', { path: 'nope.txt' })).toEqual(err('not-found'));
    expect(await call(files, 'mkdir', { path: 'src' })).toEqual(err('already-exists'));
    expect(await call(files, 'mkdir', { path: 'missing/child' })).toEqual(err('not-found'));
    expect(await call(files, 'read', { path: 'src' })).toEqual(err('is-directory'));
    expect(await call(files, 'unlink', { path: 'src' })).toEqual(err('is-directory'));
    expect(await call(files, 'readdir', { path: 'src/a.txt' })).toEqual(err('not-directory'));
    expect(await call(files, 'removeAll', { path: 'cwd://' })).toEqual(err('access'));
    expect(await call(files, 'mkdirAll', { path: 'r/s' })).toEqual(ok('ok'));
    expect(await call(files, 'write', { path: 'r/s/t', content: '1' })).toEqual(ok('ok'));
    expect(await call(files, 'rename', { src: 'src', dst: 'r' })).toEqual(err('not-empty'));
    expect(await call(files, 'rename', { src: 'src/a.txt', dst: 'home://a.txt' }, 'alice')).toEqual(
      err('cross-vfs'),
    );
    expect(
      await call(files, 'hardLink', { src: 'src/a.txt', dst: 'home://a.txt' }, 'alice'),
    ).toEqual(err('cross-vfs'));
    expect(await call(files, 'readLink', { path: 'src/a.txt' })).toEqual(err('invalid-path'));
  });

  it('size limits: 10 MiB per read and write, checked before anything else', async () => {
    expect(
      await call(files, 'writeSize', { path: '../../outside', size: 10 * 1024 * 1024 + 1 }),
    ).toEqual(err('too-large'));
    expect(await call(files, 'read', { path: 'big.bin' })).toEqual(err('too-large'));
  });

  it('every other function works end to end', async () => {
    expect(await call(files, 'append', { path: 'log.txt', content: 'a' })).toEqual(ok('ok'));
    expect(await call(files, 'append', { path: 'log.txt', content: 'b' })).toEqual(ok('ok'));
    expect(await call(files, 'copy', { src: 'log.txt', dst: 'log2.txt' })).toEqual(ok('ok'));
    expect(await call(files, 'rename', { src: 'log2.txt', dst: 'log3.txt' })).toEqual(ok('ok'));
    expect(await call(files, 'read', { path: 'log3.txt' })).toEqual(ok('ab'));
    expect(await call(files, 'hardLink', { src: 'log.txt', dst: 'log-link.txt' })).toEqual(
      ok('ok'),
    );
    expect(await call(files, 'stat', { path: 'log-link.txt' })).toEqual(
      ok({ size: 2, kind: 'regular', hasModified: true }),
    );
    expect(await call(files, 'mkdirAll', { path: 'tree/a/b' })).toEqual(ok('ok'));
    expect(await call(files, 'write', { path: 'tree/a/b/f', content: 'f' })).toEqual(ok('ok'));
    expect(await call(files, 'removeAll', { path: 'tree' })).toEqual(ok(4));
    expect(await call(files, 'readdir', { path: 'src' })).toEqual(ok(['a.txt']));
    expect(
      await call(files, 'write', { path: 'home://notes.md', content: 'mine' }, 'alice'),
    ).toEqual(ok('ok'));
    expect(readFileSync(join(h.home.root, 'home', 'alice', 'notes.md'), 'utf8')).toBe('mine');
    expect(await call(files, 'write', { path: '/tmp/scratch', content: 't' }, 'alice')).toEqual(
      ok('ok'),
    );
    expect(existsSync(join(h.home.root, 'home', 'alice', '.local', 'tmp', 'scratch'))).toBe(true);
  });

  it('file handles: positional I/O, stat, set-len, sync; 16 per instance; 1 MiB per call; modes enforced', async () => {
    expect(
      await call(files, 'handle', {
        path: 'h.txt',
        mode: 'read-write',
        write: 'hello',
        offset: 0,
        read: 5,
        sync: true,
      }),
    ).toEqual(
      ok({ wrote: 5, read: 'hello', stat: { size: 5, kind: 'regular', hasModified: true } }),
    );
    expect(await call(files, 'handle', { path: 'h.txt', mode: 'write', setLen: 2 })).toMatchObject({
      ok: { stat: { size: 2 } },
    });
    expect(
      await call(files, 'handle', { path: 'h.txt', mode: 'append', write: 'XY' }),
    ).toMatchObject({ ok: { stat: { size: 4 } } });
    expect(await call(files, 'read', { path: 'h.txt' })).toEqual(ok('heXY'));
    expect(await call(files, 'handleErr', { path: 'h.txt', mode: 'read', op: 'write' })).toEqual(
      err('access'),
    );
    expect(await call(files, 'handleErr', { path: 'h.txt', mode: 'read', op: 'bigRead' })).toEqual(
      err('too-large'),
    );
    expect(await call(files, 'openMany', { path: 'h.txt' })).toEqual({ ok: 16, err: 'quota' });
    expect(await call(files, 'openMany', { path: 'h.txt' })).toEqual({ ok: 16, err: 'quota' });
  });

  it('the fs_read / fs_write gate and home mounts', async () => {
    expect(await call(narrow, 'read', { path: 'src/a.txt' })).toEqual(ok('alpha'));
    expect(await call(narrow, 'read', { path: 'docs/a.txt' })).toEqual(err('capability-denied'));
    expect(await call(narrow, 'write', { path: 'src/a.txt', content: 'x' })).toEqual(
      err('capability-denied'),
    );
    expect(await call(files, 'read', { path: 'home://x' }, 'carol-has-no-home')).toEqual(
      err('capability-denied'),
    );
    expect(existsSync(join(h.home.root, 'home', 'carol-has-no-home'))).toBe(false);
    expect(await call(narrow, 'read', { path: 'home://x' }, 'alice')).toEqual(
      err('capability-denied'),
    );
  });
});
