import {
  checkCapability,
  UNIVERSAL_CAPABILITY,
} from '../../../core/capabilities/capability-grammar.js';
import { invalidInput, unwrap } from '../../../core/errors.js';
import { checkGroupName } from '../../../core/groups/group.js';
import type { JsonObject } from '../../../events/json.js';
import { notFound, UsageError } from '../../command-kit.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { warnUnknownCapabilities } from './capability-warnings.js';
import { absentRemovals, descriptionChange, nextCapabilities, sameList } from './group-edit.js';
import { capabilitySummary, groupRecords } from './group-record.js';

export interface GroupModifyOptions {
  readonly addCaps: readonly string[];
  readonly removeCaps: readonly string[];
  /** `""` clears the description. */
  readonly description?: string;
  readonly unsafeAdmin: boolean;
}

/**
 * `astrid group modify NAME`: reads the group, computes the full new
 * capability list here (removals, then additions without duplicates) and
 * sends it with GroupModify.
 */
export async function groupModify(
  session: CliSession,
  name: string,
  opts: GroupModifyOptions,
): Promise<number> {
  const io = session.io;
  unwrap(checkGroupName(name));
  if (
    opts.addCaps.length === 0 &&
    opts.removeCaps.length === 0 &&
    opts.description === undefined &&
    !opts.unsafeAdmin
  ) {
    throw invalidInput(
      'nothing to change: give --add-caps, --remove-caps or --description ("" clears it)',
    );
  }
  for (const c of opts.addCaps) unwrap(checkCapability(c));
  if (opts.addCaps.includes(UNIVERSAL_CAPABILITY) && !opts.unsafeAdmin) {
    throw new UsageError(
      `refusing to add '*' (every capability) to group '${name}' without --unsafe-admin`,
    );
  }
  const client = await session.client();
  const group = groupRecords(await client.admin('GroupList')).find((g) => g.name === name);
  if (group === undefined) throw notFound(`group '${name}' not found; see \`astrid group list\``);
  for (const c of absentRemovals(group.capabilities, opts.removeCaps)) {
    say.warn(io, `'${c}' is not in group '${name}'; nothing to remove`);
  }
  const capabilities = nextCapabilities(group.capabilities, opts.addCaps, opts.removeCaps);
  const params: JsonObject = { name, ...descriptionChange(opts.description) };
  if (!sameList(capabilities, group.capabilities)) params.capabilities = capabilities;
  if (opts.unsafeAdmin) params.unsafe_admin = true;
  await client.admin('GroupModify', params);
  say.ok(io, `Updated group '${name}': ${capabilitySummary(capabilities)}`);
  if (params.description === null) say.info(io, 'description cleared');
  warnUnknownCapabilities(
    io,
    opts.addCaps.filter((c) => !group.capabilities.includes(c)),
  );
  return 0;
}
