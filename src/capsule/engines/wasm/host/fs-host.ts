import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectMount } from './fs/direct-mount.js';
import { gateAllows } from './fs/fs-gate.js';
import { displayPath, type GuestPath, parseGuestPath } from './fs/guest-path.js';
import type { Mount, OpenMode } from './fs/mount.js';
import { resolveInMount } from './fs/resolve-path.js';
import { type HostFunction, NewResource } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';

const FS = 'astrid:fs/host@1.0.0';
export const FILE_HANDLE_TYPE = `${FS}#FileHandle`;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_HANDLE_IO_BYTES = 1024 * 1024;
export const MAX_OPEN_HANDLES = 16;
export const MAX_READDIR_ENTRIES = 4096;

type Access = 'read' | 'write';

interface Located {
  readonly mount: Mount;
  readonly parts: string[];
  readonly shown: string;
  readonly guest: GuestPath;
}

/** Maps an OS failure to the contract's codes; the message names the guest path, never a host path. */
export function mapFsError(e: unknown, shown: string): HostError {
  if (e instanceof HostError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new HostError('not-found', `${shown} does not exist`);
    case 'EEXIST':
      return new HostError('already-exists', `${shown} already exists`);
    case 'ENOTEMPTY':
      return new HostError('not-empty', `${shown} is not empty`);
    case 'EISDIR':
      return new HostError('is-directory', `${shown} is a directory`);
    case 'ENOTDIR':
      return new HostError('not-directory', `${shown} (or a parent) is not a directory`);
    case 'EACCES':
    case 'EPERM':
      return new HostError('access', `access to ${shown} was refused`);
    case 'EXDEV':
      return new HostError('cross-vfs', `${shown} crosses filesystems`);
    case 'ELOOP':
      return new HostError('invalid-path', `${shown}: too many symbolic links`);
    case 'EBADF':
      return new HostError('closed', 'the file handle is closed');
    default:
      return new HostError(
        'unknown',
        `${shown}: ${code ?? 'I/O error'}`,
        `${shown}: ${code ?? 'I/O error'}`,
      );
  }
}

function audit(state: InstanceState, fn: string, fields: Record<string, unknown>): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.fs',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `${FS}.${fn}`,
      ...fields,
    },
    'host call',
  );
}

/** The mount a guest path names, for the invoking principal. */
async function mountFor(state: InstanceState, guest: GuestPath, shown: string): Promise<Mount> {
  const { services, capsuleId } = state.host;
  if (guest.mount === 'workspace') {
    return services.overlays === null
      ? new DirectMount('workspace', services.workspace)
      : services.overlays.get(capsuleId);
  }
  const scope = state.scope();
  if (scope.home === null)
    throw new HostError(
      'capability-denied',
      `${shown}: principal '${scope.principal}' has no home directory`,
    );
  if (guest.mount === 'home') return new DirectMount('home', scope.home);
  const tmp = scope.tmp ?? join(scope.home, '.local', 'tmp');
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  return new DirectMount('tmp', tmp);
}

/** Parses, mounts, resolves links and applies the `fs_read` / `fs_write` gate. */
async function locate(
  state: InstanceState,
  path: string,
  access: Access,
  followLast = true,
): Promise<Located> {
  const guest = parseGuestPath(path);
  const shown = displayPath(guest);
  const mount = await mountFor(state, guest, shown);
  const parts = await resolveInMount(mount, guest.parts, shown, followLast).catch((e) => {
    throw mapFsError(e, shown);
  });
  const caps = state.host.manifest.capabilities;
  const physical = parts.length === 0 ? mount.root : join(mount.root, ...parts);
  const allowed = gateAllows(access === 'read' ? caps.fsRead : caps.fsWrite, physical, {
    workspace: state.host.services.workspace,
    home: state.scope().home,
  });
  if (!allowed) {
    throw new HostError(
      'capability-denied',
      `${shown} is not covered by the capsule's fs_${access} capability`,
    );
  }
  return { mount, parts, shown, guest };
}

