import { AstridError } from '../../../core/errors.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';

/** `astrid invite revoke TOKEN_OR_FINGERPRINT`: prints what the kernel answered. */
export async function inviteRevoke(
  session: CliSession,
  io: CliIo,
  tokenOrFingerprint: string,
  format: OutputFormat,
): Promise<number> {
  const value = tokenOrFingerprint.trim();
  if (value.length === 0)
    throw new AstridError('invalid-input', 'give the invite token or its fingerprint');
  const client = await session.client();
  const answer = (await client.admin('InviteRevoke', { token: value })).data;
  if (format !== 'pretty') printStructured(io, answer, format);
  else say.ok(io, `revoked ${JSON.stringify(answer)}`);
  return EXIT.ok;
}
