import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/capsule/engines/wasm/host/process/sandbox.js';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import type { AstridEvent } from '../../src/events/astrid-event.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness } from '../helpers/engine-harness.js';
import { OUTSIDE_JS, OUTSIDE_WORLD } from '../helpers/outside-guest.js';

/**
 * astrid:process under the real bwrap sandbox. These run the host's own
 * /usr/bin tools (sh, cat, env, sleep) inside the sandbox.
 */

let component: Uint8Array;
let h: Harness;
let shell: WasmEngine;
let gated: WasmEngine;
let networked: WasmEngine;
let keeper: WasmEngine;
let otherKeeper: WasmEngine;
let secretDir: string;

const PROGRAMS = '"sh -c", "cat", "env", "sleep", "echo", "yes", "true"';

beforeAll(async () => {
  component = await componentFromJs(OUTSIDE_JS, OUTSIDE_WORLD, 'outside');
  h = await harness();
  const ws = h.services.workspace;
  mkdirSync(join(ws, 'out'), { recursive: true });
  writeFileSync(join(ws, 'readme.txt'), 'visible');
  secretDir = mkdtempSync(join(tmpdir(), 'astrid-secret-'));
  mkdirSync(join(secretDir, '.ssh'));
  writeFileSync(join(secretDir, '.ssh', 'id_ed25519'), 'PRIVATE KEY');
  process.env.ASTRID_TEST_LEAK = 'daemon-secret';
  const fs = 'fs_read = ["cwd://"]\nfs_write = ["cwd://out"]';
  shell = await h.engine(
    'proc',
    component,
    `[capabilities]\nhost_process = [${PROGRAMS}]\n${fs}\n`,
  );
  gated = await h.engine(
    'procgate',
    component,
    '[capabilities]\nhost_process = ["echo safe", "git status"]\n',
  );
  networked = await h.engine(
    'procnet',
    component,
    `[capabilities]\nhost_process = [${PROGRAMS}]\nnet = ["example.com"]\n`,
  );
  keeper = await h.engine(
    'keeper',
    component,
    `[capabilities]\nhost_process = [${PROGRAMS}]\nallow_persistent = true\n`,
  );
  otherKeeper = await h.engine(
    'keeper2',
    component,
    `[capabilities]\nhost_process = [${PROGRAMS}]\nallow_persistent = true\n`,
  );
}, 180_000);

afterAll(async () => {
  delete process.env.ASTRID_TEST_LEAK;
  await h?.close();
});

type Out = { ok?: unknown; err?: string; detail?: string };
const run = async (engine: WasmEngine, args: Record<string, unknown>, principal?: string) =>
  (await call(engine, 'spawn', args, principal ?? null)) as Out;
const sh = (script: string, extra: Record<string, unknown> = {}) => ({
  cmd: 'sh',
  args: ['-c', script],
  ...extra,
});
const stdout = (o: Out) => (o.ok as { stdout: string }).stdout;
const err = (tag: string) => expect.objectContaining({ err: tag });

