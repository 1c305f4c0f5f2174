import { AstridError } from '../../core/errors.js';
import type { StateDatabase } from '../db/state-database.js';

function checkPart(what: 'namespace' | 'key', value: string): void {
  if (value.length === 0) throw new AstridError('invalid-input', `kv ${what} must not be empty`);
  if (value.includes('\0'))
    throw new AstridError('invalid-input', `kv ${what} must not contain a NUL byte`);
}

function checkPrefix(prefix: string): void {
  if (prefix.includes('\0'))
    throw new AstridError('invalid-input', 'kv prefix must not contain a NUL byte');
}

/** The smallest byte string greater than every string starting with `prefix`, or null if none. */
function prefixUpperBound(prefix: Buffer): Buffer | null {
  const bound = Buffer.from(prefix);
  for (let i = bound.length - 1; i >= 0; i--) {
    if ((bound[i] as number) < 0xff) {
      bound[i] = (bound[i] as number) + 1;
      return bound.subarray(0, i + 1);
    }
  }
  return null;
}

const key = (k: string) => Buffer.from(k, 'utf8');

/**
 * Namespaced key → bytes storage in the state database. Keys are stored as
 * UTF-8 bytes, so listings come back in byte order and prefix scans use the
 * primary-key index. Every operation is one statement (or one transaction),
 * so it is atomic.
 */
export class KvStore {
  private readonly db: StateDatabase;
  private readonly stmts;

  constructor(db: StateDatabase) {
    this.db = db;
    const d = db.db;
    this.stmts = {
      get: d.prepare('SELECT value FROM kv WHERE ns = ? AND key = ?').pluck(),
      set: d.prepare(
        'INSERT INTO kv (ns, key, value) VALUES (?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value',
      ),
      delete: d.prepare('DELETE FROM kv WHERE ns = ? AND key = ?'),
      list: d.prepare('SELECT key FROM kv WHERE ns = ? ORDER BY key').pluck(),
      listRange: d
        .prepare('SELECT key FROM kv WHERE ns = ? AND key >= ? AND key < ? ORDER BY key')
        .pluck(),
      listFrom: d.prepare('SELECT key FROM kv WHERE ns = ? AND key >= ? ORDER BY key').pluck(),
      clear: d.prepare('DELETE FROM kv WHERE ns = ?'),
      namespaces: d
        .prepare('SELECT DISTINCT ns FROM kv WHERE instr(ns, ?) = 1 ORDER BY ns')
        .pluck(),
      namespaceRange: d
        .prepare('SELECT DISTINCT ns FROM kv WHERE ns >= ? AND ns < ? ORDER BY ns')
        .pluck(),
      usage: d
        .prepare('SELECT COALESCE(SUM(bytes), 0) FROM kv_usage WHERE ns >= ? AND ns < ?')
        .pluck(),
      usageOne: d.prepare('SELECT bytes FROM kv_usage WHERE ns = ?').pluck(),
      page: d
        .prepare(
          'SELECT key FROM kv WHERE ns = ? AND key >= ? AND key < ? AND key > ? ORDER BY key LIMIT ?',
        )
        .pluck(),
      pageFrom: d
        .prepare('SELECT key FROM kv WHERE ns = ? AND key >= ? AND key > ? ORDER BY key LIMIT ?')
        .pluck(),
      clearRange: d.prepare('DELETE FROM kv WHERE ns = ? AND key >= ? AND key < ?'),
      clearFrom: d.prepare('DELETE FROM kv WHERE ns = ? AND key >= ?'),
    };
  }

  get(namespace: string, k: string): Uint8Array | null {
    checkPart('namespace', namespace);
    checkPart('key', k);
    const value = this.stmts.get.get(namespace, key(k)) as Buffer | undefined;
    return value === undefined ? null : new Uint8Array(value);
  }

  set(namespace: string, k: string, value: Uint8Array): void {
    checkPart('namespace', namespace);
    checkPart('key', k);
    this.stmts.set.run(namespace, key(k), Buffer.from(value));
  }

  /** Whether the key existed. */
  delete(namespace: string, k: string): boolean {
    checkPart('namespace', namespace);
    checkPart('key', k);
    return this.stmts.delete.run(namespace, key(k)).changes > 0;
  }

  exists(namespace: string, k: string): boolean {
    return this.get(namespace, k) !== null;
  }

  listKeys(namespace: string): string[] {
    checkPart('namespace', namespace);
    return (this.stmts.list.all(namespace) as Buffer[]).map((b) => b.toString('utf8'));
  }

  listKeysWithPrefix(namespace: string, prefix: string): string[] {
    checkPart('namespace', namespace);
    checkPrefix(prefix);
    if (prefix.length === 0) return this.listKeys(namespace);
    const low = key(prefix);
    const high = prefixUpperBound(low);
    const rows = (
      high === null
        ? this.stmts.listFrom.all(namespace, low)
        : this.stmts.listRange.all(namespace, low, high)
    ) as Buffer[];
    return rows.map((b) => b.toString('utf8'));
  }

