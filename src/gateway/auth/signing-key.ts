import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AstridError } from '../../core/errors.js';
import { writeFileAtomic } from '../../storage/files/atomic-write.js';

export const GATEWAY_KEY_FILE = 'gateway.ed25519';
export const SEED_BYTES = 32;

/**
 * Loads the bearer signing seed `keys/gateway.ed25519` (raw 32 bytes, 0600),
 * creating it from the CSPRNG on first boot (written atomically: a temp
 * sibling, fsynced, renamed into place). A file of any other
 * length refuses the boot: the operator deletes it to rotate (which
 * invalidates every bearer).
 */
export async function loadOrCreateSigningSeed(keysDir: string): Promise<Buffer> {
  const path = join(keysDir, GATEWAY_KEY_FILE);
  try {
    const seed = await readFile(path);
    if (seed.length !== SEED_BYTES) {
      throw new AstridError(
        'config',
        `gateway signing key ${path} must be exactly ${SEED_BYTES} bytes (found ${seed.length}); delete it and restart to generate a new one (every bearer token becomes invalid)`,
      );
    }
    return seed;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const seed = randomBytes(SEED_BYTES);
  await writeFileAtomic(path, seed, { mode: 0o600, parentMode: 0o700 });
  return seed;
}
