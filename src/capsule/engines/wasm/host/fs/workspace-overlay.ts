import type { Stats } from 'node:fs';
import {
  appendFile,
  copyFile,
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
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HostError } from '../host-error.js';
import { OPEN_FLAGS } from './direct-mount.js';
import type { Mount, OpenMode } from './mount.js';

/** A file copied up from the workspace into the overlay may be at most this big. */
export const MAX_COPY_UP_BYTES = 50 * 1024 * 1024;
const STATE_FILE = 'state.json';

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface WorkspaceChange {
  /** Workspace-relative path with `/` separators. */
  readonly path: string;
  readonly kind: ChangeKind;
  readonly type: 'file' | 'directory' | 'symlink';
}

interface PersistedState {
  whiteouts: string[];
  opaque: string[];
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

const key = (parts: readonly string[]) => parts.join('/');

/**
 * A capsule's copy-on-write view of the workspace. The lower layer is the
 * real workspace and is never written by capsule calls; writes, new
 * directories and renames land in the capsule's upper layer, deletions are
 * recorded as whiteouts (a deleted directory re-created in the upper layer is
 * opaque: the workspace's old contents stay hidden). Reads see the upper
 * layer first. The pending changes persist until `commit` copies them into
 * the workspace or `discard` drops them.
 */
export class WorkspaceOverlay implements Mount {
  readonly kind = 'workspace' as const;
  readonly root: string;
  readonly upper: string;
  private readonly dir: string;
  private whiteouts = new Set<string>();
  private opaque = new Set<string>();
  private loaded: Promise<void> | null = null;

  /** `dir` holds this capsule's overlay (`upper/` and `state.json`). */
  constructor(lower: string, dir: string) {
    this.root = lower;
    this.dir = dir;
    this.upper = join(dir, 'upper');
  }

