import { quotasFromWire, quotasToWire, type WireQuotas } from '../../../core/profiles/quotas.js';
import { isJsonObject } from '../../../events/json.js';
import type { AdminBody } from '../../../kernel/admin/admin-body.js';
import { answerData, malformed } from '../agent/admin-answer.js';

/** Decodes a Quotas answer (validated by the core quota rules). Pure. */
export function quotasOf(body: AdminBody): WireQuotas {
  const parsed = quotasFromWire(answerData(body, 'Quotas'));
  if (!parsed.ok) throw malformed(`quota block (${parsed.error.message})`);
  return quotasToWire(parsed.value);
}

/** The Usage answer: what a principal has consumed against its quotas. */
export interface UsageRecord {
  readonly principal: string;
  readonly cpu_fuel_consumed_total: number;
  readonly cpu_fuel_per_sec_limit: number;
  readonly exempt: boolean;
  readonly memory_bytes_limit_per_instance: number;
  readonly memory_bytes_current_total: number | null;
  readonly memory_bytes_peak_total: number | null;
}

function nullableNumber(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

/** Decodes a Usage answer. Pure. */
export function usageOf(body: AdminBody): UsageRecord {
  const d = answerData(body, 'Usage');
  if (
    !isJsonObject(d) ||
    typeof d.principal !== 'string' ||
    typeof d.cpu_fuel_consumed_total !== 'number' ||
    typeof d.cpu_fuel_per_sec_limit !== 'number' ||
    typeof d.exempt !== 'boolean' ||
    typeof d.memory_bytes_limit_per_instance !== 'number' ||
    !nullableNumber(d.memory_bytes_current_total) ||
    !nullableNumber(d.memory_bytes_peak_total)
  ) {
    throw malformed('usage record');
  }
  return {
    principal: d.principal,
    cpu_fuel_consumed_total: d.cpu_fuel_consumed_total,
    cpu_fuel_per_sec_limit: d.cpu_fuel_per_sec_limit,
    exempt: d.exempt,
    memory_bytes_limit_per_instance: d.memory_bytes_limit_per_instance,
    memory_bytes_current_total: d.memory_bytes_current_total,
    memory_bytes_peak_total: d.memory_bytes_peak_total,
  };
}
