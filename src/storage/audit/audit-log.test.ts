import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StateDatabase } from '../db/state-database.js';
import { RuntimeKey } from '../keys/runtime-key.js';
import type { AuditAction } from './audit-entry.js';
import {
  AuditLog,
  type AuditRecord,
  MAX_PENDING_AUDIT_ROWS,
  OFFLOAD_MIN_BATCH,
} from './audit-log.js';

const SESSION = '00000000-0000-0000-0000-000000000000';

function admin(method: string, principal: string | null, ok = true): AuditRecord {
  const action: AuditAction = {
    type: 'admin_request',
    method,
    required_capability: 'agent:create',
    target_principal: null,
    params: { method: 'X', params: { b: 2, a: 1 } },
  };
  return {
    principal,
    action,
    authorization: ok
      ? { type: 'system', reason: 'policy allow' }
      : { type: 'denied', reason: 'no' },
    outcome: ok ? { status: 'success', details: null } : { status: 'failure', error: 'no' },
  };
}

async function open(
  db = StateDatabase.open(':memory:'),
  key = RuntimeKey.fromSeed(randomBytes(32)),
) {
  return { db, log: await AuditLog.open(db, key, SESSION) };
}

describe('AuditLog', () => {
  it('chains entries per principal, signs them, and verifies clean', async () => {
    const { log } = await open();
    const a1 = log.append(admin('admin.agent.create', 'alice'));
    const a2 = log.append(admin('admin.agent.list', 'alice'));
    const s1 = log.append(admin('GetStatus', null));
    expect(a1.previous_hash).toBe('0'.repeat(64));
    expect(a2.previous_hash).not.toBe('0'.repeat(64));
    expect(s1.previous_hash).toBe('0'.repeat(64));
    expect(s1.principal).toBeUndefined();
    const v = log.verify();
    expect(v).toMatchObject({ valid: true, entriesVerified: 3, chains: 2, firstIssue: null });
  });

  it('keeps storage order equal to chain order when deferred and immediate appends mix', async () => {
    const { log } = await open();
    log.appendDeferred(admin('admin.agent.list', 'alice'));
    log.appendDeferred(admin('admin.agent.list', 'alice'));
    log.append(admin('admin.agent.create', 'alice'));
    log.appendDeferred(admin('admin.agent.list', 'alice'));
    expect(log.pendingCount).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(log.pendingCount).toBe(0);
    expect(log.verify()).toMatchObject({ valid: true, entriesVerified: 4 });
    expect(
      [...log.entries()].map((e) => e.action.type === 'admin_request' && e.action.method),
    ).toEqual(['admin.agent.list', 'admin.agent.list', 'admin.agent.create', 'admin.agent.list']);
  });

  it('signs a large deferred batch on the signing worker and stores it signed and in order', async () => {
    const { db, log } = await open();
    try {
      for (let i = 0; i < OFFLOAD_MIN_BATCH * 2; i++) log.appendDeferred(admin(`r${i}`, 'alice'));
      await new Promise((r) => setImmediate(r));
      // The batch is at the worker; the chain does not wait for it.
      expect(log.signingWorkerRunning).toBe(true);
      const stored = () =>
        (db.db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number }).n;
      for (let i = 0; i < 200 && log.pendingCount > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(log.pendingCount).toBe(0);
      expect(stored()).toBe(OFFLOAD_MIN_BATCH * 2);
      expect(log.verify()).toMatchObject({ valid: true, entriesVerified: OFFLOAD_MIN_BATCH * 2 });
    } finally {
      await log.close();
    }
    expect(log.signingWorkerRunning).toBe(false);
  });

  it('an immediate append while a batch is at the worker writes the batch first', async () => {
    const { log } = await open();
    try {
      for (let i = 0; i < OFFLOAD_MIN_BATCH; i++) log.appendDeferred(admin('read', 'alice'));
      await new Promise((r) => setImmediate(r));
      log.appendDeferred(admin('read-late', 'alice'));
      log.append(admin('write', 'alice'));
      expect(log.pendingCount).toBe(0);
      // The worker's answer arrives later and changes nothing.
      await new Promise((r) => setTimeout(r, 100));
      const methods = [...log.entries()].map(
        (e) => e.action.type === 'admin_request' && e.action.method,
      );
      expect(methods).toEqual([
        ...Array.from({ length: OFFLOAD_MIN_BATCH }, () => 'read'),
        'read-late',
        'write',
      ]);
      expect(log.verify()).toMatchObject({ valid: true, entriesVerified: OFFLOAD_MIN_BATCH + 2 });
    } finally {
      await log.close();
    }
  });

  it('writes rows behind a batch that is at the worker only after it', async () => {
    const { log } = await open();
    try {
      for (let i = 0; i < OFFLOAD_MIN_BATCH; i++) log.appendDeferred(admin('first', 'alice'));
      await new Promise((r) => setImmediate(r));
      // A small batch behind it is signed here but must not overtake it.
      log.appendDeferred(admin('second', 'bob'));
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 200 && log.pendingCount > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      const methods = [...log.entries()].map(
        (e) => e.action.type === 'admin_request' && e.action.method,
      );
      expect(methods.at(-1)).toBe('second');
      expect(log.verify()).toMatchObject({ valid: true, entriesVerified: OFFLOAD_MIN_BATCH + 1 });
    } finally {
      await log.close();
    }
  });

  it('a failed batch write drops what is pending, reports it, and leaves the chain verifiable', async () => {
    const db = StateDatabase.open(':memory:');
    const failures: number[] = [];
    const log = await AuditLog.open(db, RuntimeKey.fromSeed(randomBytes(32)), SESSION, (_e, lost) =>
      failures.push(lost),
    );
    db.db.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries WHEN NEW.method = 'boom' BEGIN SELECT RAISE(ABORT, 'disk says no'); END;",
    );
    try {
      log.append(admin('first', 'alice'));
      // A small batch (signed here) and a large one (signed on the worker).
      for (const size of [3, OFFLOAD_MIN_BATCH + 2]) {
        for (let i = 0; i < size; i++)
          log.appendDeferred(admin(i === 1 ? 'boom' : 'read', 'alice'));
        await new Promise((r) => setImmediate(r));
        for (let i = 0; i < 200 && log.pendingCount > 0; i++)
          await new Promise((r) => setTimeout(r, 10));
      }
      expect(failures).toEqual([3, OFFLOAD_MIN_BATCH + 2]);
      log.append(admin('after', 'alice'));
      expect(log.verify()).toMatchObject({ valid: true, entriesVerified: 2 });
    } finally {
      await log.close();
    }
  });

  // Regression: a busy promise chain never reached setImmediate, so deferred
  // rows piled up (30,000 in the admin bench) and were written in one 300 ms stall.
  it('writes deferred rows in bounded batches even when the event loop never idles', async () => {
    const { db, log } = await open();
    for (let i = 0; i < 600; i++) log.appendDeferred(admin('r', 'alice'));
    expect(log.pendingCount).toBeLessThan(MAX_PENDING_AUDIT_ROWS);
    const stored = db.db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number };
    expect(stored.n).toBeGreaterThanOrEqual(600 - MAX_PENDING_AUDIT_ROWS);
    expect(log.verify()).toMatchObject({ valid: true, entriesVerified: 600 });
  });

  it('an append rolled back with its transaction leaves the chain intact', async () => {
    const { db, log } = await open();
    log.append(admin('a', 'alice'));
    expect(() =>
      db.transaction(() => {
        log.append(admin('b', 'alice'));
        throw new Error('handler failed after auditing');
      }),
    ).toThrow('handler failed');
    log.append(admin('c', 'alice'));
    expect(log.verify()).toMatchObject({ valid: true, entriesVerified: 2 });
  });

  it('detects a modified entry, a deleted middle entry, a truncated tail and a bad genesis', async () => {
    const { db, log } = await open();
    for (let i = 0; i < 5; i++) log.append(admin(`m${i}`, 'alice'));
    const rows = () =>
      db.db.prepare('SELECT seq, entry FROM audit_entries ORDER BY seq').all() as {
        seq: number;
        entry: string;
      }[];

    const second = rows()[1] as { seq: number; entry: string };
    const tampered = JSON.parse(second.entry);
    tampered.outcome = { status: 'failure', error: 'rewritten' };
    db.db
      .prepare('UPDATE audit_entries SET entry = ? WHERE seq = ?')
      .run(JSON.stringify(tampered), second.seq);
    let v = log.verify();
    expect(v.valid).toBe(false);
    expect(v.firstIssue).toMatchObject({ kind: 'invalid-signature', seq: second.seq });
    db.db.prepare('UPDATE audit_entries SET entry = ? WHERE seq = ?').run(second.entry, second.seq);
    expect(log.verify().valid).toBe(true);

    const third = rows()[2] as { seq: number };
    db.db.prepare('DELETE FROM audit_entries WHERE seq = ?').run(third.seq);
    v = log.verify();
    expect(v.firstIssue).toMatchObject({
      kind: 'broken-link',
      seq: (rows()[2] as { seq: number }).seq,
    });

    const last = rows().at(-1) as { seq: number };
    db.db.prepare('DELETE FROM audit_entries WHERE seq = ?').run(last.seq);
    v = log.verify();
    expect(v.issues.map((i) => i.kind)).toEqual(['broken-link', 'head-mismatch']);
  });

  it('flags a first entry that does not start from the zero hash', async () => {
    const { db, log } = await open();
    log.append(admin('a', 'alice'));
    log.append(admin('b', 'alice'));
    db.db
      .prepare('DELETE FROM audit_entries WHERE seq = (SELECT MIN(seq) FROM audit_entries)')
      .run();
    expect(log.verify().firstIssue?.kind).toBe('invalid-genesis');
  });

  it('entries signed by a rotated key still verify; the chain continues across reopen', async () => {
    const db = StateDatabase.open(':memory:');
    const first = await AuditLog.open(db, RuntimeKey.fromSeed(randomBytes(32)), SESSION);
    first.append(admin('a', 'alice'));
    const second = await AuditLog.open(db, RuntimeKey.fromSeed(randomBytes(32)), SESSION);
    const e = second.append(admin('b', 'alice'));
    expect(e.previous_hash).not.toBe('0'.repeat(64));
    expect(second.verify()).toMatchObject({ valid: true, entriesVerified: 2 });
  });

  it('pages admin rows newest first with filters and an opaque cursor', async () => {
    const { log } = await open();
    for (let i = 0; i < 7; i++)
      log.append(admin(i % 2 === 0 ? 'admin.agent.list' : 'GetStatus', i < 4 ? 'alice' : 'bob'));
    const p1 = log.query({ limit: 3 });
    expect(p1.entries).toHaveLength(3);
    expect(p1.entries[0]?.principal).toBe('bob');
    expect(p1.next_cursor).not.toBeNull();
    const p2 = log.query({ limit: 3, cursor: p1.next_cursor as string });
    const p3 = log.query({ limit: 3, cursor: p2.next_cursor as string });
    expect(p3.entries).toHaveLength(1);
    expect(p3.next_cursor).toBeNull();
    expect(log.query({ principal: 'alice' }).entries).toHaveLength(4);
    expect(log.query({ method: 'GetStatus', principal: 'bob' }).entries).toHaveLength(1);
    const now = Math.floor(Date.now() / 1000);
    expect(log.query({ since: now + 100 }).entries).toEqual([]);
    expect(log.query({ until: now + 100 }).entries).toHaveLength(7);
    expect(log.query({ limit: 0 }).entries).toHaveLength(7);
    const row = log.query({ limit: 1 }).entries[0];
    expect(row).toMatchObject({
      method: 'admin.agent.list',
      required_capability: 'agent:create',
      outcome: 'success',
      target_principal: null,
    });
  });

  it('rejects a page over 1000, a bad cursor and inverted bounds', async () => {
    const { log } = await open();
    expect(() => log.query({ limit: 1001 })).toThrow(/over the maximum page of 1000/);
    expect(() => log.query({ cursor: 'garbage' })).toThrow(/invalid audit cursor/);
    expect(() => log.query({ since: 10, until: 5 })).toThrow(/after until/);
  });
});