  private async ready(): Promise<void> {
    this.loaded ??= (async () => {
      await mkdir(this.upper, { recursive: true, mode: 0o700 });
      try {
        const state = JSON.parse(
          await readFile(join(this.dir, STATE_FILE), 'utf8'),
        ) as PersistedState;
        this.whiteouts = new Set(state.whiteouts);
        this.opaque = new Set(state.opaque);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    })();
    await this.loaded;
  }

  private async persist(): Promise<void> {
    const state: PersistedState = {
      whiteouts: [...this.whiteouts].sort(),
      opaque: [...this.opaque].sort(),
    };
    const temp = join(this.dir, `${STATE_FILE}.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
    await rename(temp, join(this.dir, STATE_FILE));
  }

  private up(parts: readonly string[]): string {
    return parts.length === 0 ? this.upper : join(this.upper, ...parts);
  }

  private low(parts: readonly string[]): string {
    return parts.length === 0 ? this.root : join(this.root, ...parts);
  }

  /** Whether the workspace's copy of `parts` shows through (no whiteout on it or above it, no opaque ancestor). */
  private lowerVisible(parts: readonly string[]): boolean {
    for (let i = 1; i <= parts.length; i++) {
      const k = key(parts.slice(0, i));
      if (this.whiteouts.has(k)) return false;
      if (i < parts.length && this.opaque.has(k)) return false;
    }
    return true;
  }

  async lstat(parts: readonly string[]): Promise<Stats | null> {
    await this.ready();
    const upper = await lstatOrNull(this.up(parts));
    if (upper !== null) return upper;
    return this.lowerVisible(parts) ? lstatOrNull(this.low(parts)) : null;
  }

  private async source(parts: readonly string[]): Promise<string> {
    if ((await lstatOrNull(this.up(parts))) !== null) return this.up(parts);
    return this.low(parts);
  }

  async readlink(parts: readonly string[]): Promise<string> {
    return readlink(await this.source(parts));
  }

  async readFile(parts: readonly string[]): Promise<Buffer> {
    return readFile(await this.source(parts));
  }

  async readdir(parts: readonly string[]): Promise<string[]> {
    await this.ready();
    const names = new Set<string>();
    const upper = await lstatOrNull(this.up(parts));
    if (upper?.isDirectory()) for (const n of await readdir(this.up(parts))) names.add(n);
    if (this.lowerVisible(parts) && !this.opaque.has(key(parts))) {
      const lower = await lstatOrNull(this.low(parts));
      if (lower?.isDirectory()) {
        for (const n of await readdir(this.low(parts)))
          if (this.lowerVisible([...parts, n])) names.add(n);
      }
    }
    if (
      upper === null &&
      !(this.lowerVisible(parts) && (await lstatOrNull(this.low(parts)))?.isDirectory())
    ) {
      const e: NodeJS.ErrnoException = new Error('not found');
      e.code = 'ENOENT';
      throw e;
    }
    return [...names].sort();
  }

  /** Makes sure every directory above `parts` exists in the upper layer. */
  private async upperParents(parts: readonly string[]): Promise<void> {
    if (parts.length > 1)
      await mkdir(this.up(parts.slice(0, -1)), { recursive: true, mode: 0o755 });
  }

  /** Copies a workspace file into the upper layer so it can be changed. */
  private async copyUp(parts: readonly string[]): Promise<void> {
    if ((await lstatOrNull(this.up(parts))) !== null || !this.lowerVisible(parts)) return;
    const lower = await lstatOrNull(this.low(parts));
    if (lower === null) return;
    await this.upperParents(parts);
    if (lower.isSymbolicLink()) {
      await symlink(await readlink(this.low(parts)), this.up(parts));
    } else if (lower.isDirectory()) {
      await mkdir(this.up(parts), { mode: 0o755 });
    } else {
      if (lower.size > MAX_COPY_UP_BYTES) {
        throw new HostError(
          'too-large',
          `a workspace file over ${MAX_COPY_UP_BYTES} bytes cannot be changed through the overlay`,
        );
      }
      await copyFile(this.low(parts), this.up(parts));
    }
  }

  private async forgetWhiteout(parts: readonly string[]): Promise<void> {
    if (this.whiteouts.delete(key(parts))) await this.persist();
  }

  async writeFile(parts: readonly string[], data: Uint8Array, append: boolean): Promise<void> {
    await this.ready();
    await this.upperParents(parts);
    if (append) {
      await this.copyUp(parts);
      await appendFile(this.up(parts), data);
    } else {
      await writeFile(this.up(parts), data);
    }
    await this.forgetWhiteout(parts);
  }

  async mkdir(parts: readonly string[]): Promise<void> {
    await this.ready();
    await this.upperParents(parts);
    await mkdir(this.up(parts), { mode: 0o755 });
    const k = key(parts);
    if (this.whiteouts.delete(k)) {
      this.opaque.add(k);
      await this.persist();
    }
  }

  private async hide(parts: readonly string[]): Promise<void> {
    if (this.lowerVisible(parts) && (await lstatOrNull(this.low(parts))) !== null) {
      const k = key(parts);
      this.whiteouts.add(k);
      for (const w of [...this.whiteouts]) if (w.startsWith(`${k}/`)) this.whiteouts.delete(w);
      for (const o of [...this.opaque]) if (o === k || o.startsWith(`${k}/`)) this.opaque.delete(o);
      await this.persist();
    }
  }

  async unlink(parts: readonly string[]): Promise<void> {
    await this.ready();
    const upper = await lstatOrNull(this.up(parts));
    if (upper !== null) await unlink(this.up(parts));
    await this.hide(parts);
  }

  private async countVisible(parts: readonly string[]): Promise<number> {
    const info = await this.lstat(parts);
    if (info === null) return 0;
    if (!info.isDirectory()) return 1;
    let n = 1;
    for (const name of await this.readdir(parts)) n += await this.countVisible([...parts, name]);
    return n;
  }

  async removeTree(parts: readonly string[]): Promise<number> {
    await this.ready();
    const n = await this.countVisible(parts);
    await rm(this.up(parts), { recursive: true, force: true });
    await this.hide(parts);
    return n;
  }

  /** Copies the visible tree at `from` into the upper layer at `to`. */
  private async copyTreeUp(from: readonly string[], to: readonly string[]): Promise<void> {
    const info = await this.lstat(from);
    if (info === null) return;
    await this.upperParents(to);
    if (info.isDirectory()) {
      await mkdir(this.up(to), { recursive: true, mode: 0o755 });
      for (const name of await this.readdir(from))
        await this.copyTreeUp([...from, name], [...to, name]);
    } else if (info.isSymbolicLink()) {
      await symlink(await this.readlink(from), this.up(to));
    } else {
      if (info.size > MAX_COPY_UP_BYTES)
        throw new HostError(
          'too-large',
          `a file over ${MAX_COPY_UP_BYTES} bytes cannot move through the overlay`,
        );
      await copyFile(await this.source(from), this.up(to));
    }
  }

  async rename(from: readonly string[], to: readonly string[]): Promise<void> {
    await this.ready();
    const existing = await this.lstat(to);
    if (existing?.isDirectory()) await this.removeTree(to);
    else if (existing !== null) await this.unlink(to);
    await this.copyTreeUp(from, to);
    await this.forgetWhiteout(to);
    const moved = await this.lstat(from);
    if (moved?.isDirectory()) await this.removeTree(from);
    else if (moved !== null) await this.unlink(from);
  }

  async hardLink(from: readonly string[], to: readonly string[]): Promise<void> {
    await this.ready();
    await this.copyUp(from);
    await this.upperParents(to);
    await link(this.up(from), this.up(to));
    await this.forgetWhiteout(to);
  }

  async open(parts: readonly string[], mode: OpenMode): Promise<FileHandle> {
    await this.ready();
    if (mode === 'read') return open(await this.source(parts), OPEN_FLAGS.read);
    await this.copyUp(parts);
    await this.upperParents(parts);
    const handle = await open(this.up(parts), OPEN_FLAGS[mode], 0o644);
    await this.forgetWhiteout(parts);
    return handle;
  }

  /** The pending changes, sorted by path. */
  async diff(): Promise<WorkspaceChange[]> {
    await this.ready();
    const changes: WorkspaceChange[] = [];
    const walk = async (parts: string[]): Promise<void> => {
      for (const name of (await readdir(this.up(parts))).sort()) {
        const p = [...parts, name];
        const info = await lstat(this.up(p));
        const lower = await lstatOrNull(this.low(p));
        const existed = lower !== null && this.lowerVisibleIgnoringSelf(p);
        if (info.isDirectory()) {
          if (!existed || !lower?.isDirectory())
            changes.push({ path: key(p), kind: existed ? 'modified' : 'added', type: 'directory' });
          await walk(p);
        } else {
          changes.push({
            path: key(p),
            kind: lower !== null ? 'modified' : 'added',
            type: info.isSymbolicLink() ? 'symlink' : 'file',
          });
        }
      }
    };
    await walk([]);
    for (const w of this.whiteouts) {
      const lower = await lstatOrNull(this.low(w.split('/')));
      if (lower === null) continue;
      if ((await lstatOrNull(this.up(w.split('/')))) !== null) continue;
      changes.push({
        path: w,
        kind: 'deleted',
        type: lower.isDirectory() ? 'directory' : lower.isSymbolicLink() ? 'symlink' : 'file',
      });
    }
    return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private lowerVisibleIgnoringSelf(parts: readonly string[]): boolean {
    return this.lowerVisible(parts.slice(0, -1));
  }

  /** Applies the pending changes to the workspace and empties the overlay; returns what was applied. */
  async commit(): Promise<WorkspaceChange[]> {
    const changes = await this.diff();
    for (const w of [...this.whiteouts].sort())
      await rm(this.low(w.split('/')), { recursive: true, force: true });
    for (const o of [...this.opaque].sort())
      await rm(this.low(o.split('/')), { recursive: true, force: true });
    const apply = async (parts: string[]): Promise<void> => {
      for (const name of await readdir(this.up(parts))) {
        const p = [...parts, name];
        const info = await lstat(this.up(p));
        const target = this.low(p);
        if (info.isDirectory()) {
          const lower = await lstatOrNull(target);
          if (lower !== null && !lower.isDirectory())
            await rm(target, { recursive: true, force: true });
          await mkdir(target, { recursive: true });
          await apply(p);
        } else {
          await mkdir(dirname(target), { recursive: true });
          const lower = await lstatOrNull(target);
          if (lower?.isDirectory()) await rm(target, { recursive: true, force: true });
          if (info.isSymbolicLink()) {
            await rm(target, { force: true });
            await symlink(await readlink(this.up(p)), target);
          } else {
            const temp = `${target}.astrid-commit.${process.pid}`;
            await copyFile(this.up(p), temp);
            await rename(temp, target);
          }
        }
      }
    };
    await this.ready();
    await apply([]);
    await this.discard();
    return changes;
  }

  /** Drops every pending change. */
  async discard(): Promise<void> {
    await this.ready();
    await rm(this.upper, { recursive: true, force: true });
    await mkdir(this.upper, { recursive: true, mode: 0o700 });
    this.whiteouts.clear();
    this.opaque.clear();
    await this.persist();
  }
}
