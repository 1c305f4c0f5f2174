import { checkCapability } from '../../../core/capabilities/capability-grammar.js';
import { unwrap } from '../../../core/errors.js';
import { EXIT } from '../../exit-codes.js';
import { type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { principalArg } from '../agent/principal-arg.js';
import { findAgent } from '../agent/show.js';
import { groupRecords } from '../group/group-record.js';
import { checkCapabilityOf } from './caps-check.js';

/**
 * `astrid caps check NAME CAP`: evaluated here with the core matcher on the
 * agent's policy; exit 0 when allowed, 1 when denied.
 */
export async function capsCheck(
  session: CliSession,
  name: string,
  capability: string,
  format: OutputFormat,
): Promise<number> {
  const principal = principalArg(name);
  unwrap(checkCapability(capability));
  const client = await session.client();
  const agent = await findAgent(session, client, principal);
  const groups = groupRecords(await client.admin('GroupList'));
  const outcome = checkCapabilityOf(agent, groups, capability);
  if (format !== 'pretty') {
    printStructured(
      session.io,
      { principal, capability, allowed: outcome.allowed, reason: outcome.reason },
      format,
    );
  } else {
    session.io.out(`${outcome.allowed ? 'allowed' : 'denied'}: ${outcome.reason}\n`);
  }
  return outcome.allowed ? EXIT.ok : EXIT.failure;
}
