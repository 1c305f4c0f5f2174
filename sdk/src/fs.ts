/// <reference path="./wit/astrid-fs-host.d.ts" />
import * as wit from 'astrid:fs/host@1.0.0';
import { dispose } from './dispose.js';
import { HostError, host } from './errors.js';
import { fromUtf8, type JsonValue, parseJson, utf8 } from './json.js';
import { num, u32, u64 } from './numbers.js';

/*
 * Paths: `cwd://…` or `workspace://…` (the workspace; a bare path means the
 * same), `home://…` (the invoking principal's home) and `/tmp/…` or
 * `tmp://…`. Reads need an `fs_read` entry covering the path, writes an
 * `fs_write` entry. Workspace writes go to the capsule's copy-on-write
 * overlay. Errors are `HostError`s with the contract's codes: `not-found`,
 * `already-exists`, `is-directory`, `not-directory`, `not-empty`,
 * `capability-denied`, `boundary-escape`, `too-large`, …
 */

const IFACE = 'astrid:fs/host';

export type FileKind = wit.FileType;
export type OpenMode = wit.OpenMode;

export type FileStat = {
  readonly size: number;
  readonly kind: FileKind;
  readonly mode: number;
  /** Milliseconds since the Unix epoch; null when the host does not know. */
  readonly modifiedMs: number | null;
  readonly createdMs: number | null;
  readonly accessedMs: number | null;
};

function ms(t: wit.Datetime | undefined): number | null {
  return t === undefined ? null : num(t.seconds) * 1000 + Math.floor(t.nanoseconds / 1e6);
}

function statOf(s: wit.FileStat): FileStat {
  return {
    size: num(s.size),
    kind: s.kind,
    mode: s.mode,
    modifiedMs: ms(s.modified),
    createdMs: ms(s.created),
    accessedMs: ms(s.accessed),
  };
}

/** The file's bytes (at most 10 MiB). */
export function readBytes(path: string): Uint8Array {
  return host(IFACE, () => wit.readFile(path));
}

/** The file as UTF-8 text. */
export function readText(path: string): string {
  return fromUtf8(readBytes(path));
}

/** The file parsed as JSON (a `SyntaxError` naming the path if it is not). */
export function readJson<T extends JsonValue = JsonValue>(path: string): T {
  return parseJson(readText(path), path) as T;
}

/** Creates or replaces the file (at most 10 MiB). */
export function writeBytes(path: string, content: Uint8Array): void {
  host(IFACE, () => wit.writeFile(path, content));
}

export function writeText(path: string, content: string): void {
  writeBytes(path, utf8(content));
}

/** Writes `value` as JSON (indented when `indent` is given). */
export function writeJson(path: string, value: JsonValue, indent?: number): void {
  writeText(path, JSON.stringify(value, null, indent));
}

/** Appends to the file, creating it if needed. */
export function append(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? utf8(content) : content;
  host(IFACE, () => wit.fsAppend(path, bytes));
}

/** Whether something exists at `path` (false also when it may not be read). */
export function exists(path: string): boolean {
  return host(IFACE, () => wit.fsExists(path));
}

/** Metadata, following symlinks. */
export function stat(path: string): FileStat {
  return statOf(host(IFACE, () => wit.fsStat(path)));
}

/** Metadata of the link itself when `path` is a symlink. */
export function lstat(path: string): FileStat {
  return statOf(host(IFACE, () => wit.fsStatSymlink(path)));
}

/** The names in a directory, sorted. */
export function list(dir: string): string[] {
  return host(IFACE, () => wit.fsReaddir(dir)).sort();
}

/**
 * Creates a directory. Without `recursive` the parent must exist and the
 * directory must not (`already-exists`); with it, missing parents are
 * created and an existing directory is fine.
 */
export function mkdir(path: string, options: { readonly recursive?: boolean } = {}): void {
  if (options.recursive === true) host(IFACE, () => wit.fsMkdirAll(path));
  else host(IFACE, () => wit.fsMkdir(path));
}

/**
 * Removes a file (or symlink). A directory needs `recursive`, which removes
 * it with everything inside. Returns how many entries were removed.
 */
export function remove(path: string, options: { readonly recursive?: boolean } = {}): number {
  if (options.recursive === true && lstat(path).kind === 'directory')
    return num(host(IFACE, () => wit.fsRemoveDirAll(path)));
  host(IFACE, () => wit.fsUnlink(path));
  return 1;
}

/** Moves `from` to `to` within one mount (`cross-vfs` between mounts). */
export function rename(from: string, to: string): void {
  host(IFACE, () => wit.fsRename(from, to));
}

/** Copies a file. */
export function copy(from: string, to: string): void {
  host(IFACE, () => wit.fsCopy(from, to));
}

/** The path with symlinks resolved, in guest form (`cwd://src/a.txt`). */
export function canonical(path: string): string {
  return host(IFACE, () => wit.fsCanonicalize(path));
}

/** A symlink's target (`invalid-path` when `path` is not a symlink). */
export function readLink(path: string): string {
  return host(IFACE, () => wit.fsReadLink(path));
}

/** Makes `linkPath` a hard link to `target`. */
export function hardLink(target: string, linkPath: string): void {
  host(IFACE, () => wit.fsHardLink(target, linkPath));
}

/**
 * An open file for positional reads and writes. At most 16 are open per
 * instance: close each when done (`HostError` `quota` otherwise).
 */
export class File {
  readonly path: string;
  readonly mode: OpenMode;
  private raw: wit.FileHandle | null;

  constructor(path: string, mode: OpenMode, raw: wit.FileHandle) {
    this.path = path;
    this.mode = mode;
    this.raw = raw;
  }

  private get handle(): wit.FileHandle {
    if (this.raw === null) throw new HostError(IFACE, 'closed', `${this.path} was closed`);
    return this.raw;
  }

  /** Up to `max` bytes (at most 1 MiB) from `offset`; fewer at the end of the file. */
  readAt(offset: number, max: number): Uint8Array {
    const h = this.handle;
    return host(IFACE, () => h.readAt(u64(offset, 'offset'), u32(max, 'max')));
  }

  /** Writes `data` (at most 1 MiB) at `offset`; returns the bytes written. */
  writeAt(offset: number, data: Uint8Array | string): number {
    const h = this.handle;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return host(IFACE, () => h.writeAt(u64(offset, 'offset'), bytes));
  }

  stat(): FileStat {
    const h = this.handle;
    return statOf(host(IFACE, () => h.stat()));
  }

  /** Cuts or extends the file to `size` bytes. */
  truncate(size: number): void {
    const h = this.handle;
    host(IFACE, () => h.setLen(u64(size, 'size')));
  }

  /** Flushes to disk: the data only, or (default) data and metadata. */
  sync(options: { readonly dataOnly?: boolean } = {}): void {
    const h = this.handle;
    if (options.dataOnly === true) host(IFACE, () => h.syncData());
    else host(IFACE, () => h.syncAll());
  }

  /** Releases the handle (idempotent); later calls throw `HostError` `closed`. */
  close(): void {
    if (this.raw === null) return;
    const raw = this.raw;
    this.raw = null;
    dispose(raw);
  }
}

/**
 * Opens a file: `read`, `write` (created if missing; never truncated — use
 * `truncate`), `append` (created if missing; every write goes to the end)
 * or `read-write` (created if missing). Reads of a write-only handle and
 * writes to a read-only one throw `HostError` `access`.
 */
export function open(path: string, mode: OpenMode = 'read'): File {
  return new File(
    path,
    mode,
    host(IFACE, () => wit.fsOpen(path, mode)),
  );
}
