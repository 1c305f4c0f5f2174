import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { syncBlake3 } from '../../storage/files/content-hash.js';

/** Path components the watcher and the source hash ignore. */
export const IGNORED_DIRS: readonly string[] = ['node_modules', 'target', 'dist', '.git'];

export function isIgnoredPath(path: string): boolean {
  return path.split(/[\\/]/).some((part) => IGNORED_DIRS.includes(part));
}

async function collect(root: string, dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!IGNORED_DIRS.includes(entry.name)) await collect(root, path, out);
    } else if (entry.isFile() && !entry.name.endsWith('.wasm')) {
      out.push(relative(root, path).split(sep).join('/'));
    }
  }
}

/**
 * One BLAKE3 over a capsule directory's regular files (sorted by relative
 * path; no `.wasm`, no ignored directories, no symlinks): for each, the path
 * length (u64 LE), the path, the content length (u64 LE), the content.
 * Hex.
 */
export async function sourceHash(dir: string): Promise<string> {
  const files: string[] = [];
  await collect(dir, dir, files);
  files.sort();
  const parts: Buffer[] = [];
  for (const rel of files) {
    const info = await lstat(join(dir, rel));
    if (!info.isFile()) continue;
    const content = await readFile(join(dir, rel));
    const path = Buffer.from(rel, 'utf8');
    const pathLen = Buffer.alloc(8);
    pathLen.writeBigUInt64LE(BigInt(path.length));
    const contentLen = Buffer.alloc(8);
    contentLen.writeBigUInt64LE(BigInt(content.length));
    parts.push(pathLen, path, contentLen, content);
  }
  const hash = await syncBlake3();
  return Buffer.from(hash(Buffer.concat(parts))).toString('hex');
}
