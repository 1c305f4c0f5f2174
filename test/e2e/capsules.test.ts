import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestJsonValue } from '../../src/events/ipc-payload.js';
import type { SocketConnection } from '../../src/kernel/clients/socket-connection.js';
import { SocketConnection as Connection } from '../../src/kernel/clients/socket-connection.js';
import type { SocketKernelClient } from '../../src/kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../src/kernel/socket/session-token.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { chainCapsuleSource, installChainCapsules } from '../helpers/chain-capsules.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';

interface Seen {
  tag: string;
  kind: string;
  body: { msg?: string; trail?: string[] };
  principal: string | null;
  greeting: string | null;
}

let daemon: DaemonProcess;
let admin: SocketKernelClient;
let watcher: SocketConnection;
const seen: Seen[] = [];

async function waitFor<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Publishes an event as `principal` and returns the reports that mention its msg, after they settle. */
async function send(
  topic: string,
  principal: string,
  msg: string,
  expected: number,
): Promise<Seen[]> {
  watcher.send({ topic, payload: { type: 'raw_json', value: { msg } }, principal });
  await waitFor(() =>
    seen.filter((s) => s.body.msg === msg).length >= expected ? true : undefined,
  );
  await new Promise((r) => setTimeout(r, 300));
  return seen.filter((s) => s.body.msg === msg);
}

beforeAll(async () => {
  const homePath = await newHome('file');
  const home = new AstridHome(homePath);
  await home.ensure();
  await installChainCapsules(home, [
    {
      name: 'cap-a',
      env: { TAG: 'a' },
      handlers: {
        'chain.in': ['tag', 10],
        'chain.final': ['tag', 10],
        'chain.deny': ['tag', 10],
        'chain.trap': ['tag', 10],
      },
    },
    {
      name: 'cap-b',
      env: { TAG: 'b' },
      handlers: {
        'chain.in': ['tag', 50],
        'chain.final': ['final', 50],
        'chain.deny': ['deny', 50],
        'chain.trap': ['trap', 50],
      },
    },
    {
      name: 'cap-c',
      env: { TAG: 'c' },
      handlers: {
        'chain.in': ['tag', 100],
        'chain.final': ['tag', 100],
        'chain.deny': ['tag', 100],
        'chain.trap': ['tag', 100],
      },
    },
    {
      name: 'aaa-consumer',
      env: { TAG: 'consumer' },
      handlers: { 'greet.hello': ['report', 100] },
      extraToml: '[imports.test]\ngreet = "^1.0"\n',
    },
    {
      name: 'zzz-provider',
      env: { TAG: 'provider', RELAY_TO: 'greet.hello' },
      handlers: { 'greet.in': ['relay', 100] },
      extraToml: '[exports.test]\ngreet = "1.0.0"\n',
    },
    {
      name: 'cap-env',
      env: { TAG: 'env', GREETING: 'hello' },
      handlers: { 'env.in': ['report', 100] },
    },
  ]);
  daemon = await startDaemon({ home: homePath });
  admin = await daemon.connect();
  for (const name of ['alice', 'bob', 'carol']) await admin.admin('AgentCreate', { name });
  await admin.admin('AgentDisable', { principal: 'carol' });
  const bobEnv = join(homePath, 'home', 'bob', '.config', 'env');
  mkdirSync(bobEnv, { recursive: true });
  writeFileSync(join(bobEnv, 'cap-env.env.json'), JSON.stringify({ GREETING: 'hej' }));
  watcher = await Connection.connect({
    path: daemon.socket,
    token: await readSessionToken(daemon.tokenPath),
    clientVersion: 't',
  });
  watcher.onMessage((m) => {
    if (m.topic === 'chain.seen') seen.push(guestJsonValue(m.payload) as unknown as Seen);
  });
  expect(await watcher.subscribe('chain.seen')).toBe('all');
}, 120_000);

afterAll(async () => {
  await watcher?.close();
  await admin?.close();
  await daemon?.stop();
});

