import { invalidInput, unwrap } from '../../../core/errors.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { principalArg } from '../agent/principal-arg.js';
import { applyQuotaChanges, changeCount, type QuotaFlags, quotaChanges } from './quota-flags.js';
import { quotasOf } from './quota-record.js';
import { changeLines } from './quota-view.js';

/**
 * `astrid quota set [-a AGENT] --memory ... `: reads the current quotas,
 * applies the flags (checked here, and again by the kernel) and writes the
 * whole block back.
 */
export async function quotaSet(
  session: CliSession,
  agent: string | undefined,
  flags: QuotaFlags,
): Promise<number> {
  const changes = unwrap(quotaChanges(flags));
  if (changeCount(changes) === 0) {
    throw invalidInput(
      'nothing to set: give at least one of --memory, --timeout, --storage, --processes, --ipc-rate, --cpu-fuel',
    );
  }
  const principal = agent === undefined ? await session.activeAgent() : principalArg(agent);
  const client = await session.client();
  const current = quotasOf(await client.admin('QuotaGet', { principal }));
  const next = applyQuotaChanges(current, changes);
  await client.admin('QuotaSet', { principal, quotas: next });
  say.ok(session.io, `Updated quotas for '${principal}'.`);
  for (const line of changeLines(current, next)) session.io.out(`  ${line}\n`);
  return 0;
}
