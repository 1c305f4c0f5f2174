import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { daemonIsUp } from './daemon-down.js';
import { parseDaemonStatus, statusLines } from './daemon-status.js';

/** `astrid status [--format]`: GetStatus as the active agent (needs `system:status`). */
export async function statusVerb(
  io: CliIo,
  session: CliSession,
  format: OutputFormat,
): Promise<number> {
  if (!(await daemonIsUp(io, session, format, { running: false }))) return 0;
  const client = await session.client();
  const status = parseDaemonStatus((await client.kernel('GetStatus')).data);
  if (format !== 'pretty') {
    printStructured(io, { running: true, ...status }, format);
    return 0;
  }
  const { headline, details } = statusLines(status);
  say.ok(io, headline);
  for (const line of details) io.out(`${line}\n`);
  return 0;
}
