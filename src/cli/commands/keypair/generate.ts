import { randomBytes } from 'node:crypto';
import { AstridError, isAstridError } from '../../../core/errors.js';
import { EXIT } from '../../exit-codes.js';
import { defaultKeyName } from '../../keys/key-name.js';
import { KeypairStore, type StoredKey } from '../../keys/keypair-store.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { keyToJson } from './key-view.js';

export const MAX_NOTE_LENGTH = 1024;
const DEFAULT_NAME_ATTEMPTS = 16;

export interface GenerateFlags {
  readonly name?: string;
  readonly note?: string;
  readonly force?: boolean;
  readonly raw?: boolean;
}

async function generateUnnamed(store: KeypairStore, note: string | null): Promise<StoredKey> {
  for (let i = 0; ; i++) {
    try {
      return await store.generate({ name: defaultKeyName(randomBytes(4)), note });
    } catch (e) {
      if (!isAstridError(e, 'already-exists') || i + 1 >= DEFAULT_NAME_ATTEMPTS) throw e;
    }
  }
}

/** `astrid keypair generate [--name N] [--note T] [--force] [--raw]`. */
export async function keypairGenerate(
  session: CliSession,
  io: CliIo,
  flags: GenerateFlags,
  format: OutputFormat,
): Promise<number> {
  const note = flags.note ?? null;
  if (note !== null && note.length > MAX_NOTE_LENGTH)
    throw new AstridError('invalid-input', `--note is limited to ${MAX_NOTE_LENGTH} characters`);
  const store = KeypairStore.forHome(session.home);
  const key =
    flags.name === undefined
      ? await generateUnnamed(store, note)
      : await store.generate({ name: flags.name, note, force: flags.force === true });
  if (flags.raw === true) {
    io.out(`${key.publicKeyHex}\n`);
    return EXIT.ok;
  }
  if (format !== 'pretty') {
    printStructured(io, keyToJson(key), format);
    return EXIT.ok;
  }
  say.ok(io, `generated keypair ${key.name}`);
  io.out(`  public key:  ${key.publicKeyHex}\n`);
  io.out(`  fingerprint: ${key.meta.fingerprint}\n`);
  io.out(`  private key: ${key.paths.seed}\n`);
  say.info(io, `redeem an invite with it: astrid invite redeem <TOKEN> --keypair ${key.name}`);
  return EXIT.ok;
}
