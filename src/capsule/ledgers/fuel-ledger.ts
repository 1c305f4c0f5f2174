import type { PrincipalId } from '../../core/ids/principal-id.js';

export const U64_MAX = (1n << 64n) - 1n;

/**
 * Total fuel each principal has consumed across every capsule (telemetry for
 * usage reports). Saturating; never evicted.
 */
export class FuelLedger {
  private readonly totals = new Map<PrincipalId, bigint>();

  charge(principal: PrincipalId, fuel: bigint): void {
    if (fuel <= 0n) return;
    const next = (this.totals.get(principal) ?? 0n) + fuel;
    this.totals.set(principal, next > U64_MAX ? U64_MAX : next);
  }

  total(principal: PrincipalId): bigint {
    return this.totals.get(principal) ?? 0n;
  }

  get size(): number {
    return this.totals.size;
  }
}
