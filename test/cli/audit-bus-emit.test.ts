import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMessage } from '../../src/events/ipc-message.js';
import { guestJsonValue } from '../../src/events/ipc-payload.js';
import { SocketConnection } from '../../src/kernel/clients/socket-connection.js';
import { readSessionToken } from '../../src/kernel/socket/session-token.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { type CliResult, runAstrid } from '../helpers/run-cli.js';

// Every CLI run is a fresh Node process (~1 s, more on a loaded machine).
vi.setConfig({ testTimeout: 60_000 });

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/bin/astrid.ts', import.meta.url));
const CONTINUE = '{"continue":true}\n';

let home: string;
let d: DaemonProcess;
const env = () => ({ ASTRID_HOME: home });
const astrid = (args: string[], stdin?: string) => runAstrid(args, env(), stdin);

interface View {
  ts_epoch: number;
  method: string;
  principal: string | null;
  target_principal: string | null;
  outcome: string;
}
interface Page {
  entries: View[];
  next_cursor: string | null;
}

function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ASTRID_HOME: home };
  for (const name of ['ASTRID_PRINCIPAL_ID', 'ASTRID_SESSION_ID', 'ASTRID_HOOK_TOKEN'])
    delete base[name];
  return { ...base, ...extra };
}

/** Runs `astrid-emit` from the sources, the way a hook runner would. */
function emit(args: string[], extra: NodeJS.ProcessEnv, stdin: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin/astrid-emit.ts', ...args],
      { cwd: ROOT, env: childEnv(extra), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Starts `astrid bus tail …` and resolves once it is subscribed; `done` settles when it exits. */
function startTail(args: string[]): Promise<{ done: Promise<CliResult> }> {
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'bus', 'tail', ...args], {
      cwd: ROOT,
      env: childEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let subscribed = false;
    const done = new Promise<CliResult>((resolve) => {
      child.on('close', (code) => {
        if (!subscribed) fail(new Error(`tail exited before subscribing: ${stderr}`));
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
      if (!subscribed && stderr.includes('i tailing ')) {
        subscribed = true;
        ready({ done });
      }
    });
  });
}

async function setActiveAgent(principal: string | null): Promise<void> {
  const path = join(home, 'run', 'cli-context.toml');
  if (principal === null) await rm(path, { force: true });
  else await writeFile(path, `active_agent = "${principal}"\n`);
}

function json<T>(r: CliResult): T {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  home = await newHome('file');
  d = await startDaemon({ home });
  const admin = await d.connect();
  await admin.admin('AgentCreate', { name: 'alice', groups: ['agent'] });
  await admin.admin('AgentCreate', { name: 'mute', groups: ['restricted'] });
  await admin.admin('CapsGrant', { principal: 'alice', capabilities: ['self:capsule:list'] });
  await admin.close();
  const alice = await d.connect('alice');
  await alice.admin('AgentList');
  await alice.close();
  const mute = await d.connect('mute');
  await expect(mute.kernel('GetStatus')).rejects.toMatchObject({ code: 'capability-denied' });
  await mute.close();
}, 60_000);

afterAll(async () => {
  await d?.stop();
});

describe('astrid audit', () => {
  it('lists admin actions newest first, as a table and as JSON', async () => {
    const [all, table] = await Promise.all([
      astrid(['audit', 'list', '--format', 'json']),
      astrid(['audit', 'list', '--method', 'admin.caps.grant']),
    ]);
    const page = json<Page>(all);
    expect(page.next_cursor).toBeNull();
    const rows = page.entries.map((e) => [e.principal, e.method, e.outcome, e.target_principal]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['default', 'admin.agent.create', 'success', null],
        ['default', 'admin.caps.grant', 'success', 'alice'],
        ['alice', 'admin.agent.list', 'success', null],
        ['mute', 'GetStatus', 'failure', null],
      ]),
    );
    const order = page.entries.map((e) => e.method);
    expect(order.indexOf('GetStatus')).toBeLessThan(order.indexOf('admin.agent.list'));
    expect(order.indexOf('admin.agent.list')).toBeLessThan(order.indexOf('admin.caps.grant'));

    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +PRINCIPAL +METHOD +OUTCOME +TARGET$/);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +default +admin\.caps\.grant +success +alice$/,
    );
  });

  it('filters by method, principal and time, and pages with --cursor and --all', async () => {
    const [first, byPrincipal, recent, old, pretty, everything] = await Promise.all([
      astrid([
        'audit',
        'list',
        '--method',
        'admin.agent.create',
        '--limit',
        '1',
        '--format',
        'json',
      ]),
      astrid(['audit', 'list', '--principal', 'alice', '--format', 'json']),
      astrid(['audit', 'list', '--since', '1h', '--method', 'GetStatus', '--format', 'json']),
      astrid(['audit', 'list', '--until', '2000-01-01T00:00:00Z']),
      astrid(['audit', 'list', '--method', 'admin.agent.create', '--limit', '1']),
      astrid([
        'audit',
        'list',
        '--method',
        'admin.agent.create',
        '--limit',
        '1',
        '--all',
        '--format',
        'json',
      ]),
    ]);
    const p1 = json<Page>(first);
    expect(p1.entries).toHaveLength(1);
    expect(p1.next_cursor).toEqual(expect.any(String));
    const p2 = json<Page>(
      await astrid([
        'audit',
        'list',
        '--method',
        'admin.agent.create',
        '--limit',
        '1',
        '--cursor',
        p1.next_cursor as string,
        '--format',
        'json',
      ]),
    );
    expect(p2.entries).toHaveLength(1);
    expect(p2.next_cursor).toBeNull();
    expect(p1.entries[0]?.ts_epoch).toBeGreaterThanOrEqual(p2.entries[0]?.ts_epoch ?? 0);
    const all = json<Page>(everything);
    expect(all.entries).toEqual([...p1.entries, ...p2.entries]);
    expect(all.next_cursor).toBeNull();

    const alice = json<Page>(byPrincipal);
    expect(alice.entries.length).toBeGreaterThan(0);
    expect(new Set(alice.entries.map((e) => e.principal))).toEqual(new Set(['alice']));
    expect(json<Page>(recent).entries.map((e) => e.principal)).toEqual(['mute']);

    expect(old).toMatchObject({ code: 0, stdout: 'i no audit entries match\n', stderr: '' });
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toMatch(
      new RegExp(
        `\\ni more: astrid audit list --cursor ${p1.next_cursor} --method admin\\.agent\\.create --limit 1\\n$`,
      ),
    );
  });

  it('refuses a bad time or limit as a usage error', async () => {
    const [time, limit] = await Promise.all([
      astrid(['audit', 'list', '--since', 'yesterday']),
      astrid(['audit', 'list', '--limit', '5000']),
    ]);
    expect(time.code).toBe(2);
    expect(time.stderr).toContain('✗ error: --since "yesterday" is not a time: use RFC 3339');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit must be a whole number from 1 to 1000');
  });

  it('shows a restricted agent only its own rows and refuses what it lacks', async () => {
    await setActiveAgent('alice');
    try {
      const [own, verify] = await Promise.all([
        astrid(['audit', 'list', '--principal', 'default', '--format', 'json']),
        astrid(['audit', 'verify']),
      ]);
      expect(own.code).toBe(0);
      expect(own.stderr).toBe(
        "! alice lacks audit:read_all: showing only alice's entries, not default's\n",
      );
      const page = JSON.parse(own.stdout) as Page;
      expect(page.entries.length).toBeGreaterThan(0);
      expect(new Set(page.entries.map((e) => e.principal))).toEqual(new Set(['alice']));
      expect(verify.code).toBe(1);
      expect(verify.stderr).toContain(
        '✗ error: kernel rejected request: permission denied for principal alice: missing capability audit:verify',
      );
      await setActiveAgent('mute');
      const denied = await astrid(['audit', 'list']);
      expect(denied.code).toBe(1);
      expect(denied.stdout).toBe('');
      expect(denied.stderr).toContain(
        '✗ error: kernel rejected request: permission denied for principal mute: missing capability self:audit:read',
      );
    } finally {
      await setActiveAgent(null);
    }
  });

  it('verifies an intact chain', async () => {
    const [pretty, asJson] = await Promise.all([
      astrid(['audit', 'verify']),
      astrid(['audit', 'verify', '--format', 'json']),
    ]);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toMatch(/^✓ audit chain verified \(\d+ entries\)\n$/);
    expect(pretty.stderr).toBe('');
    const v = json<{ valid: boolean; entries: number; issues: unknown[] }>(asJson);
    expect(v.valid).toBe(true);
    expect(v.entries).toBeGreaterThan(5);
    expect(v.issues).toEqual([]);
  });
});