describe('capsules in the daemon', () => {
  it('boots providers before their consumers and lists what runs', async () => {
    const ids = (await admin.kernel('ListCapsules')).data as string[];
    expect(ids.indexOf('zzz-provider')).toBeLessThan(ids.indexOf('aaa-consumer'));
    expect([...ids].sort()).toEqual([
      'aaa-consumer',
      'cap-a',
      'cap-b',
      'cap-c',
      'cap-env',
      'zzz-provider',
    ]);
    const status = await admin.kernel('GetStatus');
    expect((status.data as { loaded_capsules: string[] }).loaded_capsules).toHaveLength(6);
    const meta = (await admin.kernel('GetCapsuleMetadata')).data as {
      name: string;
      interceptor_events: string[];
    }[];
    expect(meta.find((m) => m.name === 'cap-b')?.interceptor_events.sort()).toEqual([
      'chain.deny',
      'chain.final',
      'chain.in',
      'chain.trap',
    ]);
  });

  it('an event handled by capsule A reaches capsule B’s interceptor with the publisher’s principal', async () => {
    const reports = await send('greet.in', 'alice', 'hi-b', 2);
    expect(reports.map((r) => [r.tag, r.kind, r.principal])).toEqual([
      ['provider', 'relay', 'alice'],
      ['consumer', 'report', 'alice'],
    ]);
  });

  it('a three-capsule chain runs in priority order, each link seeing the previous payload', async () => {
    const reports = await send('chain.in', 'alice', 'in-1', 3);
    expect(reports.map((r) => [r.tag, r.body.trail])).toEqual([
      ['a', ['a']],
      ['b', ['a', 'b']],
      ['c', ['a', 'b', 'c']],
    ]);
  });

  it('Final and Deny stop the chain', async () => {
    expect((await send('chain.final', 'alice', 'fin-1', 2)).map((r) => [r.tag, r.kind])).toEqual([
      ['a', 'tag'],
      ['b', 'final'],
    ]);
    expect((await send('chain.deny', 'alice', 'deny-1', 2)).map((r) => [r.tag, r.kind])).toEqual([
      ['a', 'tag'],
      ['b', 'deny'],
    ]);
  });

  it('a trapping capsule is skipped and the chain completes', async () => {
    const reports = await send('chain.trap', 'alice', 'trap-1', 2);
    expect(reports.map((r) => [r.tag, r.body.trail])).toEqual([
      ['a', ['a']],
      ['c', ['a', 'c']],
    ]);
  });

  it('a disabled principal is refused by every interceptor', async () => {
    watcher.send({
      topic: 'chain.in',
      payload: { type: 'raw_json', value: { msg: 'from-carol' } },
      principal: 'carol',
    });
    await send('chain.in', 'alice', 'after-carol', 3);
    expect(seen.filter((s) => s.body.msg === 'from-carol')).toEqual([]);
  });

  it('the env overlay is seen only by its principal', async () => {
    const bobs = await send('env.in', 'bob', 'env-bob', 1);
    expect(bobs.map((r) => r.greeting)).toEqual(['hej']);
    expect((await send('env.in', 'alice', 'env-alice', 1)).map((r) => r.greeting)).toEqual([
      'hello',
    ]);
    expect((await send('env.in', 'default', 'env-default', 1)).map((r) => r.greeting)).toEqual([
      'hello',
    ]);
  });

  it('installing a new version over the API upgrades the running capsule without a restart', async () => {
    const before = (await admin.kernel('GetStatus')).data as { pid: number };
    const src = await chainCapsuleSource({
      name: 'cap-a',
      version: '1.1.0',
      env: { TAG: 'a2' },
      handlers: {
        'chain.in': ['tag', 10],
        'chain.final': ['tag', 10],
        'chain.deny': ['tag', 10],
        'chain.trap': ['tag', 10],
      },
    });
    const out = await admin.kernel('InstallCapsule', { source: src });
    expect(out.data).toMatchObject({
      phase: 'upgrade',
      installed_version: '1.1.0',
      previous_version: '1.0.0',
    });
    const rows = (await admin.kernel('ListCapsules', { verbose: true })).data as {
      name: string;
      version: string;
      state: string;
    }[];
    expect(rows.find((r) => r.name === 'cap-a')).toMatchObject({
      version: '1.1.0',
      state: 'ready',
    });
    const reports = await send('chain.in', 'alice', 'in-2', 3);
    expect(reports.map((r) => r.tag)).toEqual(['a2', 'b', 'c']);
    expect(((await admin.kernel('GetStatus')).data as { pid: number }).pid).toBe(before.pid);
  });
});
