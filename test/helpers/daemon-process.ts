import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import { SocketKernelClient } from '../../src/kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../src/kernel/socket/session-token.js';
import { fileTempDir, tempDir } from './temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../src/cli/bin/astrid-daemon.ts', import.meta.url));

export interface DaemonProcess {
  readonly home: string;
  readonly child: ChildProcess;
  readonly socket: string;
  readonly tokenPath: string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  connect(principal?: string): Promise<SocketKernelClient>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A fresh home path; `file` keeps it until the test file ends (for daemons started in beforeAll). */
export async function newHome(lifetime: 'test' | 'file' = 'test'): Promise<string> {
  return join(
    lifetime === 'file' ? await fileTempDir('astrid-d-') : await tempDir('astrid-d-'),
    'h',
  );
}

/** Spawns the real `astrid-daemon` (TypeScript sources through tsx) and waits for its ready file. */
export async function startDaemon(
  options: { home?: string; args?: string[]; env?: NodeJS.ProcessEnv; waitReady?: boolean } = {},
): Promise<DaemonProcess> {
  const home = options.home ?? (await newHome());
  const ready = join(home, 'run', 'system.ready');
  // A daemon killed with SIGKILL leaves its ready file behind; wait for a fresh one.
  if (options.waitReady ?? true) rmSync(ready, { force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ASTRID_HOME: home, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  if (options.waitReady ?? true) {
    const deadline = Date.now() + 30_000;
    let done = false;
    void exited.then(() => {
      done = true;
    });
    while (!existsSync(ready)) {
      if (done) throw new Error(`astrid-daemon exited before it was ready: ${stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`astrid-daemon was not ready within 30 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const socket = join(home, 'run', 'system.sock');
  const tokenPath = join(home, 'run', 'system.token');
  return {
    home,
    child,
    socket,
    tokenPath,
    stderr: () => stderr,
    exited,
    async connect(principal?: string) {
      return SocketKernelClient.connect({
        path: socket,
        token: await readSessionToken(tokenPath),
        clientVersion: '0.8.0',
        ...(principal === undefined ? {} : { principal: principal as PrincipalId }),
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
