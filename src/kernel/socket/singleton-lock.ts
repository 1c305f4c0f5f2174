import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AstridError } from '../../core/errors.js';

/**
 * The one-daemon-per-home lock on `run/system.lock`: an exclusive SQLite
 * lock (POSIX advisory record locks underneath), taken without waiting and
 * held for the daemon's lifetime. The operating system drops it when the
 * process dies, however it dies, so a crashed daemon never blocks a restart.
 * The file itself stays between runs.
 */
export class SingletonLock {
  private db: Database.Database | null;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static acquire(path: string): SingletonLock {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const db = new Database(path, { timeout: 0 });
    try {
      chmodSync(path, 0o600);
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = OFF');
      db.exec('BEGIN EXCLUSIVE');
    } catch (e) {
      db.close();
      if (
        (e as { code?: string }).code === 'SQLITE_BUSY' ||
        /locked|busy/i.test((e as Error).message)
      ) {
        throw new AstridError(
          'conflict',
          'Another kernel instance is already running (singleton lock held)',
        );
      }
      throw new AstridError(
        'unavailable',
        `cannot take the daemon lock ${path}: ${(e as Error).message}`,
        { cause: e },
      );
    }
    return new SingletonLock(db);
  }

  get held(): boolean {
    return this.db !== null;
  }

  release(): void {
    if (this.db === null) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // the lock goes with the connection anyway
    }
    this.db.close();
    this.db = null;
  }
}
