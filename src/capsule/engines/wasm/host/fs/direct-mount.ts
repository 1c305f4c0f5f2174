import { constants, type Stats } from 'node:fs';
import {
  appendFile,
  type FileHandle,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { MountKind } from './guest-path.js';
import type { Mount, OpenMode } from './mount.js';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_APPEND } = constants;
/** `write` and `read-write` create a missing file but never truncate; writes are positional. */
export const OPEN_FLAGS: Readonly<Record<OpenMode, number>> = {
  read: O_RDONLY,
  write: O_WRONLY | O_CREAT,
  append: O_WRONLY | O_CREAT | O_APPEND,
  'read-write': O_RDWR | O_CREAT,
};

async function countTree(path: string): Promise<number> {
  const info = await lstat(path);
  if (!info.isDirectory()) return 1;
  let n = 1;
  for (const name of await readdir(path)) n += await countTree(join(path, name));
  return n;
}

/** A mount whose files are the files on disk (home, tmp, and the workspace during lifecycle hooks). */
export class DirectMount implements Mount {
  readonly kind: MountKind;
  readonly root: string;

  constructor(kind: MountKind, root: string) {
    this.kind = kind;
    this.root = root;
  }

  path(parts: readonly string[]): string {
    return parts.length === 0 ? this.root : join(this.root, ...parts);
  }

  async lstat(parts: readonly string[]): Promise<Stats | null> {
    try {
      return await lstat(this.path(parts));
    } catch (e) {
      if (
        (e as NodeJS.ErrnoException).code === 'ENOENT' ||
        (e as NodeJS.ErrnoException).code === 'ENOTDIR'
      )
        return null;
      throw e;
    }
  }

  readlink(parts: readonly string[]): Promise<string> {
    return readlink(this.path(parts));
  }

  readFile(parts: readonly string[]): Promise<Buffer> {
    return readFile(this.path(parts));
  }

  async readdir(parts: readonly string[]): Promise<string[]> {
    return (await readdir(this.path(parts))).sort();
  }

  writeFile(parts: readonly string[], data: Uint8Array, append: boolean): Promise<void> {
    return append ? appendFile(this.path(parts), data) : writeFile(this.path(parts), data);
  }

  async mkdir(parts: readonly string[]): Promise<void> {
    await mkdir(this.path(parts));
  }

  unlink(parts: readonly string[]): Promise<void> {
    return unlink(this.path(parts));
  }

  async removeTree(parts: readonly string[]): Promise<number> {
    const path = this.path(parts);
    const n = await countTree(path);
    await rm(path, { recursive: true });
    return n;
  }

  rename(from: readonly string[], to: readonly string[]): Promise<void> {
    return rename(this.path(from), this.path(to));
  }

  hardLink(from: readonly string[], to: readonly string[]): Promise<void> {
    return link(this.path(from), this.path(to));
  }

  open(parts: readonly string[], mode: OpenMode): Promise<FileHandle> {
    return open(this.path(parts), OPEN_FLAGS[mode], 0o644);
  }
}