async function run<T>(
  state: InstanceState,
  fn: string,
  path: string,
  body: () => Promise<T>,
): Promise<T> {
  try {
    const out = await state.host.services.blocking.run(body);
    audit(state, fn, { path });
    return out;
  } catch (e) {
    const error = mapFsError(e, path);
    audit(state, fn, { path, error: error.tag });
    throw error;
  }
}

function fileType(info: Stats): string {
  if (info.isFile()) return 'regular';
  if (info.isDirectory()) return 'directory';
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isBlockDevice()) return 'block-device';
  if (info.isCharacterDevice()) return 'character-device';
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  return 'type-unknown';
}

function datetime(ms: number, ns: bigint | undefined) {
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  const nanos = ns ?? BigInt(Math.round(ms * 1e6));
  return { seconds: nanos / 1_000_000_000n, nanoseconds: Number(nanos % 1_000_000_000n) };
}

/** `file-stat` as the guest receives it. */
export function fileStat(info: Stats) {
  return {
    size: BigInt(info.size),
    kind: fileType(info),
    mode: info.mode & 0o7777,
    modified: datetime(info.mtimeMs, undefined),
    created: datetime(info.birthtimeMs, undefined),
    accessed: datetime(info.atimeMs, undefined),
  };
}

function notRoot(at: Located, what: string): void {
  if (at.parts.length === 0)
    throw new HostError('access', `cannot ${what} the root of ${at.shown}`);
}

async function mustExist(at: Located): Promise<Stats> {
  const info = await at.mount.lstat(at.parts);
  if (info === null) throw new HostError('not-found', `${at.shown} does not exist`);
  return info;
}

async function parentMustExist(at: Located): Promise<void> {
  if (at.parts.length <= 1) return;
  const parent = await at.mount.lstat(at.parts.slice(0, -1));
  if (parent === null) throw new HostError('not-found', `the parent of ${at.shown} does not exist`);
  if (!parent.isDirectory())
    throw new HostError('not-directory', `the parent of ${at.shown} is not a directory`);
}

async function ensureParents(at: Located): Promise<void> {
  for (let i = 1; i < at.parts.length; i++) {
    const dir = at.parts.slice(0, i);
    const info = await at.mount.lstat(dir);
    if (info === null) await at.mount.mkdir(dir);
    else if (!info.isDirectory())
      throw new HostError('not-directory', `a parent of ${at.shown} is not a directory`);
  }
}

/** An open file: its mount, path and mode, and the host file handle (closed when dropped). */
export class FileHandleResource {
  readonly at: Located;
  readonly mode: OpenMode;
  private handle: FileHandle | null;

  constructor(at: Located, mode: OpenMode, handle: FileHandle) {
    this.at = at;
    this.mode = mode;
    this.handle = handle;
  }

  get fh(): FileHandle {
    if (this.handle === null) throw new HostError('closed', 'the file handle is closed');
    return this.handle;
  }

  dispose(): void {
    const h = this.handle;
    this.handle = null;
    void h?.close().catch(() => {});
  }
}

function handleOf(self: unknown): FileHandleResource {
  if (!(self instanceof FileHandleResource))
    throw new HostError('closed', 'the file handle is closed');
  return self;
}

function writable(h: FileHandleResource): void {
  if (h.mode === 'read') throw new HostError('access', `${h.at.shown} was opened for reading only`);
}

const OPEN_MODES: readonly OpenMode[] = ['read', 'write', 'append', 'read-write'];

