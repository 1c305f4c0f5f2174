import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../src/events/wire/frame-codec.js';
import { SocketConnection } from '../../src/kernel/clients/socket-connection.js';
import { SocketKernelClient } from '../../src/kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../src/kernel/socket/session-token.js';
import { isAnswerTopic } from '../../src/kernel/socket/socket-server.js';
import { verifyAuditChain } from '../../src/storage/audit/audit-log.js';
import { StateDatabase } from '../../src/storage/db/state-database.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon-process.js';

const running: DaemonProcess[] = [];
async function daemon(options: Parameters<typeof startDaemon>[0] = {}) {
  const d = await startDaemon(options);
  running.push(d);
  return d;
}
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop('SIGKILL');
});

async function verifyHome(home: string) {
  const db = StateDatabase.open(join(home, 'var', 'astrid.db'), { readonly: true });
  try {
    return await verifyAuditChain(db);
  } finally {
    db.close();
  }
}

/** Sends one raw handshake frame and returns the daemon's answer. */
function rawHandshake(socket: string, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = createConnection(socket, () => s.write(encodeFrame(frame)));
    const dec = new FrameDecoder(4096);
    s.on('error', reject);
    s.on('data', (c) => {
      dec.push(c);
      const f = dec.next();
      if (f !== null) {
        s.destroy();
        resolve(JSON.parse(f.toString()) as Record<string, unknown>);
      }
    });
  });
}

