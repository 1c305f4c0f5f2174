import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { ipcMessage } from '../../src/events/ipc-message.js';
import { rawJson, rawJsonBody } from '../../src/events/ipc-payload.js';
import type { AuditEntry } from '../../src/storage/audit/audit-entry.js';
import { tokenHash } from '../../src/storage/invites/token-hash.js';
import { bootKernel, type KernelHarness } from '../helpers/kernel-harness.js';

let h: KernelHarness;
let n = 0;
/** A fresh principal name per test, so tests share one kernel without interfering. */
const fresh = (prefix = 'p') => `${prefix}${++n}`;

function lastEntry(method: string): AuditEntry {
  const all = [...h.kernel.state.audit.entries()].filter(
    (e) => e.action.type === 'admin_request' && e.action.method === method,
  );
  const last = all.at(-1);
  if (last === undefined) throw new Error(`no audit row for ${method}`);
  return last;
}

async function create(name: string, extra: Record<string, unknown> = {}) {
  return h.client().admin('AgentCreate', { name, ...extra });
}

beforeAll(async () => {
  h = await bootKernel();
});
afterAll(async () => {
  await h.close();
});

describe('agent.*', () => {
  it('create: allowed for an admin, audited with the real outcome; the principal gets a profile, home and identity link', async () => {
    const name = fresh('alice');
    const out = await create(name);
    expect(out.status).toBe('Success');
    expect(out.data).toMatchObject({ principal: name });
    const profile = h.kernel.state.profiles.get(name as PrincipalId);
    expect(profile?.groups).toEqual(['agent']);
    expect(existsSync(join(h.home.root, 'home', name, '.local', 'capsules'))).toBe(true);
    expect(h.kernel.state.identity.resolve('cli', name)).not.toBeNull();
    const entry = lastEntry('admin.agent.create');
    expect(entry).toMatchObject({
      principal: 'default',
      authorization: { type: 'system', reason: 'policy allow: default holds agent:create' },
      outcome: { status: 'success' },
    });
  });

  it('create: denied for an agent (audited as denied) and failing cases audited as failures', async () => {
    const agent = fresh('agent');
    await create(agent);
    await expect(h.client(agent).admin('AgentCreate', { name: fresh() })).rejects.toMatchObject({
      code: 'capability-denied',
      message: `permission denied for principal ${agent}: missing capability agent:create`,
    });
    expect(lastEntry('admin.agent.create')).toMatchObject({
      principal: agent,
      authorization: { type: 'denied' },
      outcome: { status: 'failure' },
    });
    await expect(create(agent)).rejects.toMatchObject({
      code: 'already-exists',
      message: `principal ${agent} already exists`,
    });
    expect(lastEntry('admin.agent.create')).toMatchObject({
      principal: 'default',
      authorization: { type: 'system' },
      outcome: { status: 'failure', error: `principal ${agent} already exists` },
    });
    await expect(create('default')).rejects.toThrow(/reserved/);
    await expect(create('__host__')).rejects.toThrow(/reserved for the host/);
    await expect(create('no spaces')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(create(fresh(), { grants: ['*'] })).rejects.toThrow(/universal admin/);
    await expect(h.client().admin('AgentCreate', { name: fresh(), group: ['x'] })).rejects.toThrow(
      /unknown parameter "group"/,
    );
  });

  it('create: inherits the operator’s capsule env files, capsule KV and capsule secrets from default', async () => {
    const env = join(h.home.root, 'home', 'default', '.config', 'env');
    mkdirSync(env, { recursive: true });
    writeFileSync(join(env, 'weather.env.json'), '{"UNIT":"C"}');
    h.kernel.state.kv.set('default:capsule:weather', 'UNIT', new TextEncoder().encode('C'));
    const secrets = join(h.home.root, 'secrets', 'default', 'weather');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'API_KEY'), 'sekrit', { mode: 0o600 });
    const name = fresh('heir');
    await create(name);
    expect(
      readFileSync(join(h.home.root, 'home', name, '.config', 'env', 'weather.env.json'), 'utf8'),
    ).toBe('{"UNIT":"C"}');
    expect(
      new TextDecoder().decode(
        h.kernel.state.kv.get(`${name}:capsule:weather`, 'UNIT') ?? undefined,
      ),
    ).toBe('C');
    expect(readFileSync(join(h.home.root, 'secrets', name, 'weather', 'API_KEY'), 'utf8')).toBe(
      'sekrit',
    );
  });

  it('delete: removes profile and identity; missing → not-found; default refused', async () => {
    const name = fresh('gone');
    await create(name);
    await h.client().admin('AgentDelete', { principal: name });
    expect(h.kernel.state.profiles.exists(name as PrincipalId)).toBe(false);
    expect(h.kernel.state.identity.resolve('cli', name)).toBeNull();
    expect(lastEntry('admin.agent.delete')).toMatchObject({
      action: { target_principal: name },
      outcome: { status: 'success' },
    });
    await expect(h.client().admin('AgentDelete', { principal: name })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(h.client().admin('AgentDelete', { principal: 'default' })).rejects.toThrow(
      /cannot be deleted/,
    );
  });

  it('enable/disable: reports changes; a disabled principal is refused everything; default cannot be disabled', async () => {
    const name = fresh('sw');
    await create(name);
    const off = await h.client().admin('AgentDisable', { principal: name });
    expect(off.data).toEqual({ principal: name, enabled: false, changed: true });
    expect((await h.client().admin('AgentDisable', { principal: name })).data).toMatchObject({
      changed: false,
    });
    await expect(h.client(name).admin('AgentList')).rejects.toThrow(
      `permission denied for principal ${name}: agent is disabled`,
    );
    await expect(h.client(name).kernel('GetStatus')).rejects.toThrow(/agent is disabled/);
    expect((await h.client().admin('AgentEnable', { principal: name })).data).toMatchObject({
      enabled: true,
      changed: true,
    });
    expect((await h.client(name).admin('AgentList')).status).toBe('AgentList');
    await expect(h.client().admin('AgentDisable', { principal: 'default' })).rejects.toThrow(
      /cannot be disabled/,
    );
  });

  it('modify: removals then additions; a no-op reports changed=false; nothing to change is an error', async () => {
    const name = fresh('mod');
    await create(name, { groups: ['agent', 'restricted'] });
    const out = await h.client().admin('AgentModify', {
      principal: name,
      add_groups: ['ops', 'agent'],
      remove_groups: ['restricted'],
    });
    expect(out.data).toEqual({ principal: name, groups: ['agent', 'ops'], changed: true });
    expect(
      (await h.client().admin('AgentModify', { principal: name, add_groups: ['ops'] })).data,
    ).toMatchObject({ changed: false });
    await expect(h.client().admin('AgentModify', { principal: name })).rejects.toThrow(
      /nothing to change/,
    );
    await expect(
      h.client().admin('AgentModify', { principal: fresh(), add_groups: ['x'] }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('list: an agent sees only itself; an admin sees everyone, sorted', async () => {
    const name = fresh('lister');
    await create(name);
    const mine = await h.client(name).admin('AgentList');
    expect((mine.data as { principal: string }[]).map((r) => r.principal)).toEqual([name]);
    const all = (await h.client().admin('AgentList')).data as { principal: string }[];
    const names = all.map((r) => r.principal);
    expect(names).toContain(name);
    expect(names).toContain('default');
    expect([...names].sort()).toEqual(names);
  });
});

describe('quota.* and usage.get', () => {
  it('self scope with self:quota:*; global needs quota:*; a set replaces the whole block', async () => {
    const me = fresh('q');
    const other = fresh('q');
    await create(me);
    await create(other);
    await h.client(me).admin('QuotaSet', { principal: me, quotas: { max_timeout_secs: 60 } });
    expect(lastEntry('admin.quota.set')).toMatchObject({
      action: { required_capability: 'self:quota:set', target_principal: me },
    });
    const q = await h.client(me).admin('QuotaGet', { principal: me });
    expect(q).toMatchObject({
      status: 'Quotas',
      data: { max_timeout_secs: 60, max_memory_bytes: 67108864 },
    });
    await expect(h.client(me).admin('QuotaSet', { principal: other, quotas: {} })).rejects.toThrow(
      /missing capability quota:set/,
    );
    await expect(h.client(me).admin('QuotaGet', { principal: other })).rejects.toThrow(
      /missing capability quota:get/,
    );
    await h.client().admin('QuotaSet', { principal: me, quotas: { max_memory_bytes: 1024 } });
    expect((await h.client().admin('QuotaGet', { principal: me })).data).toMatchObject({
      max_timeout_secs: 300,
      max_memory_bytes: 1024,
    });
    await expect(
      h.client().admin('QuotaSet', { principal: me, quotas: { max_timeout_secs: 0 } }),
    ).rejects.toThrow(/quotas rejected/);
    await expect(
      h.client().admin('QuotaSet', { principal: me, quotas: { bogus: 1 } }),
    ).rejects.toThrow(/quotas rejected/);
  });

  it('usage.get reports ledgers, limits and exemption', async () => {
    const me = fresh('u');
    await create(me);
    h.kernel.state.ledgers.fuel.charge(me as PrincipalId, 1234n);
    h.kernel.state.ledgers.memory.recordPeak(me as PrincipalId, 4096);
    const out = await h.client(me).admin('UsageGet', { principal: me });
    expect(out).toEqual({
      status: 'Usage',
      data: {
        principal: me,
        cpu_fuel_consumed_total: 1234,
        cpu_fuel_per_sec_limit: 2_000_000_000,
        exempt: false,
        memory_bytes_limit_per_instance: 67108864,
        memory_bytes_current_total: null,
        memory_bytes_peak_total: 4096,
      },
    });
    expect((await h.client().admin('UsageGet', { principal: 'default' })).data).toMatchObject({
      exempt: true,
      memory_bytes_peak_total: null,
    });
  });
});

describe('group.*', () => {
  it('create, modify (description cleared with null), list and delete custom groups; built-ins are read-only', async () => {
    const g = fresh('ops');
    await h
      .client()
      .admin('GroupCreate', { name: g, capabilities: ['system:status'], description: 'Operators' });
    await h.client().admin('GroupModify', {
      name: g,
      description: null,
      capabilities: ['system:status', 'capsule:list'],
    });
    const list = (await h.client().admin('GroupList')).data as {
      name: string;
      description: string | null;
      builtin: boolean;
      capabilities: string[];
    }[];
    expect(list.find((x) => x.name === g)).toEqual({
      name: g,
      capabilities: ['system:status', 'capsule:list'],
      description: null,
      unsafe_admin: false,
      builtin: false,
    });
    expect(list.find((x) => x.name === 'admin')?.builtin).toBe(true);
    await expect(
      h.client().admin('GroupModify', { name: 'admin', capabilities: [] }),
    ).rejects.toThrow(/group.modify rejected: "admin" is a built-in group/);
    await expect(
      h.client().admin('GroupCreate', { name: fresh('g'), capabilities: ['*'] }),
    ).rejects.toThrow(/unsafe_admin/);
    await expect(
      h.client().admin('GroupCreate', { name: g, capabilities: [] }),
    ).rejects.toMatchObject({ code: 'already-exists' });
    await h.client().admin('GroupDelete', { name: g });
    await expect(h.client().admin('GroupDelete', { name: g })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(h.kernel.state.groups.current().has(g)).toBe(false);
  });

  it('a custom group grants its capabilities at once, and only to members', async () => {
    const g = fresh('status');
    const member = fresh('m');
    await h.client().admin('GroupCreate', { name: g, capabilities: ['system:status'] });
    await create(member, { groups: [g] });
    expect((await h.client(member).kernel('GetStatus')).status).toBe('Status');
    const outsider = fresh('o');
    await create(outsider);
    await expect(h.client(outsider).kernel('GetStatus')).rejects.toThrow(
      /missing capability system:status/,
    );
  });
});

describe('caps.*', () => {
  it('grant takes effect at once; a revoke beats even admin membership', async () => {
    const bob = fresh('bob');
    await create(bob);
    await expect(h.client(bob).kernel('GetStatus')).rejects.toThrow(/missing capability/);
    await h.client().admin('CapsGrant', { principal: bob, capabilities: ['system:status'] });
    expect((await h.client(bob).kernel('GetStatus')).status).toBe('Status');
    await h.client().admin('AgentModify', { principal: bob, add_groups: ['admin'] });
    await h.client().admin('CapsRevoke', { principal: bob, capabilities: ['agent:create'] });
    await expect(h.client(bob).admin('AgentCreate', { name: fresh() })).rejects.toThrow(
      `permission denied for principal ${bob}: capability agent:create is revoked via "agent:create"`,
    );
    expect((await h.client(bob).admin('GroupList')).status).toBe('GroupList');
  });

  it('refuses empty lists, bad grammar, a bare * without unsafe_admin, and revokes on default; grants are idempotent', async () => {
    const who = fresh('c');
    await create(who);
    await expect(
      h.client().admin('CapsGrant', { principal: who, capabilities: [] }),
    ).rejects.toThrow(/must not be empty/);
    await expect(
      h.client().admin('CapsGrant', { principal: who, capabilities: ['a::b'] }),
    ).rejects.toThrow(/capability "a::b" rejected/);
    await expect(
      h.client().admin('CapsGrant', { principal: who, capabilities: ['*'] }),
    ).rejects.toThrow(/universal admin/);
    await h
      .client()
      .admin('CapsGrant', { principal: who, capabilities: ['*'], unsafe_admin: true });
    await h
      .client()
      .admin('CapsGrant', { principal: who, capabilities: ['*'], unsafe_admin: true });
    expect(h.kernel.state.profiles.get(who as PrincipalId)?.grants).toEqual(['*']);
    await expect(
      h.client().admin('CapsRevoke', { principal: 'default', capabilities: ['x'] }),
    ).rejects.toThrow(/default principal/);
    await expect(
      h
        .client(who === 'x' ? 'y' : fresh('nobody'))
        .admin('CapsGrant', { principal: who, capabilities: ['x'] }),
    ).rejects.toMatchObject({
      code: 'capability-denied',
    });
  });
});

describe('invite.* and auth.pair.*', () => {
  it('issue → redeem creates the principal with the key; the token works once; audit rows never hold secrets', async () => {
    const key = `ED25519:${'AB'.repeat(32)}`;
    const issued = await h.client().admin('InviteIssue', {
      group: 'agent',
      max_uses: 1,
      expires_secs: 600,
      metadata: { note: 'x' },
    });
    const token = (issued.data as { token: string }).token;
    const name = fresh('Ada Lovelace ');
    const redeemed = await h
      .client(fresh('anon'))
      .admin('InviteRedeem', { token, public_key: key, display_name: name });
    const slug = name.trim().toLowerCase().replace(/ /g, '-');
    expect(redeemed.data).toMatchObject({ principal: slug, group: 'agent' });
    const fp = (redeemed.data as { public_key_fingerprint: string }).public_key_fingerprint;
    expect(h.kernel.state.profiles.get(slug as PrincipalId)?.auth.publicKeys).toEqual([
      `ed25519:${'ab'.repeat(32)}`,
    ]);
    const row = lastEntry('admin.invite.redeem');
    expect(row).toMatchObject({
      action: { required_capability: 'invite:redeem', target_principal: null },
      outcome: { status: 'success' },
    });
    expect(
      (row.action as { params: { params: { public_key_fingerprint: string } } }).params.params
        .public_key_fingerprint,
    ).toBe(fp);
    await expect(
      h.client(fresh('anon')).admin('InviteRedeem', { token, public_key: key }),
    ).rejects.toThrow('invite token invalid, expired, or already consumed');
    expect(lastEntry('admin.invite.redeem')).toMatchObject({
      authorization: { type: 'denied' },
      outcome: { status: 'failure' },
    });
    const everything = JSON.stringify([...h.kernel.state.audit.entries()]);
    expect(everything).not.toContain(token);
    expect(everything.toLowerCase()).not.toContain('ab'.repeat(32));
  });

  it('issue validates uses, lifetime and group; list and revoke by token or fingerprint', async () => {
    await expect(h.client().admin('InviteIssue', { group: 'agent', max_uses: 0 })).rejects.toThrow(
      /max_uses/,
    );
    await expect(
      h.client().admin('InviteIssue', { group: 'agent', max_uses: 1, expires_secs: 0 }),
    ).rejects.toThrow(/at least 1/);
    await expect(
      h.client().admin('InviteIssue', { group: 'agent', max_uses: 1, expires_secs: 2_592_001 }),
    ).rejects.toThrow(/30 days/);
    await expect(
      h.client().admin('InviteIssue', { group: 'nope', max_uses: 1 }),
    ).rejects.toMatchObject({ code: 'not-found' });
    const a = (await h.client().admin('InviteIssue', { group: 'agent', max_uses: 3 })).data as {
      token: string;
    };
    const b = (await h.client().admin('InviteIssue', { group: 'agent', max_uses: 3 })).data as {
      token: string;
    };
    const list = (await h.client().admin('InviteList')).data as {
      token_fingerprint: string;
      remaining_uses: number;
    }[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(list)).not.toContain(a.token);
    expect((await h.client().admin('InviteRevoke', { token: a.token })).data).toEqual({
      removed: 1,
    });
    const fp = tokenHash(b.token);
    expect(list.map((i) => i.token_fingerprint)).toContain(fp);
    await h.client().admin('InviteRevoke', { token: fp.toUpperCase() });
    await expect(h.client().admin('InviteRevoke', { token: b.token })).rejects.toThrow(
      /no invite matches/,
    );
    const agent = fresh('noinv');
    await create(agent);
    await expect(
      h.client(agent).admin('InviteIssue', { group: 'agent', max_uses: 1 }),
    ).rejects.toThrow(/missing capability invite:issue/);
  });

  it('pair-device: a principal issues a token for itself; redeeming adds the key once', async () => {
    const me = fresh('pair');
    await create(me);
    const issued = await h.client(me).admin('PairDeviceIssue', { label: 'phone' });
    expect(issued.data).toMatchObject({ principal: me, label: 'phone' });
    const token = (issued.data as { token: string }).token;
    const key = 'cd'.repeat(32);
    const out = await h.client(fresh('dev')).admin('PairDeviceRedeem', { token, public_key: key });
    expect(out.data).toMatchObject({ principal: me });
    const profile = h.kernel.state.profiles.get(me as PrincipalId);
    expect(profile?.auth).toEqual({ methods: ['keypair'], publicKeys: [`ed25519:${key}`] });
    await expect(
      h.client(fresh('dev')).admin('PairDeviceRedeem', { token, public_key: key }),
    ).rejects.toThrow('pair-device token invalid or expired');
    await expect(h.client(me).admin('PairDeviceIssue', { expires_secs: 3601 })).rejects.toThrow(
      /1 hour/,
    );
    await expect(
      h.client(me).admin('PairDeviceRedeem', { token: 'x', public_key: 'short' }),
    ).rejects.toThrow(/ed25519 key/);
  });
});

describe('requests that cannot be attributed or decoded', () => {
  async function raw(topic: string, body: Record<string, unknown>, principal: string | null) {
    const out = h.kernel.bus.subscribeRouted({
      capsuleUuid: 'probe',
      pattern: 'astrid.v1.admin.response.*',
      capsuleLabel: 'probe',
    });
    h.kernel.bus.publish(
      ipcEvent(ipcMessage({ topic, payload: rawJson(body as never), principal })),
    );
    const answer = await out.recv(5000);
    out.close();
    return answer === null ? null : rawJsonBody(answer.payload);
  }

  it('a request without a principal is refused with invalid-input, never run as default', async () => {
    const answer = await raw(
      'astrid.v1.admin.agent.create',
      { request_id: 'r1', method: 'AgentCreate', params: { name: 'ghost' } },
      null,
    );
    expect(answer).toMatchObject({ request_id: 'r1', status: 'Error', code: 'invalid-input' });
    expect(h.kernel.state.profiles.exists('ghost' as PrincipalId)).toBe(false);
    const row = lastEntry('admin.agent.create');
    expect(row.principal).toBeUndefined();
    expect(row.outcome.status).toBe('failure');
  });

  it('a malformed principal and an unknown method are invalid-input; the request id is echoed', async () => {
    expect(
      await raw(
        'astrid.v1.admin.agent.list',
        { request_id: 'r2', method: 'AgentList' },
        'bad name',
      ),
    ).toMatchObject({
      request_id: 'r2',
      status: 'Error',
      code: 'invalid-input',
    });
    expect(
      await raw('astrid.v1.admin.x', { request_id: 'r3', method: 'Nope' }, 'default'),
    ).toMatchObject({
      request_id: 'r3',
      data: expect.stringMatching(/unknown admin method "Nope"/),
    });
  });

  it('publishes every audited request on astrid.v1.audit.entry, redacted', async () => {
    const feed = h.kernel.bus.subscribeRouted({
      capsuleUuid: 'feed',
      pattern: 'astrid.v1.audit.entry',
      capsuleLabel: 'feed',
    });
    await h.client().admin('GroupList');
    const event = await feed.recv(5000);
    feed.close();
    expect(event?.principal).toBe('default');
    expect(rawJsonBody(event?.payload ?? { type: 'unknown' })).toMatchObject({
      method: 'admin.group.list',
      required_capability: 'self:group:list',
      principal: 'default',
      target_principal: null,
      params: null,
      outcome: 'success',
    });
  });

  it('the chain verifies after all of the above', () => {
    expect(h.kernel.state.audit.verify()).toMatchObject({ valid: true });
  });
});