describe('astrid:process spawn', () => {
  it('runs an allowed command and returns its output and exit status', async () => {
    expect(await run(shell, { cmd: 'echo', args: ['hi', 'there'] })).toEqual({
      ok: { stdout: 'hi there\n', stderr: '', exit: { code: 0, signal: null } },
    });
    const failing = await run(shell, sh('echo out; echo err >&2; exit 3'));
    expect(failing).toEqual({
      ok: { stdout: 'out\n', stderr: 'err\n', exit: { code: 3, signal: null } },
    });
    expect(await run(shell, { cmd: 'cat', stdin: 'piped in' })).toEqual({
      ok: expect.objectContaining({ stdout: 'piped in' }),
    });
  });

  it('gates the whole command line word by word', async () => {
    expect(await run(gated, { cmd: 'echo', args: ['safe', 'words'] })).toEqual({
      ok: expect.objectContaining({ stdout: 'safe words\n' }),
    });
    expect(await run(gated, { cmd: 'echo', args: ['unsafe'] })).toEqual(err('capability-denied'));
    expect(await run(gated, { cmd: 'echo' })).toEqual(err('capability-denied'));
    expect(await run(gated, { cmd: 'git', args: ['push'] })).toEqual(err('capability-denied'));
    expect(await run(shell, { cmd: 'rm', args: ['-rf', '/'] })).toEqual(err('capability-denied'));
    expect(await run(shell, { cmd: 'echo hi' })).toEqual(err('invalid-input'));
  });

  it('starts the child with a clean environment plus what the capsule passes', async () => {
    const out = await run(shell, { cmd: 'env', env: [{ key: 'GREETING', value: 'hello' }] });
    const names = stdout(out)
      .trim()
      .split('\n')
      .map((l) => l.slice(0, l.indexOf('=')))
      .sort();
    // PWD comes from the sandbox's chdir.
    expect(names).toEqual(['GREETING', 'HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR']);
    expect(stdout(out)).not.toContain('daemon-secret');
  });

  it('shows only the fs_read/fs_write roots: secrets stay invisible, writes stay inside', async () => {
    const ws = h.services.workspace;
    const secret = await run(shell, { cmd: 'cat', args: [join(secretDir, '.ssh', 'id_ed25519')] });
    expect(secret.ok).toEqual(expect.objectContaining({ stdout: '' }));
    expect((secret.ok as { exit: { code: number } }).exit.code).not.toBe(0);
    // The daemon user's own home (and its ~/.ssh) is not mounted at all.
    const home = await run(shell, sh(`ls -a ${homedir()}/.ssh ${homedir()}`));
    expect((home.ok as { exit: { code: number } }).exit.code).not.toBe(0);
    expect((home.ok as { stdout: string }).stdout).toBe('');
    expect(await run(shell, { cmd: 'cat', args: [join(ws, 'readme.txt')] })).toEqual({
      ok: expect.objectContaining({ stdout: 'visible' }),
    });
    const readOnly = await run(shell, sh(`echo x > ${join(ws, 'new.txt')}`));
    expect((readOnly.ok as { exit: { code: number } }).exit.code).not.toBe(0);
    const system = await run(shell, sh('echo x > /usr/astrid-escape'));
    expect((system.ok as { exit: { code: number } }).exit.code).not.toBe(0);
    const wrote = await run(shell, sh(`echo written > ${join(ws, 'out', 'w.txt')}`));
    expect(wrote).toEqual({ ok: expect.objectContaining({ exit: { code: 0, signal: null } }) });
    expect(readFileSync(join(ws, 'out', 'w.txt'), 'utf8')).toBe('written\n');
    // The child's working directory defaults to the workspace.
    expect(stdout(await run(shell, sh('pwd')))).toBe(`${ws}\n`);
  });

  it('has no network without a network capability, and the host network with one', async () => {
    const interfaces = (text: string) =>
      text
        .split('\n')
        .slice(2)
        .map((l) => l.split(':')[0]?.trim())
        .filter((n) => n !== undefined && n.length > 0)
        .sort();
    const host = interfaces(readFileSync('/proc/net/dev', 'utf8'));
    const isolated = interfaces(stdout(await run(shell, { cmd: 'cat', args: ['/proc/net/dev'] })));
    expect(isolated).toEqual(['lo']);
    const shared = interfaces(
      stdout(await run(networked, { cmd: 'cat', args: ['/proc/net/dev'] })),
    );
    expect(shared).toEqual(host);
  });

  it('applies resource limits; a pid limit is refused when the daemon runs as root', async () => {
    const out = await run(
      shell,
      sh('ulimit -n; ulimit -t; ulimit -v', {
        limits: { maxOpenFiles: 64, maxCpuSecs: 7, maxMemoryBytes: 512 * 1024 * 1024 },
      }),
    );
    expect(stdout(out)).toBe(`64\n7\n${512 * 1024}\n`);
    const pids = await run(shell, sh('true', { limits: { maxPids: 16 } }));
    if (process.geteuid?.() === 0) expect(pids).toEqual(err('invalid-input'));
    else expect(pids).toEqual({ ok: expect.objectContaining({ exit: { code: 0, signal: null } }) });
  });

  it('refuses to run anything when the host has no working sandbox', async () => {
    const bare = await harness(undefined, {
      sandbox: Sandbox.unavailable('bwrap (bubblewrap) is not installed'),
    });
    try {
      const engine = await bare.engine(
        'nosandbox',
        component,
        `[capabilities]\nhost_process = [${PROGRAMS}]\nallow_persistent = true\n`,
      );
      expect(await call(engine, 'spawn', { cmd: 'true' })).toEqual({
        err: 'unknown',
        detail: 'spawn failed: bwrap (bubblewrap) is not installed',
      });
      expect(await call(engine, 'bgRun', { cmd: 'true', timeoutMs: 100 })).toEqual(err('unknown'));
      expect(await call(engine, 'persist', { cmd: 'true' }, 'default')).toEqual(
        err('persist-unsupported'),
      );
    } finally {
      await bare.close();
    }
  });

  it('kills a child whose output passes 10 MiB and says too-large', async () => {
    expect(await run(shell, { cmd: 'yes' })).toEqual(err('too-large'));
  });
});

