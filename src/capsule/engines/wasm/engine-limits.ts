import { availableParallelism } from 'node:os';

export interface EngineLimits {
  /** Pool ceiling per capsule. */
  readonly poolMax: number;
  /** Instances kept warm. */
  readonly minIdle: number;
  /** Idle instances beyond `minIdle` are trimmed after this long. */
  readonly idleTrimMs: number;
  /** Fuel each interceptor call starts with. */
  readonly callFuel: bigint;
  /** How long a worker may take to instantiate the component. */
  readonly startTimeoutMs: number;
}

export const DEFAULT_CALL_FUEL = 10_000_000_000n;

/** Host-derived defaults: pool max `clamp(cores × 2, 8, 64)`, `min(4, max)` warm, 30 s trim. */
export function defaultEngineLimits(cores: number = availableParallelism()): EngineLimits {
  const poolMax = Math.min(64, Math.max(8, cores * 2));
  return {
    poolMax,
    minIdle: Math.min(4, poolMax),
    idleTrimMs: 30_000,
    callFuel: DEFAULT_CALL_FUEL,
    startTimeoutMs: 60_000,
  };
}
