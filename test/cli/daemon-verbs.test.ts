import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive, waitUntilGone } from '../../src/cli/commands/daemon/process-alive.js';
import { SocketKernelClient } from '../../src/kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../src/kernel/socket/session-token.js';
import { capsuleSource } from '../helpers/capsule-source.js';
import { newHome } from '../helpers/daemon-process.js';
import { type CliResult, runAstrid } from '../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../src/cli/bin/astrid.ts', import.meta.url));

let home: string;
/** Every daemon pid this file has seen, killed in afterAll if it still runs. */
const pids = new Set<number>();

const astrid = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runAstrid(args, { ASTRID_HOME: home, ...env });
const socket = () => join(home, 'run', 'system.sock');

function startedPid(r: CliResult): number {
  const m = /PID:\s+(\d+)/.exec(r.stdout);
  if (m === null) throw new Error(`no PID in start output: ${r.stdout}${r.stderr}`);
  const pid = Number(m[1]);
  pids.add(pid);
  return pid;
}

async function statusPid(): Promise<number> {
  const r = await astrid(['status', '--format', 'json']);
  expect(r.code).toBe(0);
  const status = JSON.parse(r.stdout) as { running: boolean; pid: number };
  expect(status.running).toBe(true);
  pids.add(status.pid);
  return status.pid;
}

beforeAll(async () => {
  home = await newHome('file');
});

