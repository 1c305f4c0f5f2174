// The example capsules (capsules/*), built with the SDK build, installed into
// a real daemon through the real `astrid capsule install`, and driven over the
// daemon socket the way a client does.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcMessage } from '../../src/events/ipc-message.js';
import { guestJsonValue } from '../../src/events/ipc-payload.js';
import { isJsonObject, type Json, type JsonObject } from '../../src/events/json.js';
import { SocketConnection } from '../../src/kernel/clients/socket-connection.js';
import type { SocketKernelClient } from '../../src/kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../src/kernel/socket/session-token.js';
import { buildCapsule } from '../../src/sdk-build/build-capsule.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { runAstrid } from '../helpers/run-cli.js';
import { fileTempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CAPSULES = join(ROOT, 'capsules');
const EXAMPLES = ['echo', 'counter', 'guard', 'ticker'] as const;

interface Received {
  readonly topic: string;
  readonly principal: string | null;
  readonly body: Json;
}

let daemon: DaemonProcess;
let admin: SocketKernelClient;
let client: SocketConnection;
const inbox: Received[] = [];
let nextCall = 0;

function received(m: IpcMessage): Received {
  return { topic: m.topic, principal: m.principal, body: guestJsonValue(m.payload) };
}

function obj(value: Json | undefined): JsonObject {
  if (value === undefined || !isJsonObject(value))
    throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
  return value;
}

/** Polls `probe` until it returns a value, failing after `ms`. */
async function until<T>(probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${ms} ms; last messages: ${JSON.stringify(inbox.slice(-5).map((r) => [r.topic, r.body]))}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The first message after `from` (an inbox index) that `match` accepts, waiting up to `ms`. */
function waitFor(
  match: (r: Received) => boolean,
  options: { from?: number; ms?: number } = {},
): Promise<Received> {
  return until(() => inbox.slice(options.from ?? 0).find(match), options.ms ?? 10_000);
}

function settle(ms = 300): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function publish(topic: string, payload: JsonObject, principal: string): void {
  client.send({ topic, payload, principal });
}

function publishJson(topic: string, value: JsonObject, principal: string): void {
  publish(topic, { type: 'raw_json', ...value }, principal);
}

/** Runs a counter tool as `principal`; resolves with the published result and its parsed content. */
async function runTool(
  principal: string,
  tool: string,
  args: JsonObject = {},
): Promise<{ callId: string; message: Received; result: JsonObject; content: Json }> {
  const callId = `call-${++nextCall}`;
  const from = inbox.length;
  publish(
    `tool.v1.execute.${tool}`,
    { type: 'tool_execute_request', call_id: callId, tool_name: tool, arguments: args },
    principal,
  );
  const message = await waitFor(
    (r) => r.topic === `tool.v1.execute.${tool}.result` && obj(r.body).call_id === callId,
    { from },
  );
  const result = obj(obj(message.body).result);
  const content = result.is_error === true ? null : (JSON.parse(String(result.content)) as Json);
  return { callId, message, result, content };
}

beforeAll(async () => {
  const outDir = await fileTempDir('astrid-examples-');
  // Built in parallel; each comes from its build cache after the first run.
  // Type-checked by the first test below rather than by every build here.
  const archives = await Promise.all(
    EXAMPLES.map(async (name) => {
      const built = await buildCapsule(join(CAPSULES, name), { outDir, skipTypecheck: true });
      if (built.archivePath === null) throw new Error(`${name} produced no archive`);
      return built.archivePath;
    }),
  );
  const home = await newHome('file');
  daemon = await startDaemon({ home });
  admin = await daemon.connect();
  for (const name of ['alice', 'bob', 'carol']) await admin.admin('AgentCreate', { name });
  for (const archive of archives) {
    const out = await runAstrid(['capsule', 'install', archive, '--yes', '--format', 'json'], {
      ASTRID_HOME: home,
    });
    if (out.code !== 0) throw new Error(`installing ${archive} failed: ${out.stderr}`);
    expect(JSON.parse(out.stdout)).toMatchObject({ via: 'daemon', loaded: true });
  }
  client = await SocketConnection.connect({
    path: daemon.socket,
    token: await readSessionToken(daemon.tokenPath),
    clientVersion: 'example-capsules-e2e',
  });
  client.onMessage((m) => {
    if (!m.topic.startsWith('astrid.')) inbox.push(received(m));
  });
  for (const pattern of [
    'echo.v1.out',
    'guard.v1.denied',
    'tool.v1.response.describe',
    'tool.v1.execute.*',
    'ticker.v1.*',
  ])
    expect(await client.subscribe(pattern)).toBe('all');
}, 240_000);

afterAll(async () => {
  await client?.close();
  await admin?.close();
  await daemon?.stop();
});

describe('the example capsule projects', () => {
  it('type-check against the SDK with their own tsconfig', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const name of EXAMPLES) {
      const out = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(CAPSULES, name)], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(`${name}: ${out.stdout}${out.stderr}`.trim()).toBe(`${name}:`);
      expect(out.status).toBe(0);
    }
  });
});

