import { access, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capsuleSource } from '../../../test/helpers/capsule-source.js';
import { snapshotTree } from '../../../test/helpers/file-tree.js';
import { type RawEntry, rawTarGz } from '../../../test/helpers/raw-tar.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { isAstridError } from '../../core/errors.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import { packCapsuleArchive, safeEntryPath, unpackCapsuleArchive } from './capsule-archive.js';
import { installFromArchive } from './install-archive.js';

const MANIFEST = Buffer.from('[package]\nname = "evil"\nversion = "1.0.0"\n');

async function archiveOf(entries: RawEntry[]): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, 'x.capsule');
  await writeFile(path, rawTarGz(entries));
  return path;
}

async function tmpEntries(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('astrid-capsule-'));
}

describe('safeEntryPath', () => {
  it.each(['a', 'a/b.txt', './a', 'a//b', 'Capsule.toml'])('accepts %j', (p) => {
    expect(() => safeEntryPath(p)).not.toThrow();
  });
  it.each(['', '/etc/passwd', '../x', 'a/../../x', 'a/..', 'C:/x', 'a\\b', 'a\0b', '.', './'])(
    'refuses %j',
    (p) => {
      expect(() => safeEntryPath(p)).toThrow(/Malicious archive detected/);
    },
  );
});

