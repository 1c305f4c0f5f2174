import {
  checkCapability,
  UNIVERSAL_CAPABILITY,
} from '../../../core/capabilities/capability-grammar.js';
import { unwrap } from '../../../core/errors.js';
import { UsageError } from '../../command-kit.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { principalArg } from '../agent/principal-arg.js';
import { warnUnknownCapabilities } from '../group/capability-warnings.js';

/**
 * `astrid caps grant NAME CAP... [--unsafe-admin]`: a bare `*` without the
 * flag is refused here (exit 2) before the daemon is contacted.
 */
export async function capsGrant(
  session: CliSession,
  name: string,
  caps: readonly string[],
  unsafeAdmin: boolean,
): Promise<number> {
  const principal = principalArg(name);
  if (caps.includes(UNIVERSAL_CAPABILITY) && !unsafeAdmin) {
    throw new UsageError(
      `refusing to grant '*' (every capability) to '${principal}' without --unsafe-admin`,
    );
  }
  for (const c of caps) unwrap(checkCapability(c));
  const client = await session.client();
  await client.admin('CapsGrant', {
    principal,
    capabilities: [...caps],
    unsafe_admin: unsafeAdmin,
  });
  say.ok(session.io, `Granted ${caps.join(', ')} to '${principal}'`);
  warnUnknownCapabilities(session.io, caps);
  return 0;
}

/** `astrid caps revoke NAME CAP...`: revokes beat grants and group membership. */
export async function capsRevoke(
  session: CliSession,
  name: string,
  caps: readonly string[],
): Promise<number> {
  const principal = principalArg(name);
  for (const c of caps) unwrap(checkCapability(c));
  const client = await session.client();
  await client.admin('CapsRevoke', { principal, capabilities: [...caps] });
  say.ok(session.io, `Revoked ${caps.join(', ')} from '${principal}'`);
  return 0;
}
