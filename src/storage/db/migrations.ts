/**
 * The state database's schema, as an append-only list of migrations. A
 * migration is never edited once released: changes are new entries.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'principals, groups, invites, pair tokens, kv, audit',
    sql: `
      CREATE TABLE principals (
        id TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE custom_groups (
        name TEXT PRIMARY KEY,
        capabilities TEXT NOT NULL,
        description TEXT,
        unsafe_admin INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE invites (
        token_hash TEXT PRIMARY KEY,
        group_name TEXT NOT NULL,
        remaining_uses INTEGER NOT NULL,
        expires_at INTEGER,
        issued_at INTEGER NOT NULL,
        metadata TEXT
      ) STRICT;

      CREATE TABLE pair_tokens (
        token_hash TEXT PRIMARY KEY,
        principal TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        issued_at INTEGER NOT NULL,
        label TEXT
      ) STRICT;

      CREATE TABLE kv (
        ns TEXT NOT NULL,
        key BLOB NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (ns, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL,
        chain TEXT NOT NULL,
        principal TEXT,
        ts_epoch INTEGER NOT NULL,
        action_type TEXT NOT NULL,
        method TEXT,
        entry TEXT NOT NULL,
        content_hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_type ON audit_entries (action_type, seq);

      CREATE TABLE audit_chain_heads (
        chain TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        content_hash TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'kv byte accounting per namespace; approval allowances',
    sql: `
      CREATE TABLE kv_usage (
        ns TEXT PRIMARY KEY,
        bytes INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO kv_usage (ns, bytes) SELECT ns, SUM(length(key) + length(value)) FROM kv GROUP BY ns;

      CREATE TRIGGER kv_usage_insert AFTER INSERT ON kv BEGIN
        INSERT INTO kv_usage (ns, bytes) VALUES (NEW.ns, length(NEW.key) + length(NEW.value))
          ON CONFLICT (ns) DO UPDATE SET bytes = bytes + excluded.bytes;
      END;
      CREATE TRIGGER kv_usage_update AFTER UPDATE ON kv BEGIN
        UPDATE kv_usage SET bytes = bytes - length(OLD.key) - length(OLD.value) WHERE ns = OLD.ns;
        INSERT INTO kv_usage (ns, bytes) VALUES (NEW.ns, length(NEW.key) + length(NEW.value))
          ON CONFLICT (ns) DO UPDATE SET bytes = bytes + excluded.bytes;
      END;
      CREATE TRIGGER kv_usage_delete AFTER DELETE ON kv BEGIN
        UPDATE kv_usage SET bytes = bytes - length(OLD.key) - length(OLD.value) WHERE ns = OLD.ns;
      END;

      CREATE TABLE approval_allowances (
        principal TEXT NOT NULL,
        capsule TEXT NOT NULL,
        action TEXT NOT NULL,
        resource TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (principal, capsule, action, resource)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'audit rows without a unique index on the random entry id',
    // Nothing looks rows up by id, and a unique index on random UUIDs cost
    // a random B-tree page per row (more than half of each insert, and a WAL
    // that filled four times faster). Storage order (seq) is unchanged.
    sql: `
      CREATE TABLE audit_entries_next (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        chain TEXT NOT NULL,
        principal TEXT,
        ts_epoch INTEGER NOT NULL,
        action_type TEXT NOT NULL,
        method TEXT,
        entry TEXT NOT NULL,
        content_hash TEXT NOT NULL
      ) STRICT;
      INSERT INTO audit_entries_next
        (seq, id, session_id, chain, principal, ts_epoch, action_type, method, entry, content_hash)
        SELECT seq, id, session_id, chain, principal, ts_epoch, action_type, method, entry, content_hash
        FROM audit_entries ORDER BY seq;
      DELETE FROM sqlite_sequence WHERE name = 'audit_entries_next';
      INSERT INTO sqlite_sequence (name, seq)
        SELECT 'audit_entries_next', seq FROM sqlite_sequence WHERE name = 'audit_entries';
      DROP TABLE audit_entries;
      ALTER TABLE audit_entries_next RENAME TO audit_entries;
      CREATE INDEX audit_by_type ON audit_entries (action_type, seq);
    `,
  },
];
