import type { CpuRateLimiter } from './cpu-rate-limiter.js';
import type { FuelLedger } from './fuel-ledger.js';
import type { MemoryLedger } from './memory-ledger.js';

/** The process-wide accounting every engine charges and the kernel reports. */
export interface Ledgers {
  readonly fuel: FuelLedger;
  readonly memory: MemoryLedger;
  readonly cpu: CpuRateLimiter;
}
