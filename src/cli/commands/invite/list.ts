import { EXIT } from '../../exit-codes.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { inviteTable, parseInviteList } from './invite-view.js';

/** `astrid invite list [--json|--format F]`: live invites (tokens are only ever shown by fingerprint). */
export async function inviteList(
  session: CliSession,
  io: CliIo,
  format: OutputFormat,
): Promise<number> {
  const client = await session.client();
  const invites = parseInviteList((await client.admin('InviteList')).data);
  if (format !== 'pretty') printStructured(io, invites, format);
  else if (invites.length === 0)
    say.info(io, 'no live invites; issue one with `astrid invite issue`');
  else {
    const { headers, rows } = inviteTable(invites);
    io.out(renderTable(headers, rows));
  }
  return EXIT.ok;
}
