import { EXIT } from '../../exit-codes.js';
import { KeypairStore, type StoredKey } from '../../keys/keypair-store.js';
import { type CliIo, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';

/**
 * `astrid keypair delete NAME [--yes]`: without `--yes` it only says what
 * would be lost and exits 1. A damaged keypair can still be deleted.
 */
export async function keypairDelete(
  session: CliSession,
  io: CliIo,
  name: string,
  yes: boolean,
): Promise<number> {
  const store = KeypairStore.forHome(session.home);
  let key: StoredKey | null = null;
  try {
    key = await store.read(name);
  } catch (e) {
    // Only a missing key stops here; a damaged one is still deletable.
    if (!(await store.exists(name))) throw e;
  }
  if (!yes) {
    const fp = key === null ? '' : ` (fingerprint ${key.meta.fingerprint.slice(0, 16)}…)`;
    say.warn(io, `this permanently deletes the private key of keypair ${name}${fp}`);
    if (key?.meta.boundPrincipal != null) {
      say.warn(
        io,
        `principal ${key.meta.boundPrincipal} authenticates with this key and will not be able to sign in with it again`,
      );
    }
    say.warn(io, `re-run with --yes to delete it: astrid keypair delete ${name} --yes`);
    return EXIT.failure;
  }
  await store.delete(name);
  say.ok(io, `deleted keypair ${name}`);
  return EXIT.ok;
}
