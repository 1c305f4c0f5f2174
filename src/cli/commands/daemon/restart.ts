import { existsSync, rmSync } from 'node:fs';
import type { CliIo } from '../../output.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { waitForRemoval } from './daemon-socket.js';
import { type StartOptions, spawnAndReport } from './start.js';
import { stopDaemon } from './stop.js';

/** `astrid restart [--watch]`: stop (if running), make sure the socket is gone, start. */
export async function restartVerb(
  io: CliIo,
  session: CliSession,
  options: StartOptions,
): Promise<number> {
  await stopDaemon(io, session);
  if (existsSync(session.socketPath) && !(await waitForRemoval(session.socketPath, 5_000))) {
    say.warn(io, `Removing the daemon socket that outlived the shutdown (${session.socketPath}).`);
    rmSync(session.socketPath, { force: true });
    rmSync(session.readyPath, { force: true });
  }
  return spawnAndReport(io, session, options);
}
