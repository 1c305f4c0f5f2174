/** One header as `[name, value]`. */
export type HeaderPair = readonly [name: string, value: string];

/** Headers as a record (`{ 'content-type': 'text/plain' }`) or as `[name, value]` pairs (names may repeat). */
export type HeadersInit = Readonly<Record<string, string>> | Iterable<readonly [string, string]>;

function isPairs(init: HeadersInit): init is Iterable<readonly [string, string]> {
  return typeof (init as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/** Header pairs in the order given; a record gives one pair per key. */
export function headerPairs(init: HeadersInit | undefined): [string, string][] {
  if (init === undefined) return [];
  if (isPairs(init)) return [...init].map(([name, value]) => [name, value]);
  return Object.entries(init).map(([name, value]) => [name, value]);
}

/**
 * Response headers: an array of `[name, value]` pairs as the server sent
 * them (a repeated header is one pair per value), with case-insensitive
 * lookups.
 */
export class HttpHeaders extends Array<HeaderPair> {
  // map/filter/slice give plain arrays.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Headers from pairs or a record. */
  static create(init?: HeadersInit): HttpHeaders {
    const headers = new HttpHeaders();
    for (const pair of headerPairs(init)) headers.push(pair);
    return headers;
  }

  /** Every value of `name` (any case), in order. */
  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    const out: string[] = [];
    for (const [n, v] of this) if (n.toLowerCase() === wanted) out.push(v);
    return out;
  }

  /** The value of `name` (any case); repeated headers are joined with `, ` as fetch does; null when absent. */
  get(name: string): string | null {
    const all = this.getAll(name);
    return all.length === 0 ? null : all.join(', ');
  }

  has(name: string): boolean {
    return this.getAll(name).length > 0;
  }

  /** The headers as a record with lowercase names (repeated headers joined with `, `). */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [n, v] of this) {
      const key = n.toLowerCase();
      out[key] = key in out ? `${out[key]}, ${v}` : v;
    }
    return out;
  }
}
