import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { type IpcMessage, ipcMessage } from '../../src/events/ipc-message.js';
import { answerNext } from '../helpers/bus-answers.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness } from '../helpers/engine-harness.js';
import { HOSTS_JS, HOSTS_WORLD } from '../helpers/guests.js';

let h: Harness;
let resolver: WasmEngine;
let admin: WasmEngine;
let asker: WasmEngine;
let uplinks: WasmEngine;

const ok = (value: unknown) => ({ ok: value });
const err = (tag: string) => expect.objectContaining({ err: tag });

beforeAll(async () => {
  const component = await componentFromJs(HOSTS_JS, HOSTS_WORLD, 'hosts');
  h = await harness();
  (h.services as { timeouts?: unknown }).timeouts = { approvalMs: 1500, elicitMs: 1500 };
  for (const p of ['default', 'alice', 'bob'])
    mkdirSync(join(h.home.root, 'home', p, '.local'), { recursive: true });
  h.profiles.set('alice', { groups: ['agent'] }).set('bob', { groups: ['restricted'] });
  resolver = await h.engine('resolver', component, '[capabilities]\nidentity = ["resolve"]\n');
  admin = await h.engine('idadmin', component, '[capabilities]\nidentity = ["admin"]\n');
  asker = await h.engine('asker', component, '');
  uplinks = await h.engine('bridge', component, '[capabilities]\nuplink = true\n');
}, 120_000);

afterAll(async () => {
  await h.close();
});

describe('astrid:identity', () => {
  it('creates users, links, resolves, lists and unlinks, with the contract’s errors', async () => {
    const user = (await call(admin, 'createUser', { name: 'Ada' })) as { ok: string };
    expect(user.ok).toMatch(/^[0-9a-f-]{36}$/);
    expect(await call(admin, 'link', { platform: 'Discord', id: '42', user: user.ok })).toEqual(
      ok('ok'),
    );
    expect(await call(resolver, 'resolve', { platform: 'discord', id: '42' })).toEqual(
      ok({ userId: user.ok, displayName: 'Ada' }),
    );
    expect(await call(admin, 'links', { user: user.ok })).toEqual(ok(['discord/42:test']));
    const other = (await call(admin, 'createUser', {})) as { ok: string };
    expect(await call(admin, 'link', { platform: 'discord', id: '42', user: other.ok })).toEqual(
      err('already-linked'),
    );
    expect(
      await call(admin, 'link', {
        platform: 'discord',
        id: '43',
        user: '00000000-0000-4000-8000-000000000000',
      }),
    ).toEqual(err('user-not-found'));
    expect(
      await call(admin, 'link', { platform: 'discord', id: '43', user: 'not-a-uuid' }),
    ).toEqual(err('invalid-input'));
    expect(await call(admin, 'link', { platform: 'a/b', id: '43', user: user.ok })).toEqual(
      err('invalid-input'),
    );
    expect(await call(admin, 'idUnlink', { platform: 'discord', id: '42' })).toEqual(ok('ok'));
    expect(await call(admin, 'idUnlink', { platform: 'discord', id: '42' })).toEqual(
      err('link-not-found'),
    );
    expect(await call(resolver, 'resolve', { platform: 'discord', id: '42' })).toEqual(
      err('link-not-found'),
    );
  });

  it('gates by the identity hierarchy: resolve < link < admin', async () => {
    expect(await call(resolver, 'createUser', {})).toEqual(err('capability-denied'));
    expect(
      await call(resolver, 'link', {
        platform: 'x',
        id: '1',
        user: '00000000-0000-4000-8000-000000000000',
      }),
    ).toEqual(err('capability-denied'));
    expect(await call(asker, 'resolve', { platform: 'x', id: '1' })).toEqual(
      err('capability-denied'),
    );
  });
});

