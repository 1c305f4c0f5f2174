import { unwrap } from '../../../core/errors.js';
import { checkGroupName } from '../../../core/groups/group.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';

/** `astrid group delete NAME` (built-in groups are refused by the kernel). */
export async function groupDelete(session: CliSession, name: string): Promise<number> {
  unwrap(checkGroupName(name));
  const client = await session.client();
  await client.admin('GroupDelete', { name });
  say.ok(session.io, `Deleted group '${name}'`);
  return 0;
}
