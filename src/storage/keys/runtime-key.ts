import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AstridError } from '../../core/errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { ed25519Sign, privateKeyFromSeed, rawPublicKey } from './ed25519.js';
import { SigningWorker } from './signing-worker.js';

export const RUNTIME_KEY_FILE = 'runtime.key';

/** The daemon's ed25519 signing key (`keys/runtime.key`, a raw 32-byte seed, 0600). */
export class RuntimeKey {
  readonly publicKey: Uint8Array;
  private readonly key: KeyObject;

  private constructor(seed: Uint8Array) {
    this.key = privateKeyFromSeed(seed);
    this.publicKey = rawPublicKey(this.key);
  }

  /** First 8 bytes of the public key, hex (for logs). */
  get keyId(): string {
    return Buffer.from(this.publicKey.subarray(0, 8)).toString('hex');
  }

  sign(data: Uint8Array): Uint8Array {
    return ed25519Sign(this.key, data);
  }

  /** A signer for batches on a worker thread (same key, same signatures). */
  signingWorker(idleMs?: number): SigningWorker {
    return new SigningWorker(this.key, idleMs);
  }

  static fromSeed(seed: Uint8Array): RuntimeKey {
    if (seed.length !== 32)
      throw new AstridError('integrity', `an ed25519 seed is 32 bytes (got ${seed.length})`);
    return new RuntimeKey(seed);
  }

  /**
   * Loads `keys/runtime.key`, creating it (random seed, 0600, written to a
   * temp file and renamed) on first boot. A file that is not exactly 32 bytes
   * is refused.
   */
  static async loadOrCreate(keysDir: string): Promise<RuntimeKey> {
    const path = join(keysDir, RUNTIME_KEY_FILE);
    let seed: Buffer | null = null;
    try {
      seed = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (seed !== null) {
      if (seed.length !== 32) {
        throw new AstridError(
          'integrity',
          `invalid runtime key ${path}: expected 32 bytes, found ${seed.length}`,
        );
      }
      return new RuntimeKey(seed);
    }
    const fresh = randomBytes(32);
    await writeFileAtomic(path, fresh, { mode: 0o600, parentMode: 0o700 });
    await chmod(path, 0o600);
    return new RuntimeKey(fresh);
  }
}
