import { describe, expect, it } from 'vitest';
import { StateDatabase } from '../db/state-database.js';
import { KvStore } from './kv-store.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

function store(): KvStore {
  return new KvStore(StateDatabase.open(':memory:'));
}

describe('KvStore', () => {
  it('gets, sets, overwrites, deletes and reports existence per namespace', () => {
    const kv = store();
    expect(kv.get('a', 'k')).toBeNull();
    kv.set('a', 'k', bytes('1'));
    kv.set('b', 'k', bytes('2'));
    kv.set('a', 'k', bytes('3'));
    expect(text(kv.get('a', 'k'))).toBe('3');
    expect(text(kv.get('b', 'k'))).toBe('2');
    expect(kv.exists('a', 'k')).toBe(true);
    expect(kv.delete('a', 'k')).toBe(true);
    expect(kv.delete('a', 'k')).toBe(false);
    expect(kv.exists('a', 'k')).toBe(false);
  });

  it('lists keys in byte order and scans prefixes without leaking across namespaces', () => {
    const kv = store();
    for (const k of ['b', 'a/2', 'a/10', 'a', 'é', 'ab']) kv.set('ns', k, bytes(k));
    kv.set('ns2', 'a/1', bytes('x'));
    expect(kv.listKeys('ns')).toEqual(['a', 'a/10', 'a/2', 'ab', 'b', 'é']);
    expect(kv.listKeysWithPrefix('ns', 'a/')).toEqual(['a/10', 'a/2']);
    expect(kv.listKeysWithPrefix('ns', '')).toHaveLength(6);
    expect(kv.listKeysWithPrefix('ns', 'zz')).toEqual([]);
    expect(kv.clearPrefix('ns', 'a')).toBe(4);
    expect(kv.listKeys('ns')).toEqual(['b', 'é']);
    expect(kv.clearNamespace('ns')).toBe(2);
    expect(kv.listKeys('ns2')).toEqual(['a/1']);
  });

  it('compare-and-swap: null expects absence; a mismatch changes nothing', () => {
    const kv = store();
    expect(kv.compareAndSwap('n', 'k', null, bytes('1'))).toBe(true);
    expect(kv.compareAndSwap('n', 'k', null, bytes('2'))).toBe(false);
    expect(kv.compareAndSwap('n', 'k', bytes('9'), bytes('2'))).toBe(false);
    expect(text(kv.get('n', 'k'))).toBe('1');
    expect(kv.compareAndSwap('n', 'k', bytes('1'), bytes('2'))).toBe(true);
    expect(text(kv.get('n', 'k'))).toBe('2');
  });

  it('pages keys in byte order after a cursor, and accounts bytes per namespace', () => {
    const kv = store();
    for (let i = 0; i < 25; i++) kv.set('n', `k${String(i).padStart(2, '0')}`, bytes('xy'));
    kv.set('n', 'other', bytes('z'));
    const first = kv.page('n', 'k', null, 10);
    expect(first).toEqual({
      keys: Array.from({ length: 10 }, (_, i) => `k${String(i).padStart(2, '0')}`),
      more: true,
    });
    const last = kv.page('n', 'k', 'k19', 10);
    expect(last.keys).toEqual(['k20', 'k21', 'k22', 'k23', 'k24']);
    expect(last.more).toBe(false);
    expect(kv.page('n', '', 'k24', 10).keys).toEqual(['other']);
    expect(kv.namespaceBytes('n')).toBe(25 * 5 + 6);
    kv.set('n', 'other', bytes('zzz'));
    kv.delete('n', 'k00');
    expect(kv.namespaceBytes('n')).toBe(24 * 5 + 8);
    kv.set('p:capsule:a', 'x', bytes('1234'));
    kv.set('p:capsule:b', 'y', bytes('12'));
    kv.set('q:capsule:a', 'z', bytes('123456'));
    expect(kv.bytesWithNamespacePrefix('p:capsule:')).toBe(8);
    kv.clearNamespace('p:capsule:a');
    expect(kv.bytesWithNamespacePrefix('p:capsule:')).toBe(3);
  });

  it('rejects empty names and NUL bytes with invalid-input', () => {
    const kv = store();
    expect(() => kv.get('', 'k')).toThrow(/namespace must not be empty/);
    expect(() => kv.set('n', '', bytes('x'))).toThrow(/key must not be empty/);
    expect(() => kv.set('n\0x', 'k', bytes('x'))).toThrow(/NUL/);
    expect(() => kv.listKeysWithPrefix('n', 'a\0')).toThrow(/NUL/);
  });

  it('scoped views share the store and have JSON helpers', () => {
    const kv = store();
    const a = kv.scoped('alice:capsule:weather');
    a.setJson('cfg', { unit: 'C' });
    expect(a.getJson('cfg')).toEqual({ unit: 'C' });
    expect(a.withNamespace('bob:capsule:weather').getJson('cfg')).toBeNull();
    expect(kv.listKeys('alice:capsule:weather')).toEqual(['cfg']);
    kv.set('alice:capsule:mail', 'k', bytes('v'));
    kv.set('bob:capsule:mail', 'k', bytes('v'));
    expect(kv.namespacesWithPrefix('alice:capsule:')).toEqual([
      'alice:capsule:mail',
      'alice:capsule:weather',
    ]);
  });
});