describe('astrid:approval', () => {
  it('blocks until the invoking principal answers; "always" is not asked again; decisions are audited', async () => {
    const answered = answerNext(h.bus, 'astrid.v1.approval', 'alice', (id) => ({
      type: 'approval_response',
      request_id: id,
      decision: 'approve_always',
    }));
    expect(await call(asker, 'approve', { action: 'run', resource: 'ls -la' }, 'alice')).toEqual(
      ok('approved-always'),
    );
    const question = await answered;
    expect(question.payload).toMatchObject({
      type: 'approval_required',
      action: 'run',
      resource: 'ls -la',
    });
    expect(question.principal).toBe('alice');
    expect(await call(asker, 'approve', { action: 'run', resource: 'ls -la' }, 'alice')).toEqual(
      ok('allowance'),
    );
    expect(await call(asker, 'approve', { action: 'run', resource: 'ls' }, 'alice')).toEqual(
      err('timeout'),
    );
    const rows = [...h.services.auditLog.entries()].map(
      (e) => `${e.principal} ${e.action.type} ${e.outcome.status}`,
    );
    expect(rows).toEqual([
      'alice approval_granted success',
      'alice approval_granted success',
      'alice approval_denied failure',
    ]);
  });

  it('ignores answers from other principals, claimed answers and principals without self:approval:respond', async () => {
    const impostor = answerNext(h.bus, 'astrid.v1.approval', 'bob', (id) => ({
      type: 'approval_response',
      request_id: id,
      decision: 'approve',
    }));
    expect(await call(asker, 'approve', { action: 'deploy', resource: 'prod' }, 'alice')).toEqual(
      err('timeout'),
    );
    await impostor;
    const claimed = answerNext(
      h.bus,
      'astrid.v1.approval',
      'alice',
      (id) => ({ type: 'approval_response', request_id: id, decision: 'approve' }),
      true,
    );
    expect(await call(asker, 'approve', { action: 'deploy', resource: 'prod' }, 'alice')).toEqual(
      err('timeout'),
    );
    await claimed;
    const unauthorized = answerNext(h.bus, 'astrid.v1.approval', 'bob', (id) => ({
      type: 'approval_response',
      request_id: id,
      decision: 'approve',
    }));
    expect(await call(asker, 'approve', { action: 'deploy', resource: 'prod' }, 'bob')).toEqual(
      err('timeout'),
    );
    await unauthorized;
    const denied = answerNext(h.bus, 'astrid.v1.approval', 'alice', (id) => ({
      type: 'approval_response',
      request_id: id,
      decision: 'deny',
      reason: 'no',
    }));
    expect(await call(asker, 'approve', { action: 'deploy', resource: 'prod' }, 'alice')).toEqual(
      ok('denied'),
    );
    await denied;
  });

  it('session approvals last until cleared; inputs are checked', async () => {
    const answered = answerNext(h.bus, 'astrid.v1.approval', 'alice', (id) => ({
      type: 'approval_response',
      request_id: id,
      decision: 'approve_session',
    }));
    expect(await call(asker, 'approve', { action: 'read', resource: 'mail' }, 'alice')).toEqual(
      ok('approved-session'),
    );
    await answered;
    expect(await call(asker, 'approve', { action: 'read', resource: 'mail' }, 'alice')).toEqual(
      ok('allowance'),
    );
    h.services.allowances.clearSession('alice');
    expect(await call(asker, 'approve', { action: 'read', resource: 'mail' }, 'alice')).toEqual(
      err('timeout'),
    );
    expect(
      await call(asker, 'approve', { action: 'x'.repeat(257), resource: 'r' }, 'alice'),
    ).toEqual(err('invalid-input'));
  });
});

