import { UNIVERSAL_CAPABILITY } from '../../../core/capabilities/capability-grammar.js';
import { AstridError, isAstridError, unwrap } from '../../../core/errors.js';
import { checkGroupName } from '../../../core/groups/group.js';
import { confirm } from '../../command-kit.js';
import { EXIT } from '../../exit-codes.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { groupRecords } from '../group/group-record.js';
import {
  applyQuotaChanges,
  changeCount,
  type QuotaFlags,
  quotaChanges,
} from '../quota/quota-flags.js';
import { quotasOf } from '../quota/quota-record.js';
import { creationGrants } from './agent-grants.js';
import { principalArg } from './principal-arg.js';

export interface AgentCreateOptions extends QuotaFlags {
  readonly group: readonly string[];
  readonly egress: readonly string[];
  readonly processAllow: readonly string[];
  readonly yes: boolean;
}

/**
 * `astrid agent create NAME`: every flag is checked before anything is sent;
 * joining a group that holds `*` asks first (unless `-y`); quota flags are
 * applied right after creation.
 */
export async function agentCreate(
  session: CliSession,
  name: string,
  opts: AgentCreateOptions,
): Promise<number> {
  const io = session.io;
  const principal = principalArg(name);
  const groups = [...new Set(opts.group)];
  for (const g of groups) unwrap(checkGroupName(g));
  const grants = unwrap(creationGrants(opts.egress, opts.processAllow));
  const changes = unwrap(quotaChanges(opts));

  const client = await session.client();
  if (groups.length > 0) {
    const known = groupRecords(await client.admin('GroupList'));
    for (const g of groups) {
      if (!known.some((k) => k.name === g)) {
        say.warn(io, `group '${g}' does not exist; it grants nothing until it is created`);
      }
    }
    const universal = known.filter(
      (k) => groups.includes(k.name) && k.capabilities.includes(UNIVERSAL_CAPABILITY),
    );
    if (universal.length > 0 && !opts.yes) {
      const names = universal.map((g) => `'${g.name}'`).join(', ');
      const question = `Agent '${principal}' will be in ${names}, which holds '*' (every capability). Create it`;
      if (!(await confirm(io, question))) {
        io.err('aborted.\n');
        return EXIT.failure;
      }
    }
  }

  await client.admin('AgentCreate', { name: principal, groups, grants });
  say.ok(io, `Created agent '${principal}'`);

  const count = changeCount(changes);
  if (count > 0) {
    try {
      const current = quotasOf(await client.admin('QuotaGet', { principal }));
      await client.admin('QuotaSet', { principal, quotas: applyQuotaChanges(current, changes) });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new AstridError(
        isAstridError(e) ? e.code : 'internal',
        `agent '${principal}' was created, but its quotas were not set: ${reason} (retry with \`astrid quota set -a ${principal} ...\`)`,
      );
    }
    say.ok(io, `Quotas set (${count} ${count === 1 ? 'field' : 'fields'})`);
  }
  return EXIT.ok;
}
