import { invalidInput, unwrap } from '../../../core/errors.js';
import { checkGroupName } from '../../../core/groups/group.js';
import { isJsonObject } from '../../../events/json.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { groupRecords } from '../group/group-record.js';
import { answerData, isStringList, malformed } from './admin-answer.js';
import { cellList } from './agent-record.js';
import { principalArg } from './principal-arg.js';

/** `astrid agent modify NAME [--add-group G]... [--remove-group G]...`. */
export async function agentModify(
  session: CliSession,
  name: string,
  add: readonly string[],
  remove: readonly string[],
): Promise<number> {
  const io = session.io;
  const principal = principalArg(name);
  if (add.length === 0 && remove.length === 0) {
    throw invalidInput('nothing to change: give --add-group GROUP and/or --remove-group GROUP');
  }
  for (const g of [...add, ...remove]) unwrap(checkGroupName(g));
  const client = await session.client();
  if (add.length > 0) {
    const known = groupRecords(await client.admin('GroupList'));
    for (const g of add) {
      if (!known.some((k) => k.name === g)) {
        say.warn(io, `group '${g}' does not exist; it grants nothing until it is created`);
      }
    }
  }
  const data = answerData(
    await client.admin('AgentModify', {
      principal,
      add_groups: [...add],
      remove_groups: [...remove],
    }),
    'Success',
  );
  if (!isJsonObject(data) || !isStringList(data.groups) || typeof data.changed !== 'boolean') {
    throw malformed('agent.modify answer');
  }
  if (data.changed) say.ok(io, `Agent '${principal}' groups: ${cellList(data.groups)}`);
  else say.info(io, `agent '${principal}' is already in the requested groups (no change)`);
  return 0;
}