afterAll(async () => {
  for (const pid of pids) {
    if (!processAlive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    if (!(await waitUntilGone(pid, 5_000))) process.kill(pid, 'SIGKILL');
  }
}, 30_000);

describe('astrid daemon verbs with no daemon', () => {
  it('status, ps, who, top say it is not running (exit 0); stop has nothing to do; doctor warns', async () => {
    const [status, statusJson, stop, ps, who, top, doctor, topToml] = await Promise.all([
      astrid(['status']),
      astrid(['status', '--format', 'json']),
      astrid(['stop']),
      astrid(['ps', '--format', 'json']),
      astrid(['who']),
      astrid(['top', '--format', 'yaml']),
      astrid(['doctor']),
      astrid(['top', '--watch', '--format', 'toml']),
    ]);
    expect(status).toEqual({
      code: 0,
      stdout: 'i Astrid daemon is not running. Run `astrid start`.\n',
      stderr: '',
    });
    expect(statusJson.code).toBe(0);
    expect(JSON.parse(statusJson.stdout)).toEqual({ running: false });
    expect(stop).toEqual({ code: 0, stdout: 'i No Astrid daemon is running.\n', stderr: '' });
    expect(ps.code).toBe(0);
    expect(JSON.parse(ps.stdout)).toEqual([]);
    expect(who).toEqual({
      code: 0,
      stdout: 'i Astrid daemon is not running. Run `astrid start`.\n',
      stderr: '',
    });
    expect(top).toEqual({ code: 0, stdout: 'running: false\n', stderr: '' });
    expect(topToml.code).toBe(2);
    expect(topToml.stderr).toContain('`top --watch` streams JSON lines or YAML documents');

    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`[OK] Astrid home: ${home}\n`);
    expect(doctor.stdout).toMatch(/^\[WARN\] runtime key missing: .*keys\/runtime\.key/m);
    expect(doctor.stdout).toContain(`[WARN] daemon socket missing: ${socket()}`);
    expect(doctor.stdout).toMatch(/^\[(OK|WARN)\] process sandbox/m);
    expect(doctor.stdout).not.toContain('GetStatus');
  }, 30_000);

  it('start reports a daemon that dies while booting, with its own words', async () => {
    const r = await astrid(['start'], { ASTRID_LOG_LEVEL: 'bogus' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `✗ error: Daemon exited prematurely (exit 1). Check logs: ${join(home, 'log')}`,
    );
    expect(r.stderr).toMatch(/daemon said: .*ASTRID_LOG_LEVEL.*logging\.level must be one of/);
    expect(r.stderr).not.toContain('hint:');
    expect(existsSync(socket())).toBe(false);
  }, 30_000);
});

describe('astrid daemon verbs against a daemon started by `astrid start`', () => {
  let pid: number;

  it('start spawns a persistent daemon; a second start says it is already running', async () => {
    const r = await astrid(['start']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ Astrid daemon started \(persistent mode\)\.\n {2}PID: +\d+\n/);
    pid = startedPid(r);
    expect(existsSync(socket())).toBe(true);
    expect(await statusPid()).toBe(pid);

    const again = await astrid(['start']);
    expect(again).toEqual({ code: 0, stdout: '', stderr: '! Astrid daemon is already running.\n' });

    // Fixtures for what follows: a loaded capsule, and an agent without any capability.
    const client = await SocketKernelClient.connect({
      path: socket(),
      token: await readSessionToken(join(home, 'run', 'system.token')),
      clientVersion: '0.8.0',
    });
    try {
      const source = await capsuleSource({ name: 'notes', version: '1.2.0', wasm: null });
      await client.kernel('InstallCapsule', { source });
      await client.admin('AgentCreate', { name: 'locked-out', groups: ['restricted'], grants: [] });
    } finally {
      await client.close();
    }
  }, 60_000);

  it('status, who, ps, top and doctor describe it', async () => {
    const [status, statusJson, who, whoJson, ps, psJson, top, watch, doctor, doctorJson] =
      await Promise.all([
        astrid(['status']),
        astrid(['status', '--format', 'json']),
        astrid(['who']),
        astrid(['who', '--format', 'json']),
        astrid(['ps']),
        astrid(['ps', '--format', 'json']),
        astrid(['top']),
        astrid(['top', '--watch', '--interval', '0.1', '-n', '2', '--format', 'json']),
        astrid(['doctor']),
        astrid(['doctor', '--format', 'json', '--no-daemon']),
      ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `^✓ Astrid daemon \\(PID ${pid}, uptime \\d+(m\\d\\d)?s\\)\\n {2}Version: +0\\.8\\.0\\n {2}Clients: +\\d+\\n {2}Capsules: 1 loaded\\n {4}- notes\\n$`,
      ),
    );
    const parsed = JSON.parse(statusJson.stdout);
    expect(parsed).toMatchObject({
      running: true,
      pid,
      version: '0.8.0',
      ephemeral: false,
      loaded_capsules: ['notes'],
    });
    expect(parsed.connected_clients).toBeGreaterThanOrEqual(1);

    expect(who.code).toBe(0);
    expect(who.stdout).toMatch(/^AGENT\s+PLATFORM\s+STATE\s+CONNECTIONS\n/);
    expect(who.stdout).toMatch(/^default\s+cli\s+active\s+\d+$/m);
    const rows = JSON.parse(whoJson.stdout) as { agent: string; connections: number }[];
    expect(rows.find((r) => r.agent === 'default')).toMatchObject({
      platform: 'cli',
      state: 'active',
    });
    expect(rows.find((r) => r.agent === 'default')?.connections).toBeGreaterThanOrEqual(1);

    const table =
      'CAPSULE  VERSION  STATE  INSTANCES  INTERCEPTORS\nnotes    1.2.0    ready  0          0\n';
    expect(ps).toEqual({ code: 0, stdout: table, stderr: '' });
    expect(JSON.parse(psJson.stdout)).toEqual([
      {
        capsule: 'notes',
        state: 'ready',
        version: '1.2.0',
        instances: 0,
        interceptors: 0,
        run_loop: false,
        uplink: false,
      },
    ]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(new RegExp(`^✓ Astrid daemon \\(PID ${pid}, uptime `));
    expect(top.stdout).toContain('  Capsules: 1 loaded\n\n');
    expect(top.stdout.endsWith(table)).toBe(true);
    expect(watch.code).toBe(0);
    const frames = watch.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(frames).toHaveLength(2);
    for (const frame of frames)
      expect(frame).toMatchObject({ running: true, pid, capsules: [{ capsule: 'notes' }] });

    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/^\[OK\] runtime key present: /m);
    expect(doctor.stdout).toContain(`[OK] daemon socket present: ${socket()}`);
    expect(doctor.stdout).toMatch(
      new RegExp(
        `^\\[OK\\] daemon answered GetStatus in \\d+ ms \\(PID ${pid}, version 0\\.8\\.0\\)$`,
        'm',
      ),
    );
    const report = JSON.parse(doctorJson.stdout) as { ok: boolean; checks: { name: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['home', 'runtime-key', 'socket', 'sandbox']);
  }, 60_000);

  it('refuses status, ps and the doctor round trip to an agent without system:status or capsule listing', async () => {
    const context = join(home, 'run', 'cli-context.toml');
    await writeFile(context, 'active_agent = "locked-out"\n');
    try {
      const [status, ps, doctor] = await Promise.all([
        astrid(['status']),
        astrid(['ps', '--format', 'json']),
        astrid(['doctor']),
      ]);
      expect(status.code).toBe(1);
      expect(status.stdout).toBe('');
      expect(status.stderr).toMatch(/^✗ error: .*system:status/m);
      expect(status.stderr).toContain('hint: the active agent lacks this capability');
      expect(ps.code).toBe(1);
      expect(JSON.parse(ps.stdout)).toMatchObject({
        ok: false,
        error: { code: 'capability-denied' },
      });
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/^\[FAIL\] daemon did not answer GetStatus: .*system:status/m);
      expect(doctor.stdout).toContain('fix: the active agent needs system:status');
    } finally {
      await rm(context, { force: true });
    }
  }, 30_000);

  it('logs prints the newest daemon log or a capsule log, and -f follows until Ctrl-C', async () => {
    const capsuleDir = join(home, 'home', 'default', '.local', 'log', 'demo');
    await mkdir(capsuleDir, { recursive: true });
    await writeFile(join(capsuleDir, '2026-01-01.log'), 'old-1\nold-2\n');
    await new Promise((r) => setTimeout(r, 20));
    const newest = join(capsuleDir, '2026-01-02.log');
    await writeFile(newest, 'one\ntwo\nthree\n');

    const [daemon, capsule, otherAgent, badCount] = await Promise.all([
      astrid(['logs', '-n', '50']),
      astrid(['logs', 'demo', '-n', '2']),
      astrid(['logs', 'demo', '-a', 'nobody']),
      astrid(['logs', '-n', 'many']),
    ]);
    expect(daemon.code).toBe(0);
    expect(daemon.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(50);
    expect(daemon.stdout).toContain('astrid daemon 0.8.0 ready');
    expect(daemon.stderr).toMatch(/^==> .*\/log\/astrid\.\d{4}-\d{2}-\d{2}\.log <==\n$/);
    expect(capsule).toEqual({ code: 0, stdout: 'two\nthree\n', stderr: `==> ${newest} <==\n` });
    expect(otherAgent).toEqual({
      code: 0,
      stdout: `(no logs in ${join(home, 'home', 'nobody', '.local', 'log', 'demo')})\n`,
      stderr: '',
    });
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toContain('expected a whole number of lines (got "many")');

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ENTRY, 'logs', 'demo', '-f', '-n', '1'],
      {
        cwd: ROOT,
        env: { ...process.env, ASTRID_HOME: home, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 15_000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; got ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor('three\n');
      await appendFile(newest, 'four\nfi');
      await waitFor('four\n');
      await appendFile(newest, 've\n');
      await waitFor('five\n');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toBe('three\nfour\nfive\n');
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('restart stops the daemon and starts a new one with a new pid', async () => {
    const r = await astrid(['restart']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^✓ Astrid daemon stopped\.\n✓ Astrid daemon started \(persistent mode\)\.\n/,
    );
    const next = startedPid(r);
    expect(next).not.toBe(pid);
    expect(processAlive(pid)).toBe(false);
    expect(await statusPid()).toBe(next);
    pid = next;
  }, 60_000);

  it('stop stops it and removes the socket; then status says not running and stop has nothing to do', async () => {
    const r = await astrid(['stop']);
    expect(r).toEqual({ code: 0, stdout: '✓ Astrid daemon stopped.\n', stderr: '' });
    expect(existsSync(socket())).toBe(false);
    expect(processAlive(pid)).toBe(false);
    const [status, again] = await Promise.all([astrid(['status']), astrid(['stop'])]);
    expect(status).toEqual({
      code: 0,
      stdout: 'i Astrid daemon is not running. Run `astrid start`.\n',
      stderr: '',
    });
    expect(again.stdout).toBe('i No Astrid daemon is running.\n');
  }, 30_000);

  it('a stale socket is cleaned up by stop, and by start before it spawns', async () => {
    await writeFile(socket(), '');
    await writeFile(join(home, 'run', 'system.ready'), '');
    const status = await astrid(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Astrid daemon is not running (stale socket');
    const stop = await astrid(['stop']);
    expect(stop).toEqual({ code: 0, stdout: '✓ Cleaned up stale daemon socket.\n', stderr: '' });
    expect(existsSync(socket())).toBe(false);
    expect(existsSync(join(home, 'run', 'system.ready'))).toBe(false);

    await writeFile(socket(), '');
    const start = await astrid(['start']);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`i Removed a stale daemon socket (${socket()}).\n`);
    expect(start.stdout).toContain('✓ Astrid daemon started (persistent mode).');
    const pid = startedPid(start);
    expect(await statusPid()).toBe(pid);
    const stopped = await astrid(['stop']);
    expect(stopped.stdout).toBe('✓ Astrid daemon stopped.\n');
    expect(processAlive(pid)).toBe(false);
  }, 60_000);
});

describe('astrid version, completions and setup (no daemon needed)', () => {
  it('version, completions from the real command tree, and the sandbox diagnosis', async () => {
    const [version, bash, fish, tcsh, setup, setupJson] = await Promise.all([
      astrid(['version', '--format', 'json']),
      astrid(['completions', 'bash']),
      astrid(['completions', 'fish']),
      astrid(['completions', 'tcsh']),
      astrid(['setup']),
      astrid(['setup', '--format', 'json']),
    ]);
    expect(version.code).toBe(0);
    expect(JSON.parse(version.stdout)).toEqual({
      version: '0.8.0',
      commit: expect.stringMatching(/^([0-9a-f]{4,40}|unknown)$/),
      target: `${process.arch}-${process.platform}`,
    });

    expect(bash.code).toBe(0);
    const top = /^ {4}'astrid'\) words='([^']*)' ;;$/m.exec(bash.stdout)?.[1]?.split(' ') ?? [];
    expect(top).toEqual(expect.arrayContaining(['agent', 'capsule', 'start', 'completions']));
    const capsule = /^ {4}'astrid capsule'\) words='([^']*)' ;;$/m.exec(bash.stdout)?.[1] ?? '';
    expect(capsule.split(' ')).toEqual(expect.arrayContaining(['install', 'check']));
    expect(bash.stdout).toContain("'astrid logs|--lines'");
    expect(bash.stdout).toContain('complete -o default -F _astrid astrid');
    expect(fish.stdout).toContain(`complete -c astrid -n '__astrid_at "astrid"' -f -a 'agent'`);
    expect(tcsh.code).toBe(2);
    expect(tcsh.stderr).toContain('Allowed choices are bash, zsh, fish');
    expect(tcsh.stdout).toBe('');

    const report = JSON.parse(setupJson.stdout) as {
      platform: string;
      sandbox_usable: boolean;
      checks: { name: string; status: string }[];
    };
    expect(report.platform).toBe(process.platform);
    expect(setupJson.code).toBe(report.sandbox_usable ? 0 : 1);
    expect(setup.code).toBe(setupJson.code);
    if (process.platform === 'linux') {
      expect(report.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(['bwrap-installed', 'prlimit']),
      );
      expect(setup.stdout).toMatch(
        /^\[(OK|FAIL)\] (bwrap installed: \/|bwrap \(bubblewrap\) is not installed)/m,
      );
    }
    if (report.sandbox_usable)
      expect(setup.stdout).toContain('✓ The capsule process sandbox is usable.');
    else expect(setup.stderr).toContain('✗ The capsule process sandbox is not usable');
  }, 60_000);
});
