import type { Json } from '../events/json.js';
import type { ScopedKv } from '../storage/kv/kv-store.js';

/** One principal's view of a capsule's key-value store (the namespace the capsule writes for that principal). */
export interface CapsuleKv {
  get(key: string): Uint8Array | undefined;
  getText(key: string): string | undefined;
  /** The value parsed as JSON (a `SyntaxError` when it is not JSON). */
  getJson(key: string): Json | undefined;
  /** Seeds a value before the capsule runs (text is stored as UTF-8). */
  set(key: string, value: Uint8Array | string): void;
  setJson(key: string, value: Json): void;
  delete(key: string): boolean;
  /** Keys starting with `prefix`, sorted. */
  keys(prefix?: string): string[];
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function capsuleKv(scoped: ScopedKv): CapsuleKv {
  const get = (key: string): Uint8Array | undefined => {
    const v = scoped.get(key);
    return v === null ? undefined : new Uint8Array(v);
  };
  return {
    get,
    getText(key) {
      const v = get(key);
      return v === undefined ? undefined : decoder.decode(v);
    },
    getJson(key) {
      const v = get(key);
      return v === undefined ? undefined : (JSON.parse(decoder.decode(v)) as Json);
    },
    set(key, value) {
      scoped.set(key, typeof value === 'string' ? encoder.encode(value) : value);
    },
    setJson(key, value) {
      scoped.set(key, encoder.encode(JSON.stringify(value)));
    },
    delete(key) {
      return scoped.delete(key);
    },
    keys(prefix = '') {
      return scoped.listKeysWithPrefix(prefix).sort();
    },
  };
}
