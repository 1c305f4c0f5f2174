import {
  checkCapability,
  UNIVERSAL_CAPABILITY,
} from '../../../core/capabilities/capability-grammar.js';
import { invalidInput, unwrap } from '../../../core/errors.js';
import { checkGroupName } from '../../../core/groups/group.js';
import { UsageError } from '../../command-kit.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { warnUnknownCapabilities } from './capability-warnings.js';

export interface GroupCreateOptions {
  readonly caps: readonly string[];
  readonly description?: string;
  readonly unsafeAdmin: boolean;
}

/** `astrid group create NAME --caps A,B [--description T] [--unsafe-admin]`. */
export async function groupCreate(
  session: CliSession,
  name: string,
  opts: GroupCreateOptions,
): Promise<number> {
  unwrap(checkGroupName(name));
  const caps = [...new Set(opts.caps)];
  if (caps.length === 0) {
    throw invalidInput(`group '${name}' needs at least one capability: --caps a:b,c:d`);
  }
  for (const c of caps) unwrap(checkCapability(c));
  if (caps.includes(UNIVERSAL_CAPABILITY) && !opts.unsafeAdmin) {
    throw new UsageError(
      `refusing to create group '${name}' with '*' (every capability) without --unsafe-admin`,
    );
  }
  const description =
    opts.description === undefined || opts.description.trim().length === 0
      ? null
      : opts.description;
  const client = await session.client();
  await client.admin('GroupCreate', {
    name,
    capabilities: caps,
    description,
    unsafe_admin: opts.unsafeAdmin,
  });
  say.ok(session.io, `Created group '${name}'`);
  warnUnknownCapabilities(session.io, caps);
  return 0;
}
