import { stripControlChars } from '../control-chars.js';
import { HostError } from '../host-error.js';

export const MAX_STDIN_PRELUDE = 4 * 1024 * 1024;
export const MAX_ARGS = 4096;
export const MAX_ARG_BYTES = 1024 * 1024;
export const MAX_ENV_VARS = 256;
export const MAX_LABEL_BYTES = 128;
export const DEFAULT_RING_BYTES = 1024 * 1024;
export const MIN_RING_BYTES = 4 * 1024;
export const MAX_RING_BYTES = 8 * 1024 * 1024;
export const HOUR_MS = 60 * 60 * 1000;
export const DEFAULT_MAX_LIFETIME_MS = 6 * HOUR_MS;
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const DEFAULT_EXIT_RETENTION_MS = 5 * 60 * 1000;
export const MAX_EXIT_RETENTION_MS = HOUR_MS;

export type OverflowPolicy = 'drop-oldest' | 'backpressure';

export interface ResourceLimits {
  readonly maxMemoryBytes: number | null;
  readonly maxCpuSecs: number | null;
  readonly maxPids: number | null;
  readonly maxOpenFiles: number | null;
}

/** What the guest sends (jco's shape of `spawn-request`). */
export interface GuestSpawnRequest {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly stdin?: Uint8Array | undefined;
  readonly env: readonly { readonly key: string; readonly value: string }[];
  readonly cwd?: string | undefined;
  readonly limits?:
    | {
        readonly maxMemoryBytes?: bigint | undefined;
        readonly maxCpuSecs?: bigint | undefined;
        readonly maxPids?: number | undefined;
        readonly maxOpenFiles?: number | undefined;
      }
    | undefined;
  readonly label?: string | undefined;
  readonly keepStdinOpen?: boolean | undefined;
  readonly overflow?: OverflowPolicy | undefined;
  readonly logRingBytes?: number | undefined;
  readonly maxLifetimeMs?: bigint | undefined;
  readonly idleTimeoutMs?: bigint | undefined;
  readonly exitRetentionMs?: bigint | undefined;
}

/** A validated spawn request with every default applied and every guest value clamped. */
export interface SpawnSpec {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly stdin: Uint8Array | null;
  readonly env: readonly (readonly [string, string])[];
  readonly cwd: string | null;
  readonly limits: ResourceLimits;
  readonly label: string;
  readonly keepStdinOpen: boolean;
  readonly overflow: OverflowPolicy;
  readonly ringBytes: number;
  readonly maxLifetimeMs: number;
  readonly idleTimeoutMs: number;
  readonly exitRetentionMs: number;
}

const invalid = (message: string) => new HostError('invalid-input', message);
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function ms(value: bigint | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  return value > BigInt(max) ? max : Number(value);
}

function positive(value: bigint | number | undefined, what: string, min: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw invalid(`limits.${what} must be at least ${min} (got ${n})`);
  return n;
}

/** Cuts to at most `max` UTF-8 bytes without splitting a character. Pure. */
export function truncateUtf8(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * Validates a guest spawn request: the program (no whitespace — arguments go
 * in `args`), arguments, environment names, the stdin prelude size, resource
 * limits; applies defaults and clamps the lifetimes down to the host's
 * ceilings. `persistent` selects the persistent tier's defaults. Pure.
 */
export function checkSpawnRequest(request: GuestSpawnRequest, persistent: boolean): SpawnSpec {
  const cmd = request.cmd;
  if (typeof cmd !== 'string' || cmd.length === 0) throw invalid('cmd must name a program');
  if (cmd.includes('\0')) throw invalid('cmd must not contain NUL');
  if (/\s/.test(cmd))
    throw invalid(
      `cmd ${JSON.stringify(cmd)} contains whitespace; put the program in cmd and each argument in args`,
    );
  if (request.args.length > MAX_ARGS) throw invalid(`at most ${MAX_ARGS} arguments`);
  let argBytes = 0;
  for (const a of request.args) {
    if (a.includes('\0')) throw invalid('arguments must not contain NUL');
    argBytes += Buffer.byteLength(a);
  }
  if (argBytes > MAX_ARG_BYTES) throw invalid(`the arguments exceed ${MAX_ARG_BYTES} bytes`);
  if (request.env.length > MAX_ENV_VARS)
    throw invalid(`at most ${MAX_ENV_VARS} environment variables`);
  const env: [string, string][] = [];
  for (const { key, value } of request.env) {
    if (!ENV_KEY.test(key))
      throw invalid(`${JSON.stringify(key)} is not a valid environment variable name`);
    if (value.includes('\0')) throw invalid(`the value of ${key} contains NUL`);
    env.push([key, value]);
  }
  const stdin = request.stdin ?? null;
  if (stdin !== null && stdin.length > MAX_STDIN_PRELUDE) {
    throw new HostError(
      'too-large',
      `the stdin prelude is ${stdin.length} bytes; the limit is ${MAX_STDIN_PRELUDE}`,
    );
  }
  if (request.idleTimeoutMs === 0n)
    throw invalid('idle-timeout-ms must be positive (leave it unset for the default)');
  const l = request.limits;
  const limits: ResourceLimits = {
    maxMemoryBytes: positive(l?.maxMemoryBytes, 'max-memory-bytes', 1024 * 1024),
    maxCpuSecs: positive(l?.maxCpuSecs, 'max-cpu-secs', 1),
    maxPids: positive(l?.maxPids, 'max-pids', 1),
    maxOpenFiles: positive(l?.maxOpenFiles, 'max-open-files', 4),
  };
  const command = [cmd, ...request.args].join(' ');
  const label = truncateUtf8(stripControlChars(request.label ?? command), MAX_LABEL_BYTES);
  const ring = request.logRingBytes ?? DEFAULT_RING_BYTES;
  return {
    cmd,
    args: [...request.args],
    stdin,
    env,
    cwd: request.cwd ?? null,
    limits,
    label,
    keepStdinOpen: request.keepStdinOpen === true,
    overflow: request.overflow ?? (persistent ? 'drop-oldest' : 'backpressure'),
    ringBytes: Math.min(Math.max(ring, MIN_RING_BYTES), MAX_RING_BYTES),
    maxLifetimeMs: ms(request.maxLifetimeMs, DEFAULT_MAX_LIFETIME_MS, DEFAULT_MAX_LIFETIME_MS),
    idleTimeoutMs: ms(request.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 6 * HOUR_MS),
    exitRetentionMs: ms(request.exitRetentionMs, DEFAULT_EXIT_RETENTION_MS, MAX_EXIT_RETENTION_MS),
  };
}
