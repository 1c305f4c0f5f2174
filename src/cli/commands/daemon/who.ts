import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { daemonIsUp } from './daemon-down.js';
import { parseDaemonStatus } from './daemon-status.js';
import { whoRows } from './who-rows.js';

/** `astrid who [--format]`: who is connected to the daemon, per principal. */
export async function whoVerb(
  io: CliIo,
  session: CliSession,
  format: OutputFormat,
): Promise<number> {
  if (!(await daemonIsUp(io, session, format, []))) return 0;
  const client = await session.client();
  const rows = whoRows(parseDaemonStatus((await client.kernel('GetStatus')).data));
  if (format !== 'pretty') {
    printStructured(io, rows, format);
    return 0;
  }
  if (rows.length === 0) {
    say.info(io, 'No clients are connected.');
    return 0;
  }
  io.out(
    renderTable(
      ['AGENT', 'PLATFORM', 'STATE', 'CONNECTIONS'],
      rows.map((r) => [r.agent, r.platform, r.state, String(r.connections)]),
    ),
  );
  return 0;
}
