import type { PrincipalId } from '../../../core/ids/principal-id.js';
import type { KernelClient } from '../../../kernel/clients/kernel-client.js';
import { notFound } from '../../command-kit.js';
import { type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { quotasOf } from '../quota/quota-record.js';
import { block, quotaRows } from '../quota/quota-view.js';
import { type AgentRecord, agentRecords, agentState, cellList } from './agent-record.js';
import { principalArg } from './principal-arg.js';

/**
 * The AgentList row of `principal` as the active agent sees it; a missing
 * row is "not found" (exit 1).
 */
export async function findAgent(
  session: CliSession,
  client: KernelClient,
  principal: PrincipalId,
): Promise<AgentRecord> {
  const row = agentRecords(await client.admin('AgentList')).find((r) => r.principal === principal);
  if (row === undefined) {
    const active = await session.activeAgent();
    throw notFound(
      active === principal
        ? `agent '${principal}' not found`
        : `agent '${principal}' not found (or not visible to the active agent '${active}'); see \`astrid agent list\``,
    );
  }
  return row;
}

/** `astrid agent show [NAME]`: policy and quotas of an agent (default: the active agent). */
export async function agentShow(
  session: CliSession,
  name: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const principal = name === undefined ? await session.activeAgent() : principalArg(name);
  const client = await session.client();
  const row = await findAgent(session, client, principal);
  const quotas = quotasOf(await client.admin('QuotaGet', { principal }));
  if (format !== 'pretty') {
    printStructured(session.io, { ...row, quotas }, format);
    return 0;
  }
  session.io.out(
    block(`Agent '${row.principal}'`, [
      ['state', agentState(row)],
      ['groups', cellList(row.groups)],
      ['grants', cellList(row.grants)],
      ['revokes', cellList(row.revokes)],
    ]) + block('Quotas', quotaRows(quotas)),
  );
  return 0;
}