describe('astrid bus', () => {
  it('tail receives what publish sends, in pretty and JSON lines', async () => {
    const [pretty, lines] = await Promise.all([
      startTail(['test.*', '-n', '1', '--timeout', '10']),
      startTail(['test.*', '-n', '1', '--timeout', '10', '--format', 'json']),
    ]);
    const sent = await astrid(['bus', 'publish', 'test.hello', '{"a":1}']);
    expect(sent).toMatchObject({
      code: 0,
      stdout: '✓ published on test.hello as default\n',
      stderr: '',
    });
    const p = await pretty.done;
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z test\.hello default \{"a":1\}\n$/);
    const j = await lines.done;
    expect(j.code).toBe(0);
    expect(j.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(j.stdout)).toMatchObject({
      topic: 'test.hello',
      principal: 'default',
      payload: { a: 1 },
    });
  });

  it('publishes from stdin with --format json, as the active agent', async () => {
    await setActiveAgent('alice');
    try {
      const tail = await startTail(['test.*', '-n', '1', '--timeout', '10', '--format', 'json']);
      const sent = await astrid(
        ['bus', 'publish', 'test.stdin', '-', '--format', 'json'],
        '[1, {"type": "x"}]',
      );
      expect(json(sent)).toEqual({
        ok: true,
        topic: 'test.stdin',
        principal: 'alice',
        payload: [1, { type: 'x' }],
      });
      const got = await tail.done;
      expect(JSON.parse(got.stdout)).toMatchObject({
        topic: 'test.stdin',
        principal: 'alice',
        payload: [1, { type: 'x' }],
      });
    } finally {
      await setActiveAgent(null);
    }
  });

  it('reports bad JSON, a bad topic and a topic the kernel owns', async () => {
    const [badJson, badTopic, reserved, reservedJson] = await Promise.all([
      astrid(['bus', 'publish', 'test.hello', '{a:1}']),
      astrid(['bus', 'publish', 'Test.Hello', '{}']),
      astrid(['bus', 'publish', 'astrid.v1.response.status', '{"status":"Success"}']),
      astrid(['bus', 'publish', 'astrid.v1.audit.entry', '{}', '--format', 'json']),
    ]);
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/^✗ error: the payload \(argument\) is not valid JSON: .+/);
    expect(badTopic.code).toBe(1);
    expect(badTopic.stderr).toContain('✗ error: topic "Test.Hello" has invalid segment "Test"');
    expect(reserved.code).toBe(1);
    expect(reserved.stdout).toBe('');
    expect(reserved.stderr).toBe(
      '✗ error: kernel rejected publish on astrid.v1.response.status: topic astrid.v1.response.status is reserved for the kernel\n',
    );
    expect(reservedJson.code).toBe(1);
    expect(JSON.parse(reservedJson.stdout)).toMatchObject({
      ok: false,
      error: {
        code: 'capability-denied',
        message: expect.stringContaining('reserved for the kernel'),
      },
    });
  });

  it('tail refuses a bad pattern and fails when the wanted messages do not come in time', async () => {
    const [badPattern, quiet] = await Promise.all([
      astrid(['bus', 'tail', 'a.*.b']),
      astrid(['bus', 'tail', 'nobody.*', '-n', '1', '--timeout', '0.5']),
    ]);
    expect(badPattern.code).toBe(1);
    expect(badPattern.stderr).toContain("'*' may only be the last segment");
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toContain('✗ error: timed out after 0.5 s with 0 of 1 message');
  });
});

