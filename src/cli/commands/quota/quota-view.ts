import { QUOTA_WIRE_KEYS, type WireQuotas } from '../../../core/profiles/quotas.js';
import { formatDuration } from '../../grammar/format-duration.js';
import { formatRate, formatSize } from '../../grammar/format-size.js';
import type { UsageRecord } from './quota-record.js';

type WireKey = keyof WireQuotas;

const LABELS: Readonly<Record<WireKey, string>> = {
  max_memory_bytes: 'memory per instance',
  max_timeout_secs: 'call timeout',
  max_ipc_throughput_bytes: 'IPC throughput',
  max_background_processes: 'background processes',
  max_storage_bytes: 'storage',
  max_cpu_fuel_per_sec: 'CPU fuel per second',
};

/** One quota value for people (`256 MiB`, `1h (3600 s)`, `1 MB/s`). Pure. */
export function quotaValueText(key: WireKey, value: number): string {
  switch (key) {
    case 'max_memory_bytes':
    case 'max_storage_bytes':
      return formatSize(value);
    case 'max_ipc_throughput_bytes':
      return formatRate(value);
    case 'max_timeout_secs':
      return `${formatDuration(value)} (${value} s)`;
    case 'max_background_processes':
    case 'max_cpu_fuel_per_sec':
      return String(value);
  }
}

/** The rows of a quota block, in the kernel's field order, labelled for people. Pure. */
export function quotaRows(quotas: WireQuotas): [string, string][] {
  return (Object.values(QUOTA_WIRE_KEYS) as WireKey[]).map((key) => [
    LABELS[key],
    quotaValueText(key, quotas[key]),
  ]);
}

/** The rows of a usage record for people. Pure. */
export function usageRows(usage: UsageRecord): [string, string][] {
  const bytes = (n: number | null) => (n === null ? '—' : formatSize(n));
  return [
    ['CPU fuel consumed', String(usage.cpu_fuel_consumed_total)],
    ['CPU fuel per second limit', String(usage.cpu_fuel_per_sec_limit)],
    ['memory limit per instance', formatSize(usage.memory_bytes_limit_per_instance)],
    ['memory now (all instances)', bytes(usage.memory_bytes_current_total)],
    ['memory peak (all instances)', bytes(usage.memory_bytes_peak_total)],
    ['exempt from CPU/memory bounds', usage.exempt ? 'yes' : 'no'],
  ];
}

/** Changed fields as `label: old → new` lines. Pure. */
export function changeLines(before: WireQuotas, after: WireQuotas): string[] {
  const lines: string[] = [];
  for (const key of Object.values(QUOTA_WIRE_KEYS) as WireKey[]) {
    if (before[key] !== after[key]) {
      lines.push(
        `${LABELS[key]}: ${quotaValueText(key, before[key])} → ${quotaValueText(key, after[key])}`,
      );
    }
  }
  return lines;
}

/** Aligned `label  value` lines under a title, indented by two spaces. Pure. */
export function block(title: string, rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return `${title}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
