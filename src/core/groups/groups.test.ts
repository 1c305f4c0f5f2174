import { describe, expect, it } from 'vitest';
import { BUILTIN_GROUPS, checkCustomGroup, checkGroupName } from './group.js';
import { GroupConfig } from './group-config.js';

describe('built-in groups', () => {
  it('defines admin, agent and restricted with the reference capabilities', () => {
    expect(BUILTIN_GROUPS.get('admin')?.capabilities).toEqual(['*']);
    expect(BUILTIN_GROUPS.get('agent')?.capabilities).toEqual([
      'self:*',
      'self:quota:get',
      'self:agent:list',
      'delegate:self:*',
    ]);
    expect(BUILTIN_GROUPS.get('restricted')?.capabilities).toEqual([]);
    for (const g of BUILTIN_GROUPS.values()) expect(g.builtin).toBe(true);
  });
});

describe('group names', () => {
  it.each(['ops', 'Team_A', 'a-b', 'x'.repeat(64)])('accepts %j', (n) =>
    expect(checkGroupName(n).ok).toBe(true),
  );
  it.each(['', 'x'.repeat(65), 'a b', 'a.b', 'a:b'])('rejects %j', (n) =>
    expect(checkGroupName(n).ok).toBe(false),
  );
});

describe('custom groups', () => {
  it('validates capabilities and dedupes them in order', () => {
    const g = checkCustomGroup({
      name: 'ops',
      capabilities: ['capsule:install', 'capsule:*', 'capsule:install'],
    });
    expect(g.ok && g.value.capabilities).toEqual(['capsule:install', 'capsule:*']);
    expect(g.ok && g.value.builtin).toBe(false);
  });

  it('rejects bad capabilities, built-in names and * without unsafe_admin', () => {
    const bad = checkCustomGroup({ name: 'ops', capabilities: ['a::b'] });
    expect(!bad.ok && bad.error.message).toContain('empty segment');
    const builtin = checkCustomGroup({ name: 'admin', capabilities: [] });
    expect(!builtin.ok && builtin.error.message).toContain('built in');
    const star = checkCustomGroup({ name: 'root', capabilities: ['*'] });
    expect(!star.ok && star.error.message).toContain('unsafe_admin');
    expect(checkCustomGroup({ name: 'root', capabilities: ['*'], unsafeAdmin: true }).ok).toBe(
      true,
    );
  });
});

describe('GroupConfig', () => {
  const base = GroupConfig.builtinsOnly();

  it('lists built-ins sorted', () => {
    expect(base.list().map((g) => g.name)).toEqual(['admin', 'agent', 'restricted']);
    expect(base.customGroups()).toEqual([]);
  });

  it('creates, modifies and deletes custom groups without touching the original', () => {
    const created = base.create({
      name: 'ops',
      capabilities: ['capsule:install'],
      description: 'Operators',
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(base.has('ops')).toBe(false);
    expect(created.value.get('ops')?.description).toBe('Operators');
    expect(created.value.list().map((g) => g.name)).toEqual([
      'admin',
      'agent',
      'ops',
      'restricted',
    ]);

    const kept = created.value.modify('ops', { capabilities: ['capsule:list'] });
    expect(kept.ok && kept.value.get('ops')?.description).toBe('Operators');
    const cleared = created.value.modify('ops', { description: null });
    expect(cleared.ok && cleared.value.get('ops')?.description).toBeNull();
    expect(cleared.ok && cleared.value.get('ops')?.capabilities).toEqual(['capsule:install']);

    const removed = created.value.remove('ops');
    expect(removed.ok && removed.value.has('ops')).toBe(false);
  });

  it.each([
    [
      'create admin',
      (c: GroupConfig) => c.create({ name: 'admin', capabilities: [] }),
      'built-in',
      'invalid-input',
    ],
    [
      'modify agent',
      (c: GroupConfig) => c.modify('agent', { description: 'x' }),
      'built-in',
      'invalid-input',
    ],
    ['delete restricted', (c: GroupConfig) => c.remove('restricted'), 'built-in', 'invalid-input'],
    ['modify unknown', (c: GroupConfig) => c.modify('nope', {}), 'unknown group', 'not-found'],
    ['delete unknown', (c: GroupConfig) => c.remove('nope'), 'unknown group', 'not-found'],
    [
      'create with *',
      (c: GroupConfig) => c.create({ name: 'root', capabilities: ['*'] }),
      'unsafe_admin',
      'invalid-input',
    ],
  ] as const)('rejects %s', (_, op, why, code) => {
    const result = op(base);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/^group\.(create|modify|delete) rejected: /);
      expect(result.error.message).toContain(why);
      expect(result.error.code).toBe(code);
    }
  });

  it('rejects creating an existing group and modifying into an invalid state', () => {
    const created = base.create({ name: 'ops', capabilities: [] });
    if (!created.ok) throw created.error;
    const again = created.value.create({ name: 'ops', capabilities: [] });
    expect(!again.ok && again.error.code).toBe('already-exists');
    const star = created.value.modify('ops', { capabilities: ['*'] });
    expect(!star.ok && star.error.message).toContain('unsafe_admin');
    expect(created.value.modify('ops', { capabilities: ['*'], unsafeAdmin: true }).ok).toBe(true);
  });

  it('fromCustom refuses duplicates, built-in names and invalid groups', () => {
    expect(
      GroupConfig.fromCustom([
        { name: 'a', capabilities: [] },
        { name: 'a', capabilities: [] },
      ]).ok,
    ).toBe(false);
    expect(GroupConfig.fromCustom([{ name: 'agent', capabilities: [] }]).ok).toBe(false);
    expect(GroupConfig.fromCustom([{ name: 'x', capabilities: ['bad cap'] }]).ok).toBe(false);
    expect(GroupConfig.fromCustom([{ name: 'x', capabilities: ['self:*'] }]).ok).toBe(true);
  });
});
