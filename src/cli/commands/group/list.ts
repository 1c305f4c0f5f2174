import { type OutputFormat, printStructured } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { capabilitySummary, groupRecords, groupToJson, groupType } from './group-record.js';

/** `astrid group list`: built-in and custom groups, sorted. */
export async function groupList(session: CliSession, format: OutputFormat): Promise<number> {
  const client = await session.client();
  const groups = groupRecords(await client.admin('GroupList'));
  if (format !== 'pretty') {
    printStructured(session.io, groups.map(groupToJson), format);
    return 0;
  }
  session.io.out(
    renderTable(
      ['GROUP', 'TYPE', 'CAPABILITIES'],
      groups.map((g) => [g.name, groupType(g), capabilitySummary(g.capabilities)]),
    ),
  );
  return 0;
}
