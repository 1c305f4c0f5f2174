import { copyFile, lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AstridError } from '../../core/errors.js';

/** Directories never copied, at any depth. */
const SKIP_DIRS_ANY_DEPTH = new Set(['.git', 'target']);
/** Directories skipped only at the top level (build output and WIT, which is content-addressed). */
const SKIP_DIRS_TOP = new Set(['dist', 'wit']);

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

function refuse(message: string): AstridError {
  return new AstridError('invalid-input', message);
}

/**
 * Copies a capsule source tree into `target` with symlink defences:
 * the source root is canonicalised; a symlink must resolve (dangling is an
 * error), must stay inside the root, and must not point at a directory; a
 * symlinked file is copied as a regular file. `.wasm` files are never copied
 * (components live in the content store), nor `.git` / `target` anywhere, nor
 * top-level `dist/` and `wit/`. Devices, FIFOs and sockets are refused.
 */
export async function copyCapsuleDir(source: string, target: string): Promise<number> {
  const root = await realpath(source);
  let copied = 0;
  const walk = async (dir: string, dest: string, depth: number): Promise<void> => {
    await mkdir(dest, { recursive: true, mode: 0o755 });
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative(root, path);
      const info = await lstat(path);
      if (info.isDirectory()) {
        if (SKIP_DIRS_ANY_DEPTH.has(name) || (depth === 0 && SKIP_DIRS_TOP.has(name))) continue;
        await walk(path, join(dest, name), depth + 1);
        continue;
      }
      if (name.endsWith('.wasm')) continue;
      if (info.isSymbolicLink()) {
        let resolved: string;
        try {
          resolved = await realpath(path);
        } catch {
          throw refuse(
            `symlink ${rel} is dangling; remove it or point it at a file inside the capsule`,
          );
        }
        if (!isInside(root, resolved)) {
          throw refuse(
            `symlink ${rel} resolves outside the capsule source root; copy the file into the capsule instead`,
          );
        }
        const targetInfo = await stat(resolved);
        if (targetInfo.isDirectory()) {
          throw refuse(`directory symlink ${rel} is not allowed; replace it with a real directory`);
        }
        if (!targetInfo.isFile())
          throw refuse(`symlink ${rel} points at something that is not a regular file`);
        if (resolved.endsWith('.wasm')) continue;
        await copyFile(resolved, join(dest, name));
        copied++;
        continue;
      }
      if (!info.isFile())
        throw refuse(
          `${rel} is not a regular file, directory or symlink; remove it from the capsule`,
        );
      await copyFile(path, join(dest, name));
      copied++;
    }
  };
  await walk(root, target, 0);
  return copied;
}
