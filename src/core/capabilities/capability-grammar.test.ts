import { describe, expect, it } from 'vitest';
import { CAPABILITY_CATALOG, catalogEntry } from './capability-catalog.js';
import { capabilityMatches, checkCapability, parseCapability } from './capability-grammar.js';
import { AUDIT_READ_ALL, EXEMPT_CAPABILITIES, KNOWN_CAPABILITIES } from './special-capabilities.js';

describe('capability grammar', () => {
  it.each(['self:*', 'a:*:b', '*', 'agent-007', 'system:status', 'audit:read_all', 'A:b_c:D-9'])(
    'accepts %j',
    (cap) => {
      expect(parseCapability(cap)).toBe(cap);
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['**', "contains '**'"],
    ['self:**', "contains '**'"],
    [':x', 'empty segment'],
    ['x:', 'empty segment'],
    ['a::b', 'empty segment'],
    ['self:foo*', "'*' must be a whole segment"],
    ['*foo', "'*' must be a whole segment"],
    ['system:shut down', 'invalid character " "'],
    ['a.b', 'invalid character "."'],
    ['a/b', 'invalid character "/"'],
    ['a'.repeat(257), '257 bytes'],
  ])('rejects %j (%s)', (cap, why) => {
    const result = checkCapability(cap);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toContain(why);
    }
  });

  it('accepts exactly 256 bytes', () => {
    expect(checkCapability('a'.repeat(256)).ok).toBe(true);
  });
});

describe('capabilityMatches', () => {
  it.each([
    ['*', 'anything:at:all', true],
    ['*', 'self:capsule:install', true],
    ['self:*', 'self:capsule', true],
    ['self:*', 'self:capsule:install:alice', true],
    ['self:*', 'self', false],
    ['self:*', 'agent:list', false],
    ['a:*:b', 'a:x:b', true],
    ['a:*:b', 'a:x:y:b', false],
    ['a:*:b', 'a:x', false],
    ['agent:list', 'self:agent:list', false],
    ['agent:list', 'agent:list', true],
    ['agent:list', 'agent:list:x', false],
    ['agent:list:x', 'agent:list', false],
    ['capsule:*', 'capsule:install', true],
    ['capsule:*', 'self:capsule:install', false],
    ['self:capsule:install', 'capsule:install', false],
    ['delegate:self:*', 'delegate:self:x', true],
  ])('%s covers %s → %s', (pattern, cap, expected) => {
    expect(capabilityMatches(pattern, cap)).toBe(expected);
  });
});

describe('capability catalog', () => {
  it('has the 36 entries in display order with unique ids', () => {
    expect(CAPABILITY_CATALOG).toHaveLength(36);
    expect(new Set(CAPABILITY_CATALOG.map((e) => e.id)).size).toBe(36);
    expect(CAPABILITY_CATALOG[0]?.id).toBe('system:shutdown');
    expect(CAPABILITY_CATALOG[35]?.id).toBe('auth:pair:redeem');
  });

  it.each(CAPABILITY_CATALOG.map((e) => [e.id, e] as const))(
    '%s round-trips through the grammar',
    (id, e) => {
      expect(parseCapability(id)).toBe(id);
      expect(catalogEntry(id)).toBe(e);
      expect(e.scope).toBe(id.startsWith('self:') ? 'self' : 'global');
      expect(e.label.length).toBeGreaterThan(0);
      expect(e.description.length).toBeGreaterThan(0);
      expect(['safe', 'normal', 'elevated', 'extreme']).toContain(e.danger);
      expect([
        'agent',
        'caps',
        'quota',
        'group',
        'invite',
        'capsule',
        'system',
        'approval',
      ]).toContain(e.category);
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    },
  );

  it('matches the reference danger levels for the extreme capabilities', () => {
    const extreme = CAPABILITY_CATALOG.filter((e) => e.danger === 'extreme').map((e) => e.id);
    expect(extreme).toEqual(['system:shutdown', 'capsule:install', 'caps:grant']);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CAPABILITY_CATALOG)).toBe(true);
    expect(Object.isFrozen(CAPABILITY_CATALOG[0])).toBe(true);
  });

  it('knows the exemption set and the audit firehose', () => {
    expect(EXEMPT_CAPABILITIES).toEqual(['system:resources:unbounded', 'net_bind', 'uplink']);
    for (const cap of EXEMPT_CAPABILITIES) {
      expect(checkCapability(cap).ok).toBe(true);
      expect(KNOWN_CAPABILITIES.has(cap)).toBe(true);
      expect(catalogEntry(cap)).toBeUndefined();
    }
    expect(catalogEntry(AUDIT_READ_ALL)?.category).toBe('system');
    expect(KNOWN_CAPABILITIES.size).toBe(39);
    expect(
      KNOWN_CAPABILITIES.has('self:audit:read') && KNOWN_CAPABILITIES.has('audit:verify'),
    ).toBe(true);
    expect(KNOWN_CAPABILITIES.has('made:up')).toBe(false);
  });
});
