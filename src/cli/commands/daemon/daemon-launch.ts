import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AstridError } from '../../../core/errors.js';
import { runFiles } from '../../../kernel/run-files.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { findCompanion } from '../../companion.js';

export const READY_POLL_MS = 50;
export const READY_TIMEOUT_MS = 10_000;

export interface LaunchOptions {
  readonly home: AstridHome;
  /** Directory of the running CLI entry point (where `astrid-daemon` sits). */
  readonly binDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly workspace: string;
  /** Pass `--watch` (reload capsules when their installed directory changes). */
  readonly watch: boolean;
}

/** Where a launched daemon's stdout and stderr go (early boot errors land here, before its logger exists). */
export function consoleLogPath(home: AstridHome): string {
  return join(home.logDir, 'console', 'daemon.log');
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a persistent `astrid-daemon --workspace <dir>` in its own process
 * group with its output in the console log, waits for `run/system.ready`
 * (50 ms polls, 10 s), then lets it go so the CLI can exit. A child that
 * dies first, or is not ready in time (it is then killed), is an error.
 */
export async function launchDaemon(options: LaunchOptions): Promise<{ pid: number }> {
  const { home } = options;
  const companion = findCompanion('astrid-daemon', options.binDir, options.env);
  const files = runFiles(home);
  rmSync(files.ready, { force: true });
  const consolePath = consoleLogPath(home);
  mkdirSync(join(home.logDir, 'console'), { recursive: true, mode: 0o700 });
  const out = openSync(consolePath, 'w', 0o600);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(
      companion.command,
      [...companion.args, '--workspace', options.workspace, ...(options.watch ? ['--watch'] : [])],
      {
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...options.env, ASTRID_HOME: home.root },
      },
    );
  } finally {
    closeSync(out);
  }
  const seen: { exit: string | null; error: Error | null } = { exit: null, error: null };
  child.once('exit', (code, signal) => {
    seen.exit = code !== null ? `exit ${code}` : `signal ${signal ?? 'unknown'}`;
  });
  child.on('error', (e) => {
    seen.error = e;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (seen.error !== null) {
      throw new AstridError('unavailable', `cannot start ${companion.path}: ${seen.error.message}`);
    }
    if (seen.exit === null && existsSync(files.ready)) break;
    if (seen.exit !== null) {
      const said = tail(consolePath, 5)
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => `\n  daemon said: ${l}`)
        .join('');
      // `internal`, not `unavailable`: the generic "is the daemon running?" hint would mislead here.
      throw new AstridError(
        'internal',
        `Daemon exited prematurely (${seen.exit}). Check logs: ${home.logDir}${said}`,
      );
    }
    if (Date.now() >= deadline) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      throw new AstridError('timeout', 'Daemon failed to become ready within 10 seconds.');
    }
    await sleep(READY_POLL_MS);
  }
  child.unref();
  return { pid: child.pid as number };
}
