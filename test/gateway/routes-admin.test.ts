import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_CATALOG } from '../../src/core/capabilities/capability-catalog.js';
import { DEFAULT_QUOTAS, quotasToWire } from '../../src/core/profiles/quotas.js';
import { type GatewayHarness, type HttpResult, startGateway } from '../helpers/gateway-harness.js';

/**
 * The admin routes of the gateway (auth, principals, caps, quotas, groups,
 * invites, capability catalogue) over real HTTP against a real in-process
 * kernel: success, 401 without/with a bad bearer, 403 without the
 * capability, 400 with the JSON error body, 404 on unknown ids, 429 on the
 * redeem limiter.
 */

const AGENT = 'agent-one';

const SPEC_CATALOGUE_IDS = `system:shutdown system:status capsule:install self:capsule:install
capsule:reload self:capsule:reload capsule:list self:capsule:list agent:create agent:delete
agent:enable agent:disable agent:modify agent:list self:agent:list quota:set self:quota:set
quota:get self:quota:get group:create group:delete group:modify group:list self:group:list
caps:grant caps:revoke invite:issue invite:redeem invite:list invite:revoke audit:read_all
self:approval:respond self:auth:pair auth:pair:redeem`.split(/\s+/);
const LOCKED = 'locked-one';

function publicKey(): string {
  return randomBytes(32).toString('hex');
}

