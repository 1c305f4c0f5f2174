import { AstridError } from '../../../core/errors.js';
import { runFiles } from '../../../kernel/run-files.js';
import type { CliIo } from '../../output.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { probeSocket, removeStaleRunFiles, waitForRemoval } from './daemon-socket.js';
import { parseDaemonStatus } from './daemon-status.js';
import { waitUntilGone } from './process-alive.js';

/** How long `stop` waits for the daemon to finish shutting down. */
export const STOP_WAIT_MS = 10_000;

export type StopOutcome = 'not-running' | 'stale-cleaned' | 'stopped' | 'still-stopping';

/**
 * Asks the daemon to shut down and waits until it is gone: its process has
 * exited when its pid is known (then its lock is free for the next start),
 * else its socket and ready file are removed.
 */
export async function stopDaemon(io: CliIo, session: CliSession): Promise<StopOutcome> {
  const state = await probeSocket(session.socketPath);
  if (state === 'missing') {
    say.info(io, 'No Astrid daemon is running.');
    return 'not-running';
  }
  if (state === 'stale') {
    removeStaleRunFiles(session.home);
    say.ok(io, 'Cleaned up stale daemon socket.');
    return 'stale-cleaned';
  }
  const client = await session.client();
  let pid: number | null = null;
  try {
    pid = parseDaemonStatus((await client.kernel('GetStatus')).data).pid;
  } catch (e) {
    // Shutting down needs system:shutdown, not system:status; without the pid we watch the files.
    if (!(e instanceof AstridError && e.code === 'capability-denied')) throw e;
  }
  await client.kernel('Shutdown', { reason: 'astrid stop' });
  const files = runFiles(session.home);
  const gone =
    pid !== null
      ? await waitUntilGone(pid, STOP_WAIT_MS)
      : (await waitForRemoval(files.socket, STOP_WAIT_MS)) &&
        (await waitForRemoval(files.ready, 1_000));
  if (!gone) {
    say.warn(
      io,
      `The daemon accepted the shutdown but is still stopping after ${STOP_WAIT_MS / 1000} s${pid === null ? '' : ` (PID ${pid})`}.`,
    );
    return 'still-stopping';
  }
  say.ok(io, 'Astrid daemon stopped.');
  return 'stopped';
}

/** `astrid stop`. */
export async function stopVerb(io: CliIo, session: CliSession): Promise<number> {
  await stopDaemon(io, session);
  return 0;
}
