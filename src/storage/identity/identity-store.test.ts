import { describe, expect, it } from 'vitest';
import { StateDatabase } from '../db/state-database.js';
import { KvStore } from '../kv/kv-store.js';
import { IdentityStore, principalFromDisplayName } from './identity-store.js';

const store = () => new IdentityStore(new KvStore(StateDatabase.open(':memory:')));

describe('IdentityStore', () => {
  it('creates users with derived principals, links and resolves them, and deletes', () => {
    const ids = store();
    const root = ids.createUser('root');
    expect(root.principal).toBe('root');
    expect(ids.getUserByName('root')?.id).toBe(root.id);
    const link = ids.link('CLI', 'local', root.id, 'system');
    expect(link.platform).toBe('cli');
    expect(ids.resolve('cli', 'local')?.astrid_user_id).toBe(root.id);
    expect(ids.listLinks()).toHaveLength(1);
    expect(ids.unlink('cli', 'local')).toBe(true);
    expect(ids.resolve('cli', 'local')).toBeNull();
    expect(ids.deleteUser(root.id)).toBe(true);
    expect(ids.getUserByName('root')).toBeNull();
    expect(ids.listUsers()).toEqual([]);
  });

  it('refuses links to unknown users and bad segments', () => {
    const ids = store();
    expect(() => ids.link('cli', 'x', '00000000-0000-4000-8000-000000000000', 'system')).toThrow(
      /no user/,
    );
    const u = ids.createUser();
    expect(u.principal).toBe('default');
    expect(() => ids.link('cli', 'a/b', u.id, 'system')).toThrow(/must not contain/);
    expect(() => ids.link(' ', 'a', u.id, 'system')).toThrow(/blank/);
    expect(() => ids.createUser('a/b')).toThrow(/must not contain/);
  });

  it('derives principals from display names', () => {
    expect(principalFromDisplayName('Ada Lovelace!', 'abcdef12-x')).toBe('ada-lovelace');
    expect(principalFromDisplayName('***', 'abcdef12-x')).toBe('user-abcdef12');
    expect(principalFromDisplayName('__host__', 'abcdef12-x')).toBe('user-abcdef12');
  });
});
