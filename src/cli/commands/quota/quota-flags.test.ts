import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, quotasToWire } from '../../../core/profiles/quotas.js';
import { applyQuotaChanges, changeCount, quotaChanges } from './quota-flags.js';

function changes(flags: Parameters<typeof quotaChanges>[0]) {
  const r = quotaChanges(flags);
  if (!r.ok) throw r.error;
  return r.value;
}

function failure(flags: Parameters<typeof quotaChanges>[0]): string {
  const r = quotaChanges(flags);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(flags)}`);
  expect(r.error.code).toBe('invalid-input');
  return r.error.message;
}

describe('quotaChanges', () => {
  it('maps each flag to its wire quota', () => {
    expect(
      changes({
        memory: '1.5GiB',
        timeout: '1h30m',
        storage: '2GB',
        processes: '4',
        ipcRate: '1MB/s',
        cpuFuel: '1_000_000',
      }),
    ).toEqual({
      max_memory_bytes: 1_610_612_736,
      max_timeout_secs: 5400,
      max_storage_bytes: 2e9,
      max_background_processes: 4,
      max_ipc_throughput_bytes: 1_000_000,
      max_cpu_fuel_per_sec: 1_000_000,
    });
    expect(changeCount(changes({}))).toBe(0);
    expect(changeCount(changes({ processes: '0' }))).toBe(1);
  });

  it('enforces the kernel bounds with messages naming the flag', () => {
    expect(failure({ timeout: '2d' })).toBe(
      '--timeout: must be between 1s and 1d (86400 s); 2d is 172800 s',
    );
    expect(failure({ timeout: '0' })).toMatch(/^--timeout: must be between 1s and 1d/);
    expect(changes({ timeout: '1d' })).toEqual({ max_timeout_secs: 86_400 });
    expect(failure({ processes: '257' })).toBe('--processes: must be between 0 and 256 (got 257)');
    expect(changes({ processes: '256' })).toEqual({ max_background_processes: 256 });
    expect(failure({ memory: '0' })).toBe('--memory: must be at least 1 byte (got 0)');
    expect(failure({ cpuFuel: '0' })).toBe('--cpu-fuel: must be at least 1');
  });

  it('passes grammar errors through, prefixed by the flag', () => {
    expect(failure({ memory: 'lots' })).toMatch(/^--memory: invalid size "lots"/);
    expect(failure({ memory: '1MB/s' })).toMatch(/^--memory: .*belongs to rates/);
    expect(failure({ ipcRate: 'fast' })).toMatch(/^--ipc-rate: invalid rate "fast"/);
    expect(failure({ timeout: '1.5h' })).toMatch(/^--timeout: invalid duration/);
    expect(failure({ timeout: '500ms' })).toMatch(/not a whole number of seconds/);
    expect(failure({ processes: '-1' })).toMatch(/^--processes: invalid number/);
  });
});

describe('applyQuotaChanges', () => {
  it('keeps the fields not given', () => {
    const current = quotasToWire(DEFAULT_QUOTAS);
    const next = applyQuotaChanges(current, { max_background_processes: 2 });
    expect(next).toEqual({ ...current, max_background_processes: 2 });
  });
});
