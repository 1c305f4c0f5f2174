import { type AstridError, err, invalidInput, ok, type Result } from '../../core/errors.js';

const UNIT_MS: ReadonlyMap<string, bigint> = new Map([
  ['ms', 1n],
  ['s', 1000n],
  ['m', 60_000n],
  ['h', 3_600_000n],
  ['d', 86_400_000n],
]);

/** Components `<num><unit>`, then an optional bare number (seconds); spaces between components are allowed. */
const WHOLE = /^(?:\d+\s*(?:ms|s|m|h|d)\s*)*(?:\d+)?$/i;
const PART = /(\d+)\s*(ms|s|m|h|d)?/gi;

const EXAMPLE =
  'use whole seconds (90) or numbers with units ms, s, m, h, d, e.g. 45s, 1h30m or 2d';

/**
 * Parses a duration into milliseconds: a plain integer is seconds; otherwise
 * concatenated `<num><unit>` components (units `ms s m h d`, case-insensitive)
 * that add up, where a trailing bare number adds seconds (`1m30` = 90 s). Pure.
 */
export function parseDurationMs(text: string): Result<number, AstridError> {
  const trimmed = text.trim();
  const quoted = JSON.stringify(text);
  if (trimmed.length === 0 || !WHOLE.test(trimmed)) {
    const hint = /\d\.\d/.test(trimmed) ? ' (no fractions: write 1h30m, not 1.5h)' : '';
    return err(invalidInput(`invalid duration ${quoted}${hint}: ${EXAMPLE}`));
  }
  let total = 0n;
  for (const [, num = '0', unit] of trimmed.matchAll(PART)) {
    const factor = UNIT_MS.get((unit ?? 's').toLowerCase()) ?? 1000n;
    total += BigInt(num) * factor;
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err(invalidInput(`invalid duration ${quoted}: too long`));
  }
  return ok(Number(total));
}

/** Parses a duration that must be a whole number of seconds (`500ms` is refused). Pure. */
export function parseDurationSecs(text: string): Result<number, AstridError> {
  const ms = parseDurationMs(text);
  if (!ms.ok) return ms;
  if (ms.value % 1000 !== 0) {
    return err(
      invalidInput(`invalid duration ${JSON.stringify(text)}: it is not a whole number of seconds`),
    );
  }
  return ok(ms.value / 1000);
}
