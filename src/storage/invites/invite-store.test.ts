import { describe, expect, it } from 'vitest';
import { unwrap } from '../../core/errors.js';
import { GroupConfig } from '../../core/groups/group-config.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { StateDatabase } from '../db/state-database.js';
import { GroupStore } from '../groups/group-store.js';
import { InviteStore } from './invite-store.js';
import { PairTokenStore } from './pair-token-store.js';
import { newToken, tokenHash } from './token-hash.js';

describe('invite and pair-token stores', () => {
  it('stores invites by hash, prunes dead ones and consumes uses', () => {
    const store = new InviteStore(StateDatabase.open(':memory:'));
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const hash = tokenHash(token);
    store.insert({
      tokenHash: hash,
      group: 'agent',
      remainingUses: 2,
      expiresAtEpoch: null,
      issuedAtEpoch: 1,
      metadata: { who: 'x' },
    });
    store.insert({
      tokenHash: tokenHash('old'),
      group: 'agent',
      remainingUses: 1,
      expiresAtEpoch: 100,
      issuedAtEpoch: 1,
      metadata: null,
    });
    expect(store.prune(100)).toBe(1);
    expect(store.find(hash)?.metadata).toEqual({ who: 'x' });
    store.consume(hash, 2);
    expect(store.find(hash)?.remainingUses).toBe(1);
    store.consume(hash, 1);
    expect(store.find(hash)).toBeNull();
    expect(store.list()).toEqual([]);
  });

  it('stores pair tokens and prunes expired ones', () => {
    const store = new PairTokenStore(StateDatabase.open(':memory:'));
    store.insert({
      tokenHash: 'h1',
      principal: 'alice' as PrincipalId,
      expiresAtEpoch: 50,
      issuedAtEpoch: 1,
      label: 'phone',
    });
    store.insert({
      tokenHash: 'h2',
      principal: 'bob' as PrincipalId,
      expiresAtEpoch: 500,
      issuedAtEpoch: 1,
      label: null,
    });
    expect(store.prune(50)).toBe(1);
    expect(store.find('h2')?.principal).toBe('bob');
    expect(store.delete('h2')).toBe(true);
    expect(store.find('h2')).toBeNull();
  });

  it('group store round-trips custom groups', () => {
    const db = StateDatabase.open(':memory:');
    const store = new GroupStore(db);
    expect(store.load().customGroups()).toEqual([]);
    const config = unwrap(
      GroupConfig.builtinsOnly().create({
        name: 'ops',
        capabilities: ['capsule:list', 'system:status'],
        description: 'Operators',
      }),
    );
    store.save(config);
    const loaded = store.load();
    expect(loaded.get('ops')).toMatchObject({
      capabilities: ['capsule:list', 'system:status'],
      description: 'Operators',
      builtin: false,
    });
    store.save(unwrap(loaded.remove('ops')));
    expect(store.load().customGroups()).toEqual([]);
  });
});
