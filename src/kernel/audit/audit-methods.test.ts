import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootKernel, type KernelHarness } from '../../../test/helpers/kernel-harness.js';

let h: KernelHarness;

beforeAll(async () => {
  h = await bootKernel();
  await h.client().admin('AgentCreate', { name: 'alice', groups: ['agent'] });
  await h.client().admin('AgentCreate', { name: 'bob', groups: ['agent'] });
  await h.client().admin('AgentCreate', { name: 'mute', groups: ['restricted'] });
  await h.client('alice').admin('AgentList');
  await h.client('bob').admin('AgentList');
});
afterAll(async () => {
  await h.close();
});

interface Page {
  entries: { method: string; principal: string | null; outcome: string }[];
  next_cursor: string | null;
  principal: string | null;
  firehose: boolean;
}

describe('AuditQuery', () => {
  it('gives an administrator every row, newest first, with filters', async () => {
    const all = (await h.client().kernel('AuditQuery')).data as unknown as Page;
    expect(all.firehose).toBe(true);
    expect(all.principal).toBeNull();
    expect(all.entries.slice(0, 2).map((e) => [e.principal, e.method])).toEqual([
      ['bob', 'admin.agent.list'],
      ['alice', 'admin.agent.list'],
    ]);
    const creates = (await h.client().kernel('AuditQuery', { method: 'admin.agent.create' }))
      .data as unknown as Page;
    expect(creates.entries).toHaveLength(3);
    const bobs = (await h.client().kernel('AuditQuery', { principal: 'bob' }))
      .data as unknown as Page;
    expect(bobs.principal).toBe('bob');
    expect(new Set(bobs.entries.map((e) => e.principal))).toEqual(new Set(['bob']));
  });

  it('pages with an opaque cursor and returns every row once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = (
        await h.client().kernel('AuditQuery', {
          method: 'admin.agent.create',
          limit: 2,
          ...(cursor ? { cursor } : {}),
        })
      ).data as unknown as Page;
      seen.push(...page.entries.map((e) => e.method));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(seen).toHaveLength(3);
    expect(pages).toBe(2);
  });

  it('pins an agent to its own rows and refuses a principal without self:audit:read', async () => {
    const own = (await h.client('alice').kernel('AuditQuery', { principal: 'bob' }))
      .data as unknown as Page;
    expect(own.firehose).toBe(false);
    expect(own.principal).toBe('alice');
    expect(own.entries.length).toBeGreaterThan(0);
    expect(new Set(own.entries.map((e) => e.principal))).toEqual(new Set(['alice']));
    await expect(h.client('mute').kernel('AuditQuery')).rejects.toMatchObject({
      code: 'capability-denied',
      message: 'permission denied for principal mute: missing capability self:audit:read',
    });
    await expect(h.client().kernel('AuditQuery', { limit: 1001 })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('is audited like every kernel request', async () => {
    const rows = (await h.client().kernel('AuditQuery', { method: 'AuditQuery' }))
      .data as unknown as Page;
    expect(rows.entries.map((e) => [e.principal, e.outcome])).toContainEqual(['mute', 'failure']);
  });
});

describe('AuditVerify', () => {
  it('verifies the chain for an administrator only', async () => {
    const v = (await h.client().kernel('AuditVerify')).data as {
      valid: boolean;
      entries: number;
      issues: unknown[];
    };
    expect(v.valid).toBe(true);
    expect(v.entries).toBeGreaterThan(5);
    expect(v.issues).toEqual([]);
    await expect(h.client('alice').kernel('AuditVerify')).rejects.toMatchObject({
      code: 'capability-denied',
      message: 'permission denied for principal alice: missing capability audit:verify',
    });
  });

  it('reports tampering with its kind, entry and message', async () => {
    const db = h.kernel.state.db.db;
    const row = db
      .prepare(`SELECT seq, entry FROM audit_entries WHERE method = 'admin.agent.create' LIMIT 1`)
      .get() as { seq: number; entry: string };
    db.prepare('UPDATE audit_entries SET entry = ? WHERE seq = ?').run(
      row.entry.replace('admin.agent.create', 'admin.agent.delete'),
      row.seq,
    );
    const v = (await h.client().kernel('AuditVerify')).data as {
      valid: boolean;
      issues: { kind: string; seq: number; message: string }[];
    };
    expect(v.valid).toBe(false);
    expect(v.issues).toContainEqual(
      expect.objectContaining({ kind: 'invalid-signature', seq: row.seq }),
    );
  });
});
