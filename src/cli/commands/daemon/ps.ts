import type { KernelClient } from '../../../kernel/clients/kernel-client.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { type CapsuleRow, parseCapsuleRows, renderCapsuleTable } from './capsule-rows.js';
import { daemonIsUp } from './daemon-down.js';

/** Loaded (and failed) capsules with their live state (ListCapsules verbose; needs `self:capsule:list`). */
export async function capsuleRows(client: KernelClient): Promise<CapsuleRow[]> {
  return parseCapsuleRows((await client.kernel('ListCapsules', { verbose: true })).data);
}

/** The pretty capsule table, or a line saying there is none. */
export function printCapsules(io: CliIo, rows: readonly CapsuleRow[]): void {
  if (rows.length === 0) say.info(io, 'No capsules loaded.');
  else io.out(renderCapsuleTable(rows));
}

/** `astrid ps [--format]`. */
export async function psVerb(
  io: CliIo,
  session: CliSession,
  format: OutputFormat,
): Promise<number> {
  if (!(await daemonIsUp(io, session, format, []))) return 0;
  const rows = await capsuleRows(await session.client());
  if (format !== 'pretty') printStructured(io, rows, format);
  else printCapsules(io, rows);
  return 0;
}
