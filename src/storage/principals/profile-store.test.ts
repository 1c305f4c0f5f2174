import { describe, expect, it } from 'vitest';
import { parsePrincipalId } from '../../core/ids/principal-id.js';
import { DEFAULT_PROFILE, makeProfile } from '../../core/profiles/profile.js';
import { StateDatabase } from '../db/state-database.js';
import { ProfileCache } from './profile-cache.js';
import { ProfileStore } from './profile-store.js';

const alice = parsePrincipalId('alice');
const bob = parsePrincipalId('bob');

describe('ProfileStore and ProfileCache', () => {
  it('saves, reads back, lists sorted and deletes profiles', () => {
    const store = new ProfileStore(StateDatabase.open(':memory:'));
    expect(store.get(alice)).toBeNull();
    store.save(bob, makeProfile({ groups: ['agent'] }));
    store.save(alice, makeProfile({ groups: ['admin'], grants: ['capsule:list' as never] }));
    expect(store.get(alice)?.groups).toEqual(['admin']);
    expect(store.get(alice)?.grants).toEqual(['capsule:list']);
    expect(store.list()).toEqual(['alice', 'bob']);
    expect(store.exists(bob)).toBe(true);
    expect(store.delete(bob)).toBe(true);
    expect(store.delete(bob)).toBe(false);
    expect(store.list()).toEqual(['alice']);
  });

  it('refuses to save an invalid profile', () => {
    const store = new ProfileStore(StateDatabase.open(':memory:'));
    expect(() => store.save(alice, makeProfile({ grants: ['bad cap' as never] }))).toThrow(
      /grants/,
    );
    expect(store.exists(alice)).toBe(false);
  });

  it('reports a corrupt stored row as an integrity error', () => {
    const db = StateDatabase.open(':memory:');
    db.db.prepare("INSERT INTO principals VALUES ('alice', '{\"enabled\": 3}', 0, 0)").run();
    expect(() => new ProfileStore(db).get(alice)).toThrow(/stored profile of alice is invalid/);
  });

  it('caches defaults for missing principals and reloads after invalidate', () => {
    const store = new ProfileStore(StateDatabase.open(':memory:'));
    const cache = new ProfileCache(store);
    expect(cache.resolveSync(alice)).toBe(DEFAULT_PROFILE);
    store.save(alice, makeProfile({ groups: ['agent'] }));
    expect(cache.resolveSync(alice)).toBe(DEFAULT_PROFILE);
    cache.invalidate(alice);
    expect(cache.resolveSync(alice).groups).toEqual(['agent']);
  });

  it('caches a missing principal as null and a stored profile until invalidated', () => {
    const store = new ProfileStore(StateDatabase.open(':memory:'));
    const cache = new ProfileCache(store);
    expect(cache.stored(alice)).toBeNull();
    store.save(alice, makeProfile({ groups: ['agent'] }));
    expect(cache.stored(alice)).toBeNull();
    cache.invalidate(alice);
    const loaded = cache.stored(alice);
    expect(loaded?.groups).toEqual(['agent']);
    expect(cache.stored(alice)).toBe(loaded);
  });

  it('does not cache what it read inside a transaction that then rolls back', () => {
    const db = StateDatabase.open(':memory:');
    const store = new ProfileStore(db);
    const cache = new ProfileCache(store);
    expect(() =>
      db.transaction(() => {
        store.save(alice, makeProfile({ groups: ['admin'] }));
        cache.invalidate(alice);
        expect(cache.stored(alice)?.groups).toEqual(['admin']);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(cache.stored(alice)).toBeNull();
  });

  it('keeps at most its capacity, dropping the oldest entry', () => {
    const store = new ProfileStore(StateDatabase.open(':memory:'));
    const cache = new ProfileCache(store, 2);
    store.save(alice, makeProfile({ groups: ['agent'] }));
    const first = cache.stored(alice);
    cache.stored(bob);
    cache.stored(parsePrincipalId('carol'));
    expect(cache.size).toBe(2);
    // alice was evicted: a fresh read returns an equal but new object.
    const again = cache.stored(alice);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