describe('astrid:process background handles', () => {
  it('waits with output, kills, and interacts over stdin', async () => {
    expect(await call(shell, 'bgRun', sh('echo bg; exit 2', { timeoutMs: 5000 }))).toEqual({
      ok: { stdout: 'bg\n', stderr: '', exit: { code: 2, signal: null } },
    });
    expect(await call(shell, 'bgKill', { cmd: 'sleep', args: ['30'] })).toEqual({
      ok: { pid: true, killed: true, exit: { code: null, signal: 9 }, after: 'closed' },
    });
    expect(await call(shell, 'bgInteract', { cmd: 'cat', input: 'round trip' })).toEqual({
      ok: expect.objectContaining({
        exit: { code: 0, signal: null },
        stdout: 'round trip',
        running: false,
        again: 'closed',
      }),
    });
    expect(await call(shell, 'bgWaitTimeout', { cmd: 'sleep', args: ['5'], waitMs: 100 })).toEqual({
      ok: 'wait-timeout',
    });
  });

  it('enforces the principal’s background-process quota and ends them with the call', async () => {
    h.profiles.set('few', { groups: ['agent'], quotas: { maxBackgroundProcesses: 2 } });
    const out = (await call(shell, 'bgMany', { cmd: 'sleep', args: ['30'], n: 3 }, 'few')) as {
      ok: number;
      err?: string;
    };
    expect(out).toEqual({ ok: 2, err: 'quota' });
    const again = (await call(shell, 'bgMany', { cmd: 'sleep', args: ['30'], n: 2 }, 'few')) as {
      ok: number;
      pids: number[];
    };
    expect(again.ok).toBe(2);
    // The call is over: its background children are gone.
    await expect
      .poll(() => again.pids.filter((pid) => alive(pid)).length, { timeout: 5000 })
      .toBe(0);
  });
});

/** Whether a pid names a live process (a zombie nobody reaped yet counts as dead). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Persistent processes belong to an authenticated caller: calls act for `default` unless told. */
const pcall = (engine: WasmEngine, action: string, args: unknown, principal = 'default') =>
  call(engine, action, args, principal);

const TICKER = sh('while true; do echo tick; sleep 0.1; done');