describe('astrid-emit', () => {
  it('publishes the hook envelope as the hook principal and prints {"continue":true}', async () => {
    const watcher = await SocketConnection.connect({
      path: d.socket,
      token: await readSessionToken(d.tokenPath),
      clientVersion: 't',
    });
    try {
      const seen: IpcMessage[] = [];
      watcher.onMessage((m) => {
        if (m.topic.startsWith('hooks.')) seen.push(m);
      });
      expect(await watcher.subscribe('hooks.*')).toBe('all');
      const r = await emit(
        ['--topic', 'hooks.claude.pre_tool_use'],
        { ASTRID_PRINCIPAL_ID: 'alice', ASTRID_SESSION_ID: 'sess-1', ASTRID_HOOK_TOKEN: 'tok-1' },
        '{"tool":"Bash"}\n',
      );
      expect(r).toEqual({ code: 0, stdout: CONTINUE, stderr: '' });
      const deadline = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 20));
      expect(seen).toHaveLength(1);
      const m = seen[0] as IpcMessage;
      expect(m.topic).toBe('hooks.claude.pre_tool_use');
      expect(m.principal).toBe('alice');
      expect(m.sourceId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(guestJsonValue(m.payload)).toEqual({
        hook: 'pre_tool_use',
        payload: '{"tool":"Bash"}\n',
        correlation_id: null,
        principal_id: 'alice',
        session_id: 'sess-1',
        token: 'tok-1',
      });
    } finally {
      await watcher.close();
    }
  });

  it('fails with exit 1, {"continue":true} and a reason on stderr', async () => {
    const full = { ASTRID_PRINCIPAL_ID: 'alice', ASTRID_SESSION_ID: 's', ASTRID_HOOK_TOKEN: 't' };
    const [noSession, noArgs, reserved, help, path] = await Promise.all([
      emit(['hooks.stop'], { ASTRID_PRINCIPAL_ID: 'alice', ASTRID_HOOK_TOKEN: 't' }, ''),
      emit([], full, ''),
      emit(['astrid.v1.audit.entry'], full, 'x'),
      emit(['--help'], {}, ''),
      astrid(['--emit-path']),
    ]);
    expect(noSession.code).toBe(1);
    expect(noSession.stdout).toBe(CONTINUE);
    expect(noSession.stderr).toContain('ASTRID_SESSION_ID');
    expect(noSession.stderr).not.toContain('ASTRID_PRINCIPAL_ID');
    expect(noArgs).toMatchObject({ code: 1, stdout: CONTINUE });
    expect(noArgs.stderr).toContain('astrid-emit: no topic given');
    expect(reserved).toMatchObject({ code: 1, stdout: CONTINUE });
    expect(reserved.stderr).toBe(
      'astrid-emit: failed to publish on astrid.v1.audit.entry: kernel rejected publish on astrid.v1.audit.entry: topic astrid.v1.audit.entry is reserved for the kernel\n',
    );
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: astrid-emit <TOPIC>');
    expect(help.stdout).not.toContain(CONTINUE);
    expect(path.code).toBe(0);
    expect(path.stdout.trim()).toMatch(/astrid-emit\.(ts|js)$/);
  });
});

