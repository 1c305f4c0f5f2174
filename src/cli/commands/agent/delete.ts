import { confirm } from '../../command-kit.js';
import { EXIT } from '../../exit-codes.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { principalArg } from './principal-arg.js';

/** `astrid agent delete NAME [-y]`: asks first unless `-y`; the agent's home directory stays. */
export async function agentDelete(
  session: CliSession,
  name: string,
  yes: boolean,
): Promise<number> {
  const io = session.io;
  const principal = principalArg(name);
  if (!yes && !(await confirm(io, `Delete agent '${principal}' (home directory is NOT removed)`))) {
    io.err('aborted.\n');
    return EXIT.failure;
  }
  const client = await session.client();
  await client.admin('AgentDelete', { principal });
  say.ok(io, `Deleted agent '${principal}'`);
  if ((await session.activeAgent()) === principal) {
    say.warn(
      io,
      `'${principal}' was the active agent; pick another with \`astrid agent switch default\``,
    );
  }
  return EXIT.ok;
}
