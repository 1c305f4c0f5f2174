import { type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { principalArg } from '../agent/principal-arg.js';
import { findAgent } from '../agent/show.js';
import { groupRecords } from '../group/group-record.js';
import { capabilityRows } from './caps-view.js';

/** `astrid caps show [NAME]`: where each capability of an agent comes from. */
export async function capsShow(
  session: CliSession,
  name: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const principal = name === undefined ? await session.activeAgent() : principalArg(name);
  const client = await session.client();
  const agent = await findAgent(session, client, principal);
  const groups = groupRecords(await client.admin('GroupList'));
  const rows = capabilityRows(agent, groups);
  if (format !== 'pretty') {
    printStructured(
      session.io,
      {
        principal: agent.principal,
        enabled: agent.enabled,
        groups: agent.groups,
        capabilities: rows,
      },
      format,
    );
    return 0;
  }
  if (!agent.enabled)
    say.warn(session.io, `agent '${agent.principal}' is disabled: every request is refused`);
  if (rows.length === 0) {
    say.info(session.io, `agent '${agent.principal}' holds no capabilities`);
    return 0;
  }
  session.io.out(
    renderTable(
      ['CAPABILITY', 'SOURCE', 'STATUS'],
      rows.map((r) => [r.capability, r.source, r.status]),
    ),
  );
  return 0;
}
