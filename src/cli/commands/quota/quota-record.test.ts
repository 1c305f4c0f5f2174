import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, quotasToWire } from '../../../core/profiles/quotas.js';
import { quotasOf, usageOf } from './quota-record.js';

describe('quota answers', () => {
  it('decodes a Quotas answer through the core validation', () => {
    const wire = quotasToWire(DEFAULT_QUOTAS);
    expect(quotasOf({ status: 'Quotas', data: { ...wire } })).toEqual(wire);
    expect(() => quotasOf({ status: 'Quotas', data: { max_timeout_secs: 0 } })).toThrow(
      /malformed quota block/,
    );
    expect(() => quotasOf({ status: 'Usage', data: {} })).toThrow(/Quotas was expected/);
  });

  it('decodes a Usage answer', () => {
    const data = {
      principal: 'bob',
      cpu_fuel_consumed_total: 0,
      cpu_fuel_per_sec_limit: 5,
      exempt: false,
      memory_bytes_limit_per_instance: 10,
      memory_bytes_current_total: null,
      memory_bytes_peak_total: null,
    };
    expect(usageOf({ status: 'Usage', data })).toEqual(data);
    expect(() => usageOf({ status: 'Usage', data: { ...data, exempt: 'no' } })).toThrow(
      /malformed usage record/,
    );
  });
});