describe('astrid:process persistent tier', () => {
  it('needs allow_persistent', async () => {
    expect(await call(shell, 'persist', { ...TICKER, label: 'x' }, 'default')).toEqual(
      err('capability-denied'),
    );
  });

  it('outlives the call; any instance of the capsule reads it by cursor; stop ends it', async () => {
    const started = (await pcall(keeper, 'persist', { ...TICKER, label: 'ticker' })) as {
      ok: string;
    };
    const id = started.ok;
    expect(id).toMatch(/^[a-z2-7]{52}$/);
    await new Promise((r) => setTimeout(r, 400));
    // While one call blocks an instance for 1.5 s, a second call is served by
    // another instance of the capsule and sees the same process.
    let readerDone = 0;
    let blockedDone = 0;
    const [blocked, reader] = await Promise.all([
      pcall(keeper, 'pWait', { id, ms: 1500 }).then((v) => {
        blockedDone = Date.now();
        return v;
      }),
      new Promise((res) => setTimeout(res, 200))
        .then(() => pcall(keeper, 'pReadSince', { id, token: null }))
        .then((v) => {
          readerDone = Date.now();
          return v;
        }),
    ]);
    expect(readerDone).toBeLessThan(blockedDone);
    expect(blocked).toEqual(err('wait-timeout'));
    const r = { out: reader as Out };
    const first = r.out.ok as { data: string; next: string; dropped: number; eof: boolean };
    expect(first.data).toMatch(/^(tick\n)+$/);
    expect(first.eof).toBe(false);
    await new Promise((res) => setTimeout(res, 300));
    const second = (await pcall(keeper, 'pReadSince', { id, token: first.next })) as {
      ok: { data: string; next: string };
    };
    expect(second.ok.data).toMatch(/^(tick\n)+$/);
    expect(second.ok.next).not.toBe(first.next);
    // The same cursor again returns the same bytes (reads do not consume).
    const repeat = (await pcall(keeper, 'pReadSince', { id, token: first.next })) as {
      ok: { data: string };
    };
    expect(repeat.ok.data.startsWith(second.ok.data)).toBe(true);
    // An unparsable cursor is answered like an unknown id.
    expect(await pcall(keeper, 'pReadSince', { id, token: 'garbage' })).toEqual(
      err('no-such-process'),
    );
    const status = (await pcall(keeper, 'pStatus', { id })) as { ok: Record<string, unknown> };
    expect(status.ok).toEqual(
      expect.objectContaining({ id, label: 'ticker', phase: 'running', exit: null }),
    );
    const listed = (await pcall(keeper, 'pList', {})) as { ok: { id: string }[] };
    expect(listed.ok.map((p) => p.id)).toContain(id);
    // read-logs drains; a cursor from the start then reports what it missed.
    const drained = (await pcall(keeper, 'pReadLogs', { id })) as { ok: { stdout: string } };
    expect(drained.ok.stdout).toMatch(/^(tick\n)+$/);
    const behind = (await pcall(keeper, 'pReadSince', { id, token: '0000000000000000' })) as {
      ok: { data: string; dropped: number; eof: boolean };
    };
    expect(behind.ok.dropped).toBeGreaterThanOrEqual(Buffer.byteLength(drained.ok.stdout));
    expect(behind.ok.eof).toBe(false);
    // A live process cannot be released; stop ends it and forgets it.
    expect(await pcall(keeper, 'pRelease', { id })).toEqual(err('invalid-input'));
    expect(await pcall(keeper, 'pStop', { id, grace: 1000 })).toEqual({
      ok: { code: null, signal: 15 },
    });
    expect(await pcall(keeper, 'pStatus', { id })).toEqual(err('no-such-process'));
    // Releasing an id that is gone (or never existed) is not an error.
    expect(await pcall(keeper, 'pRelease', { id })).toEqual({ ok: 'ok' });
  }, 30_000);

  it('stop escalates to SIGKILL when the child ignores SIGTERM', async () => {
    const id = (
      (await pcall(keeper, 'persist', sh("trap '' TERM; while true; do sleep 0.05; done"))) as {
        ok: string;
      }
    ).ok;
    await new Promise((r) => setTimeout(r, 200));
    expect(await pcall(keeper, 'pStop', { id, grace: 100 })).toEqual({
      ok: { code: null, signal: 9 },
    });
  });

  it('pauses and resumes with stop/cont signals', async () => {
    const id = ((await pcall(keeper, 'persist', TICKER)) as { ok: string }).ok;
    await new Promise((r) => setTimeout(r, 300));
    expect(await pcall(keeper, 'pSignal', { id, sig: 'stop' })).toEqual({ ok: 'ok' });
    await new Promise((r) => setTimeout(r, 200));
    const at = (await pcall(keeper, 'pReadSince', { id, token: null })) as { ok: { next: string } };
    await new Promise((r) => setTimeout(r, 400));
    const paused = (await pcall(keeper, 'pReadSince', { id, token: at.ok.next })) as {
      ok: { data: string };
    };
    expect(paused.ok.data).toBe('');
    expect(await pcall(keeper, 'pSignal', { id, sig: 'cont' })).toEqual({ ok: 'ok' });
    await expect
      .poll(
        async () =>
          (
            (await pcall(keeper, 'pReadSince', { id, token: at.ok.next })) as {
              ok: { data: string };
            }
          ).ok.data,
        { timeout: 5000 },
      )
      .toMatch(/tick/);
    await pcall(keeper, 'pStop', { id, grace: 100 });
  });

  it('counts persistent processes against the principal’s concurrency', async () => {
    h.profiles.set('solo', { groups: ['agent'], quotas: { maxBackgroundProcesses: 1 } });
    const first = (await pcall(keeper, 'persist', { cmd: 'sleep', args: ['60'] }, 'solo')) as {
      ok: string;
    };
    expect(first.ok).toMatch(/^[a-z2-7]{52}$/);
    expect(await pcall(keeper, 'persist', { cmd: 'sleep', args: ['60'] }, 'solo')).toEqual(
      err('quota'),
    );
    expect(await pcall(keeper, 'bgMany', { cmd: 'sleep', args: ['60'], n: 1 }, 'solo')).toEqual({
      ok: 0,
      err: 'quota',
    });
    await pcall(keeper, 'pStop', { id: first.ok, grace: 10 }, 'solo');
    const second = (await pcall(keeper, 'persist', { cmd: 'sleep', args: ['60'] }, 'solo')) as {
      ok: string;
    };
    expect(second.ok).toMatch(/^[a-z2-7]{52}$/);
    await pcall(keeper, 'pStop', { id: second.ok, grace: 10 }, 'solo');
  });

  it('is invisible to other principals and other capsules, even with the id', async () => {
    const id = ((await pcall(keeper, 'persist', { cmd: 'sleep', args: ['60'] })) as { ok: string })
      .ok;
    for (const [engine, principal] of [
      [keeper, 'alice'],
      [otherKeeper, 'default'],
    ] as const) {
      expect(await call(engine, 'pStatus', { id }, principal)).toEqual(err('no-such-process'));
      expect(await call(engine, 'pStop', { id, grace: 10 }, principal)).toEqual(
        err('no-such-process'),
      );
      expect(await call(engine, 'pRelease', { id }, principal)).toEqual({ ok: 'ok' });
      expect(((await call(engine, 'pList', {}, principal)) as { ok: unknown[] }).ok).toEqual([]);
    }
    // alice's release did nothing: the owner still sees it.
    expect(await pcall(keeper, 'pStatus', { id })).toEqual({
      ok: expect.objectContaining({ phase: 'running' }),
    });
    await pcall(keeper, 'pStop', { id, grace: 10 });
    await pcall(keeper, 'pRelease', { id });
  });

  it('takes stdin writes, signals, attach handles and publishes watch events', async () => {
    const sub = h.bus.subscribe({ topic: 'astrid.process.v1.catter.*' });
    const id = (
      (await pcall(keeper, 'persist', { cmd: 'cat', keepStdinOpen: true })) as {
        ok: string;
      }
    ).ok;
    expect(await pcall(keeper, 'pWatch', { id, suffix: 'catter' })).toEqual({ ok: 'ok' });
    expect(await pcall(keeper, 'pWrite', { id, data: 'line one\n' })).toEqual({ ok: 9 });
    // read-since does not consume; the attach handle's read-logs then drains.
    await expect
      .poll(
        async () =>
          ((await pcall(keeper, 'pReadSince', { id, token: null })) as { ok: { data: string } }).ok
            .data,
        { timeout: 5000 },
      )
      .toBe('line one\n');
    expect(await pcall(keeper, 'pAttach', { id })).toEqual({
      ok: { stdout: 'line one\n', running: true, pid: true },
    });
    // The attach handle was dropped with the call; the process lives on.
    expect(await pcall(keeper, 'pStatus', { id })).toEqual({
      ok: expect.objectContaining({ phase: 'running', stdinOpen: true }),
    });
    expect(await pcall(keeper, 'pCloseStdin', { id })).toEqual({ ok: 'ok' });
    expect(await pcall(keeper, 'pWait', { id, ms: 5000 })).toEqual({
      ok: { code: 0, signal: null },
    });
    const topics: string[] = [];
    const deadline = AbortSignal.timeout(5000);
    while (!topics.includes('astrid.process.v1.catter.exited')) {
      const e = (await sub.recv(deadline)) as AstridEvent | null;
      if (e === null) break;
      if (e.type === 'ipc') {
        topics.push(e.message.topic);
        expect(e.message.principal).toBe('default');
      }
    }
    expect(topics).toContain('astrid.process.v1.catter.output');
    expect(topics).toContain('astrid.process.v1.catter.exited');
    await pcall(keeper, 'pRelease', { id });
  });

  it('reaps idle processes', async () => {
    const id = (
      (await pcall(keeper, 'persist', {
        cmd: 'sleep',
        args: ['60'],
        idleTimeoutMs: 200,
      })) as { ok: string }
    ).ok;
    const pid = ((await pcall(keeper, 'pStatus', { id })) as { ok: { pid: number } }).ok.pid;
    expect(alive(pid)).toBe(true);
    await expect
      .poll(async () => await pcall(keeper, 'pStatus', { id }), { timeout: 10_000, interval: 500 })
      .toEqual(err('no-such-process'));
    await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
  }, 20_000);

  it('unloading the capsule kills its persistent processes', async () => {
    const doomed = await h.engine(
      'doomed',
      component,
      `[capabilities]\nhost_process = [${PROGRAMS}]\nallow_persistent = true\n`,
    );
    const pids: number[] = [];
    for (let i = 0; i < 2; i++) {
      const id = (
        (await pcall(doomed, 'persist', { cmd: 'sleep', args: ['60'] })) as { ok: string }
      ).ok;
      pids.push(((await pcall(doomed, 'pStatus', { id })) as { ok: { pid: number } }).ok.pid);
    }
    expect(pids.every(alive)).toBe(true);
    await doomed.unload();
    await expect.poll(() => pids.filter(alive).length, { timeout: 5000 }).toBe(0);
  });
});