describe('astrid:elicit', () => {
  it('text, select (checked against the options), array and cancel', async () => {
    let answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', (id) => ({
      type: 'elicit_response',
      request_id: id,
      value: 'Oslo',
    }));
    expect(
      await call(asker, 'elicit', { kind: 'text', key: 'CITY', description: 'Which city?' }),
    ).toEqual(ok({ tag: 'value', val: 'Oslo' }));
    expect((await answered).payload).toMatchObject({
      type: 'elicit_request',
      capsule_id: 'asker',
      field: { key: 'CITY', prompt: 'Which city?', field_type: 'Text' },
    });
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', (id) => ({
      type: 'elicit_response',
      request_id: id,
      value: 'F',
    }));
    expect(
      await call(asker, 'elicit', { kind: 'select', key: 'UNIT', options: ['C', 'K'] }),
    ).toEqual(err('invalid-input'));
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', (id) => ({
      type: 'elicit_response',
      request_id: id,
      value: 'K',
    }));
    expect(
      await call(asker, 'elicit', { kind: 'select', key: 'UNIT', options: ['C', 'K'] }),
    ).toEqual(ok({ tag: 'value', val: 'K' }));
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', (id) => ({
      type: 'elicit_response',
      request_id: id,
      values: ['a', 'b'],
    }));
    expect(await call(asker, 'elicit', { kind: 'array', key: 'TAGS' })).toEqual(
      ok({ tag: 'values', val: ['a', 'b'] }),
    );
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', (id) => ({
      type: 'elicit_response',
      request_id: id,
    }));
    expect(await call(asker, 'elicit', { kind: 'text', key: 'X' })).toEqual(err('cancelled'));
    await answered;
    expect(await call(asker, 'elicit', { kind: 'select', key: 'UNIT', options: [] })).toEqual(
      err('invalid-input'),
    );
  });

  it('a secret answer goes to the secret store and nowhere else', async () => {
    const secret = 'sk-very-secret-value';
    const snoop = h.bus.subscribeRouted({
      capsuleUuid: 'snoop',
      pattern: 'astrid.v1.elicit.*',
      capsuleLabel: 'snoop',
    });
    const answered = answerNext(h.bus, 'astrid.v1.elicit', 'alice', (id) => ({
      type: 'elicit_response',
      request_id: id,
      value: secret,
    }));
    expect(
      await call(
        asker,
        'elicit',
        { kind: 'secret', key: 'API_KEY', description: 'Your key' },
        'alice',
      ),
    ).toEqual(ok({ tag: 'secret-stored' }));
    await answered;
    expect(await call(asker, 'hasSecret', { key: 'API_KEY' }, 'alice')).toEqual(ok(true));
    expect(await call(asker, 'hasSecret', { key: 'API_KEY' }, 'bob')).toEqual(ok(false));
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(h.home.root, 'secrets', 'alice', 'asker', 'API_KEY'), 'utf8')).toBe(
      secret,
    );
    h.bus.publish(
      ipcEvent(
        ipcMessage({ topic: 'astrid.v1.elicit.other', payload: { type: 'custom', data: 1 } }),
      ),
    );
    const seen: IpcMessage[] = snoop.tryDrain();
    snoop.close();
    // The subscription works, but the private answer never reached it.
    expect(seen.map((m) => m.topic)).toEqual(['astrid.v1.elicit.other']);
    expect(JSON.stringify(h.logs.lines)).not.toContain(secret);
    expect(JSON.stringify([...h.services.auditLog.entries()])).not.toContain(secret);
    expect(await call(asker, 'hasSecret', { key: 'a:b' })).toEqual(err('invalid-input'));
  });
});

describe('astrid:uplink', () => {
  it('registers (unique, at most 32) and delivers linked users’ messages on the bus as claimed', async () => {
    const id = (await call(uplinks, 'uplinkRegister', {
      name: 'main',
      platform: ' Discord ',
      profile: 'chat',
    })) as { ok: string };
    expect(id.ok).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      await call(uplinks, 'uplinkRegister', { name: 'main', platform: 'discord', profile: 'chat' }),
    ).toEqual(err('invalid-input'));
    expect(await call(uplinks, 'uplinkMany', { platform: 'slack' })).toEqual({
      ok: 31,
      err: 'quota',
    });
    const user = h.services.identity.createUser('alice');
    h.services.identity.link('discord', '77', user.id, 'test');
    const inbound = h.bus.subscribeRouted({
      capsuleUuid: 'in',
      pattern: 'astrid.v1.uplink.inbound',
      capsuleLabel: 'in',
    });
    expect(await call(uplinks, 'uplinkSend', { id: id.ok, user: '77', content: 'hello' })).toEqual(
      ok(true),
    );
    const m = await inbound.recv(5000);
    inbound.close();
    expect(m).toMatchObject({
      principal: 'alice',
      claimed: true,
      payload: { type: 'user_input', text: 'hello', session_id: 'discord:77' },
    });
    expect(await call(uplinks, 'uplinkSend', { id: id.ok, user: '78', content: 'who?' })).toEqual(
      err('no-session'),
    );
    expect(await call(uplinks, 'uplinkSend', { id: 'nope', user: '77', content: 'x' })).toEqual(
      err('invalid-input'),
    );
    expect(
      await call(uplinks, 'uplinkSend', {
        id: '00000000-0000-4000-8000-000000000000',
        user: '77',
        content: 'x',
      }),
    ).toEqual(err('unknown-uplink'));
    expect(
      await call(asker, 'uplinkRegister', { name: 'x', platform: 'y', profile: 'chat' }),
    ).toEqual(err('capability-denied'));
  });
});
