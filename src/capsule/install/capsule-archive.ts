import { createReadStream } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar, Parser, type ReadEntry } from 'tar';
import { AstridError } from '../../core/errors.js';
import { MANIFEST_FILE } from '../manifest/load-manifest.js';

/** Unpack limits: a `.capsule` beyond these is refused as a decompression bomb. */
export interface ArchiveLimits {
  readonly maxEntries: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 10_000,
  maxFileBytes: 256 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
};

function malicious(message: string): AstridError {
  return new AstridError('invalid-input', `Malicious archive detected: ${message}`);
}

/**
 * Validates an archive entry path and returns it normalised (POSIX, no `./`).
 * Refuses absolute paths, drive letters, backslashes, NUL, and any `..`.
 */
export function safeEntryPath(raw: string): string {
  if (raw.length === 0 || raw.includes('\0'))
    throw malicious(`invalid path ${JSON.stringify(raw)}`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || raw.includes('\\')) {
    throw malicious(`invalid path ${JSON.stringify(raw)} (absolute paths are not allowed)`);
  }
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    throw malicious(`invalid path ${JSON.stringify(raw)} ('..' is not allowed)`);
  if (parts.length === 0) throw malicious(`invalid path ${JSON.stringify(raw)}`);
  return parts.join('/');
}

interface PendingFile {
  readonly path: string;
  readonly mode: number;
  readonly chunks: Buffer[];
}

/**
 * Reads a `.capsule` (gzip'd tar) and extracts it into a fresh temporary
 * directory, refusing traversal, absolute paths, links, device/FIFO entries,
 * duplicate paths, too many entries, and entries or totals over the size caps
 * (checked against both declared and actual bytes). Nothing is written until
 * the whole archive has been validated. Returns the directory; the caller
 * removes it.
 */
