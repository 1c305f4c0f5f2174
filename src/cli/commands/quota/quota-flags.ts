import { type AstridError, err, invalidInput, ok, type Result } from '../../../core/errors.js';
import {
  MAX_BACKGROUND_PROCESSES_LIMIT,
  MAX_TIMEOUT_SECS_LIMIT,
  type QuotaWireKey,
  type WireQuotas,
} from '../../../core/profiles/quotas.js';
import { parseCount } from '../../grammar/count.js';
import { parseDurationSecs } from '../../grammar/duration.js';
import { formatDuration } from '../../grammar/format-duration.js';
import { parseSize } from '../../grammar/size.js';

/** The quota flags shared by `quota set` and `agent create` (raw strings as typed). */
export interface QuotaFlags {
  readonly memory?: string;
  readonly timeout?: string;
  readonly storage?: string;
  readonly processes?: string;
  readonly ipcRate?: string;
  readonly cpuFuel?: string;
}

export type QuotaChanges = Partial<WireQuotas>;

function flagError(flag: string, message: string): AstridError {
  return invalidInput(`${flag}: ${message}`);
}

/**
 * Turns the quota flags into wire quota values, checking each against the
 * kernel's bounds with a message that names the flag (the kernel checks them
 * again). Flags not given are left out. Pure.
 */
export function quotaChanges(flags: QuotaFlags): Result<QuotaChanges, AstridError> {
  const out: Record<string, number> = {};
  const set = (key: QuotaWireKey, value: number) => {
    out[key] = value;
  };

  for (const [flag, raw, key, kind] of [
    ['--memory', flags.memory, 'max_memory_bytes', 'size'],
    ['--storage', flags.storage, 'max_storage_bytes', 'size'],
    ['--ipc-rate', flags.ipcRate, 'max_ipc_throughput_bytes', 'rate'],
  ] as const) {
    if (raw === undefined) continue;
    const bytes = parseSize(raw, kind);
    if (!bytes.ok) return err(flagError(flag, bytes.error.message));
    if (bytes.value < 1) return err(flagError(flag, `must be at least 1 byte (got ${raw})`));
    set(key, bytes.value);
  }

  if (flags.timeout !== undefined) {
    const secs = parseDurationSecs(flags.timeout);
    if (!secs.ok) return err(flagError('--timeout', secs.error.message));
    if (secs.value < 1 || secs.value > MAX_TIMEOUT_SECS_LIMIT) {
      return err(
        flagError(
          '--timeout',
          `must be between 1s and ${formatDuration(MAX_TIMEOUT_SECS_LIMIT)} (${MAX_TIMEOUT_SECS_LIMIT} s); ${flags.timeout} is ${secs.value} s`,
        ),
      );
    }
    set('max_timeout_secs', secs.value);
  }

  if (flags.processes !== undefined) {
    const n = parseCount(flags.processes);
    if (!n.ok) return err(flagError('--processes', n.error.message));
    if (n.value > MAX_BACKGROUND_PROCESSES_LIMIT) {
      return err(
        flagError(
          '--processes',
          `must be between 0 and ${MAX_BACKGROUND_PROCESSES_LIMIT} (got ${n.value})`,
        ),
      );
    }
    set('max_background_processes', n.value);
  }

  if (flags.cpuFuel !== undefined) {
    const n = parseCount(flags.cpuFuel);
    if (!n.ok) return err(flagError('--cpu-fuel', n.error.message));
    if (n.value < 1) return err(flagError('--cpu-fuel', 'must be at least 1'));
    set('max_cpu_fuel_per_sec', n.value);
  }
  return ok(out as QuotaChanges);
}

export function changeCount(changes: QuotaChanges): number {
  return Object.keys(changes).length;
}

/** The quota block to send: the current one with the changes applied. Pure. */
export function applyQuotaChanges(current: WireQuotas, changes: QuotaChanges): WireQuotas {
  return { ...current, ...changes };
}
