import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../agent/agent-record.js';
import type { GroupRecord } from '../group/group-record.js';
import { checkCapabilityOf } from './caps-check.js';

const groups: GroupRecord[] = [
  { name: 'admin', capabilities: ['*'], description: null, unsafeAdmin: true, builtin: true },
  {
    name: 'agent',
    capabilities: ['self:*', 'self:quota:get', 'self:agent:list', 'delegate:self:*'],
    description: null,
    unsafeAdmin: false,
    builtin: true,
  },
  { name: 'ops', capabilities: ['agent:*'], description: null, unsafeAdmin: false, builtin: false },
];

const agent = (fields: Partial<AgentRecord>): AgentRecord => ({
  principal: 'bob',
  enabled: true,
  groups: [],
  grants: [],
  revokes: [],
  ...fields,
});

describe('checkCapabilityOf', () => {
  it('allows through a direct grant', () => {
    expect(
      checkCapabilityOf(agent({ grants: ['system:status'] }), groups, 'system:status'),
    ).toEqual({
      allowed: true,
      reason: 'granted directly ("system:status")',
    });
  });

  it('allows through a group, built-in or custom', () => {
    expect(checkCapabilityOf(agent({ groups: ['ops'] }), groups, 'agent:create')).toEqual({
      allowed: true,
      reason: `inherited from group 'ops' ("agent:*")`,
    });
    expect(
      checkCapabilityOf(agent({ groups: ['agent'] }), groups, 'self:capsule:list').allowed,
    ).toBe(true);
    expect(checkCapabilityOf(agent({ groups: ['admin'] }), groups, 'anything:at:all').allowed).toBe(
      true,
    );
  });

  it('lets a revoke beat grants and groups, admin included', () => {
    expect(
      checkCapabilityOf(
        agent({ groups: ['admin'], grants: ['agent:delete'], revokes: ['agent:*'] }),
        groups,
        'agent:delete',
      ),
    ).toEqual({ allowed: false, reason: 'revoked by "agent:*"' });
  });

  it('denies what nothing covers, unknown groups and self/global confusion', () => {
    expect(checkCapabilityOf(agent({ groups: ['agent'] }), groups, 'agent:create')).toEqual({
      allowed: false,
      reason: 'no grant or group capability covers it',
    });
    expect(checkCapabilityOf(agent({ groups: ['ghost'] }), groups, 'agent:create').allowed).toBe(
      false,
    );
    expect(
      checkCapabilityOf(agent({ grants: ['quota:get'] }), groups, 'self:quota:get').allowed,
    ).toBe(false);
  });

  it('denies everything to a disabled agent, as the kernel does', () => {
    expect(
      checkCapabilityOf(agent({ enabled: false, groups: ['admin'] }), groups, 'system:status'),
    ).toEqual({
      allowed: false,
      reason: "agent 'bob' is disabled",
    });
  });
});
