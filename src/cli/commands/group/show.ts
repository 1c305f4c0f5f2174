import { notFound } from '../../command-kit.js';
import { type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { block } from '../quota/quota-view.js';
import { groupRecords, groupToJson, groupType } from './group-record.js';

/** `astrid group show NAME`. */
export async function groupShow(
  session: CliSession,
  name: string,
  format: OutputFormat,
): Promise<number> {
  const client = await session.client();
  const group = groupRecords(await client.admin('GroupList')).find((g) => g.name === name);
  if (group === undefined) throw notFound(`group '${name}' not found; see \`astrid group list\``);
  if (format !== 'pretty') {
    printStructured(session.io, groupToJson(group), format);
    return 0;
  }
  const caps = group.capabilities.length === 0 ? ['(none)'] : group.capabilities;
  session.io.out(
    `${block(`Group '${group.name}'`, [
      ['type', groupType(group)],
      ['description', group.description ?? '—'],
      ['unsafe admin', group.unsafeAdmin ? 'yes' : 'no'],
    ])}Capabilities\n${caps.map((c) => `  - ${c}\n`).join('')}`,
  );
  return 0;
}
