import { type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { agentRecords, agentState, cellList, inGroup } from './agent-record.js';

/** `astrid agent list [--group G]`: the agents the active agent may see, sorted. */
export async function agentList(
  session: CliSession,
  group: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const client = await session.client();
  const rows = inGroup(agentRecords(await client.admin('AgentList')), group);
  if (format !== 'pretty') {
    printStructured(session.io, rows, format);
    return 0;
  }
  if (rows.length === 0) {
    say.info(session.io, group === undefined ? 'no agents' : `no agents in group '${group}'`);
    return 0;
  }
  session.io.out(
    renderTable(
      ['AGENT', 'STATE', 'GROUPS'],
      rows.map((r) => [r.principal, agentState(r), cellList(r.groups)]),
    ),
  );
  return 0;
}