describe('astrid-daemon', () => {
  it('serves the admin API over its socket with the session token, audits it, and cleans up on SIGTERM', async () => {
    const d = await daemon();
    const run = join(d.home, 'run');
    expect(statSync(d.socket).mode & 0o777).toBe(0o600);
    expect(statSync(d.tokenPath).mode & 0o777).toBe(0o600);
    expect(statSync(run).mode & 0o777).toBe(0o700);
    const client = await d.connect();
    const status = await client.kernel('GetStatus');
    expect(status).toMatchObject({
      status: 'Status',
      data: { version: '0.8.0', connected_clients: 1, loaded_capsules: [] },
    });
    await client.admin('AgentCreate', { name: 'alice' });
    const agents = await client.admin('AgentList');
    expect((agents.data as { principal: string }[]).map((a) => a.principal)).toEqual([
      'alice',
      'default',
    ]);
    const alice = await d.connect('alice');
    await expect(alice.admin('AgentCreate', { name: 'mallory' })).rejects.toThrow(
      'permission denied for principal alice: missing capability agent:create',
    );
    await alice.close();
    await client.close();
    const verified = await verifyHome(d.home);
    expect(verified).toMatchObject({ valid: true });
    expect(verified.entriesVerified).toBeGreaterThanOrEqual(4);
    expect(await d.stop('SIGTERM')).toBe(0);
    for (const f of ['system.sock', 'system.token', 'system.ready'])
      expect(existsSync(join(run, f))).toBe(false);
    expect(existsSync(join(run, 'system.lock'))).toBe(true);
  });

  it('refuses a wrong token and a protocol mismatch, and says which', async () => {
    const d = await daemon();
    await expect(
      SocketKernelClient.connect({ path: d.socket, token: 'ab'.repeat(32), clientVersion: 't' }),
    ).rejects.toThrow('the daemon refused the connection: authentication failed');
    await expect(
      SocketKernelClient.connect({ path: d.socket, token: 'nonsense', clientVersion: 't' }),
    ).rejects.toThrow(/authentication failed/);
    const answer = await rawHandshake(d.socket, {
      token: 'x',
      protocol_version: 2,
      client_version: 't',
    });
    expect(answer).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/Protocol version mismatch \(client=2, server=1\)/),
    });
  });

  it('a socket client receives only the answers to its own requests and cannot publish kernel topics', async () => {
    const d = await daemon();
    const token = await readSessionToken(d.tokenPath);
    const spy = await SocketConnection.connect({ path: d.socket, token, clientVersion: 't' });
    const seen: string[] = [];
    // Even a subscription to everything under astrid.v1 sees no other client's answers.
    expect(await spy.subscribe('astrid.v1.*')).toBe('all');
    spy.onMessage((m) => {
      if (!m.topic.startsWith('astrid.v1.audit.')) seen.push(m.topic);
    });
    const client = await d.connect();
    expect((await client.admin('InviteIssue', { group: 'agent', max_uses: 1 })).status).toBe(
      'Invite',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.filter(isAnswerTopic)).toEqual([]);
    spy.send({
      topic: 'astrid.v1.admin.response.invite.issue',
      payload: { type: 'raw_json', value: { request_id: 'x' } },
    });
    spy.send({
      topic: 'astrid.v1.admin.agent.list',
      payload: { type: 'raw_json', value: { method: 'AgentList' } },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter(isAnswerTopic)).toEqual([]);
    expect(seen.filter((t) => t === 'astrid.v1.socket.error')).toHaveLength(2);
    await spy.close();
    await client.close();
  });

  it('a second daemon on the same home exits at once with a clear message', async () => {
    const d = await daemon();
    const second = await startDaemon({ home: d.home, waitReady: false });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(
      'Another kernel instance is already running (singleton lock held)',
    );
    const c = await d.connect();
    expect(c.serverVersion).toBe('0.8.0');
    await c.close();
  });

  it('after kill -9 the stale socket is cleaned up on the next start, and state survives', async () => {
    const d = await daemon();
    const client = await d.connect();
    await client.admin('AgentCreate', { name: 'bob' });
    await client.close();
    await d.stop('SIGKILL');
    expect(existsSync(d.socket)).toBe(true);
    const again = await daemon({ home: d.home });
    const c2 = await again.connect();
    expect((await c2.admin('AgentList')).data).toEqual(
      expect.arrayContaining([expect.objectContaining({ principal: 'bob' })]),
    );
    await c2.close();
    expect((await verifyHome(d.home)).valid).toBe(true);
  });

  it('every acknowledged write survives kill -9 mid-stream, and the audit chain still verifies', async () => {
    const d = await daemon();
    const client = await d.connect();
    const acked: string[] = [];
    let killed = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        const name = `w${w}-${i}`;
        try {
          await client.admin('AgentCreate', { name });
          acked.push(name);
        } catch {
          return;
        }
        if (acked.length >= 150 && !killed) {
          killed = true;
          d.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(writers);
    await d.exited;
    expect(acked.length).toBeGreaterThanOrEqual(150);
    const again = await daemon({ home: d.home });
    const c2 = await again.connect();
    const names = new Set(
      ((await c2.admin('AgentList')).data as { principal: string }[]).map((a) => a.principal),
    );
    for (const name of acked) expect(names.has(name)).toBe(true);
    await c2.close();
    const verified = await verifyHome(d.home);
    expect(verified.valid).toBe(true);
    expect(verified.entriesVerified).toBeGreaterThanOrEqual(acked.length);
  });

  it('Shutdown over the API answers, then the daemon exits 0 and removes its files', async () => {
    const d = await daemon();
    const client = await d.connect();
    expect(await client.kernel('Shutdown', { reason: 'test' })).toEqual({
      status: 'Success',
      data: { status: 'shutting_down' },
    });
    expect(await d.exited).toBe(0);
    expect(existsSync(d.socket)).toBe(false);
    expect(existsSync(d.tokenPath)).toBe(false);
  });

  it('an ephemeral daemon with no clients shuts itself down after the idle timeout', async () => {
    const d = await daemon({ args: ['--ephemeral'], env: { ASTRID_IDLE_TIMEOUT_SECS: '1' } });
    expect(await d.exited).toBe(0);
    expect(existsSync(d.socket)).toBe(false);
  }, 20_000);

  it('rejects zero sizing flags and bad config, and documents every flag', async () => {
    const zero = await startDaemon({ args: ['--instance-pool-size', '0'], waitReady: false });
    expect(await zero.exited).toBe(2);
    expect(zero.stderr()).toContain('--instance-pool-size must be >= 1');
    const help = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin/astrid-daemon.ts', '--help'],
      { encoding: 'utf8' },
    );
    expect(help.status).toBe(0);
    for (const flag of [
      '--session',
      '--workspace',
      '--ephemeral',
      '--verbose',
      '--host-io-concurrency',
      '--host-blocking-concurrency',
      '--instance-pool-size',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const env = await startDaemon({
      waitReady: false,
      env: { ASTRID_CAPSULE_INSTANCE_POOL_SIZE: '0' },
    });
    expect(await env.exited).toBe(1);
    expect(env.stderr()).toContain(
      'environment variable ASTRID_CAPSULE_INSTANCE_POOL_SIZE: capsule.instance_pool_size must be a whole number ≥ 1 (got 0)',
    );
  });
});
