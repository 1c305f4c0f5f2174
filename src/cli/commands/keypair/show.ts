import { EXIT } from '../../exit-codes.js';
import { KeypairStore } from '../../keys/keypair-store.js';
import { type CliIo, type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { keyDetailLines, keyToJson } from './key-view.js';

/** `astrid keypair show NAME [--format F]`. */
export async function keypairShow(
  session: CliSession,
  io: CliIo,
  name: string,
  format: OutputFormat,
): Promise<number> {
  const key = await KeypairStore.forHome(session.home).read(name);
  if (format !== 'pretty') printStructured(io, keyToJson(key), format);
  else io.out(`${keyDetailLines(key).join('\n')}\n`);
  return EXIT.ok;
}
