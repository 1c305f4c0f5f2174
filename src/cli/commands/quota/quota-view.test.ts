import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, quotasToWire } from '../../../core/profiles/quotas.js';
import { block, changeLines, quotaRows, usageRows } from './quota-view.js';

describe('quota views', () => {
  it('labels quota values for people', () => {
    expect(quotaRows(quotasToWire(DEFAULT_QUOTAS))).toEqual([
      ['memory per instance', '64 MiB'],
      ['call timeout', '5m (300 s)'],
      ['IPC throughput', '10 MiB/s'],
      ['background processes', '8'],
      ['storage', '1 GiB'],
      ['CPU fuel per second', '2000000000'],
    ]);
  });

  it('lists only changed fields', () => {
    const before = quotasToWire(DEFAULT_QUOTAS);
    expect(changeLines(before, { ...before, max_timeout_secs: 3600 })).toEqual([
      'call timeout: 5m (300 s) → 1h (3600 s)',
    ]);
    expect(changeLines(before, before)).toEqual([]);
  });

  it('shows usage with dashes for unknown figures', () => {
    const rows = usageRows({
      principal: 'bob',
      cpu_fuel_consumed_total: 12,
      cpu_fuel_per_sec_limit: 100,
      exempt: true,
      memory_bytes_limit_per_instance: 1024,
      memory_bytes_current_total: null,
      memory_bytes_peak_total: 2048,
    });
    expect(rows).toContainEqual(['memory now (all instances)', '—']);
    expect(rows).toContainEqual(['memory peak (all instances)', '2 KiB']);
    expect(rows).toContainEqual(['exempt from CPU/memory bounds', 'yes']);
  });

  it('aligns a block', () => {
    expect(
      block('T', [
        ['a', '1'],
        ['long', '2'],
      ]),
    ).toBe('T\n  a     1\n  long  2\n');
  });
});
