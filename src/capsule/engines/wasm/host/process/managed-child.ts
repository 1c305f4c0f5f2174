import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { Notifier } from '../notifier.js';
import { type ExitInfo, exitInfoOf } from './exit-info.js';
import { sampleTree } from './tree-usage.js';

export const START_TIMEOUT_MS = 10_000;

/**
 * One sandboxed child: the `bwrap` process we spawned and, inside it, the
 * sandbox's process-group leader whose host pid bwrap reports on its status
 * descriptor. Signals go to that group, so they reach the command and its
 * descendants (not just the wrapper); killing the wrapper takes down the
 * whole sandbox (`--die-with-parent`).
 */
export class ManagedChild {
  readonly process: ChildProcess;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdin: Writable | null;
  readonly startedAt = Date.now();
  readonly changes = new Notifier();
  /** The sandbox's process-group leader (host pid). */
  pid: number | null = null;
  exit: ExitInfo | null = null;
  exitedAt: number | null = null;
  /** Output pipes closed (all output read by the host). */
  outputClosed = false;
  cpuMs: number | null = null;
  memPeakBytes: number | null = null;

  private constructor(child: ChildProcess) {
    this.process = child;
    this.stdout = child.stdout as Readable;
    this.stderr = child.stderr as Readable;
    this.stdin = child.stdin;
    this.stdin?.on('error', () => {});
    child.once('exit', (code, signal) => {
      this.exit = exitInfoOf(code, signal);
      this.exitedAt = Date.now();
      this.changes.notify();
    });
    child.once('close', () => {
      this.outputClosed = true;
      this.changes.notify();
    });
  }

  /** Starts bwrap and waits until it reports the sandbox's pid (or exits first). */
  static start(bwrap: string, args: readonly string[], stdin: boolean): Promise<ManagedChild> {
    const child = spawn(bwrap, args, {
      stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin' },
    });
    const managed = new ManagedChild(child);
    const status = child.stdio[3] as Readable;
    return new Promise((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => {
        managed.kill();
        reject(new Error('the sandbox did not start within 10 s'));
      }, START_TIMEOUT_MS);
      const settle = () => {
        clearTimeout(timer);
        resolve(managed);
      };
      status.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
        if (m !== null && managed.pid === null) {
          managed.pid = Number(m[1]);
          settle();
        }
      });
      status.on('error', () => {});
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', () => {
        if (managed.pid === null) settle();
      });
    });
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Sends a signal to the sandbox's process group (the command and its children). */
  signal(sig: NodeJS.Signals): boolean {
    if (!this.running) return false;
    try {
      if (this.pid !== null) {
        process.kill(-this.pid, sig);
        return true;
      }
    } catch {
      // the group is gone; fall back to the wrapper
    }
    return this.process.kill(sig);
  }

  /**
   * A signal to the group; SIGKILL (the default) also kills the sandbox's
   * init directly — the kernel then kills everything in its pid namespace,
   * even when the group does not exist yet (a sandbox killed right after
   * start, before its `setsid`) — and the wrapper.
   */
  kill(sig: NodeJS.Signals = 'SIGKILL'): boolean {
    if (!this.running) return false;
    const sent = this.signal(sig);
    if (sig === 'SIGKILL') {
      if (this.pid !== null) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      this.process.kill('SIGKILL');
    }
    return sent;
  }

  /** The exit code once exited (for the cancel tracker; a signal death reads as 128 + signal). */
  get exitCode(): number | null {
    if (this.exit === null) return null;
    return this.exit.exitCode ?? 128 + (this.exit.signal ?? 0);
  }

  get signalCode(): NodeJS.Signals | null {
    return null;
  }

  /** Resolves with the exit; rejects when `signal` aborts first. */
  async waitExit(signal: AbortSignal): Promise<ExitInfo> {
    await this.changes.until(() => this.exit !== null, signal);
    return this.exit as ExitInfo;
  }

  /** Resolves when the child exited and its output pipes are closed. */
  async waitClosed(signal: AbortSignal): Promise<void> {
    await this.changes.until(() => this.exit !== null && this.outputClosed, signal);
  }

  /** Refreshes CPU time and peak memory from /proc while the child runs. */
  async sample(): Promise<void> {
    if (!this.running || this.pid === null) return;
    const usage = await sampleTree(this.pid);
    if (usage === null) return;
    this.cpuMs = Math.max(this.cpuMs ?? 0, usage.cpuMs);
    this.memPeakBytes = Math.max(this.memPeakBytes ?? 0, usage.rssBytes);
  }
}
