import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';

/** Per-principal resource quotas. All values are non-negative integers. */
export interface Quotas {
  /** Linear-memory cap per WASM instance, bytes. */
  readonly maxMemoryBytes: number;
  /** Wall-clock limit for one capsule call, seconds (1..=86400). */
  readonly maxTimeoutSecs: number;
  /** IPC bytes (topic + payload) published per second, per capsule. */
  readonly maxIpcThroughputBytes: number;
  /** Concurrent background processes (0..=256). */
  readonly maxBackgroundProcesses: number;
  /** Total KV/storage bytes. */
  readonly maxStorageBytes: number;
  /** WASM fuel per second across all calls; exemption is a capability, not a value. */
  readonly maxCpuFuelPerSec: number;
}

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
export const MAX_TIMEOUT_SECS_LIMIT = 86_400;
export const MAX_BACKGROUND_PROCESSES_LIMIT = 256;

export const DEFAULT_QUOTAS: Quotas = Object.freeze({
  maxMemoryBytes: 64 * MIB,
  maxTimeoutSecs: 300,
  maxIpcThroughputBytes: 10 * MIB,
  maxBackgroundProcesses: 8,
  maxStorageBytes: GIB,
  maxCpuFuelPerSec: 2_000_000_000,
});

/** The wire/file names of each quota (snake_case, as in TOML and JSON). */
export const QUOTA_WIRE_KEYS = {
  maxMemoryBytes: 'max_memory_bytes',
  maxTimeoutSecs: 'max_timeout_secs',
  maxIpcThroughputBytes: 'max_ipc_throughput_bytes',
  maxBackgroundProcesses: 'max_background_processes',
  maxStorageBytes: 'max_storage_bytes',
  maxCpuFuelPerSec: 'max_cpu_fuel_per_sec',
} as const satisfies Record<keyof Quotas, string>;

export type QuotaField = keyof Quotas;
export type QuotaWireKey = (typeof QUOTA_WIRE_KEYS)[QuotaField];
export type WireQuotas = { [K in QuotaField as (typeof QUOTA_WIRE_KEYS)[K]]: number };

const FIELDS = Object.keys(QUOTA_WIRE_KEYS) as QuotaField[];
const FIELD_BY_WIRE = new Map<string, QuotaField>(FIELDS.map((f) => [QUOTA_WIRE_KEYS[f], f]));

interface Bound {
  readonly min: number;
  readonly max: number;
}

export const QUOTA_BOUNDS: Readonly<Record<QuotaField, Bound>> = Object.freeze({
  maxMemoryBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxTimeoutSecs: { min: 1, max: MAX_TIMEOUT_SECS_LIMIT },
  maxIpcThroughputBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxBackgroundProcesses: { min: 0, max: MAX_BACKGROUND_PROCESSES_LIMIT },
  maxStorageBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxCpuFuelPerSec: { min: 1, max: Number.MAX_SAFE_INTEGER },
});

/** Checks one quota value against its bounds. */
export function checkQuotaValue(field: QuotaField, value: unknown): Result<number, AstridError> {
  const key = QUOTA_WIRE_KEYS[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    return err(invalidInput(`${key} must be a whole number (got ${JSON.stringify(value)})`));
  }
  const { min, max } = QUOTA_BOUNDS[field];
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    return err(invalidInput(`${key} must be ${range} (got ${value})`));
  }
  return ok(value);
}

/** Validates a whole quota block. */
export function checkQuotas(quotas: Quotas): Result<Quotas, AstridError> {
  for (const field of FIELDS) {
    const checked = checkQuotaValue(field, quotas[field]);
    if (!checked.ok) return checked;
  }
  return ok(quotas);
}

/**
 * Parses a quota block from its wire form (JSON object or TOML table):
 * omitted fields take their defaults, unknown fields are rejected, every value
 * is bounds-checked.
 */
export function quotasFromWire(value: unknown): Result<Quotas, AstridError> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(invalidInput('quotas must be an object'));
  }
  const out: Record<QuotaField, number> = { ...DEFAULT_QUOTAS };
  for (const [key, raw] of Object.entries(value)) {
    const field = FIELD_BY_WIRE.get(key);
    if (field === undefined) {
      return err(
        invalidInput(
          `unknown quota ${JSON.stringify(key)}; known quotas: ${[...FIELD_BY_WIRE.keys()].join(', ')}`,
        ),
      );
    }
    const checked = checkQuotaValue(field, raw);
    if (!checked.ok) return checked;
    out[field] = checked.value;
  }
  return ok(Object.freeze(out));
}

export function quotasToWire(quotas: Quotas): WireQuotas {
  const out: Record<string, number> = {};
  for (const field of FIELDS) out[QUOTA_WIRE_KEYS[field]] = quotas[field];
  return out as WireQuotas;
}

/** Resolves a wire key (`max_memory_bytes`) or field name to its field. */
export function quotaFieldOf(name: string): QuotaField | undefined {
  if ((FIELDS as string[]).includes(name)) return name as QuotaField;
  return FIELD_BY_WIRE.get(name);
}