export async function unpackCapsuleArchive(
  archive: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<string> {
  const files: PendingFile[] = [];
  const dirs = new Set<string>();
  const seen = new Set<string>();
  let total = 0;
  let entries = 0;

  const parser = new Parser({ strict: true });
  let failure: Error | null = null;
  const fail = (e: Error) => {
    if (failure === null) {
      failure = e;
      parser.abort(e);
    }
  };
  parser.on('entry', (entry: ReadEntry) => {
    if (failure !== null) {
      entry.resume();
      return;
    }
    try {
      entries++;
      if (entries > limits.maxEntries) throw malicious(`more than ${limits.maxEntries} entries`);
      const path = safeEntryPath(entry.path);
      if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        throw malicious(`${JSON.stringify(entry.path)} is a link; symlinks are not allowed`);
      }
      if (entry.type === 'Directory') {
        if (seen.has(path)) throw malicious(`duplicate entry ${JSON.stringify(path)}`);
        seen.add(path);
        dirs.add(path);
        entry.resume();
        return;
      }
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
        throw malicious(
          `${JSON.stringify(entry.path)} is a ${entry.type} entry; only files and directories are allowed`,
        );
      }
      if (seen.has(path)) throw malicious(`duplicate entry ${JSON.stringify(path)}`);
      seen.add(path);
      if (entry.size > limits.maxFileBytes) {
        throw malicious(
          `${JSON.stringify(path)} declares ${entry.size} bytes; the per-file limit is ${limits.maxFileBytes}`,
        );
      }
      if (total + entry.size > limits.maxTotalBytes) {
        throw malicious(`unpacked size exceeds ${limits.maxTotalBytes} bytes`);
      }
      const pending: PendingFile = { path, mode: (entry.mode ?? 0o644) & 0o755, chunks: [] };
      let actual = 0;
      entry.on('data', (chunk: Buffer) => {
        actual += chunk.length;
        total += chunk.length;
        if (actual > entry.size || actual > limits.maxFileBytes || total > limits.maxTotalBytes) {
          fail(malicious(`${JSON.stringify(path)} is larger than declared or over the size limit`));
          return;
        }
        pending.chunks.push(chunk);
      });
      files.push(pending);
    } catch (e) {
      entry.resume();
      fail(e as Error);
    }
  });
  parser.on('warn', (code: string, message: string | Error) => {
    if (code === 'TAR_ENTRY_INVALID' || code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ENTRY_ERROR') {
      fail(new AstridError('invalid-input', `not a valid .capsule archive: ${String(message)}`));
    }
  });

  try {
    await pipeline(createReadStream(archive), parser);
  } catch (e) {
    if (failure !== null) throw failure;
    if (e instanceof AstridError) throw e;
    throw new AstridError(
      'invalid-input',
      `not a valid .capsule archive: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (failure !== null) throw failure;
  if (!seen.has(MANIFEST_FILE)) {
    throw new AstridError(
      'invalid-input',
      `the archive has no ${MANIFEST_FILE} at its root; it is not a capsule`,
    );
  }

  const dir = await mkdtemp(join(tmpdir(), 'astrid-capsule-'));
  try {
    for (const d of [...dirs].sort())
      await mkdir(join(dir, ...d.split('/')), { recursive: true, mode: 0o755 });
    for (const f of files) {
      const dest = join(dir, ...f.path.split('/'));
      await mkdir(dirname(dest), { recursive: true, mode: 0o755 });
      const handle = await open(dest, 'wx', f.mode | 0o600);
      try {
        for (const chunk of f.chunks) await handle.write(chunk);
      } finally {
        await handle.close();
      }
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

/** Never packed, at any depth: VCS data and Rust build caches. Top-level `dist/` is build output. */
const PACK_SKIP_DIRS = new Set(['.git', 'target']);

/**
 * Packs a capsule directory into a `.capsule` (gzip'd tar): `Capsule.toml`
 * first, then every other file in sorted order (the component included, at
 * its manifest path). A symlink to a file inside the directory is stored as a
 * regular file; links that leave the directory or point at directories are
 * refused, so the archive never carries a link (the unpacker refuses them).
 */
export async function packCapsuleArchive(
  sourceDir: string,
  outFile: string,
): Promise<{ files: string[] }> {
  const root = await realpath(sourceDir);
  const manifest = join(root, MANIFEST_FILE);
  const info = await stat(manifest).catch(() => null);
  if (info === null || !info.isFile()) {
    throw new AstridError('invalid-input', `No Capsule.toml found in ${sourceDir}`);
  }
  const out = await realpath(dirname(outFile))
    .then((d) => join(d, posix.basename(outFile)))
    .catch(() => outFile);
  const files: string[] = [MANIFEST_FILE];
  const walk = async (dir: string, depth: number) => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      if (path === out) continue;
      const entry = await lstat(path);
      const rel = relative(root, path).split(sep).join('/');
      if (entry.isSymbolicLink()) {
        const resolved = await realpath(path).catch(() => null);
        const target = resolved === null ? null : await stat(resolved);
        if (
          resolved === null ||
          target === null ||
          !resolved.startsWith(`${root}${sep}`) ||
          !target.isFile()
        ) {
          throw new AstridError(
            'invalid-input',
            `${rel} is a symlink to a directory, outside the capsule or dangling; replace it with the real file`,
          );
        }
        files.push(rel);
        continue;
      }
      if (entry.isDirectory()) {
        if (PACK_SKIP_DIRS.has(name) || (depth === 0 && name === 'dist')) continue;
        await walk(path, depth + 1);
      } else if (entry.isFile()) {
        if (rel !== MANIFEST_FILE && !rel.endsWith('.capsule')) files.push(rel);
      }
    }
  };
  await walk(root, 0);
  await createTar(
    { gzip: true, file: outFile, cwd: root, portable: true, noDirRecurse: true, follow: true },
    files,
  );
  return { files };
}

/** Reads one file out of an archive without extracting (used by `capsule show` on archives). */
export async function readArchiveManifest(archive: string): Promise<string> {
  const dir = await unpackCapsuleArchive(archive);
  try {
    return await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
