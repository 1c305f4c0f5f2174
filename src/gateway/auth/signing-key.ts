import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AstridError } from '../../core/errors.js';

export const GATEWAY_KEY_FILE = 'gateway.ed25519';
export const SEED_BYTES = 32;

/**
 * Loads the bearer signing seed `keys/gateway.ed25519` (raw 32 bytes, 0600),
 * creating it from the CSPRNG on first boot: written to
 * `gateway.<pid>.tmp`, fsynced, renamed into place. A file of any other
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
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const seed = randomBytes(SEED_BYTES);
  const temp = join(keysDir, `gateway.${process.pid}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(seed);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return seed;
}
