import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { probeSocket } from './daemon-socket.js';

/**
 * For inspection verbs, which never start a daemon: true when one is
 * running; otherwise says so (an info line, or `empty` in a structured
 * format) and returns false, so the verb exits 0.
 */
export async function daemonIsUp(
  io: CliIo,
  session: CliSession,
  format: OutputFormat,
  empty: unknown,
): Promise<boolean> {
  const state = await probeSocket(session.socketPath);
  if (state === 'live') return true;
  if (format !== 'pretty') printStructured(io, empty, format);
  else if (state === 'stale')
    say.info(
      io,
      `Astrid daemon is not running (stale socket ${session.socketPath}; \`astrid stop\` removes it). Run \`astrid start\`.`,
    );
  else say.info(io, 'Astrid daemon is not running. Run `astrid start`.');
  return false;
}
