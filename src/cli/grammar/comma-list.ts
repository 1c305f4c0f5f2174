/**
 * Splits a comma-separated option value into trimmed, non-empty items
 * (`"a, b,,c"` → `["a", "b", "c"]`). Pure.
 */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * A commander option reducer for repeatable, comma-separated options:
 * `--group a --group b,c` → `["a", "b", "c"]`. Pure.
 */
export function collectList(value: string, previous: readonly string[] = []): string[] {
  return [...previous, ...splitList(value)];
}