describe('the example capsules in a running daemon', () => {
  it('are installed through the CLI and loaded live, ticker as a run loop and guard at priority 10', async () => {
    const rows = (await admin.kernel('ListCapsules', { verbose: true })).data as {
      name: string;
      state: string;
      run_loop: boolean;
      interceptors: { topic: string; action: string; priority: number }[];
    }[];
    expect(rows.map((r) => [r.name, r.state, r.run_loop])).toEqual([
      ['counter', 'ready', false],
      ['echo', 'ready', false],
      ['guard', 'ready', false],
      ['ticker', 'ready', true],
    ]);
    const guard = rows.find((r) => r.name === 'guard');
    expect(guard?.interceptors.map((i) => [i.topic, i.priority]).sort()).toEqual([
      ['echo.v1.in', 10],
      ['user.v1.prompt', 10],
    ]);
    expect(rows.find((r) => r.name === 'echo')?.interceptors).toEqual([
      { topic: 'echo.v1.in', action: 'echo', priority: 100 },
    ]);
  });

  it('echo republishes each payload with the caller attribution it saw', async () => {
    publishJson('echo.v1.in', { text: 'hello from alice' }, 'alice');
    publishJson('echo.v1.in', { text: 'hello from bob' }, 'bob');
    const fromAlice = await waitFor(
      (r) => r.topic === 'echo.v1.out' && obj(obj(r.body).payload).text === 'hello from alice',
    );
    const fromBob = await waitFor(
      (r) => r.topic === 'echo.v1.out' && obj(obj(r.body).payload).text === 'hello from bob',
    );
    expect(obj(fromAlice.body).caller).toMatchObject({ principal: 'alice' });
    expect(obj(fromBob.body).caller).toMatchObject({ principal: 'bob' });
    // The echo is published on behalf of the caller, too.
    expect([fromAlice.principal, fromBob.principal]).toEqual(['alice', 'bob']);
    const caller = obj(obj(fromAlice.body).caller);
    expect(caller.source_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(String(caller.timestamp)))).toBe(false);
  });

  it('counter describes its three tools on tool.v1.request.describe', async () => {
    const from = inbox.length;
    publishJson('tool.v1.request.describe', {}, 'alice');
    const descriptor = obj(
      (await waitFor((r) => r.topic === 'tool.v1.response.describe', { from })).body,
    );
    expect(descriptor.capsule).toBe('counter');
    const tools = descriptor.tools as JsonObject[];
    expect(tools.map((t) => t.name)).toEqual(['counter_get', 'counter_increment', 'counter_reset']);
    for (const t of tools) {
      expect(typeof t.description).toBe('string');
      expect(obj(t.input_schema).type).toBe('object');
    }
    expect(obj(obj(obj(tools[1]?.input_schema).properties).by).type).toBe('integer');
  });

  it('counter runs a tool call round trip and keeps one count per principal', async () => {
    const first = await runTool('alice', 'counter_increment', { by: 2 });
    expect(first.result).toMatchObject({ is_error: false, call_id: first.callId });
    expect(obj(first.message.body)).toMatchObject({
      type: 'tool_execute_result',
      call_id: first.callId,
    });
    expect(first.message.principal).toBe('alice');
    expect(first.content).toEqual({ principal: 'alice', count: 2 });
    expect((await runTool('alice', 'counter_increment')).content).toEqual({
      principal: 'alice',
      count: 3,
    });
    expect((await runTool('bob', 'counter_get')).content).toEqual({ principal: 'bob', count: 0 });
    expect((await runTool('bob', 'counter_increment', { by: 5 })).content).toEqual({
      principal: 'bob',
      count: 5,
    });
    expect((await runTool('alice', 'counter_get')).content).toEqual({
      principal: 'alice',
      count: 3,
    });
    expect((await runTool('alice', 'counter_reset')).content).toEqual({
      principal: 'alice',
      count: 0,
      previous: 3,
    });
    expect((await runTool('alice', 'counter_get')).content).toEqual({
      principal: 'alice',
      count: 0,
    });
    expect((await runTool('bob', 'counter_get')).content).toEqual({ principal: 'bob', count: 5 });
  });

  it('counter answers a bad argument with an error result and leaves the count alone', async () => {
    const bad = await runTool('bob', 'counter_increment', { by: 'lots' });
    expect(bad.result.is_error).toBe(true);
    expect(String(bad.result.content)).toContain('"by" must be a whole number');
    expect((await runTool('bob', 'counter_get')).content).toEqual({ principal: 'bob', count: 5 });
  });

  it('guard denies an event with a blocked word before echo sees it, and lets clean ones through', async () => {
    const from = inbox.length;
    publishJson('echo.v1.in', { text: 'please RM -RF / now', marker: 'blocked-1' }, 'alice');
    const denied = await waitFor((r) => r.topic === 'guard.v1.denied', { from });
    expect(denied.body).toEqual({
      reason: 'blocked word "rm -rf"',
      word: 'rm -rf',
      principal: 'alice',
    });
    publishJson('echo.v1.in', { text: 'a harmless line', marker: 'clean-1' }, 'alice');
    await waitFor(
      (r) => r.topic === 'echo.v1.out' && obj(obj(r.body).payload).marker === 'clean-1',
      { from },
    );
    await settle();
    const echoed = inbox
      .slice(from)
      .filter((r) => r.topic === 'echo.v1.out')
      .map((r) => obj(obj(r.body).payload).marker);
    expect(echoed).toEqual(['clean-1']);
  });

  it('guard checks every string of the payload, keys included, and guards user.v1.prompt', async () => {
    const from = inbox.length;
    publishJson('echo.v1.in', { nested: [{ deep: ['x', 'Drop Table users'] }] }, 'bob');
    publishJson('echo.v1.in', { 'rm -rf': true }, 'bob');
    publish(
      'user.v1.prompt',
      { type: 'user_input', text: 'rm -rf ~', session_id: 'default' },
      'alice',
    );
    await until(
      () => inbox.slice(from).filter((r) => r.topic === 'guard.v1.denied').length >= 3 || undefined,
      10_000,
    );
    await settle();
    const denials = inbox
      .slice(from)
      .filter((r) => r.topic === 'guard.v1.denied')
      .map((r) => [obj(r.body).word, obj(r.body).principal])
      .sort();
    expect(denials).toEqual([
      ['drop table', 'bob'],
      ['rm -rf', 'alice'],
      ['rm -rf', 'bob'],
    ]);
    expect(inbox.slice(from).filter((r) => r.topic === 'echo.v1.out')).toEqual([]);
  });

  it('guard takes its blocked words from [env], per agent through astrid capsule config', async () => {
    const set = await runAstrid(
      ['capsule', 'config', 'guard', '--set', 'BLOCKED_WORDS=banana', '--agent', 'carol'],
      { ASTRID_HOME: daemon.home },
    );
    expect(set.code, set.stderr).toBe(0);
    const from = inbox.length;
    publishJson('echo.v1.in', { text: 'one Banana please', marker: 'carol-banana' }, 'carol');
    publishJson('echo.v1.in', { text: 'rm -rf is not on her list', marker: 'carol-rm' }, 'carol');
    publishJson('echo.v1.in', { text: 'a banana for alice', marker: 'alice-banana' }, 'alice');
    const markers = () =>
      inbox
        .slice(from)
        .filter((r) => r.topic === 'echo.v1.out')
        .map((r) => String(obj(obj(r.body).payload).marker))
        .sort();
    await until(() => (markers().length >= 2 ? true : undefined), 10_000);
    await waitFor((r) => r.topic === 'guard.v1.denied', { from });
    await settle();
    expect(markers()).toEqual(['alice-banana', 'carol-rm']);
    expect(
      inbox
        .slice(from)
        .filter((r) => r.topic === 'guard.v1.denied')
        .map((r) => r.body),
    ).toEqual([{ reason: 'blocked word "banana"', word: 'banana', principal: 'carol' }]);
  });

  it('ticker ticks, answers status, and is restarted by the daemon after it crashes', async () => {
    const from = inbox.length;
    const tick = (r: Received) => r.topic === 'ticker.v1.tick';
    const first = obj((await waitFor(tick, { from, ms: 5_000 })).body);
    const second = await waitFor((r) => tick(r) && Number(obj(r.body).n) === Number(first.n) + 1, {
      from,
      ms: 5_000,
    });
    expect(Number(obj(second.body).at)).toBeGreaterThan(Number(first.at));

    const asked = inbox.length;
    publishJson('ticker.v1.request', { op: 'status' }, 'alice');
    const status = obj(
      (await waitFor((r) => r.topic === 'ticker.v1.status', { from: asked })).body,
    );
    expect(status.interval_ms).toBe(1000);
    expect(Number(status.ticks)).toBeGreaterThanOrEqual(Number(obj(second.body).n));

    const crashed = inbox.length;
    publishJson('ticker.v1.request', { op: 'crash' }, 'alice');
    // The health monitor notices on its next check (every 10 s) and restarts
    // the capsule after the backoff; the new run loop counts from 1 again.
    const restarted = await waitFor((r) => tick(r) && obj(r.body).n === 1, {
      from: crashed,
      ms: 45_000,
    });
    expect(restarted.topic).toBe('ticker.v1.tick');

    const daemonLog = await runAstrid(['logs', '-n', '1000'], { ASTRID_HOME: daemon.home });
    expect(daemonLog.code).toBe(0);
    expect(daemonLog.stdout).toMatch(/capsule failed capsule=ticker reason="the run loop trapped/);
    expect(daemonLog.stdout).toMatch(
      /restarting capsule component=capsules capsule=ticker attempt=1/,
    );
    const capsuleLog = await runAstrid(['logs', 'ticker', '-n', '1000'], {
      ASTRID_HOME: daemon.home,
    });
    expect(capsuleLog.code).toBe(0);
    expect(capsuleLog.stdout.match(/ticking every 1000 ms/g)).toHaveLength(2);
    // The loop logged why it crashed while handling alice's request, so the
    // line went to alice's capsule log and, being an error, to the daemon log.
    expect(daemonLog.stdout).toMatch(
      /ERROR +crash requested by verified principal alice after \d+ ticks capsule=ticker plugin=ticker principal=alice/,
    );

    const ps = await runAstrid(['ps', '--format', 'json'], { ASTRID_HOME: daemon.home });
    expect(ps.code).toBe(0);
    expect(
      (JSON.parse(ps.stdout) as JsonObject[]).find((r) => r.capsule === 'ticker'),
    ).toMatchObject({ state: 'ready', run_loop: true });
    const again = inbox.length;
    publishJson('ticker.v1.request', { op: 'status' }, 'alice');
    const after = obj((await waitFor((r) => r.topic === 'ticker.v1.status', { from: again })).body);
    expect(Number(after.started_at)).toBeGreaterThan(Number(status.started_at));
  }, 60_000);
});
