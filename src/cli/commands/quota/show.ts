import { type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { principalArg } from '../agent/principal-arg.js';
import { quotasOf, usageOf } from './quota-record.js';
import { block, quotaRows, usageRows } from './quota-view.js';

/** `astrid quota show [-a AGENT]`: quotas and usage of an agent (default: the active agent). */
export async function quotaShow(
  session: CliSession,
  agent: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const principal = agent === undefined ? await session.activeAgent() : principalArg(agent);
  const client = await session.client();
  const quotas = quotasOf(await client.admin('QuotaGet', { principal }));
  const usage = usageOf(await client.admin('UsageGet', { principal }));
  if (format !== 'pretty') {
    const { principal: _, ...usageFields } = usage;
    printStructured(session.io, { principal, ...quotas, usage: usageFields }, format);
    return 0;
  }
  session.io.out(
    block(`Quotas for '${principal}'`, quotaRows(quotas)) + block('Usage', usageRows(usage)),
  );
  return 0;
}
