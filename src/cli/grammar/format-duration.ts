const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/**
 * Whole seconds in the duration grammar's own notation (`1h30m`, `1d`, `45s`,
 * `0s`), so what the CLI prints can be typed back in. Pure.
 */
export function formatDuration(secs: number): string {
  if (!Number.isSafeInteger(secs) || secs < 0) return `${secs}s`;
  if (secs === 0) return '0s';
  let rest = secs;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
