const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
const DECIMAL = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * The largest unit power `k` (≤ 4) of `base` with `bytes ≥ base^k` in which
 * `bytes` has at most two decimals exactly.
 */
function tidyPower(bytes: bigint, base: bigint): number {
  for (let k = 4; k > 0; k--) {
    const unit = base ** BigInt(k);
    if (bytes >= unit && (bytes * 100n) % unit === 0n) return k;
  }
  return 0;
}

function trimmed(value: number): string {
  return value.toFixed(2).replace(/\.?0+$/, '');
}

/**
 * A byte count for people, in units the size grammar accepts: exact binary
 * (`256 MiB`, `1.5 GiB`) or decimal (`1 MB`) when one of them needs at most
 * two decimals — the larger unit wins, binary on a tie — else binary rounded
 * to two decimals (`1.23 GiB`). Pure.
 */
export function formatSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) return `${bytes} B`;
  const big = BigInt(bytes);
  const binary = tidyPower(big, 1024n);
  const decimal = tidyPower(big, 1000n);
  if (binary > 0 || decimal > 0) {
    return binary >= decimal
      ? `${trimmed(bytes / 1024 ** binary)} ${BINARY[binary]}`
      : `${trimmed(bytes / 1000 ** decimal)} ${DECIMAL[decimal]}`;
  }
  let k = 0;
  while (k < 4 && bytes >= 1024 ** (k + 1)) k++;
  return k === 0 ? `${bytes} B` : `${trimmed(bytes / 1024 ** k)} ${BINARY[k]}`;
}

/** A byte rate for people (`1 MB/s`). Pure. */
export function formatRate(bytesPerSec: number): string {
  return `${formatSize(bytesPerSec)}/s`;
}