describe('with the daemon down, and after tampering', () => {
  it('every verb fails cleanly; a tampered row fails verification after restart', async () => {
    await d.stop();
    const [list, publish, tail, emitted] = await Promise.all([
      astrid(['audit', 'list']),
      astrid(['bus', 'publish', 'test.x', '{}']),
      astrid(['bus', 'tail', 'test.*']),
      emit(
        ['hooks.stop'],
        { ASTRID_PRINCIPAL_ID: 'alice', ASTRID_SESSION_ID: 's', ASTRID_HOOK_TOKEN: 't' },
        '{}',
      ),
    ]);
    for (const r of [list, publish, tail]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        '✗ error: Failed to connect to Astrid daemon. Run `astrid start` to launch it.',
      );
    }
    expect(emitted.code).toBe(1);
    expect(emitted.stdout).toBe(CONTINUE);
    expect(emitted.stderr).toMatch(
      /^astrid-emit: failed to publish on hooks\.stop: Failed to connect to Astrid daemon/,
    );

    const db = new Database(join(home, 'var', 'astrid.db'));
    const row = db
      .prepare(`SELECT seq, id, entry FROM audit_entries WHERE method = 'admin.caps.grant' LIMIT 1`)
      .get() as { seq: number; id: string; entry: string };
    db.prepare('UPDATE audit_entries SET entry = ? WHERE seq = ?').run(
      row.entry.replace('"self:capsule:list"', '"*"'),
      row.seq,
    );
    db.close();
    d = await startDaemon({ home });

    const [pretty, asJson] = await Promise.all([
      astrid(['audit', 'verify']),
      astrid(['audit', 'verify', '--format', 'json']),
    ]);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toBe('');
    const lines = pretty.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✗ audit chain verification FAILED: \d+ issues? in \d+ entries$/);
    expect(lines).toContain(
      `✗ invalid-signature entry ${row.id} (#${row.seq}): the signature does not verify`,
    );
    expect(asJson.code).toBe(1);
    const v = JSON.parse(asJson.stdout) as {
      valid: boolean;
      issues: { kind: string; id: string }[];
    };
    expect(v.valid).toBe(false);
    expect(v.issues).toContainEqual(
      expect.objectContaining({ kind: 'invalid-signature', id: row.id }),
    );
  }, 60_000);
});
