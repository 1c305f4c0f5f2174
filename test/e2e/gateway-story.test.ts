import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';

/**
 * The gateway story of issue 13 on a real daemon process over real HTTP:
 * an operator group and invites, two redeems, what each may do, device
 * pairing, a capability granted, quotas, refresh, deletion killing a live
 * bearer at once, and the audit event stream scoped per caller.
 */

let d: DaemonProcess;
let base: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function publicKeyHex(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32)).toString('hex');
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function http(
  path: string,
  options: { method?: string; body?: unknown; bearer?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/** Reads SSE events from a stream until `until` says stop (or the deadline). */
async function collectEvents(
  bearer: string,
  until: (events: { event: string; data: Record<string, unknown> }[]) => boolean,
  timeoutMs: number,
): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { event: string; data: Record<string, unknown> }[] = [];
  try {
    const res = await fetch(`${base}/api/events`, {
      headers: { authorization: `Bearer ${bearer}` },
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name !== undefined && data !== undefined)
          events.push({ event: name, data: JSON.parse(data) as Record<string, unknown> });
        cut = buffer.indexOf('\n\n');
      }
      if (until(events)) break;
    }
  } catch (e) {
    if (!controller.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const home = await newHome('file');
  const port = await freePort();
  await mkdir(join(home, 'etc'), { recursive: true });
  await writeFile(
    join(home, 'etc', 'gateway-http.toml'),
    `enabled = true\nlisten = "127.0.0.1:${port}"\nredeem-rate-limit-secs = 1\n`,
  );
  d = await startDaemon({ home });
  base = `http://127.0.0.1:${port}`;
  // The gateway starts right after the kernel reports ready.
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the gateway did not come up: ${d.stderr()}`);
    await pause(100);
  }
}, 60_000);

afterAll(async () => {
  await d?.stop();
});

describe('the gateway story', () => {
  it('invites, redeems, scoped access, pairing, grants, quotas, refresh, revocation, audit', async () => {
    // The operator (default) pairs a device to get a bearer for itself.
    const admin = await d.connect();
    const pair = (await admin.admin('PairDeviceIssue', {})).data as { token: string };
    const adminLogin = await http('/api/auth/pair-device/redeem', {
      method: 'POST',
      body: { token: pair.token, public_key: publicKeyHex() },
    });
    expect(adminLogin.status).toBe(200);
    const root = adminLogin.json.session_token as string;
    expect(adminLogin.json.principal).toBe('default');
    await admin.close();

    // The admin's audit stream (firehose) runs through the whole story.
    const adminFeed = collectEvents(
      root,
      (ev) =>
        ev.some(
          (e) =>
            e.event === 'audit' &&
            e.data.method === 'admin.agent.delete' &&
            e.data.outcome === 'success',
        ),
      60_000,
    );
    await pause(300);

    // A custom group for operators, and invites for it and for `agent`.
    expect(
      (
        await http('/api/sys/groups', {
          method: 'POST',
          bearer: root,
          body: {
            name: 'operators',
            capabilities: ['invite:issue', 'invite:list', 'self:*'],
            description: 'issue invites',
          },
        })
      ).status,
    ).toBe(200);
    const inviteFor = async (group: string) => {
      const r = await http('/api/sys/invites', {
        method: 'POST',
        bearer: root,
        body: { group, max_uses: 1, expires_secs: 3600 },
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return (r.json.invite as { token: string }).token;
    };
    const opInvite = await inviteFor('operators');
    const agentInvite = await inviteFor('agent');

    // Both redeem (the limiter allows one redeem per second per address).
    const redeem = async (token: string, name: string) => {
      const r = await http('/api/auth/redeem', {
        method: 'POST',
        body: { token, public_key: publicKeyHex(), display_name: name },
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return { principal: r.json.principal as string, bearer: r.json.session_token as string };
    };
    await pause(1100);
    const operator = await redeem(opInvite, 'Olive Operator');
    await pause(1100);
    const agent = await redeem(agentInvite, 'Ada Agent');
    expect(operator.principal).toBe('olive-operator');
    expect(agent.principal).toBe('ada-agent');

    // The operator may issue invites but not delete principals.
    expect(
      (
        await http('/api/sys/invites', {
          method: 'POST',
          bearer: operator.bearer,
          body: { group: 'agent', max_uses: 1, expires_secs: 600 },
        })
      ).status,
    ).toBe(200);
    const refused = await http(`/api/sys/principals/${agent.principal}`, {
      method: 'DELETE',
      bearer: operator.bearer,
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('forbidden');

    // The agent sees only itself.
    const listed = await http('/api/sys/principals', { bearer: agent.bearer });
    expect(listed.status).toBe(200);
    expect((listed.json.principals as { principal: string }[]).map((p) => p.principal)).toEqual([
      agent.principal,
    ]);

    // The agent pairs a device, which gets a bearer for the same principal.
    const devicePair = await http('/api/auth/pair-device', {
      method: 'POST',
      bearer: agent.bearer,
      body: { expires_secs: 300, label: 'phone' },
    });
    expect(devicePair.status).toBe(200);
    await pause(1100);
    const device = await http('/api/auth/pair-device/redeem', {
      method: 'POST',
      body: { token: devicePair.json.token, public_key: publicKeyHex() },
    });
    expect(device.status).toBe(200);
    expect(device.json.principal).toBe(agent.principal);

    // No status until granted system:status.
    expect((await http('/api/sys/status', { bearer: agent.bearer })).status).toBe(403);
    expect(
      (
        await http(`/api/sys/principals/${agent.principal}/caps`, {
          method: 'POST',
          bearer: root,
          body: { capabilities: ['system:status'] },
        })
      ).status,
    ).toBe(200);
    const status = await http('/api/sys/status', { bearer: device.json.session_token as string });
    expect(status.status).toBe(200);
    expect(status.json.pid).toBe(d.child.pid);

    // Quotas set by the admin read back by the agent.
    expect(
      (
        await http(`/api/sys/principals/${agent.principal}/quotas`, {
          method: 'PUT',
          bearer: root,
          body: { quotas: { max_background_processes: 4, max_timeout_secs: 120 } },
        })
      ).status,
    ).toBe(200);
    const quotas = await http(`/api/sys/principals/${agent.principal}/quotas`, {
      bearer: agent.bearer,
    });
    expect(quotas.status).toBe(200);
    expect(quotas.json).toEqual(
      expect.objectContaining({ max_background_processes: 4, max_timeout_secs: 120 }),
    );

    // Refresh keeps the principal.
    const refreshed = await http('/api/auth/refresh', { method: 'POST', bearer: agent.bearer });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.principal).toBe(agent.principal);
    const me = await http('/api/auth/me', { bearer: refreshed.json.session_token as string });
    expect(me.json.principal).toBe(agent.principal);

    // The agent's own audit stream: its actions only.
    const agentFeed = collectEvents(agent.bearer, (ev) => ev.length >= 3, 3_000);

    // Deleting the operator kills its live bearer at once.
    expect((await http('/api/auth/me', { bearer: operator.bearer })).status).toBe(200);
    expect(
      (await http(`/api/sys/principals/${operator.principal}`, { method: 'DELETE', bearer: root }))
        .status,
    ).toBe(204);
    await pause(200);
    expect((await http('/api/auth/me', { bearer: operator.bearer })).status).toBe(401);

    const seenByAdmin = await adminFeed;
    expect(seenByAdmin[0]).toEqual({
      event: 'ready',
      data: { principal: 'default', firehose: true },
    });
    const methods = seenByAdmin.filter((e) => e.event === 'audit').map((e) => e.data.method);
    for (const step of [
      'admin.group.create',
      'admin.invite.issue',
      'admin.invite.redeem',
      'admin.auth.pair.issue',
      'admin.caps.grant',
      'admin.quota.set',
      'admin.agent.delete',
    ]) {
      expect(methods, `${step} in ${methods.join(' ')}`).toContain(step);
    }
    const seenByAgent = await agentFeed;
    expect(seenByAgent[0]).toEqual({
      event: 'ready',
      data: { principal: agent.principal, firehose: false },
    });
    for (const e of seenByAgent.filter((x) => x.event === 'audit'))
      expect(e.data.principal).toBe(agent.principal);
  }, 120_000);
});
