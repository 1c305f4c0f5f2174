/** Sizes as people read them (`999 B`, `1.5 kB`, `2.5 MB`, `1.20 GB`; powers of 1000). Pure. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}
