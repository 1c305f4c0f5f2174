import { isJsonObject } from '../../../events/json.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { answerData } from './admin-answer.js';
import { principalArg } from './principal-arg.js';

/** `astrid agent enable|disable NAME`. */
export async function agentSetEnabled(
  session: CliSession,
  name: string,
  enabled: boolean,
): Promise<number> {
  const principal = principalArg(name);
  const client = await session.client();
  const data = answerData(
    await client.admin(enabled ? 'AgentEnable' : 'AgentDisable', { principal }),
    'Success',
  );
  const state = enabled ? 'enabled' : 'disabled';
  if (isJsonObject(data) && data.changed === false) {
    say.info(session.io, `agent '${principal}' is already ${state}`);
  } else {
    say.ok(session.io, `${enabled ? 'Enabled' : 'Disabled'} agent '${principal}'`);
  }
  return 0;
}