describe('.capsule archives', () => {
  it('packs and unpacks a capsule directory losslessly (Capsule.toml first)', async () => {
    const src = await capsuleSource({
      files: { 'assets/a.txt': 'A', 'wit/x.wit': 'package a:b;', 'target/skip': 'no' },
    });
    const out = join(await tempDir(), 'demo.capsule');
    const { files } = await packCapsuleArchive(src, out);
    expect(files[0]).toBe('Capsule.toml');
    expect(files).toContain('demo.wasm');
    expect(files).not.toContain('target/skip');
    const dir = await unpackCapsuleArchive(out);
    try {
      const tree = await snapshotTree(dir);
      expect(tree['assets/a.txt']).toBe(Buffer.from('A').toString('base64'));
      expect(tree['wit/x.wit']).toBeDefined();
      expect(await readFile(join(dir, 'demo.wasm'))).toEqual(
        await readFile(join(src, 'demo.wasm')),
      );
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
    }
  });

  it('packs a symlinked file as a regular file and refuses a link that leaves the directory', async () => {
    const src = await capsuleSource({ files: { 'lib/real.js': 'x' } });
    await symlink('real.js', join(src, 'lib', 'alias.js'));
    const out = join(await tempDir(), 'a.capsule');
    await packCapsuleArchive(src, out);
    const bad = await capsuleSource();
    await symlink('/etc/passwd', join(bad, 'passwd'));
    await expect(packCapsuleArchive(bad, join(await tempDir(), 'b.capsule'))).rejects.toThrow(
      /symlink/,
    );
  });

  it('installs from an archive and leaves no temp directory behind', async () => {
    const home = new AstridHome(await tempDir());
    await home.ensure();
    const src = await capsuleSource({ name: 'packed' });
    const archive = join(await tempDir(), 'packed.capsule');
    await packCapsuleArchive(src, archive);
    const before = await tmpEntries();
    const out = await installFromArchive(archive, home);
    expect(out.capsule).toBe('packed');
    expect(out.wasmHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await tmpEntries()).toEqual(before);
  });

  describe('hostile archives are refused with nothing written', () => {
    const cases: Array<[string, RawEntry[], RegExp]> = [
      [
        'a ../ path',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: '../escape.txt', data: Buffer.from('x') },
        ],
        /'\.\.' is not allowed/,
      ],
      [
        'an absolute path',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: '/tmp/astrid-evil.txt', data: Buffer.from('x') },
        ],
        /absolute paths/,
      ],
      [
        'a symlink',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: 'link', type: '2', linkname: '/etc/passwd' },
        ],
        /symlinks are not allowed/,
      ],
      [
        'a hard link',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: 'hard', type: '1', linkname: 'Capsule.toml' },
        ],
        /symlinks are not allowed/,
      ],
      [
        'a character device',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: 'dev', type: '3' },
        ],
        /only files and directories/,
      ],
      [
        'a FIFO',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: 'fifo', type: '6' },
        ],
        /only files and directories/,
      ],
      [
        'a duplicate entry',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: 'Capsule.toml', data: MANIFEST },
        ],
        /duplicate entry/,
      ],
      [
        'a 10 GB declared size',
        [
          { name: 'Capsule.toml', data: MANIFEST },
          { name: 'big.bin', declaredSize: 10 * 1024 ** 3, data: Buffer.from('tiny') },
        ],
        /per-file limit/,
      ],
      ['no Capsule.toml', [{ name: 'readme.txt', data: Buffer.from('x') }], /no Capsule.toml/],
    ];

    it.each(cases)('%s', async (_label, entries, message) => {
      const home = new AstridHome(await tempDir());
      await home.ensure();
      const homeBefore = await snapshotTree(home.root);
      const archive = await archiveOf(entries);
      const before = await tmpEntries();
      const err = await installFromArchive(archive, home).catch((e) => e);
      expect(isAstridError(err, 'invalid-input')).toBe(true);
      expect(String(err.message)).toMatch(message);
      expect(await snapshotTree(home.root)).toEqual(homeBefore);
      expect(await tmpEntries()).toEqual(before);
      await expect(access(join(dirname(archive), 'escape.txt'))).rejects.toThrow();
      await expect(access('/tmp/astrid-evil.txt')).rejects.toThrow();
    });

    it('too many entries', async () => {
      const entries: RawEntry[] = [{ name: 'Capsule.toml', data: MANIFEST }];
      for (let i = 0; i < 20; i++) entries.push({ name: `f${i}`, data: Buffer.from('x') });
      await expect(
        unpackCapsuleArchive(await archiveOf(entries), {
          maxEntries: 10,
          maxFileBytes: 1024,
          maxTotalBytes: 4096,
        }),
      ).rejects.toThrow(/more than 10 entries/);
    });

    it('a decompression bomb beyond the total cap', async () => {
      const entries: RawEntry[] = [{ name: 'Capsule.toml', data: MANIFEST }];
      for (let i = 0; i < 8; i++)
        entries.push({ name: `zeros${i}`, data: Buffer.alloc(1024 * 1024) });
      await expect(
        unpackCapsuleArchive(await archiveOf(entries), {
          maxEntries: 100,
          maxFileBytes: 2 * 1024 * 1024,
          maxTotalBytes: 4 * 1024 * 1024,
        }),
      ).rejects.toThrow(/unpacked size exceeds/);
    });

    it('an entry that carries more bytes than it declares is not trusted', async () => {
      const archive = await archiveOf([
        { name: 'Capsule.toml', data: MANIFEST },
        { name: 'liar', declaredSize: 10, data: Buffer.alloc(600, 1) },
      ]);
      await expect(unpackCapsuleArchive(archive)).rejects.toThrow();
    });

    it('a file that is not an archive', async () => {
      const path = join(await tempDir(), 'junk.capsule');
      await writeFile(path, 'this is not a tarball');
      const err = await unpackCapsuleArchive(path).catch((e) => e);
      expect(isAstridError(err, 'invalid-input')).toBe(true);
    });
  });

  it('extracts nested directories', async () => {
    const archive = await archiveOf([
      { name: 'Capsule.toml', data: MANIFEST },
      { name: 'a/', type: '5' },
      { name: 'a/b/c.txt', data: Buffer.from('deep') },
    ]);
    const dir = await unpackCapsuleArchive(archive);
    try {
      expect(await readFile(join(dir, 'a', 'b', 'c.txt'), 'utf8')).toBe('deep');
    } finally {
      await mkdir(dir, { recursive: true });
      await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
    }
  });
});
