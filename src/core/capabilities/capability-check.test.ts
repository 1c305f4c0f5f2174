import { describe, expect, it } from 'vitest';
import { GroupConfig } from '../groups/group-config.js';
import { parsePrincipalId } from '../ids/principal-id.js';
import { makeProfile } from '../profiles/profile.js';
import { CAPABILITY_CATALOG } from './capability-catalog.js';
import { CapabilityCheck, describeDenial } from './capability-check.js';
import type { Capability } from './capability-grammar.js';

const alice = parsePrincipalId('alice');
const builtins = GroupConfig.builtinsOnly();
const caps = (...c: string[]) => c as Capability[];

function check(fields: Parameters<typeof makeProfile>[0], groups: GroupConfig | null = builtins) {
  return new CapabilityCheck(makeProfile(fields), groups, alice);
}

describe('CapabilityCheck', () => {
  it('admin holds everything in the catalog', () => {
    const c = check({ groups: ['admin'] });
    for (const e of CAPABILITY_CATALOG) expect(c.has(e.id)).toBe(true);
    expect(c.has('system:resources:unbounded')).toBe(true);
  });

  it('agent group holds self-scoped capabilities only', () => {
    const c = check({ groups: ['agent'] });
    expect(c.has('self:capsule:install')).toBe(true);
    expect(c.has('self:quota:get')).toBe(true);
    expect(c.has('self:agent:list')).toBe(true);
    expect(c.has('delegate:self:anything')).toBe(true);
    expect(c.has('system:shutdown')).toBe(false);
    expect(c.has('capsule:install')).toBe(false);
    expect(c.has('agent:list')).toBe(false);
    expect(c.has('audit:read_all')).toBe(false);
  });

  it('restricted group and an empty profile hold nothing', () => {
    for (const c of [check({ groups: ['restricted'] }), check({})]) {
      for (const e of CAPABILITY_CATALOG) expect(c.has(e.id)).toBe(false);
    }
  });

  it('a global capability does not imply its self form and vice versa', () => {
    expect(check({ grants: caps('capsule:install') }).has('self:capsule:install')).toBe(false);
    expect(check({ grants: caps('self:capsule:install') }).has('capsule:install')).toBe(false);
  });

  it('grants give capabilities directly', () => {
    const c = check({ grants: caps('capsule:list', 'quota:*') });
    expect(c.decide('capsule:list')).toEqual({
      allowed: true,
      via: 'grant',
      pattern: 'capsule:list',
    });
    expect(c.has('quota:set')).toBe(true);
    expect(c.has('capsule:install')).toBe(false);
  });

  it('revokes beat grants and admin membership', () => {
    const c = check({
      groups: ['admin'],
      grants: caps('system:status'),
      revokes: caps('system:status'),
    });
    expect(c.has('system:status')).toBe(false);
    expect(c.decide('system:status')).toEqual({
      allowed: false,
      denial: { kind: 'revoked', capability: 'system:status', revokePattern: 'system:status' },
    });
    expect(c.has('system:shutdown')).toBe(true);
  });

  it('a revoke pattern covers many capabilities; the first matching revoke is reported', () => {
    const c = check({ groups: ['admin'], revokes: caps('agent:*', 'agent:delete') });
    const d = c.decide('agent:delete');
    expect(d.allowed).toBe(false);
    if (!d.allowed)
      expect(d.denial).toEqual({
        kind: 'revoked',
        capability: 'agent:delete',
        revokePattern: 'agent:*',
      });
    expect(c.has('self:agent:list')).toBe(true);
  });

  it('ignores unknown groups (fail closed) and reports them', () => {
    const c = check({ groups: ['ghost', 'agent'] });
    expect(c.unknownGroups()).toEqual(['ghost']);
    expect(c.has('self:capsule:list')).toBe(true);
    expect(check({ groups: ['ghost'] }).has('self:capsule:list')).toBe(false);
  });

  it('custom groups grant and stop granting when removed', () => {
    const withOps = GroupConfig.fromCustom([{ name: 'ops', capabilities: ['capsule:install'] }]);
    expect(withOps.ok).toBe(true);
    if (!withOps.ok) return;
    const c = check({ groups: ['ops'] }, withOps.value);
    expect(c.decide('capsule:install')).toEqual({
      allowed: true,
      via: 'group',
      pattern: 'capsule:install',
      group: 'ops',
    });
    const removed = withOps.value.remove('ops');
    expect(removed.ok).toBe(true);
    if (removed.ok)
      expect(check({ groups: ['ops'] }, removed.value).has('capsule:install')).toBe(false);
  });

  it('fails secure when the profile or the groups are missing', () => {
    expect(new CapabilityCheck(null, builtins, alice).has('system:status')).toBe(false);
    expect(check({ groups: ['admin'] }, null).has('system:status')).toBe(false);
    expect(new CapabilityCheck(null, null, alice).decide('x')).toEqual({
      allowed: false,
      denial: { kind: 'missing', capability: 'x' },
    });
  });

  it('authorize refuses a disabled principal before looking at capabilities', () => {
    const c = check({ groups: ['admin'], enabled: false });
    expect(c.has('system:status')).toBe(true);
    expect(c.authorize('system:status')).toEqual({ allowed: false, denial: { kind: 'disabled' } });
    expect(check({ groups: ['admin'] }).authorize('system:status').allowed).toBe(true);
  });

  it('hasAny checks a set', () => {
    expect(
      check({ grants: caps('net_bind') }).hasAny(['system:resources:unbounded', 'net_bind']),
    ).toBe(true);
    expect(check({}).hasAny(['net_bind'])).toBe(false);
  });

  it('renders the kernel permission errors', () => {
    expect(describeDenial('alice', { kind: 'missing', capability: 'system:shutdown' })).toBe(
      'permission denied for principal alice: missing capability system:shutdown',
    );
    expect(
      describeDenial('alice', {
        kind: 'revoked',
        capability: 'system:status',
        revokePattern: 'system:*',
      }),
    ).toBe(
      'permission denied for principal alice: capability system:status is revoked via "system:*"',
    );
    expect(describeDenial('alice', { kind: 'disabled' })).toBe(
      'permission denied for principal alice: agent is disabled',
    );
  });
});
