import { isAstridError } from '../../../core/errors.js';
import type { PrincipalId } from '../../../core/ids/principal-id.js';
import { say } from '../../output.js';
import { writeActiveAgent } from '../../session/cli-context.js';
import type { CliSession } from '../../session/cli-session.js';
import { agentRecords } from './agent-record.js';
import { principalArg } from './principal-arg.js';

/** `astrid agent current`: the active agent (from `run/cli-context.toml`). */
export async function agentCurrent(session: CliSession): Promise<number> {
  session.io.out(`${await session.activeAgent()}\n`);
  return 0;
}

type Known = 'known' | 'unknown' | 'daemon-down';

/**
 * Whether the daemon lists `principal`: asked as the active agent, then as
 * `principal` itself (an agent sees its own row), since a restricted active
 * agent sees only itself. A refusal only means "not seen by that caller".
 */
async function knownToDaemon(session: CliSession, principal: PrincipalId): Promise<Known> {
  const callers: PrincipalId[] = [];
  try {
    callers.push(await session.activeAgent());
  } catch {
    // An unreadable context is what `agent switch` repairs; ask as the target only.
  }
  if (!callers.includes(principal)) callers.push(principal);
  for (const caller of callers) {
    let rows: { principal: string }[];
    try {
      const client = await session.client(caller);
      rows = agentRecords(await client.admin('AgentList'));
    } catch (e) {
      if (isAstridError(e, 'unavailable')) return 'daemon-down';
      if (isAstridError(e)) continue;
      throw e;
    }
    if (rows.some((r) => r.principal === principal)) return 'known';
  }
  return 'unknown';
}

/**
 * `astrid agent switch NAME`: makes NAME the active agent. An agent the
 * daemon does not list (or a daemon that is down) earns a warning, but the
 * context is written all the same.
 */
export async function agentSwitch(session: CliSession, name: string): Promise<number> {
  const io = session.io;
  const principal = principalArg(name);
  const known = await knownToDaemon(session, principal);
  if (known === 'unknown') say.warn(io, `agent '${principal}' is not known to the daemon`);
  if (known === 'daemon-down') {
    say.warn(
      io,
      `agent '${principal}' is not known to the daemon (it is not running, so this could not be checked)`,
    );
  }
  await writeActiveAgent(session.home, principal);
  say.ok(io, `Switched to agent '${principal}'`);
  return 0;
}
