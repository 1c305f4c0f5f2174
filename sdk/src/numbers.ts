/**
 * Conversions between the JavaScript numbers capsule code uses and the
 * integer types of the host contract (`u32`, `u64` as bigint).
 */

const U32_MAX = 0xffff_ffff;

function whole(value: number, what: string, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > max)
    throw new RangeError(`${what} must be a number from 0 to ${max} (got ${String(value)})`);
  return Math.floor(value);
}

/** A non-negative count or duration as the contract's `u64` (fractions are dropped). */
export function u64(value: number, what: string): bigint {
  return BigInt(whole(value, what, Number.MAX_SAFE_INTEGER));
}

/** `u64`, or undefined (the contract's `option<u64>`: none). */
export function optionalU64(value: number | undefined, what: string): bigint | undefined {
  return value === undefined ? undefined : u64(value, what);
}

/** A port number or other `u16`. */
export function u16(value: number, what: string): number {
  return whole(value, what, 0xffff);
}

/** A non-negative count as the contract's `u32` (fractions are dropped). */
export function u32(value: number, what: string): number {
  return whole(value, what, U32_MAX);
}

/** A `u64`/`s64` from the host as a number (exact up to 2^53). */
export function num(value: bigint): number {
  return Number(value);
}

/** An `option<u64>` from the host as a number or undefined. */
export function optionalNum(value: bigint | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}
