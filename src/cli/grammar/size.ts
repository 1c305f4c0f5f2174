import { type AstridError, err, invalidInput, ok, type Result } from '../../core/errors.js';

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['', 1n],
  ['b', 1n],
  ['k', 1000n],
  ['kb', 1000n],
  ['kib', 1024n],
  ['m', 1000n ** 2n],
  ['mb', 1000n ** 2n],
  ['mib', 1024n ** 2n],
  ['g', 1000n ** 3n],
  ['gb', 1000n ** 3n],
  ['gib', 1024n ** 3n],
  ['t', 1000n ** 4n],
  ['tb', 1000n ** 4n],
  ['tib', 1024n ** 4n],
]);

const SIZE = /^(\d+)(?:\.(\d+))?\s*([A-Za-z]*)\s*(\/\s*s)?$/;

const SIZE_EXAMPLE =
  'e.g. 512MiB, 1.5GB or 4096 (units B, K/KB, KiB, M/MB, MiB, G/GB, GiB, T/TB, TiB)';
const RATE_EXAMPLE =
  'e.g. 1MB/s, 512KiB/s or 10MiB (units B, K/KB, KiB, M/MB, MiB, G/GB, GiB, T/TB, TiB)';

export type SizeKind = 'size' | 'rate';

/**
 * Parses a byte size: a number (a decimal fraction is allowed) with an
 * optional unit — `B` or none = 1, `K`/`KB` = 1000, `KiB` = 1024, and so on up
 * to `T`/`TB`/`TiB`, case-insensitive. A `rate` may end in `/s`; a `size` may
 * not. Arithmetic is exact: the result must be a whole number of bytes and a
 * safe integer. Pure.
 */
export function parseSize(text: string, kind: SizeKind = 'size'): Result<number, AstridError> {
  const example = kind === 'rate' ? RATE_EXAMPLE : SIZE_EXAMPLE;
  const quoted = JSON.stringify(text);
  const m = SIZE.exec(text.trim());
  if (m === null) {
    return err(
      invalidInput(`invalid ${kind} ${quoted}: write a number with an optional unit, ${example}`),
    );
  }
  const [, whole = '', fraction = '', unit = '', perSecond] = m;
  const multiplier = UNITS.get(unit.toLowerCase());
  if (multiplier === undefined) {
    return err(
      invalidInput(`invalid ${kind} ${quoted}: unknown unit ${JSON.stringify(unit)}; ${example}`),
    );
  }
  if (perSecond !== undefined && kind === 'size') {
    return err(
      invalidInput(`invalid size ${quoted}: '/s' belongs to rates; give a size, ${SIZE_EXAMPLE}`),
    );
  }
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(`${whole}${fraction}`) * multiplier;
  if (scaled % scale !== 0n) {
    return err(
      invalidInput(`invalid ${kind} ${quoted}: it is not a whole number of bytes; ${example}`),
    );
  }
  const bytes = scaled / scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err(
      invalidInput(
        `invalid ${kind} ${quoted}: too large (the limit is ${Number.MAX_SAFE_INTEGER} bytes)`,
      ),
    );
  }
  return ok(Number(bytes));
}
