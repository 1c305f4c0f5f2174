import { UsageError } from '../../command-kit.js';

const UNIT_SECS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const RELATIVE = /^(?:\d+[smhdw])+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A time given on the command line as whole seconds since the epoch:
 * RFC 3339 (`2025-01-31T12:00:00Z`; a bare date is midnight UTC), unix
 * seconds (`1735689600`), or an age before `nowSecs` (`30m`, `1h`, `2d`,
 * `1h30m`; units s, m, h, d, w). Pure.
 */
export function parseTimeArg(flag: string, text: string, nowSecs: number): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  if (RELATIVE.test(value)) {
    let secs = 0;
    for (const [, n, unit] of value.matchAll(/(\d+)([smhdw])/g))
      secs += Number(n) * (UNIT_SECS[unit as string] ?? 0);
    return Math.max(0, nowSecs - secs);
  }
  if (DATE_ONLY.test(value) || DATE_TIME.test(value)) {
    const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value.replace(' ', 'T'));
    if (!Number.isNaN(ms) && ms >= 0) return Math.floor(ms / 1000);
  }
  throw new UsageError(
    `${flag} ${JSON.stringify(text)} is not a time: use RFC 3339 (2025-01-31T12:00:00Z), unix seconds (1735689600) or an age such as 30m, 1h or 2d`,
  );
}

/** `--limit`: a page size of 1–1000. Pure. */
export function parseLimit(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= 1000))
    throw new UsageError(
      `--limit must be a whole number from 1 to 1000 (got ${JSON.stringify(text)})`,
    );
  return n;
}
