import { describe, expect, it } from 'vitest';
import { StateDatabase } from '../db/state-database.js';
import { AllowanceStore } from './allowance-store.js';

describe('AllowanceStore', () => {
  it('matches only identical requests; session allowances clear, always allowances persist', async () => {
    const db = StateDatabase.open(':memory:');
    const store = new AllowanceStore(db);
    const k = { principal: 'alice', capsule: 'shell', action: 'run', resource: 'ls -la' };
    expect(store.find(k)).toBeNull();
    store.grant(k, 'session');
    expect(store.find(k)).toBe('session');
    expect(store.find({ ...k, resource: 'ls' })).toBeNull();
    expect(store.find({ ...k, principal: 'bob' })).toBeNull();
    expect(store.clearSession('alice')).toBe(1);
    expect(store.find(k)).toBeNull();
    store.grant(k, 'always');
    expect(new AllowanceStore(db).find(k)).toBe('always');
    expect(store.listAlways('alice')).toEqual([k]);
    store.clearPrincipal('alice');
    expect(store.find(k)).toBeNull();
  });
});
