import { lstat, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { AstridError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

/** `sun_path` limit: 108 bytes on Linux, 104 on macOS/BSD (including the NUL). */
export const SOCKET_PATH_LIMIT = process.platform === 'linux' ? 108 : 104;

function probe(path: string): Promise<'live' | 'refused' | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? 'refused' : e);
    });
  });
}

/**
 * Makes `path` ready to bind: refuses an over-long path, removes a symlink,
 * refuses a path a live server answers on, and removes a stale socket left
 * by a crashed daemon. Anything it cannot classify is left alone (error).
 */
export async function prepareSocketPath(path: string, logger: Logger): Promise<void> {
  if (Buffer.byteLength(path) >= SOCKET_PATH_LIMIT) {
    throw new AstridError(
      'config',
      `socket path ${path} is ${Buffer.byteLength(path)} bytes, exceeding the platform limit of ${SOCKET_PATH_LIMIT - 1}; use a shorter ASTRID_HOME`,
    );
  }
  let stat: Awaited<ReturnType<typeof lstat>>;
  try {
    stat = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (stat.isSymbolicLink()) {
    logger.warn({ path }, 'removing a symlink where the daemon socket belongs');
    await rm(path, { force: true });
    return;
  }
  const state = await probe(path);
  if (state === 'live')
    throw new AstridError('conflict', `a daemon is already running on this socket (${path})`);
  if (state === 'refused') {
    logger.info({ path }, 'removing a stale socket left by a previous daemon');
    await rm(path, { force: true });
    return;
  }
  throw new AstridError('unavailable', `cannot tell whether ${path} is in use: ${state.message}`);
}
