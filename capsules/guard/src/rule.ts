import type { JsonValue } from '@astrid/sdk';

/** Used when `BLOCKED_WORDS` is unset. */
export const DEFAULT_BLOCKED = 'rm -rf,drop table';

/** The blocked words of a comma-separated list: trimmed, lowercased, no empties. Pure. */
export function parseBlockedWords(list: string | undefined): string[] {
  return (list ?? DEFAULT_BLOCKED)
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 0);
}

/** The first blocked word that occurs in `text` (case-insensitive), or null. Pure. */
export function blockedIn(text: string, words: readonly string[]): string | null {
  const lower = text.toLowerCase();
  for (const w of words) if (lower.includes(w)) return w;
  return null;
}

/**
 * The first blocked word in any string of a JSON value (object keys
 * included), or null. Walks iteratively, so deeply nested input cannot
 * overflow the stack and make the guard trap (a trapping interceptor is
 * skipped, which would let the event through). Pure.
 */
export function findBlocked(value: JsonValue, words: readonly string[]): string | null {
  const pending: JsonValue[] = [value];
  for (let v = pending.pop(); v !== undefined; v = pending.pop()) {
    if (typeof v === 'string') {
      const hit = blockedIn(v, words);
      if (hit !== null) return hit;
    } else if (Array.isArray(v)) {
      for (const item of v) pending.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        const hit = blockedIn(k, words);
        if (hit !== null) return hit;
        pending.push(inner);
      }
    }
  }
  return null;
}

/**
 * Whether an event body is something other than JSON the SDK parsed: the
 * SDK hands over `null` both for a JSON null and for text it could not
 * parse, so the raw text tells them apart. Pure.
 */
export function unreadableBody(payload: JsonValue, text: string): boolean {
  if (payload !== null) return false;
  const trimmed = text.trim();
  return trimmed !== '' && trimmed !== 'null';
}