function fingerprintOf(key: string): string {
  return createHash('sha256').update(`ed25519:${key.toLowerCase()}`, 'utf8').digest('hex');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Flips the last hex digit of the signature. */
function tampered(token: string): string {
  const last = token.at(-1);
  return `${token.slice(0, -1)}${last === '0' ? '1' : '0'}`;
}

function expectError(res: HttpResult, status: number, tag: string): Record<string, unknown> {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = res.json as Record<string, unknown>;
  expect(body.error).toBe(tag);
  return body;
}

function expectBadRequest(res: HttpResult, reason: RegExp): void {
  const body = expectError(res, 400, 'bad_request');
  expect(body.reason).toMatch(reason);
}

describe('gateway admin routes', () => {
  let gw: GatewayHarness;
  let admin: string;
  let agent: string;
  let locked: string;

  beforeAll(async () => {
    gw = await startGateway({ config: { redeemRateLimitSecs: 0 } });
    await gw.adminClient.admin('AgentCreate', { name: AGENT, groups: ['agent'] });
    await gw.adminClient.admin('AgentCreate', { name: LOCKED, groups: ['restricted'] });
    admin = gw.bearerFor('default');
    agent = gw.bearerFor(AGENT);
    locked = gw.bearerFor(LOCKED);
  });

  afterAll(async () => {
    await gw?.close();
  });

  async function createPrincipal(name: string, groups: string[] = ['agent']): Promise<void> {
    const res = await gw.fetch('/api/sys/principals', {
      method: 'POST',
      bearer: admin,
      body: { name, groups },
    });
    expect(res.status, res.text).toBe(200);
  }

  async function issueInvite(group: string, maxUses = 1): Promise<string> {
    const res = await gw.fetch('/api/sys/invites', {
      method: 'POST',
      bearer: admin,
      body: { group, max_uses: maxUses },
    });
    expect(res.status, res.text).toBe(200);
    return (res.json as { invite: { token: string } }).invite.token;
  }

  /**
   * Every authenticated route, with a request that passes validation, and the
   * caller that lacks the capability it needs (null: bearer only).
   */
  const AUTHENTICATED: {
    method: string;
    path: string;
    body?: unknown;
    deniedTo: 'agent' | 'locked' | null;
  }[] = [
    { method: 'GET', path: '/api/auth/me', deniedTo: null },
    { method: 'POST', path: '/api/auth/refresh', deniedTo: null },
    { method: 'POST', path: '/api/auth/pair-device', body: {}, deniedTo: 'locked' },
    { method: 'GET', path: '/api/sys/principals', deniedTo: 'locked' },
    {
      method: 'POST',
      path: '/api/sys/principals',
      body: { name: 'never-made' },
      deniedTo: 'agent',
    },
    { method: 'GET', path: `/api/sys/principals/${AGENT}`, deniedTo: 'locked' },
    {
      method: 'PATCH',
      path: `/api/sys/principals/${LOCKED}`,
      body: { add_groups: ['agent'] },
      deniedTo: 'agent',
    },
    { method: 'DELETE', path: `/api/sys/principals/${LOCKED}`, deniedTo: 'agent' },
    { method: 'POST', path: `/api/sys/principals/${LOCKED}/enable`, deniedTo: 'agent' },
    { method: 'POST', path: `/api/sys/principals/${LOCKED}/disable`, deniedTo: 'agent' },
    {
      method: 'POST',
      path: `/api/sys/principals/${AGENT}/caps`,
      body: { capabilities: ['system:status'] },
      deniedTo: 'agent',
    },
    {
      method: 'DELETE',
      path: `/api/sys/principals/${LOCKED}/caps`,
      body: { capabilities: ['system:status'] },
      deniedTo: 'agent',
    },
    { method: 'GET', path: `/api/sys/principals/${LOCKED}/quotas`, deniedTo: 'agent' },
    {
      method: 'PUT',
      path: `/api/sys/principals/${LOCKED}/quotas`,
      body: { quotas: {} },
      deniedTo: 'agent',
    },
    { method: 'GET', path: `/api/sys/principals/${LOCKED}/usage`, deniedTo: 'agent' },
    { method: 'GET', path: '/api/sys/groups', deniedTo: 'locked' },
    {
      method: 'POST',
      path: '/api/sys/groups',
      body: { name: 'never-made', capabilities: [] },
      deniedTo: 'agent',
    },
    {
      method: 'PATCH',
      path: '/api/sys/groups/some-group',
      body: { description: 'x' },
      deniedTo: 'agent',
    },
    { method: 'DELETE', path: '/api/sys/groups/some-group', deniedTo: 'agent' },
    {
      method: 'POST',
      path: '/api/sys/invites',
      body: { group: 'agent', max_uses: 1 },
      deniedTo: 'agent',
    },
    { method: 'GET', path: '/api/sys/invites', deniedTo: 'agent' },
    { method: 'DELETE', path: `/api/sys/invites/${'0'.repeat(64)}`, deniedTo: 'agent' },
    { method: 'GET', path: '/api/sys/capabilities', deniedTo: null },
  ];

  describe('authentication and authorization on every route', () => {
    it.each(AUTHENTICATED)(
      '$method $path: 401 without a bearer',
      async ({ method, path, body }) => {
        const res = await gw.fetch(path, { method, body });
        expect(expectError(res, 401, 'unauthorized')).toEqual({ error: 'unauthorized' });
      },
    );

    it.each(AUTHENTICATED)(
      '$method $path: 401 with a bad bearer',
      async ({ method, path, body }) => {
        for (const bearer of [tampered(admin), 'not-a-token', `${admin}.extra`]) {
          const res = await gw.fetch(path, { method, body, bearer });
          expect(expectError(res, 401, 'unauthorized')).toEqual({ error: 'unauthorized' });
        }
      },
    );

    it.each(AUTHENTICATED.filter((r) => r.deniedTo !== null))(
      '$method $path: 403 for a caller without the capability',
      async ({ method, path, body, deniedTo }) => {
        const res = await gw.fetch(path, {
          method,
          body,
          bearer: deniedTo === 'agent' ? agent : locked,
        });
        const err = expectError(res, 403, 'forbidden');
        expect(err.reason).toMatch(/./);
      },
    );

    it('a denied request is audited by the kernel with the real caller', async () => {
      await gw.fetch(`/api/sys/principals/${LOCKED}`, { method: 'DELETE', bearer: agent });
      gw.ctx.state.audit.flush();
      const page = gw.ctx.state.audit.query({ method: 'admin.agent.delete', principal: AGENT });
      expect(page.entries.length).toBeGreaterThan(0);
      expect(page.entries[0]).toMatchObject({
        principal: AGENT,
        target_principal: LOCKED,
        outcome: 'failure',
      });
    });
  });

  describe('auth', () => {
    it('POST /api/auth/redeem: redeems an invite into a principal and a working bearer', async () => {
      const token = await issueInvite('agent');
      const key = publicKey();
      const res = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: { token, public_key: `ed25519:${key.toUpperCase()}`, display_name: 'Operator 1!' },
      });
      expect(res.status, res.text).toBe(200);
      const body = res.json as Record<string, unknown>;
      expect(body).toMatchObject({
        principal: 'operator-1',
        group: 'agent',
        public_key_fingerprint: fingerprintOf(key),
      });
      expect(body.session_expires_at_epoch).toBe(gw.ctx.now() + gw.ctx.tokens.lifetimeSecs);
      const me = await gw.fetch('/api/auth/me', { bearer: body.session_token as string });
      expect(me.status).toBe(200);
      expect((me.json as { principal: string }).principal).toBe('operator-1');
    });

    it('POST /api/auth/redeem: a used-up token is 404 with the JSON error body', async () => {
      const token = await issueInvite('agent');
      const first = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: { token, public_key: publicKey() },
      });
      expect(first.status).toBe(200);
      const again = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: { token, public_key: publicKey() },
      });
      expect(expectError(again, 404, 'not_found')).toEqual({ error: 'not_found' });
    });

    it('POST /api/auth/redeem: bad input is 400 JSON, never plain text', async () => {
      const token = await issueInvite('agent');
      const badKey = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: { token, public_key: 'abc' },
      });
      expectBadRequest(badKey, /public_key must be an ed25519 key/);
      const missing = await gw.fetch('/api/auth/redeem', { method: 'POST', body: { token } });
      expectBadRequest(missing, /public_key/);
      const malformed = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: '{"token":',
        headers: { 'content-type': 'application/json' },
      });
      expectBadRequest(malformed, /^invalid JSON/);
      const noBody = await gw.fetch('/api/auth/redeem', { method: 'POST' });
      expectBadRequest(noBody, /body/);
      // The invite survived the failed attempts.
      const ok = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: JSON.stringify({ token, public_key: publicKey() }),
        headers: { 'content-type': 'text/plain' },
      });
      expect(ok.status, ok.text).toBe(200);
    });

    it('POST /api/auth/pair-device: issues a pairing token bound to the caller', async () => {
      const res = await gw.fetch('/api/auth/pair-device', {
        method: 'POST',
        bearer: agent,
        body: { expires_secs: 120, label: 'laptop' },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ principal: AGENT, label: 'laptop' });
      const body = res.json as { token: string; expires_at_epoch: number };
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(body.expires_at_epoch).toBeGreaterThanOrEqual(gw.ctx.now() + 119);
      const noBody = await gw.fetch('/api/auth/pair-device', { method: 'POST', bearer: agent });
      expect(noBody.status, noBody.text).toBe(200);
    });

    it('POST /api/auth/pair-device: 400 on an out-of-range lifetime', async () => {
      for (const expires_secs of [0, 3601]) {
        const res = await gw.fetch('/api/auth/pair-device', {
          method: 'POST',
          bearer: agent,
          body: { expires_secs },
        });
        expectBadRequest(res, /expires_secs/);
      }
    });

    it('POST /api/auth/pair-device/redeem: binds a key to the same principal and returns its bearer', async () => {
      const issued = await gw.fetch('/api/auth/pair-device', {
        method: 'POST',
        bearer: agent,
        body: {},
      });
      const token = (issued.json as { token: string }).token;
      const key = publicKey();
      const res = await gw.fetch('/api/auth/pair-device/redeem', {
        method: 'POST',
        body: { token, public_key: key },
      });
      expect(res.status, res.text).toBe(200);
      const body = res.json as Record<string, unknown>;
      expect(body).toMatchObject({ principal: AGENT, public_key_fingerprint: fingerprintOf(key) });
      const me = await gw.fetch('/api/auth/me', { bearer: body.session_token as string });
      expect((me.json as { principal: string }).principal).toBe(AGENT);
      const profile = gw.ctx.state.profiles.get(AGENT as never);
      expect(profile?.auth.publicKeys).toContain(`ed25519:${key}`);
      // Single use.
      const again = await gw.fetch('/api/auth/pair-device/redeem', {
        method: 'POST',
        body: { token, public_key: publicKey() },
      });
      expect(expectError(again, 404, 'not_found')).toEqual({ error: 'not_found' });
    });

    it('POST /api/auth/pair-device/redeem: 400 on a bad key or a missing field', async () => {
      const issued = await gw.fetch('/api/auth/pair-device', {
        method: 'POST',
        bearer: agent,
        body: {},
      });
      const token = (issued.json as { token: string }).token;
      const badKey = await gw.fetch('/api/auth/pair-device/redeem', {
        method: 'POST',
        body: { token, public_key: 'zz'.repeat(32) },
      });
      expectBadRequest(badKey, /public_key must be an ed25519 key/);
      const missing = await gw.fetch('/api/auth/pair-device/redeem', {
        method: 'POST',
        body: { public_key: publicKey() },
      });
      expectBadRequest(missing, /token/);
    });

    it('GET /api/auth/me: the principal comes from the bearer, never the query', async () => {
      const bearer = gw.bearerFor(AGENT);
      const res = await gw.fetch('/api/auth/me?principal=default', { bearer });
      expect(res.status).toBe(200);
      const claims = gw.ctx.tokens.verify(bearer);
      expect(res.json).toEqual({ principal: AGENT, expires_at_epoch: claims?.exp });
    });

    it('POST /api/auth/refresh: a fresh bearer for the same principal; the old one keeps working', async () => {
      const old = gw.bearerFor(AGENT);
      const res = await gw.fetch('/api/auth/refresh', { method: 'POST', bearer: old });
      expect(res.status, res.text).toBe(200);
      const body = res.json as {
        principal: string;
        session_token: string;
        session_expires_at_epoch: number;
      };
      expect(body.principal).toBe(AGENT);
      expect(gw.ctx.tokens.verify(body.session_token)).toMatchObject({
        principal: AGENT,
        exp: body.session_expires_at_epoch,
      });
      for (const bearer of [body.session_token, old]) {
        const me = await gw.fetch('/api/auth/me', { bearer });
        expect((me.json as { principal: string }).principal).toBe(AGENT);
      }
    });
  });

  describe('principals', () => {
    it('GET /api/sys/principals: admin sees everyone (sorted), an agent only itself', async () => {
      const all = await gw.fetch('/api/sys/principals', { bearer: admin });
      expect(all.status).toBe(200);
      const rows = (all.json as { principals: { principal: string }[] }).principals;
      const names = rows.map((r) => r.principal);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(expect.arrayContaining(['default', AGENT, LOCKED]));
      expect(rows.find((r) => r.principal === AGENT)).toEqual({
        principal: AGENT,
        enabled: true,
        groups: ['agent'],
        grants: [],
        revokes: [],
      });
      const own = await gw.fetch('/api/sys/principals', { bearer: agent });
      expect(own.json).toEqual({
        principals: [
          { principal: AGENT, enabled: true, groups: ['agent'], grants: [], revokes: [] },
        ],
      });
    });

    it('POST /api/sys/principals: creates a principal', async () => {
      const res = await gw.fetch('/api/sys/principals', {
        method: 'POST',
        bearer: admin,
        body: { name: 'created-one', groups: ['restricted'], grants: ['system:status'] },
      });
      expect(res.status, res.text).toBe(200);
      const body = res.json as { principal: string; astrid_user_id: string };
      expect(body.principal).toBe('created-one');
      expect(body.astrid_user_id).toMatch(/./);
      const shown = await gw.fetch('/api/sys/principals/created-one', { bearer: admin });
      expect(shown.json).toMatchObject({ groups: ['restricted'], grants: ['system:status'] });
    });

    it('POST /api/sys/principals: 400 on a bad name, `*` or a missing field; 409 on a duplicate', async () => {
      const bad = await gw.fetch('/api/sys/principals', {
        method: 'POST',
        bearer: admin,
        body: { name: 'bad.name' },
      });
      expectBadRequest(bad, /invalid principal/);
      const star = await gw.fetch('/api/sys/principals', {
        method: 'POST',
        bearer: admin,
        body: { name: 'star-one', grants: ['*'] },
      });
      expectBadRequest(star, /universal admin/);
      const missing = await gw.fetch('/api/sys/principals', {
        method: 'POST',
        bearer: admin,
        body: { groups: [] },
      });
      expectBadRequest(missing, /name/);
      const dup = await gw.fetch('/api/sys/principals', {
        method: 'POST',
        bearer: admin,
        body: { name: AGENT },
      });
      expect(expectError(dup, 409, 'conflict').reason).toMatch(/already exists/);
    });

    it('GET /api/sys/principals/:id: shows a visible principal; 400 on a bad id; 404 otherwise', async () => {
      const res = await gw.fetch(`/api/sys/principals/${AGENT}`, { bearer: agent });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        principal: AGENT,
        enabled: true,
        groups: ['agent'],
        grants: [],
        revokes: [],
      });
      expectBadRequest(await gw.fetch('/api/sys/principals/bad.id', { bearer: admin }), /id/);
      expectBadRequest(
        await gw.fetch('/api/sys/principals/__host__', { bearer: admin }),
        /reserved/,
      );
      const unknown = await gw.fetch('/api/sys/principals/nobody-here', { bearer: admin });
      expect(expectError(unknown, 404, 'not_found')).toEqual({ error: 'not_found' });
      // Not visible to an agent: indistinguishable from absent.
      const hidden = await gw.fetch('/api/sys/principals/default', { bearer: agent });
      expectError(hidden, 404, 'not_found');
    });

    it("PATCH /api/sys/principals/:id: changes a principal's groups", async () => {
      await createPrincipal('patch-one');
      const res = await gw.fetch('/api/sys/principals/patch-one', {
        method: 'PATCH',
        bearer: admin,
        body: { add_groups: ['restricted'], remove_groups: ['agent'] },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ principal: 'patch-one', groups: ['restricted'], changed: true });
      const same = await gw.fetch('/api/sys/principals/patch-one', {
        method: 'PATCH',
        bearer: admin,
        body: { add_groups: ['restricted'] },
      });
      expect(same.json).toEqual({ principal: 'patch-one', groups: ['restricted'], changed: false });
    });

    it('PATCH /api/sys/principals/:id: 400 on nothing to change or a bad group; 404 on unknown', async () => {
      expectBadRequest(
        await gw.fetch(`/api/sys/principals/${LOCKED}`, {
          method: 'PATCH',
          bearer: admin,
          body: {},
        }),
        /nothing to change/,
      );
      expectBadRequest(
        await gw.fetch(`/api/sys/principals/${LOCKED}`, {
          method: 'PATCH',
          bearer: admin,
          body: { add_groups: ['bad group'] },
        }),
        /group name/,
      );
      const unknown = await gw.fetch('/api/sys/principals/nobody-here', {
        method: 'PATCH',
        bearer: admin,
        body: { add_groups: ['agent'] },
      });
      expectError(unknown, 404, 'not_found');
    });

    it('DELETE /api/sys/principals/:id: 204, and its live bearer stops working at once', async () => {
      await createPrincipal('doomed-one');
      const bearer = gw.bearerFor('doomed-one');
      expect((await gw.fetch('/api/auth/me', { bearer })).status).toBe(200);
      const res = await gw.fetch('/api/sys/principals/doomed-one', {
        method: 'DELETE',
        bearer: admin,
      });
      expect(res.status, res.text).toBe(204);
      expect(res.text).toBe('');
      expectError(await gw.fetch('/api/auth/me', { bearer }), 401, 'unauthorized');
      const gone = await gw.fetch('/api/sys/principals/doomed-one', { bearer: admin });
      expectError(gone, 404, 'not_found');
    });

    it('DELETE /api/sys/principals/:id: 404 on a missing principal, 403 on default, 400 on a bad id', async () => {
      const missing = await gw.fetch('/api/sys/principals/nobody-here', {
        method: 'DELETE',
        bearer: admin,
      });
      expect(expectError(missing, 404, 'not_found')).toEqual({ error: 'not_found' });
      const self = await gw.fetch('/api/sys/principals/default', {
        method: 'DELETE',
        bearer: admin,
      });
      expect(expectError(self, 403, 'forbidden').reason).toMatch(/cannot be deleted/);
      expectBadRequest(
        await gw.fetch('/api/sys/principals/bad.id', { method: 'DELETE', bearer: admin }),
        /id/,
      );
    });

    it('POST /api/sys/principals/:id/disable and /enable: toggle and report the change', async () => {
      await createPrincipal('toggle-one');
      const off = await gw.fetch('/api/sys/principals/toggle-one/disable', {
        method: 'POST',
        bearer: admin,
      });
      expect(off.status, off.text).toBe(200);
      expect(off.json).toEqual({ principal: 'toggle-one', enabled: false, changed: true });
      // A disabled principal's requests are refused by the kernel.
      const refused = await gw.fetch('/api/sys/principals', {
        bearer: gw.bearerFor('toggle-one'),
      });
      expectError(refused, 403, 'forbidden');
      const offAgain = await gw.fetch('/api/sys/principals/toggle-one/disable', {
        method: 'POST',
        bearer: admin,
      });
      expect(offAgain.json).toEqual({ principal: 'toggle-one', enabled: false, changed: false });
      const on = await gw.fetch('/api/sys/principals/toggle-one/enable', {
        method: 'POST',
        bearer: admin,
      });
      expect(on.json).toEqual({ principal: 'toggle-one', enabled: true, changed: true });
    });

    it('enable/disable: 404 on unknown, 400 on a bad id, 403 on disabling default', async () => {
      for (const action of ['enable', 'disable']) {
        const unknown = await gw.fetch(`/api/sys/principals/nobody-here/${action}`, {
          method: 'POST',
          bearer: admin,
        });
        expectError(unknown, 404, 'not_found');
        expectBadRequest(
          await gw.fetch(`/api/sys/principals/bad.id/${action}`, { method: 'POST', bearer: admin }),
          /id/,
        );
      }
      const res = await gw.fetch('/api/sys/principals/default/disable', {
        method: 'POST',
        bearer: admin,
      });
      expect(expectError(res, 403, 'forbidden').reason).toMatch(/cannot be disabled/);
    });
  });

  describe('caps', () => {
    it('POST /api/sys/principals/:id/caps: grants, and the grant takes effect', async () => {
      await createPrincipal('caps-one', ['restricted']);
      const before = await gw.fetch('/api/sys/groups', { bearer: gw.bearerFor('caps-one') });
      expectError(before, 403, 'forbidden');
      const res = await gw.fetch('/api/sys/principals/caps-one/caps', {
        method: 'POST',
        bearer: admin,
        body: { capabilities: ['self:group:list', 'system:status'] },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({
        principal: 'caps-one',
        capabilities: ['self:group:list', 'system:status'],
      });
      const after = await gw.fetch('/api/sys/groups', { bearer: gw.bearerFor('caps-one') });
      expect(after.status).toBe(200);
    });

    it('POST /api/sys/principals/:id/caps: `*` needs unsafe_admin', async () => {
      await createPrincipal('star-caps');
      const refused = await gw.fetch('/api/sys/principals/star-caps/caps', {
        method: 'POST',
        bearer: admin,
        body: { capabilities: ['*'] },
      });
      expectBadRequest(refused, /unsafe_admin/);
      const granted = await gw.fetch('/api/sys/principals/star-caps/caps', {
        method: 'POST',
        bearer: admin,
        body: { capabilities: ['*'], unsafe_admin: true },
      });
      expect(granted.status, granted.text).toBe(200);
    });

    it('POST /api/sys/principals/:id/caps: 400 on bad input, 404 on unknown', async () => {
      const path = `/api/sys/principals/${LOCKED}/caps`;
      expectBadRequest(
        await gw.fetch(path, { method: 'POST', bearer: admin, body: { capabilities: [] } }),
        /capabilities/,
      );
      expectBadRequest(
        await gw.fetch(path, {
          method: 'POST',
          bearer: admin,
          body: { capabilities: ['no spaces'] },
        }),
        /capability "no spaces" rejected/,
      );
      expectBadRequest(
        await gw.fetch(path, { method: 'POST', bearer: admin, body: {} }),
        /capabilities/,
      );
      const unknown = await gw.fetch('/api/sys/principals/nobody-here/caps', {
        method: 'POST',
        bearer: admin,
        body: { capabilities: ['system:status'] },
      });
      expectError(unknown, 404, 'not_found');
    });

    it('DELETE /api/sys/principals/:id/caps: 204 and the revoke is recorded', async () => {
      await createPrincipal('revoke-one');
      const res = await gw.fetch('/api/sys/principals/revoke-one/caps', {
        method: 'DELETE',
        bearer: admin,
        body: { capabilities: ['self:group:list'] },
      });
      expect(res.status, res.text).toBe(204);
      const shown = await gw.fetch('/api/sys/principals/revoke-one', { bearer: admin });
      expect(shown.json).toMatchObject({ revokes: ['self:group:list'] });
      const denied = await gw.fetch('/api/sys/groups', { bearer: gw.bearerFor('revoke-one') });
      expectError(denied, 403, 'forbidden');
    });

    it('DELETE /api/sys/principals/:id/caps: 400 without a body, 404 on unknown, 403 on default', async () => {
      expectBadRequest(
        await gw.fetch(`/api/sys/principals/${LOCKED}/caps`, { method: 'DELETE', bearer: admin }),
        /body/,
      );
      const unknown = await gw.fetch('/api/sys/principals/nobody-here/caps', {
        method: 'DELETE',
        bearer: admin,
        body: { capabilities: ['system:status'] },
      });
      expectError(unknown, 404, 'not_found');
      const self = await gw.fetch('/api/sys/principals/default/caps', {
        method: 'DELETE',
        bearer: admin,
        body: { capabilities: ['system:status'] },
      });
      expect(expectError(self, 403, 'forbidden').reason).toMatch(/default principal/);
    });
  });

  describe('quotas', () => {
    it('GET /api/sys/principals/:id/quotas: defaults; an agent may read its own', async () => {
      const res = await gw.fetch(`/api/sys/principals/${AGENT}/quotas`, { bearer: agent });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual(quotasToWire(DEFAULT_QUOTAS));
    });

    it('PUT /api/sys/principals/:id/quotas: sets; omitted fields take defaults; reads back', async () => {
      await createPrincipal('quota-one');
      const res = await gw.fetch('/api/sys/principals/quota-one/quotas', {
        method: 'PUT',
        bearer: admin,
        body: { quotas: { max_timeout_secs: 60, max_background_processes: 2 } },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ principal: 'quota-one' });
      const read = await gw.fetch('/api/sys/principals/quota-one/quotas', {
        bearer: gw.bearerFor('quota-one'),
      });
      expect(read.json).toEqual({
        ...quotasToWire(DEFAULT_QUOTAS),
        max_timeout_secs: 60,
        max_background_processes: 2,
      });
    });

    it('PUT /api/sys/principals/:id/quotas: 400 on out-of-range or unknown quotas', async () => {
      const path = `/api/sys/principals/${LOCKED}/quotas`;
      expectBadRequest(
        await gw.fetch(path, {
          method: 'PUT',
          bearer: admin,
          body: { quotas: { max_timeout_secs: 86_401 } },
        }),
        /max_timeout_secs/,
      );
      expectBadRequest(
        await gw.fetch(path, {
          method: 'PUT',
          bearer: admin,
          body: { quotas: { max_memory_byte: 5 } },
        }),
        /unknown quota "max_memory_byte"/,
      );
      expectBadRequest(await gw.fetch(path, { method: 'PUT', bearer: admin, body: {} }), /quotas/);
    });

    it('GET /api/sys/principals/:id/usage: reports usage', async () => {
      const res = await gw.fetch(`/api/sys/principals/${AGENT}/usage`, { bearer: agent });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({
        principal: AGENT,
        cpu_fuel_consumed_total: 0,
        cpu_fuel_per_sec_limit: DEFAULT_QUOTAS.maxCpuFuelPerSec,
        exempt: false,
        memory_bytes_limit_per_instance: DEFAULT_QUOTAS.maxMemoryBytes,
        memory_bytes_current_total: null,
        memory_bytes_peak_total: null,
      });
      const admins = await gw.fetch('/api/sys/principals/default/usage', { bearer: admin });
      expect(admins.json).toMatchObject({ principal: 'default', exempt: true });
    });

    it.each([
      ['GET', 'quotas', undefined],
      ['PUT', 'quotas', { quotas: {} }],
      ['GET', 'usage', undefined],
    ])('%s …/%s: 404 on unknown, 400 on a bad id', async (method, leaf, body) => {
      const unknown = await gw.fetch(`/api/sys/principals/nobody-here/${leaf}`, {
        method,
        bearer: admin,
        body,
      });
      expectError(unknown, 404, 'not_found');
      expectBadRequest(
        await gw.fetch(`/api/sys/principals/bad.id/${leaf}`, { method, bearer: admin, body }),
        /id/,
      );
    });

    it('a principal without self:quota:get cannot read even its own quotas', async () => {
      const res = await gw.fetch(`/api/sys/principals/${LOCKED}/quotas`, { bearer: locked });
      expectError(res, 403, 'forbidden');
    });
  });

  describe('groups', () => {
    it('GET /api/sys/groups: lists the built-in groups', async () => {
      const res = await gw.fetch('/api/sys/groups', { bearer: agent });
      expect(res.status).toBe(200);
      const groups = (res.json as { groups: { name: string }[] }).groups;
      expect(groups).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'admin',
            capabilities: ['*'],
            unsafe_admin: true,
            builtin: true,
          }),
          expect.objectContaining({
            name: 'agent',
            capabilities: ['self:*', 'self:quota:get', 'self:agent:list', 'delegate:self:*'],
            unsafe_admin: false,
            builtin: true,
          }),
          expect.objectContaining({
            name: 'restricted',
            capabilities: [],
            unsafe_admin: false,
            builtin: true,
          }),
        ]),
      );
    });

    async function group(name: string): Promise<Record<string, unknown> | undefined> {
      const res = await gw.fetch('/api/sys/groups', { bearer: admin });
      return (res.json as { groups: Record<string, unknown>[] }).groups.find(
        (g) => g.name === name,
      );
    }

    it('POST /api/sys/groups: creates a group', async () => {
      const res = await gw.fetch('/api/sys/groups', {
        method: 'POST',
        bearer: admin,
        body: { name: 'ops-team', capabilities: ['invite:issue'], description: 'Operators' },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ status: 'ok' });
      expect(await group('ops-team')).toEqual({
        name: 'ops-team',
        capabilities: ['invite:issue'],
        description: 'Operators',
        unsafe_admin: false,
        builtin: false,
      });
    });

    it('POST /api/sys/groups: 400 on bad input, 409 on an existing group', async () => {
      expectBadRequest(
        await gw.fetch('/api/sys/groups', {
          method: 'POST',
          bearer: admin,
          body: { name: 'star-group', capabilities: ['*'] },
        }),
        /unsafe_admin/,
      );
      expectBadRequest(
        await gw.fetch('/api/sys/groups', {
          method: 'POST',
          bearer: admin,
          body: { name: 'bad name', capabilities: [] },
        }),
        /name/,
      );
      expectBadRequest(
        await gw.fetch('/api/sys/groups', { method: 'POST', bearer: admin, body: { name: 'x' } }),
        /capabilities/,
      );
      await gw.fetch('/api/sys/groups', {
        method: 'POST',
        bearer: admin,
        body: { name: 'twice', capabilities: [] },
      });
      const dup = await gw.fetch('/api/sys/groups', {
        method: 'POST',
        bearer: admin,
        body: { name: 'twice', capabilities: [] },
      });
      expectError(dup, 409, 'conflict');
    });

    it('PATCH /api/sys/groups/:name: omitted keeps, a value sets, JSON null clears the description', async () => {
      await gw.fetch('/api/sys/groups', {
        method: 'POST',
        bearer: admin,
        body: { name: 'patch-group', capabilities: ['invite:list'], description: 'first' },
      });
      const caps = await gw.fetch('/api/sys/groups/patch-group', {
        method: 'PATCH',
        bearer: admin,
        body: { capabilities: ['invite:list', 'invite:issue'] },
      });
      expect(caps.status, caps.text).toBe(200);
      expect(caps.json).toEqual({ status: 'ok' });
      expect(await group('patch-group')).toMatchObject({
        capabilities: ['invite:list', 'invite:issue'],
        description: 'first',
      });
      await gw.fetch('/api/sys/groups/patch-group', {
        method: 'PATCH',
        bearer: admin,
        body: { description: 'second' },
      });
      expect((await group('patch-group'))?.description).toBe('second');
      const cleared = await gw.fetch('/api/sys/groups/patch-group', {
        method: 'PATCH',
        bearer: admin,
        body: { description: null },
      });
      expect(cleared.status, cleared.text).toBe(200);
      const after = await group('patch-group');
      expect(after).not.toHaveProperty('description');
      expect(after?.capabilities).toEqual(['invite:list', 'invite:issue']);
    });

    it('PATCH /api/sys/groups/:name: 400 on nothing to change, 404 on unknown, 403 on a built-in', async () => {
      expectBadRequest(
        await gw.fetch('/api/sys/groups/patch-group', { method: 'PATCH', bearer: admin, body: {} }),
        /nothing to change/,
      );
      expectBadRequest(
        await gw.fetch('/api/sys/groups/patch-group', {
          method: 'PATCH',
          bearer: admin,
          body: { description: { text: 'x' } },
        }),
        /description/,
      );
      const unknown = await gw.fetch('/api/sys/groups/no-such-group', {
        method: 'PATCH',
        bearer: admin,
        body: { description: 'x' },
      });
      expectError(unknown, 404, 'not_found');
      const builtin = await gw.fetch('/api/sys/groups/agent', {
        method: 'PATCH',
        bearer: admin,
        body: { description: 'x' },
      });
      expect(expectError(builtin, 403, 'forbidden').reason).toMatch(/built-in/);
    });

    it('DELETE /api/sys/groups/:name: 204; 404 on unknown; 403 on a built-in; 400 on a bad name', async () => {
      await gw.fetch('/api/sys/groups', {
        method: 'POST',
        bearer: admin,
        body: { name: 'gone-group', capabilities: [] },
      });
      const res = await gw.fetch('/api/sys/groups/gone-group', { method: 'DELETE', bearer: admin });
      expect(res.status, res.text).toBe(204);
      expect(await group('gone-group')).toBeUndefined();
      const again = await gw.fetch('/api/sys/groups/gone-group', {
        method: 'DELETE',
        bearer: admin,
      });
      expectError(again, 404, 'not_found');
      const builtin = await gw.fetch('/api/sys/groups/restricted', {
        method: 'DELETE',
        bearer: admin,
      });
      expect(expectError(builtin, 403, 'forbidden').reason).toMatch(/built-in/);
      expectBadRequest(
        await gw.fetch('/api/sys/groups/bad.name', { method: 'DELETE', bearer: admin }),
        /name/,
      );
    });
  });

  describe('invites', () => {
    it('POST /api/sys/invites: issues an invite', async () => {
      const res = await gw.fetch('/api/sys/invites', {
        method: 'POST',
        bearer: admin,
        body: { group: 'agent', max_uses: 3, expires_secs: 600, metadata: { note: 'hi' } },
      });
      expect(res.status, res.text).toBe(200);
      const invite = (res.json as { invite: Record<string, unknown> }).invite;
      expect(invite).toMatchObject({ group: 'agent', remaining_uses: 3, metadata: { note: 'hi' } });
      expect(invite.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(invite.expires_at_epoch).toBeGreaterThanOrEqual(gw.ctx.now() + 599);
    });

    it('POST /api/sys/invites: 400 on bad input, 404 on an unknown group', async () => {
      for (const body of [
        { group: 'agent', max_uses: 0 },
        { group: 'agent', max_uses: 1, expires_secs: 0 },
        { group: 'agent', max_uses: 1, expires_secs: 2_592_001 },
        { group: 'agent' },
      ]) {
        const res = await gw.fetch('/api/sys/invites', { method: 'POST', bearer: admin, body });
        expectBadRequest(res, /max_uses|expires_secs/);
      }
      const unknown = await gw.fetch('/api/sys/invites', {
        method: 'POST',
        bearer: admin,
        body: { group: 'no-such-group', max_uses: 1 },
      });
      expectError(unknown, 404, 'not_found');
    });

    it('GET /api/sys/invites: lists fingerprints, never tokens', async () => {
      const token = await issueInvite('restricted', 2);
      const res = await gw.fetch('/api/sys/invites', { bearer: admin });
      expect(res.status).toBe(200);
      const invites = (res.json as { invites: Record<string, unknown>[] }).invites;
      const row = invites.find((i) => i.token_fingerprint === sha256(token));
      expect(row).toMatchObject({ group: 'restricted', remaining_uses: 2 });
      expect(row?.issued_at_epoch).toBeGreaterThan(0);
      expect(res.text).not.toContain(token);
    });

    it('DELETE /api/sys/invites/:fingerprint: by fingerprint or raw token; 404 when nothing matches', async () => {
      const byFingerprint = await issueInvite('agent');
      const res = await gw.fetch(`/api/sys/invites/${sha256(byFingerprint)}`, {
        method: 'DELETE',
        bearer: admin,
      });
      expect(res.status, res.text).toBe(204);
      const redeem = await gw.fetch('/api/auth/redeem', {
        method: 'POST',
        body: { token: byFingerprint, public_key: publicKey() },
      });
      expectError(redeem, 404, 'not_found');
      const byToken = await issueInvite('agent');
      const raw = await gw.fetch(`/api/sys/invites/${byToken}`, {
        method: 'DELETE',
        bearer: admin,
      });
      expect(raw.status, raw.text).toBe(204);
      const again = await gw.fetch(`/api/sys/invites/${byToken}`, {
        method: 'DELETE',
        bearer: admin,
      });
      expect(expectError(again, 404, 'not_found')).toEqual({ error: 'not_found' });
    });
  });

  describe('capability catalogue', () => {
    it('GET /api/sys/capabilities: the kernel catalogue and the categories, for any bearer', async () => {
      const res = await gw.fetch('/api/sys/capabilities', { bearer: locked });
      expect(res.status).toBe(200);
      const body = res.json as { capabilities: Record<string, unknown>[]; categories: string[] };
      expect(body.categories).toEqual([
        'agent',
        'caps',
        'quota',
        'group',
        'invite',
        'capsule',
        'system',
        'approval',
      ]);
      expect(body.capabilities).toEqual(CAPABILITY_CATALOG.map((c) => ({ ...c })));
      // The 34 capabilities of the reference catalogue, in its order (ours adds audit ones).
      const ids = body.capabilities.map((c) => c.id as string);
      const reference = SPEC_CATALOGUE_IDS.map((id) => ids.indexOf(id));
      expect(reference).not.toContain(-1);
      expect(reference).toEqual([...reference].sort((a, b) => a - b));
      for (const c of body.capabilities) expect(body.categories).toContain(c.category);
      expect(body.capabilities[0]).toEqual({
        id: 'system:shutdown',
        label: expect.any(String),
        description: expect.any(String),
        category: 'system',
        scope: 'global',
        danger: 'extreme',
      });
    });
  });
});