  /**
   * Sets `next` iff the current value equals `expected` (null = absent);
   * atomic. Returns whether the swap happened.
   */
  compareAndSwap(
    namespace: string,
    k: string,
    expected: Uint8Array | null,
    next: Uint8Array,
  ): boolean {
    checkPart('namespace', namespace);
    checkPart('key', k);
    return this.db.transaction(() => {
      const current = this.stmts.get.get(namespace, key(k)) as Buffer | undefined;
      const matches =
        expected === null
          ? current === undefined
          : current !== undefined && Buffer.compare(current, Buffer.from(expected)) === 0;
      if (!matches) return false;
      this.stmts.set.run(namespace, key(k), Buffer.from(next));
      return true;
    });
  }

  /** Deletes every key of a namespace; returns how many. */
  clearNamespace(namespace: string): number {
    checkPart('namespace', namespace);
    return this.stmts.clear.run(namespace).changes;
  }

  clearPrefix(namespace: string, prefix: string): number {
    checkPart('namespace', namespace);
    checkPrefix(prefix);
    if (prefix.length === 0) return this.clearNamespace(namespace);
    const low = key(prefix);
    const high = prefixUpperBound(low);
    return (
      high === null
        ? this.stmts.clearFrom.run(namespace, low)
        : this.stmts.clearRange.run(namespace, low, high)
    ).changes;
  }

  /** Bytes (keys + values) stored in one namespace. */
  namespaceBytes(namespace: string): number {
    checkPart('namespace', namespace);
    return (this.stmts.usageOne.get(namespace) as number | undefined) ?? 0;
  }

  /** Bytes (keys + values) stored in every namespace starting with `prefix` (ASCII prefixes). */
  bytesWithNamespacePrefix(prefix: string): number {
    checkPrefix(prefix);
    const last = prefix.charCodeAt(prefix.length - 1);
    if (prefix.length === 0 || last >= 0xd7ff)
      throw new AstridError('invalid-input', 'usage prefixes must end in a BMP character');
    return this.stmts.usage.get(
      prefix,
      prefix.slice(0, -1) + String.fromCharCode(last + 1),
    ) as number;
  }

  /**
   * Up to `limit` keys starting with `prefix`, strictly after `after` (null =
   * from the start), in byte order; one extra key tells whether more remain.
   */
  page(
    namespace: string,
    prefix: string,
    after: string | null,
    limit: number,
  ): { keys: string[]; more: boolean } {
    checkPart('namespace', namespace);
    checkPrefix(prefix);
    const low = key(prefix);
    const high = prefix.length === 0 ? null : prefixUpperBound(low);
    const start = after === null ? Buffer.alloc(0) : key(after);
    const rows = (
      high === null
        ? this.stmts.pageFrom.all(namespace, low, start, limit + 1)
        : this.stmts.page.all(namespace, low, high, start, limit + 1)
    ) as Buffer[];
    const keys = rows.slice(0, limit).map((b) => b.toString('utf8'));
    return { keys, more: rows.length > limit };
  }

  /** Namespaces holding at least one key whose name starts with `prefix`. */
  namespacesWithPrefix(prefix: string): string[] {
    checkPrefix(prefix);
    const last = prefix.charCodeAt(prefix.length - 1);
    if (prefix.length > 0 && last < 0xd7ff) {
      // An index range: every string starting with `prefix` sorts below the
      // prefix with its last character incremented.
      const high = prefix.slice(0, -1) + String.fromCharCode(last + 1);
      return this.stmts.namespaceRange.all(prefix, high) as string[];
    }
    return this.stmts.namespaces.all(prefix) as string[];
  }

  /** A view bound to one namespace. */
  scoped(namespace: string): ScopedKv {
    checkPart('namespace', namespace);
    return new ScopedKv(this, namespace);
  }
}

/** A `KvStore` bound to one namespace, with JSON helpers. */
export class ScopedKv {
  readonly store: KvStore;
  readonly namespace: string;

  constructor(store: KvStore, namespace: string) {
    this.store = store;
    this.namespace = namespace;
  }

  get(k: string): Uint8Array | null {
    return this.store.get(this.namespace, k);
  }
  set(k: string, value: Uint8Array): void {
    this.store.set(this.namespace, k, value);
  }
  delete(k: string): boolean {
    return this.store.delete(this.namespace, k);
  }
  exists(k: string): boolean {
    return this.store.exists(this.namespace, k);
  }
  listKeys(): string[] {
    return this.store.listKeys(this.namespace);
  }
  listKeysWithPrefix(prefix: string): string[] {
    return this.store.listKeysWithPrefix(this.namespace, prefix);
  }
  compareAndSwap(k: string, expected: Uint8Array | null, next: Uint8Array): boolean {
    return this.store.compareAndSwap(this.namespace, k, expected, next);
  }
  clear(): number {
    return this.store.clearNamespace(this.namespace);
  }
  clearPrefix(prefix: string): number {
    return this.store.clearPrefix(this.namespace, prefix);
  }
  withNamespace(namespace: string): ScopedKv {
    return this.store.scoped(namespace);
  }

  getJson<T>(k: string): T | null {
    const raw = this.get(k);
    if (raw === null) return null;
    try {
      return JSON.parse(Buffer.from(raw).toString('utf8')) as T;
    } catch (e) {
      throw new AstridError('integrity', `kv ${this.namespace}/${k} does not hold JSON`, {
        cause: e,
      });
    }
  }
  setJson(k: string, value: unknown): void {
    this.set(k, Buffer.from(JSON.stringify(value), 'utf8'));
  }
}
