import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { MIGRATIONS } from './migrations.js';
import { StateDatabase } from './state-database.js';

describe('StateDatabase', () => {
  it('creates the file 0600 in WAL mode and applies every migration once', async () => {
    const path = join(await tempDir(), 'var', 'astrid.db');
    const a = StateDatabase.open(path);
    expect(a.schemaVersion).toBe(MIGRATIONS.at(-1)?.version);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    a.close();
    const b = StateDatabase.open(path);
    expect(
      (b.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n,
    ).toBe(MIGRATIONS.length);
    b.close();
  });

  it('applies new migrations on top of an existing schema', async () => {
    const path = join(await tempDir(), 'a.db');
    StateDatabase.open(path).close();
    const next = [
      ...MIGRATIONS,
      { version: 999, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER) STRICT;' },
    ];
    const db = StateDatabase.open(path, { migrations: next });
    expect(db.schemaVersion).toBe(999);
    db.close();
  });

  it('refuses a database written by a newer schema, read-write and read-only', async () => {
    const path = join(await tempDir(), 'a.db');
    StateDatabase.open(path, {
      migrations: [
        ...MIGRATIONS,
        { version: 999, name: 'future', sql: 'CREATE TABLE f (x INTEGER) STRICT;' },
      ],
    }).close();
    expect(() => StateDatabase.open(path)).toThrow(
      /schema version 999, newer than this build supports/,
    );
    expect(() => StateDatabase.open(path, { readonly: true })).toThrow(/newer than this build/);
  });

  it('migration 3 keeps every audit row and the sequence, and drops the unique id index', async () => {
    const path = join(await tempDir(), 'a.db');
    const before = StateDatabase.open(path, { migrations: MIGRATIONS.slice(0, 2) });
    const insert = before.db.prepare(
      `INSERT INTO audit_entries (id, session_id, chain, principal, ts_epoch, action_type, method, entry, content_hash)
       VALUES (?, 's', 'c', 'alice', 1, 'admin_request', 'm', '{}', 'h')`,
    );
    for (const id of ['a', 'b', 'c']) insert.run(id);
    // A deleted tail must not let sequence numbers be reused.
    before.db.prepare("DELETE FROM audit_entries WHERE id = 'c'").run();
    before.close();
    const after = StateDatabase.open(path);
    expect(after.schemaVersion).toBe(3);
    expect(after.db.prepare('SELECT seq, id FROM audit_entries ORDER BY seq').all()).toEqual([
      { seq: 1, id: 'a' },
      { seq: 2, id: 'b' },
    ]);
    const again = after.db.prepare(
      `INSERT INTO audit_entries (id, session_id, chain, principal, ts_epoch, action_type, method, entry, content_hash)
       VALUES ('a', 's', 'c', 'alice', 1, 'admin_request', 'm', '{}', 'h')`,
    );
    expect(Number(again.run().lastInsertRowid)).toBe(4);
    const indexes = after.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entries'")
      .pluck()
      .all();
    expect(indexes).toEqual(['audit_by_type']);
    after.close();
  });

  it('rolls a failing transaction back', () => {
    const db = StateDatabase.open(':memory:');
    expect(() =>
      db.transaction(() => {
        db.db.prepare("INSERT INTO kv (ns, key, value) VALUES ('n', X'01', X'02')").run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM kv').get()).toEqual({ n: 0 });
  });

  it('commits a relaxed transaction and restores full sync afterwards, even on a throw', async () => {
    const db = StateDatabase.open(join(await tempDir(), 'a.db'));
    const insert = db.db.prepare("INSERT INTO kv (ns, key, value) VALUES ('n', ?, X'00')");
    const sync = () => db.db.pragma('synchronous', { simple: true });
    expect(sync()).toBe(2);
    let inside: unknown;
    db.relaxedTransaction(() => {
      inside = sync();
      insert.run(Buffer.from([1]));
    });
    expect(inside).toBe(1);
    expect(sync()).toBe(2);
    expect(() =>
      db.relaxedTransaction(() => {
        insert.run(Buffer.from([2]));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(sync()).toBe(2);
    // Nested in a synced transaction it is part of it and changes nothing.
    db.transaction(() => {
      db.relaxedTransaction(() => {
        expect(sync()).toBe(2);
        insert.run(Buffer.from([3]));
      });
    });
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM kv').get()).toEqual({ n: 2 });
    db.close();
  });

  it('read-only open of a missing file fails with unavailable', async () => {
    const path = join(await tempDir(), 'missing.db');
    expect(() => StateDatabase.open(path, { readonly: true })).toThrow(
      /cannot open the state database/,
    );
  });
});
