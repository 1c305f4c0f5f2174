import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { MountKind } from './guest-path.js';

export type OpenMode = 'read' | 'write' | 'append' | 'read-write';

/**
 * One filesystem root as a capsule sees it, addressed by normalised
 * components. Implementations do no symlink resolution of their own beyond
 * what the OS does; callers resolve links in the mount's view first.
 */
export interface Mount {
  readonly kind: MountKind;
  /** The physical root the gate judges paths under (the real workspace for the overlay). */
  readonly root: string;
  lstat(parts: readonly string[]): Promise<Stats | null>;
  readlink(parts: readonly string[]): Promise<string>;
  readFile(parts: readonly string[]): Promise<Buffer>;
  readdir(parts: readonly string[]): Promise<string[]>;
  writeFile(parts: readonly string[], data: Uint8Array, append: boolean): Promise<void>;
  mkdir(parts: readonly string[]): Promise<void>;
  unlink(parts: readonly string[]): Promise<void>;
  /** Removes a tree; returns how many entries (files, links, directories) went. */
  removeTree(parts: readonly string[]): Promise<number>;
  rename(from: readonly string[], to: readonly string[]): Promise<void>;
  hardLink(from: readonly string[], to: readonly string[]): Promise<void>;
  open(parts: readonly string[], mode: OpenMode): Promise<FileHandle>;
}
