import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AstridError, unwrap } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import {
  isRevoked,
  MAX_REVOCATIONS_BYTES,
  nextRevocationEpoch,
  parseRevocations,
  serializeRevocations,
} from './revocation-map.js';

export const REVOCATIONS_FILE = 'gateway-revocations.json';

/**
 * Principal → epoch second of its revocation, persisted in
 * `etc/gateway-revocations.json`. Lookups are in memory; every change is
 * written atomically (temp file, fsync, rename) in the background, one write
 * at a time. A failed write keeps the in-memory entry and logs an error.
 */
export class RevocationStore {
  readonly path: string;
  private readonly map: Map<PrincipalId, number>;
  private readonly logger: Logger;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(path: string, map: Map<PrincipalId, number>, logger: Logger) {
    this.path = path;
    this.map = map;
    this.logger = logger;
  }

  /** Loads the file (missing → empty). Too large or corrupt → a `config` error that refuses the boot. */
  static async load(etcDir: string, logger: Logger): Promise<RevocationStore> {
    const path = join(etcDir, REVOCATIONS_FILE);
    let text = '';
    try {
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        if (size > MAX_REVOCATIONS_BYTES)
          throw new AstridError(
            'config',
            `revocation file ${path} is larger than ${MAX_REVOCATIONS_BYTES} bytes`,
          );
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return new RevocationStore(path, new Map(unwrap(parseRevocations(text, path))), logger);
  }

  isRevoked(principal: PrincipalId, iat: number): boolean {
    return isRevoked(this.map, principal, iat);
  }

  revokedAt(principal: PrincipalId): number | undefined {
    return this.map.get(principal);
  }

  get size(): number {
    return this.map.size;
  }

  /** Records a revocation (never earlier than one already stored); true if it changed anything. */
  revoke(principal: PrincipalId, epoch: number): boolean {
    const next = nextRevocationEpoch(this.map.get(principal), epoch);
    if (next === null) return false;
    this.map.set(principal, next);
    this.logger.info(
      { security_event: true, principal, revoked_at: next },
      'bearer tokens revoked for a deleted principal',
    );
    this.schedulePersist();
    return true;
  }

  /** Resolves once every change so far is on disk (or its write has failed and been logged). */
  flush(): Promise<void> {
    return this.writing;
  }

  private schedulePersist(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.writing = this.writing.then(async () => {
      this.dirty = false;
      try {
        await this.persist(serializeRevocations(this.map));
      } catch (e) {
        this.logger.error(
          { security_event: true, err: (e as Error).message, path: this.path },
          'could not persist bearer revocations; they hold until restart only',
        );
      }
    });
  }

  private async persist(text: string): Promise<void> {
    const temp = join(dirname(this.path), `gateway-revocations.tmp.${randomUUID()}`);
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }
}
