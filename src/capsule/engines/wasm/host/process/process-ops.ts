import { HostError } from '../host-error.js';
import { type ExitInfo, guestExit, PROCESS_SIGNALS } from './exit-info.js';
import type { ManagedChild } from './managed-child.js';
import type { ProcessOutput } from './process-output.js';

export const MAX_STDIN_WRITE = 1024 * 1024;
/** The most output `spawn` and `wait-with-output` collect per stream. */
export const MAX_CAPTURE = 10 * 1024 * 1024;
const KILL_SETTLE_MS = 2000;

/** A child as the operations below see it: the process, its output rings, its stdin state. */
export interface ChildView {
  readonly child: ManagedChild;
  readonly output: ProcessOutput;
  stdinOpen: boolean;
}

export function readLogs(v: ChildView) {
  const stdout = v.output.drainText('stdout');
  const stderr = v.output.drainText('stderr');
  const exit = v.child.exit;
  return {
    stdout,
    stderr,
    running: exit === null,
    ...(exit === null ? {} : { exit: guestExit(exit) }),
  };
}

export async function writeStdin(v: ChildView, data: Uint8Array): Promise<number> {
  if (data.length > MAX_STDIN_WRITE)
    throw new HostError('too-large', `write-stdin takes at most ${MAX_STDIN_WRITE} bytes per call`);
  const stdin = v.child.stdin;
  if (!v.stdinOpen || stdin === null || stdin.destroyed)
    throw new HostError('closed', "the child's stdin is closed");
  try {
    await new Promise<void>((resolve, reject) => {
      stdin.write(data, (err) => (err ? reject(err) : resolve()));
    });
  } catch (e) {
    v.stdinOpen = false;
    stdin.destroy();
    throw new HostError(
      'closed',
      `writing to the child's stdin failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return data.length;
}

export function closeStdin(v: ChildView): void {
  if (!v.stdinOpen) return;
  v.stdinOpen = false;
  v.child.stdin?.end();
}

export function sendSignal(v: ChildView, name: string): void {
  const sig = PROCESS_SIGNALS[name];
  if (sig === undefined) throw new HostError('invalid-input', `unknown signal ${name}`);
  if (!v.child.running) return;
  if (!v.child.signal(sig))
    throw new HostError('unknown', `could not send ${sig}`, `could not send ${sig}`);
}

/** Waits for the exit: `wait-timeout` after `timeoutMs` (null = no bound), `cancelled` if the instance goes away. */
export async function waitExit(
  v: ChildView,
  timeoutMs: number | null,
  signal: AbortSignal,
): Promise<ExitInfo> {
  if (v.child.exit !== null) return v.child.exit;
  const limit =
    timeoutMs === null
      ? signal
      : AbortSignal.any([signal, AbortSignal.timeout(Math.max(0, timeoutMs))]);
  try {
    return await v.child.waitExit(limit);
  } catch {
    if (signal.aborted) throw new HostError('cancelled', 'the wait was cancelled');
    throw new HostError('wait-timeout', `the process was still running after ${timeoutMs} ms`);
  }
}

/**
 * Collects both streams (draining the rings as they fill, so a child blocked
 * on a full ring keeps going) until the child exits and its pipes close.
 * More than `MAX_CAPTURE` bytes on a stream kills the child: `too-large`,
 * never a silently truncated result.
 */
export async function collectOutput(
  v: ChildView,
  timeoutMs: number | null,
  signal: AbortSignal,
  onTimeout: () => HostError,
): Promise<{ stdout: string; stderr: string; exit: ExitInfo }> {
  const parts = { stdout: [] as string[], stderr: [] as string[] };
  const sizes = { stdout: 0, stderr: 0 };
  const limit =
    timeoutMs === null
      ? signal
      : AbortSignal.any([signal, AbortSignal.timeout(Math.max(0, timeoutMs))]);
  const pull = () => {
    for (const s of ['stdout', 'stderr'] as const) {
      sizes[s] += v.output.ring(s).size;
      if (sizes[s] > MAX_CAPTURE) {
        v.child.kill();
        throw new HostError(
          'too-large',
          `the child wrote more than ${MAX_CAPTURE} bytes to ${s}; use spawn-background and read its logs as they come`,
        );
      }
      parts[s].push(v.output.drainText(s));
    }
  };
  try {
    for (;;) {
      pull();
      if (v.child.exit !== null && v.output.complete && v.child.outputClosed) break;
      await v.child.changes.next(limit);
    }
    pull();
  } catch (e) {
    if (e instanceof HostError) throw e;
    if (signal.aborted) throw new HostError('cancelled', 'the wait was cancelled');
    throw onTimeout();
  }
  return {
    stdout: parts.stdout.join(''),
    stderr: parts.stderr.join(''),
    exit: v.child.exit as ExitInfo,
  };
}

/** SIGKILL, then a short wait for the exit; the rings are drained into the result. */
export async function killChild(v: ChildView) {
  const killed = v.child.running;
  v.child.kill();
  v.stdinOpen = false;
  try {
    await v.child.waitExit(AbortSignal.timeout(KILL_SETTLE_MS));
  } catch {
    // reported as still unknown below
  }
  const exit = v.child.exit;
  return {
    killed,
    ...(exit === null ? {} : { exit: guestExit(exit) }),
    stdout: v.output.drainText('stdout'),
    stderr: v.output.drainText('stderr'),
  };
}
