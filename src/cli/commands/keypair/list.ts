import { EXIT } from '../../exit-codes.js';
import { KeypairStore } from '../../keys/keypair-store.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { keyTable, keyToJson } from './key-view.js';

/** `astrid keypair list [--json|--format F]`: unreadable keypairs are warned about on stderr. */
export async function keypairList(
  session: CliSession,
  io: CliIo,
  format: OutputFormat,
): Promise<number> {
  const store = KeypairStore.forHome(session.home);
  const { keys, problems } = await store.list();
  for (const p of problems) say.warn(io, `skipping keypair ${p.name}: ${p.error.message}`);
  if (format !== 'pretty') {
    printStructured(io, keys.map(keyToJson), format);
    return EXIT.ok;
  }
  if (keys.length === 0) {
    say.info(io, `no keypairs in ${store.dir}; create one with \`astrid keypair generate\``);
    return EXIT.ok;
  }
  const { headers, rows } = keyTable(keys);
  io.out(renderTable(headers, rows));
  return EXIT.ok;
}
