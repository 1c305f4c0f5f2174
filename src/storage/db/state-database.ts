import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AstridError } from '../../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /** Open an existing database for reading only (CLI inspection while the daemon runs). */
  readonly readonly?: boolean;
  /** Schema to apply; defaults to the built-in migrations (tests pass their own). */
  readonly migrations?: readonly Migration[];
}

/**
 * The kernel's one SQLite database (`var/astrid.db`): WAL mode so readers
 * never block the writer, `synchronous = FULL` so an acknowledged write
 * survives a crash of the process or the machine (`relaxedTransaction` is
 * the one opt-out, for rows nobody waits on), and versioned migrations
 * applied in a transaction each.
 */
export class StateDatabase {
  readonly db: SqliteDatabase;
  readonly path: string;

  private constructor(db: SqliteDatabase, path: string) {
    this.db = db;
    this.path = path;
  }

  static open(path: string, options: OpenOptions = {}): StateDatabase {
    const readonly = options.readonly ?? false;
    if (!readonly && path !== ':memory:')
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let db: SqliteDatabase;
    try {
      db = new Database(path, { readonly, fileMustExist: readonly });
    } catch (e) {
      throw new AstridError(
        'unavailable',
        `cannot open the state database ${path}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
    try {
      if (!readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      const state = new StateDatabase(db, path);
      if (!readonly) {
        if (path !== ':memory:') chmodSync(path, 0o600);
        state.migrate(options.migrations ?? MIGRATIONS);
      } else {
        state.checkVersion(options.migrations ?? MIGRATIONS);
      }
      return state;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** The schema version recorded in the database (0 = empty). */
  get schemaVersion(): number {
    const exists = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (exists === undefined) return 0;
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    return row.v ?? 0;
  }

  /** Runs `fn` in a transaction (nested calls become savepoints); a throw rolls it back. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * A transaction whose commit is written to the WAL but not synced
   * (`synchronous = NORMAL` for this one commit): it survives a crash of the
   * process, and the next synced commit makes it durable against a power
   * loss too, since syncing the WAL syncs everything before it. For rows
   * that need not be durable before the caller is answered (audit rows of
   * read-only requests); it saves one fsync per commit. Inside an open
   * transaction it is just part of that transaction.
   */
  relaxedTransaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.transaction(fn);
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private checkVersion(migrations: readonly Migration[]): void {
    const latest = migrations.at(-1)?.version ?? 0;
    const current = this.schemaVersion;
    if (current > latest) {
      throw new AstridError(
        'config',
        `the state database ${this.path} has schema version ${current}, newer than this build supports (${latest}); upgrade astrid`,
      );
    }
  }

  private migrate(migrations: readonly Migration[]): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    this.checkVersion(migrations);
    const current = this.schemaVersion;
    const insert = this.db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    for (const m of migrations) {
      if (m.version <= current) continue;
      this.transaction(() => {
        this.db.exec(m.sql);
        insert.run(m.version, m.name, Math.floor(Date.now() / 1000));
      });
    }
  }
}
