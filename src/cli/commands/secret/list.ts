import { loadInstalledManifest } from '../../../capsule/install/installed-manifest.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { listSecrets } from './secret-inventory.js';
import { targetAgent } from './set.js';

/** `astrid secret list [-a AGENT] [--format F]`: keys and where they live, never values. */
export async function secretList(
  session: CliSession,
  io: CliIo,
  agentFlag: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const agent = await targetAgent(session, agentFlag);
  const { rows, problems } = await listSecrets(session.home, agent, (c) =>
    loadInstalledManifest(session.home, c),
  );
  for (const p of problems) say.warn(io, p);
  if (format !== 'pretty') {
    printStructured(io, rows, format);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    say.info(io, `no secrets or env values for agent ${agent}`);
    return EXIT.ok;
  }
  io.out(
    renderTable(
      ['CAPSULE', 'KEY', 'STORAGE', 'SCOPE'],
      rows.map((r) => [r.capsule, r.key, r.storage, r.scope]),
    ),
  );
  for (const r of rows.filter((row) => row.storage === 'env-json (LEGACY!)')) {
    say.warn(
      io,
      `${r.key} is a declared secret of ${r.capsule} kept in plain JSON; move it into the secret store with \`astrid secret set ${r.key} - --capsule ${r.capsule}\``,
    );
  }
  return EXIT.ok;
}
