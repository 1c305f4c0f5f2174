/// <reference path="./wit/astrid-kv-host.d.ts" />
import * as wit from 'astrid:kv/host@1.0.0';
import { host } from './errors.js';
import { fromUtf8, type JsonValue, parseJson, utf8 } from './json.js';

const IFACE = 'astrid:kv/host';

/**
 * The capsule's key-value store. Each invoking principal has its own
 * namespace per capsule; keys are at most 256 bytes, values 1 MiB.
 */
export const kv = {
  get(key: string): Uint8Array | undefined {
    return host(IFACE, () => wit.kvGet(key));
  },
  set(key: string, value: Uint8Array): void {
    host(IFACE, () => wit.kvSet(key, value));
  },
  getText(key: string): string | undefined {
    const v = kv.get(key);
    return v === undefined ? undefined : fromUtf8(v);
  },
  setText(key: string, value: string): void {
    kv.set(key, utf8(value));
  },
  /** The value parsed as JSON (a `SyntaxError` if it is not JSON). */
  getJson<T extends JsonValue = JsonValue>(key: string): T | undefined {
    const v = kv.get(key);
    return v === undefined ? undefined : (parseJson(fromUtf8(v), `kv key ${key}`) as T);
  },
  setJson(key: string, value: JsonValue): void {
    kv.set(key, utf8(JSON.stringify(value)));
  },
  delete(key: string): void {
    host(IFACE, () => wit.kvDelete(key));
  },
  /** Keys starting with `prefix`, sorted (at most 1,024; use `pages` for more). */
  keys(prefix = ''): string[] {
    return host(IFACE, () => wit.kvListKeys(prefix));
  },
  /** Every key starting with `prefix`, page by page. */
  *pages(prefix = '', pageSize = 1024): Generator<string[]> {
    let cursor: string | undefined;
    for (;;) {
      const page = host(IFACE, () => wit.kvListKeysPage(prefix, cursor, pageSize));
      if (page.keys.length > 0) yield page.keys;
      if (page.nextCursor === undefined) return;
      cursor = page.nextCursor;
    }
  },
  /** Deletes every key starting with `prefix`; returns how many. */
  clearPrefix(prefix: string): number {
    return Number(host(IFACE, () => wit.kvClearPrefix(prefix)));
  },
  /**
   * Sets `value` only if the key currently holds `expected` (undefined =
   * absent); a mismatch throws `HostError` with code `cas-mismatch`.
   */
  compareAndSwap(key: string, expected: Uint8Array | undefined, value: Uint8Array): void {
    host(IFACE, () => wit.kvCas(key, expected, value));
  },
} as const;
