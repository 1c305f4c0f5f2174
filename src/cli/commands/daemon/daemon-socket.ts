import { existsSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { AstridError } from '../../../core/errors.js';
import { runFiles } from '../../../kernel/run-files.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';

/** `missing`: no socket file; `live`: something accepts connections; `stale`: a file nothing listens on. */
export type SocketState = 'missing' | 'live' | 'stale';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Probes the daemon socket with a bare connect (no handshake). A connect
 * that neither succeeds nor is refused in time counts as live: a busy daemon
 * must never have its socket deleted under it.
 */
export function probeSocket(path: string): Promise<SocketState> {
  if (!existsSync(path)) return Promise.resolve('missing');
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const done = (state: SocketState) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done('live'), PROBE_TIMEOUT_MS);
    socket.once('connect', () => done('live'));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      switch (e.code) {
        case 'ENOENT':
          return done('missing');
        case 'ECONNREFUSED':
        case 'ENOTSOCK':
          return done('stale');
        default:
          clearTimeout(timer);
          socket.destroy();
          reject(
            new AstridError('unavailable', `cannot reach the daemon socket ${path}: ${e.message}`),
          );
      }
    });
  });
}

/** Deletes a dead daemon's socket and ready file (the lock file is the daemon's own business). */
export function removeStaleRunFiles(home: AstridHome): void {
  const files = runFiles(home);
  rmSync(files.socket, { force: true });
  rmSync(files.ready, { force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `path` is gone; false when it is still there after `timeoutMs`. */
export async function waitForRemoval(
  path: string,
  timeoutMs: number,
  pollMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(path)) {
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}
