/// <reference path="./wit/astrid-process-host.d.ts" />
import * as wit from 'astrid:process/host@1.0.0';
import { dispose } from './dispose.js';
import { HostError, host } from './errors.js';
import { fromUtf8, utf8 } from './json.js';
import { num, optionalU64, u32, u64 } from './numbers.js';
import {
  type Exit,
  exitOf,
  type PersistentOptions,
  type ProcessInfo,
  processInfo,
  type RunOptions,
  type SpawnOptions,
  spawnRequest,
} from './process-request.js';
import type { Pollable } from './streams.js';

export type {
  Exit,
  Limits,
  PersistentOptions,
  ProcessInfo,
  RunOptions,
  SpawnOptions,
} from './process-request.js';

/*
 * Children run in the host's sandbox (bubblewrap on Linux) with a minimal
 * environment. `host_process` lists the allowed command lines: an entry
 * allows a command whose words start with the entry's words. Errors are
 * `HostError`s with the contract's codes: `capability-denied`,
 * `invalid-input`, `quota`, `too-large`, `wait-timeout`, `no-such-process`, …
 */

const IFACE = 'astrid:process/host';

export type Signal = wit.ProcessSignal;
export type LogStream = wit.LogStream;

/** What a finished child printed and how it ended. */
export type RunResult = Exit & {
  readonly stdout: string;
  readonly stderr: string;
};

/** Output drained from a child's log rings, and whether it still runs. */
export type Logs = {
  readonly stdout: string;
  readonly stderr: string;
  readonly running: boolean;
  readonly exit: Exit | null;
};

function call<T>(fn: () => T): T {
  return host(IFACE, fn);
}

function result(r: wit.ProcessResult): RunResult {
  return { stdout: r.stdout, stderr: r.stderr, ...exitOf(r.exit) };
}

function logs(r: wit.ReadLogsResult): Logs {
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    running: r.running,
    exit: r.exit === undefined ? null : exitOf(r.exit),
  };
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? utf8(data) : data;
}

/**
 * Runs `cmd args…` to completion and returns its output (at most 10 MiB,
 * else `too-large`) and exit. A non-zero exit is a result, not an error.
 */
export function run(
  cmd: string,
  args: readonly string[] = [],
  options: RunOptions = {},
): RunResult {
  const request = spawnRequest(cmd, args, options);
  return result(call(() => wit.spawn(request)));
}

/**
 * A background child of this call: its output goes to 1 MiB rings; it is
 * killed when the handle is closed or the instance is reset.
 */
export class ChildProcess {
  private raw: wit.ProcessHandle | null;

  constructor(raw: wit.ProcessHandle) {
    this.raw = raw;
  }

  private get handle(): wit.ProcessHandle {
    if (this.raw === null) throw new HostError(IFACE, 'closed', 'the process handle was closed');
    return this.raw;
  }

  /** The OS process id (`closed` once the child was reaped or killed). */
  get pid(): number {
    const h = this.handle;
    return call(() => h.osPid());
  }

  /** Drains what the child printed since the last call. */
  readLogs(): Logs {
    const h = this.handle;
    return logs(call(() => h.readLogs()));
  }

  /** Writes to the child's stdin (spawned with `keepStdinOpen`); returns the bytes written. */
  write(data: Uint8Array | string): number {
    const h = this.handle;
    const bytes = bytesOf(data);
    return call(() => h.writeStdin(bytes));
  }

  /** Closes stdin so the child sees end of input. */
  closeStdin(): void {
    const h = this.handle;
    call(() => h.closeStdin());
  }

  signal(sig: Signal): void {
    const h = this.handle;
    call(() => h.signal(sig));
  }

  /** Kills the child (SIGKILL to its group) and returns its exit and remaining output. */
  kill(): Killed {
    const h = this.handle;
    const r = call(() => h.kill());
    return {
      killed: r.killed,
      exit: r.exit === undefined ? null : exitOf(r.exit),
      stdout: r.stdout,
      stderr: r.stderr,
    };
  }

  /** Waits for the child to exit (at most `timeoutMs`, else `wait-timeout`; no limit when undefined). */
  wait(timeoutMs?: number): Exit {
    const h = this.handle;
    return exitOf(call(() => h.wait(optionalU64(timeoutMs, 'timeoutMs'))));
  }

  /** Waits for the exit and returns it with everything the child printed. */
  output(timeoutMs?: number): RunResult {
    const h = this.handle;
    return result(call(() => h.waitWithOutput(optionalU64(timeoutMs, 'timeoutMs'))));
  }

  /** Ready when the child has exited. */
  exited(): Pollable {
    return this.handle.subscribeExit();
  }

  /** Ready when the child has printed something. */
  printed(): Pollable {
    return this.handle.subscribeLogs();
  }

