import { afterEach, describe, expect, it } from 'vitest';
import { StateDatabase } from '../storage/db/state-database.js';
import { KvStore } from '../storage/kv/kv-store.js';
import { capsuleKv } from './capsule-kv.js';

const dbs: StateDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function store(): KvStore {
  const db = StateDatabase.open(':memory:');
  dbs.push(db);
  return new KvStore(db);
}

describe('capsuleKv', () => {
  it('reads and seeds one namespace as bytes, text and JSON', () => {
    const kv = store();
    const view = capsuleKv(kv.scoped('alice:capsule:demo'));
    view.set('t', 'héllo');
    view.set('b', new Uint8Array([1, 2]));
    view.setJson('j', { n: 1 });
    expect(view.getText('t')).toBe('héllo');
    expect(view.get('b')).toEqual(new Uint8Array([1, 2]));
    expect(view.getJson('j')).toEqual({ n: 1 });
    expect(view.get('missing')).toBeUndefined();
    expect(view.getText('missing')).toBeUndefined();
    expect(view.getJson('missing')).toBeUndefined();
    expect(view.keys()).toEqual(['b', 'j', 't']);
    expect(view.keys('j')).toEqual(['j']);
    expect(view.delete('b')).toBe(true);
    expect(view.delete('b')).toBe(false);
    expect(kv.get('bob:capsule:demo', 't')).toBeNull();
    expect(() => view.getJson('t')).toThrow(SyntaxError);
  });
});
