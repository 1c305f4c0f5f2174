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
});