  /** Releases the handle (idempotent); a child still running is killed. */
  close(): void {
    if (this.raw === null) return;
    const raw = this.raw;
    this.raw = null;
    dispose(raw);
  }
}

/** Starts `cmd args…` in the background (counts against the principal's background-process quota). */
export function spawn(
  cmd: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): ChildProcess {
  const request = spawnRequest(cmd, args, options);
  return new ChildProcess(call(() => wit.spawnBackground(request)));
}

/** What `kill` found: whether a child was there, how it ended and its remaining output. */
export type Killed = {
  readonly killed: boolean;
  readonly exit: Exit | null;
  readonly stdout: string;
  readonly stderr: string;
};

/** A slice of a persistent child's output, read by cursor without consuming it. */
export interface LogChunk {
  readonly data: Uint8Array;
  /** The slice as UTF-8 text. */
  readonly text: string;
  /** Pass this as `cursor` to read on from here. */
  readonly next: string | null;
  /** Bytes between the cursor and the oldest byte still kept (dropped or drained). */
  readonly bytesDropped: number;
  /** The child has exited and everything was read. */
  readonly eof: boolean;
}

export interface ReadSinceOptions {
  readonly stream?: LogStream;
  /** From a previous chunk's `next`; none starts at the oldest byte kept. */
  readonly cursor?: string | null;
  /** At most this many bytes (default 64 KiB, at most 4 MiB). */
  readonly maxBytes?: number;
}

/**
 * Persistent children (`allow_persistent`): they outlive the call and the
 * instance, belong to the invoking (authenticated) principal and this
 * capsule, and are addressed by id.
 */
export const persistent = {
  /** Starts a child and returns its id (52 lowercase base32 characters). */
  start(cmd: string, args: readonly string[] = [], options: PersistentOptions = {}): string {
    const request = spawnRequest(cmd, args, options);
    return call(() => wit.spawnPersistent(request));
  },
  status(id: string): ProcessInfo {
    return processInfo(call(() => wit.status(id)));
  },
  /** The status of each id that exists (unknown ids are left out). */
  statusMany(ids: readonly string[]): ProcessInfo[] {
    return call(() => wit.statusMany([...ids])).map(processInfo);
  },
  /** The principal's children whose label contains `labelFilter`. */
  list(labelFilter?: string): ProcessInfo[] {
    return call(() => wit.listProcesses(labelFilter)).map(processInfo);
  },
  /** Drains both output rings. */
  readLogs(id: string): Logs {
    return logs(call(() => wit.readLogs(id)));
  },
  /** Reads output from a cursor without consuming it. */
  readSince(id: string, options: ReadSinceOptions = {}): LogChunk {
    const chunk = call(() =>
      wit.readSince(
        id,
        options.stream ?? 'stdout',
        { token: options.cursor ?? undefined },
        u32(options.maxBytes ?? 64 * 1024, 'maxBytes'),
      ),
    );
    return {
      data: chunk.data,
      text: fromUtf8(chunk.data),
      next: chunk.next.token ?? null,
      bytesDropped: num(chunk.bytesDropped),
      eof: chunk.drainedEof,
    };
  },
  /** Writes to stdin (started with `keepStdinOpen`; at most 1 MiB per call). */
  write(id: string, data: Uint8Array | string): number {
    const bytes = bytesOf(data);
    return call(() => wit.writeStdin(id, bytes));
  },
  closeStdin(id: string): void {
    call(() => wit.closeStdin(id));
  },
  signal(id: string, sig: Signal): void {
    call(() => wit.signal(id, sig));
  },
  /** Waits up to `timeoutMs` for the child to exit (`wait-timeout` otherwise); the record is kept. */
  wait(id: string, timeoutMs: number): Exit {
    return exitOf(call(() => wit.wait(id, u64(timeoutMs, 'timeoutMs'))));
  },
  /** SIGTERM, then SIGKILL after `graceMs` (default 5 s); the record is removed. */
  stop(id: string, graceMs?: number): Exit {
    return exitOf(call(() => wit.stop(id, optionalU64(graceMs, 'graceMs'))));
  },
  /** Forgets an exited child (`invalid-input` while it runs; unknown ids are fine). */
  release(id: string): void {
    call(() => wit.releaseProcess(id));
  },
  /** A handle on the child for this call (closing it does not stop the child). */
  attach(id: string): ChildProcess {
    return new ChildProcess(call(() => wit.attach(id)));
  },
  /** Publishes the child's output and exit on `astrid.process.v1.<suffix>.*`. */
  watch(id: string, suffix?: string): void {
    call(() => wit.watch(id, suffix));
  },
  unwatch(id: string): void {
    call(() => wit.unwatch(id));
  },
} as const;
