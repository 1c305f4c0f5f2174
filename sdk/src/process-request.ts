/// <reference path="./wit/astrid-process-host.d.ts" />
import type * as wit from 'astrid:process/host@1.0.0';
import { utf8 } from './json.js';
import { num, optionalNum, optionalU64, u32 } from './numbers.js';

/** Resource limits for a child (the host applies them as rlimits). */
export interface Limits {
  readonly maxMemoryBytes?: number;
  readonly maxCpuSecs?: number;
  readonly maxPids?: number;
  readonly maxOpenFiles?: number;
}

/** How to start a child: it gets a minimal environment plus `env`, and runs in the workspace (or `cwd` inside it). */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** A working directory inside the workspace. */
  readonly cwd?: string;
  /** Bytes (or UTF-8 text) fed to the child's stdin. */
  readonly stdin?: string | Uint8Array;
  readonly limits?: Limits;
}

/** Options of background children (`process.spawn`). */
export interface SpawnOptions extends RunOptions {
  /** Keep stdin open for `write` after `stdin` is fed (default false: the child sees EOF). */
  readonly keepStdinOpen?: boolean;
}

/** Options of persistent children (`process.persistent.start`). */
export interface PersistentOptions extends SpawnOptions {
  /** A label for `list` (default: the command). */
  readonly label?: string;
  /** What happens when a log ring is full: drop the oldest bytes (default) or make the child wait. */
  readonly overflow?: 'drop-oldest' | 'backpressure';
  /** Bytes kept per output stream (default 1 MiB). */
  readonly logRingBytes?: number;
  readonly maxLifetimeMs?: number;
  /** The child is stopped after this long without a read, write, signal or wait (default 30 min). */
  readonly idleTimeoutMs?: number;
  /** How long an exited child's record and output are kept (default 5 min). */
  readonly exitRetentionMs?: number;
}

/** How a child ended: an exit code, or the signal that killed it. */
export type Exit = {
  readonly code: number | null;
  readonly signal: number | null;
};

/** A persistent child as the host reports it. */
export type ProcessInfo = {
  readonly id: string;
  readonly label: string;
  readonly command: string;
  readonly pid: number | null;
  readonly phase: 'starting' | 'running' | 'exited';
  readonly exit: Exit | null;
  readonly ageMs: number;
  readonly idleMs: number;
  readonly bufferedBytes: number;
  readonly bytesDropped: number;
  readonly stdinOpen: boolean;
  readonly cpuMs: number | null;
  readonly memBytesPeak: number | null;
};

function limits(l: Limits): wit.ResourceLimits {
  return {
    maxMemoryBytes: optionalU64(l.maxMemoryBytes, 'limits.maxMemoryBytes'),
    maxCpuSecs: optionalU64(l.maxCpuSecs, 'limits.maxCpuSecs'),
    maxPids: l.maxPids === undefined ? undefined : u32(l.maxPids, 'limits.maxPids'),
    maxOpenFiles:
      l.maxOpenFiles === undefined ? undefined : u32(l.maxOpenFiles, 'limits.maxOpenFiles'),
  };
}

/** The contract's spawn request for `cmd args…` and `options`. Pure. */
export function spawnRequest(
  cmd: string,
  args: readonly string[],
  options: PersistentOptions = {},
): wit.SpawnRequest {
  const stdin = options.stdin;
  return {
    cmd,
    args: [...args],
    stdin: stdin === undefined ? undefined : typeof stdin === 'string' ? utf8(stdin) : stdin,
    env: Object.entries(options.env ?? {}).map(([key, value]) => ({ key, value })),
    cwd: options.cwd,
    limits: options.limits === undefined ? undefined : limits(options.limits),
    label: options.label,
    keepStdinOpen: options.keepStdinOpen,
    overflow: options.overflow,
    logRingBytes:
      options.logRingBytes === undefined ? undefined : u32(options.logRingBytes, 'logRingBytes'),
    maxLifetimeMs: optionalU64(options.maxLifetimeMs, 'maxLifetimeMs'),
    idleTimeoutMs: optionalU64(options.idleTimeoutMs, 'idleTimeoutMs'),
    exitRetentionMs: optionalU64(options.exitRetentionMs, 'exitRetentionMs'),
  };
}

export function exitOf(e: wit.ExitInfo): Exit {
  return { code: e.exitCode ?? null, signal: e.signal ?? null };
}

export function processInfo(i: wit.ProcessInfo): ProcessInfo {
  return {
    id: i.id,
    label: i.label,
    command: i.command,
    pid: i.osPid ?? null,
    phase: i.phase,
    exit: i.exit === undefined ? null : exitOf(i.exit),
    ageMs: num(i.ageMs),
    idleMs: num(i.idleMs),
    bufferedBytes: num(i.bufferedBytes),
    bytesDropped: num(i.bytesDropped),
    stdinOpen: i.stdinOpen,
    cpuMs: optionalNum(i.cpuMs) ?? null,
    memBytesPeak: optionalNum(i.memBytesPeak) ?? null,
  };
}