describe('redeem rate limiter', () => {
  let gw: GatewayHarness;

  beforeAll(async () => {
    gw = await startGateway({ config: { redeemRateLimitSecs: 60 } });
  });

  afterAll(async () => {
    await gw?.close();
  });

  async function metric(name: string): Promise<number> {
    const text = await gw.ctx.metrics.render();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.split(' ')[1]);
  }

  it('allows one redeem per IP per interval, shared by both redeem routes, and counts it', async () => {
    const attempts = await metric('astrid_gateway_redeem_attempts_total');
    const limited = await metric('astrid_gateway_redeem_rate_limited_total');
    const first = await gw.fetch('/api/auth/redeem', {
      method: 'POST',
      body: { token: 'no-such-invite', public_key: publicKey() },
    });
    expectError(first, 404, 'not_found');
    const second = await gw.fetch('/api/auth/redeem', {
      method: 'POST',
      body: { token: 'no-such-invite', public_key: publicKey() },
    });
    const body = expectError(second, 429, 'rate_limited');
    expect(Object.keys(body).sort()).toEqual(['error', 'retry_after_secs']);
    expect(body.retry_after_secs).toBeGreaterThanOrEqual(1);
    expect(body.retry_after_secs).toBeLessThanOrEqual(60);
    expect(second.headers.get('retry-after')).toBeNull();
    const pair = await gw.fetch('/api/auth/pair-device/redeem', {
      method: 'POST',
      body: { token: 'no-such-token', public_key: publicKey() },
    });
    expectError(pair, 429, 'rate_limited');
    expect(await metric('astrid_gateway_redeem_attempts_total')).toBe(attempts + 3);
    expect(await metric('astrid_gateway_redeem_rate_limited_total')).toBe(limited + 2);
  });

  it('a limited redeem never reaches the kernel: the invite is still there afterwards', async () => {
    const issued = await gw.adminClient.admin('InviteIssue', { group: 'agent', max_uses: 1 });
    const token = (issued.data as { token: string }).token;
    const res = await gw.fetch('/api/auth/redeem', {
      method: 'POST',
      body: { token, public_key: publicKey() },
    });
    expectError(res, 429, 'rate_limited');
    const list = await gw.adminClient.admin('InviteList');
    expect(
      (list.data as { token_fingerprint: string }[]).map((i) => i.token_fingerprint),
    ).toContain(sha256(token));
  });
});

describe('redeem rate limiter behind a trusted proxy', () => {
  let gw: GatewayHarness;

  beforeAll(async () => {
    gw = await startGateway({
      config: { redeemRateLimitSecs: 60, trustForwardedFrom: ['127.0.0.1'] },
    });
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('keys the limiter by the forwarded client address', async () => {
    const redeem = (ip: string) =>
      gw.fetch('/api/auth/pair-device/redeem', {
        method: 'POST',
        body: { token: 'no-such-token', public_key: publicKey() },
        headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` },
      });
    expectError(await redeem('203.0.113.7'), 404, 'not_found');
    expectError(await redeem('203.0.113.7'), 429, 'rate_limited');
    expectError(await redeem('203.0.113.8'), 404, 'not_found');
  });
});
