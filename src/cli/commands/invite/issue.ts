import type { JsonObject } from '../../../events/json.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { issuedLines, parseCountFlag, parseIssued, parseMetadataArg } from './invite-view.js';

export interface IssueFlags {
  readonly group: string;
  readonly expiresSecs: string;
  readonly maxUses: string;
  readonly metadata?: string;
  readonly raw?: boolean;
}

/** The InviteIssue params for the flags (validated before any connection). Pure. */
export function issueParams(flags: IssueFlags): JsonObject {
  const params: JsonObject = {
    group: flags.group,
    expires_secs: parseCountFlag('--expires-secs', flags.expiresSecs),
    max_uses: parseCountFlag('--max-uses', flags.maxUses),
  };
  if (flags.metadata !== undefined) params.metadata = parseMetadataArg(flags.metadata);
  return params;
}

/** `astrid invite issue [--group G] [--expires-secs S] [--max-uses N] [--metadata T] [--raw]`. */
export async function inviteIssue(
  session: CliSession,
  io: CliIo,
  flags: IssueFlags,
  format: OutputFormat,
): Promise<number> {
  const params = issueParams(flags);
  const client = await session.client();
  const invite = parseIssued((await client.admin('InviteIssue', params)).data);
  if (flags.raw === true) io.out(`${invite.token}\n`);
  else if (format !== 'pretty') printStructured(io, invite, format);
  else {
    const [issued, expires] = issuedLines(invite);
    say.ok(io, issued);
    io.out(`${expires}\n`);
  }
  return EXIT.ok;
}