/** `astrid:fs/host`: the workspace (copy-on-write), the principal's home and tmp. */
export const FS_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${FS}#fsExists`,
    async (state, args) => {
      const path = String(args[0]);
      const at = await locate(state, path, 'read');
      return run(
        state,
        'fs-exists',
        at.shown,
        async () => (await at.mount.lstat(at.parts)) !== null,
      );
    },
  ],
  [
    `${FS}#fsMkdir`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'write');
      return run(state, 'fs-mkdir', at.shown, async () => {
        notRoot(at, 'create');
        await parentMustExist(at);
        if ((await at.mount.lstat(at.parts)) !== null)
          throw new HostError('already-exists', `${at.shown} already exists`);
        await at.mount.mkdir(at.parts);
      });
    },
  ],
  [
    `${FS}#fsMkdirAll`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'write');
      return run(state, 'fs-mkdir-all', at.shown, async () => {
        for (let i = 1; i <= at.parts.length; i++) {
          const dir = at.parts.slice(0, i);
          const info = await at.mount.lstat(dir);
          if (info === null) await at.mount.mkdir(dir);
          else if (!info.isDirectory())
            throw new HostError(
              'not-directory',
              `${displayPath({ ...at.guest, parts: dir })} is not a directory`,
            );
        }
      });
    },
  ],
  [
    `${FS}#fsReaddir`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'read');
      return run(state, 'fs-readdir', at.shown, async () => {
        const info = await mustExist(at);
        if (!info.isDirectory())
          throw new HostError('not-directory', `${at.shown} is not a directory`);
        const names = await at.mount.readdir(at.parts);
        if (names.length > MAX_READDIR_ENTRIES)
          throw new HostError(
            'too-large',
            `${at.shown} has more than ${MAX_READDIR_ENTRIES} entries`,
          );
        return names;
      });
    },
  ],
  [
    `${FS}#fsStat`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'read');
      return run(state, 'fs-stat', at.shown, async () => fileStat(await mustExist(at)));
    },
  ],
  [
    `${FS}#fsStatSymlink`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'read', false);
      return run(state, 'fs-stat-symlink', at.shown, async () => fileStat(await mustExist(at)));
    },
  ],
  [
    `${FS}#fsUnlink`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'write', false);
      return run(state, 'fs-unlink', at.shown, async () => {
        notRoot(at, 'remove');
        const info = await mustExist(at);
        if (info.isDirectory())
          throw new HostError('is-directory', `${at.shown} is a directory; use fs-remove-dir-all`);
        await at.mount.unlink(at.parts);
      });
    },
  ],
  [
    `${FS}#readFile`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'read');
      return run(state, 'read-file', at.shown, async () => {
        const info = await mustExist(at);
        if (info.isDirectory()) throw new HostError('is-directory', `${at.shown} is a directory`);
        if (info.size > MAX_FILE_BYTES)
          throw new HostError('too-large', `${at.shown} is larger than ${MAX_FILE_BYTES} bytes`);
        const data = await at.mount.readFile(at.parts);
        if (data.length > MAX_FILE_BYTES)
          throw new HostError('too-large', `${at.shown} is larger than ${MAX_FILE_BYTES} bytes`);
        return new Uint8Array(data);
      });
    },
  ],
  [
    `${FS}#writeFile`,
    async (state, args) => {
      const content = args[1] as Uint8Array;
      if (content.length > MAX_FILE_BYTES)
        throw new HostError('too-large', `write-file takes at most ${MAX_FILE_BYTES} bytes`);
      const at = await locate(state, String(args[0]), 'write');
      return run(state, 'write-file', at.shown, async () => {
        notRoot(at, 'write');
        const info = await at.mount.lstat(at.parts);
        if (info?.isDirectory()) throw new HostError('is-directory', `${at.shown} is a directory`);
        await ensureParents(at);
        await at.mount.writeFile(at.parts, content, false);
      });
    },
  ],
  [
    `${FS}#fsAppend`,
    async (state, args) => {
      const content = args[1] as Uint8Array;
      if (content.length > MAX_FILE_BYTES)
        throw new HostError('too-large', `fs-append takes at most ${MAX_FILE_BYTES} bytes`);
      const at = await locate(state, String(args[0]), 'write');
      return run(state, 'fs-append', at.shown, async () => {
        notRoot(at, 'write');
        const info = await at.mount.lstat(at.parts);
        if (info?.isDirectory()) throw new HostError('is-directory', `${at.shown} is a directory`);
        if (info !== null && info.size + content.length > MAX_FILE_BYTES) {
          throw new HostError('too-large', `${at.shown} would grow past ${MAX_FILE_BYTES} bytes`);
        }
        await ensureParents(at);
        await at.mount.writeFile(at.parts, content, true);
      });
    },
  ],
  [
    `${FS}#fsCopy`,
    async (state, args) => {
      const src = await locate(state, String(args[0]), 'read');
      const dst = await locate(state, String(args[1]), 'write');
      return run(state, 'fs-copy', `${src.shown} -> ${dst.shown}`, async () => {
        const info = await mustExist(src);
        if (!info.isFile())
          throw new HostError(
            info.isDirectory() ? 'is-directory' : 'invalid-path',
            `${src.shown} is not a regular file`,
          );
        if (info.size > MAX_FILE_BYTES)
          throw new HostError('too-large', `${src.shown} is larger than ${MAX_FILE_BYTES} bytes`);
        notRoot(dst, 'overwrite');
        if ((await dst.mount.lstat(dst.parts))?.isDirectory())
          throw new HostError('is-directory', `${dst.shown} is a directory`);
        await parentMustExist(dst);
        await dst.mount.writeFile(dst.parts, await src.mount.readFile(src.parts), false);
      });
    },
  ],
  [
    `${FS}#fsRename`,
    async (state, args) => {
      const src = await locate(state, String(args[0]), 'write', false);
      const dst = await locate(state, String(args[1]), 'write', false);
      return run(state, 'fs-rename', `${src.shown} -> ${dst.shown}`, async () => {
        if (src.mount.kind !== dst.mount.kind || src.mount.root !== dst.mount.root) {
          throw new HostError('cross-vfs', `${src.shown} and ${dst.shown} are on different roots`);
        }
        notRoot(src, 'rename');
        notRoot(dst, 'replace');
        await mustExist(src);
        if (dst.parts.join('/').startsWith(`${src.parts.join('/')}/`)) {
          throw new HostError('invalid-path', `cannot move ${src.shown} into itself`);
        }
        await parentMustExist(dst);
        const target = await dst.mount.lstat(dst.parts);
        if (target?.isDirectory() && (await dst.mount.readdir(dst.parts)).length > 0) {
          throw new HostError('not-empty', `${dst.shown} is a non-empty directory`);
        }
        await src.mount.rename(src.parts, dst.parts);
      });
    },
  ],
  [
    `${FS}#fsRemoveDirAll`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'write', false);
      return run(state, 'fs-remove-dir-all', at.shown, async () => {
        notRoot(at, 'remove');
        const info = await mustExist(at);
        if (!info.isDirectory())
          throw new HostError('not-directory', `${at.shown} is not a directory`);
        return BigInt(await at.mount.removeTree(at.parts));
      });
    },
  ],
  [
    `${FS}#fsCanonicalize`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'read');
      return run(state, 'fs-canonicalize', at.shown, async () => {
        await mustExist(at);
        return displayPath({ ...at.guest, parts: at.parts });
      });
    },
  ],
  [
    `${FS}#fsReadLink`,
    async (state, args) => {
      const at = await locate(state, String(args[0]), 'read', false);
      return run(state, 'fs-read-link', at.shown, async () => {
        const info = await mustExist(at);
        if (!info.isSymbolicLink())
          throw new HostError('invalid-path', `${at.shown} is not a symbolic link`);
        const target = await at.mount.readlink(at.parts);
        if (!target.startsWith('/')) return target;
        if (target === at.mount.root || target.startsWith(`${at.mount.root}/`)) {
          return displayPath({
            ...at.guest,
            parts: target.slice(at.mount.root.length).split('/').filter(Boolean),
          });
        }
        throw new HostError('boundary-escape', `${at.shown} points outside its root`);
      });
    },
  ],
  [
    `${FS}#fsHardLink`,
    async (state, args) => {
      const src = await locate(state, String(args[0]), 'read');
      const dst = await locate(state, String(args[1]), 'write', false);
      return run(state, 'fs-hard-link', `${src.shown} -> ${dst.shown}`, async () => {
        if (src.mount.kind !== dst.mount.kind || src.mount.root !== dst.mount.root) {
          throw new HostError('cross-vfs', 'hard links must stay inside one root');
        }
        const info = await mustExist(src);
        if (!info.isFile())
          throw new HostError('invalid-path', `${src.shown} is not a regular file`);
        notRoot(dst, 'replace');
        if ((await dst.mount.lstat(dst.parts)) !== null)
          throw new HostError('already-exists', `${dst.shown} already exists`);
        await parentMustExist(dst);
        await src.mount.hardLink(src.parts, dst.parts);
      });
    },
  ],
  [
    `${FS}#fsOpen`,
    async (state, args) => {
      const path = String(args[0]);
      const mode = String(args[1]) as OpenMode;
      if (!OPEN_MODES.includes(mode))
        throw new HostError('invalid-path', `unknown open mode ${mode}`);
      const at = await locate(state, path, mode === 'read' ? 'read' : 'write');
      if (state.resources.count(FILE_HANDLE_TYPE) >= MAX_OPEN_HANDLES) {
        throw new HostError('quota', `at most ${MAX_OPEN_HANDLES} open files per instance`);
      }
      return run(state, 'fs-open', at.shown, async () => {
        const info = await at.mount.lstat(at.parts);
        if (info?.isDirectory()) throw new HostError('is-directory', `${at.shown} is a directory`);
        if (info === null) {
          if (mode === 'read') throw new HostError('not-found', `${at.shown} does not exist`);
          notRoot(at, 'create');
          await parentMustExist(at);
        }
        const fh = await at.mount.open(at.parts, mode);
        return new NewResource(FILE_HANDLE_TYPE, new FileHandleResource(at, mode, fh));
      });
    },
  ],
  [
    `${FILE_HANDLE_TYPE}.readAt`,
    async (state, args, self) => {
      const h = handleOf(self);
      const offset = args[0] as bigint;
      const max = Number(args[1]);
      if (max > MAX_HANDLE_IO_BYTES)
        throw new HostError('too-large', `read-at returns at most ${MAX_HANDLE_IO_BYTES} bytes`);
      if (h.mode === 'write' || h.mode === 'append')
        throw new HostError('access', `${h.at.shown} was opened for writing only`);
      return run(state, 'file-handle.read-at', h.at.shown, async () => {
        const buf = Buffer.alloc(max);
        const { bytesRead } = await h.fh.read(buf, 0, max, Number(offset));
        return new Uint8Array(buf.subarray(0, bytesRead));
      });
    },
  ],
  [
    `${FILE_HANDLE_TYPE}.writeAt`,
    async (state, args, self) => {
      const h = handleOf(self);
      const offset = args[0] as bigint;
      const data = args[1] as Uint8Array;
      if (data.length > MAX_HANDLE_IO_BYTES)
        throw new HostError('too-large', `write-at takes at most ${MAX_HANDLE_IO_BYTES} bytes`);
      writable(h);
      if (offset + BigInt(data.length) > BigInt(MAX_FILE_BYTES))
        throw new HostError('too-large', `files are limited to ${MAX_FILE_BYTES} bytes`);
      return run(state, 'file-handle.write-at', h.at.shown, async () => {
        const { bytesWritten } = await h.fh.write(
          data,
          0,
          data.length,
          h.mode === 'append' ? null : Number(offset),
        );
        return bytesWritten;
      });
    },
  ],
  [
    `${FILE_HANDLE_TYPE}.syncData`,
    async (state, _args, self) => {
      const h = handleOf(self);
      return run(state, 'file-handle.sync-data', h.at.shown, () => h.fh.datasync());
    },
  ],
  [
    `${FILE_HANDLE_TYPE}.syncAll`,
    async (state, _args, self) => {
      const h = handleOf(self);
      return run(state, 'file-handle.sync-all', h.at.shown, () => h.fh.sync());
    },
  ],
  [
    `${FILE_HANDLE_TYPE}.stat`,
    async (state, _args, self) => {
      const h = handleOf(self);
      return run(state, 'file-handle.stat', h.at.shown, async () => fileStat(await h.fh.stat()));
    },
  ],
  [
    `${FILE_HANDLE_TYPE}.setLen`,
    async (state, args, self) => {
      const h = handleOf(self);
      const size = args[0] as bigint;
      writable(h);
      if (size > BigInt(MAX_FILE_BYTES))
        throw new HostError('too-large', `files are limited to ${MAX_FILE_BYTES} bytes`);
      return run(state, 'file-handle.set-len', h.at.shown, () => h.fh.truncate(Number(size)));
    },
  ],
];
