import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../agent/agent-record.js';
import type { GroupRecord } from '../group/group-record.js';
import { capabilityRows } from './caps-view.js';

const groups: GroupRecord[] = [
  {
    name: 'ops',
    capabilities: ['agent:*', 'system:status'],
    description: null,
    unsafeAdmin: false,
    builtin: false,
  },
  { name: 'restricted', capabilities: [], description: null, unsafeAdmin: false, builtin: true },
];

describe('capabilityRows', () => {
  it('lists group capabilities, grants and revokes with their status', () => {
    const agent: AgentRecord = {
      principal: 'bob',
      enabled: true,
      groups: ['ops', 'restricted', 'ghost'],
      grants: ['caps:grant', 'invite:*', 'quota:set'],
      revokes: ['agent:delete', 'quota:set'],
    };
    expect(capabilityRows(agent, groups)).toEqual([
      { capability: 'agent:*', source: 'group:ops', status: 'partly shadowed by revoke' },
      { capability: 'system:status', source: 'group:ops', status: 'inherited' },
      { capability: '(none)', source: 'group:restricted', status: 'grants nothing' },
      { capability: '(none)', source: 'group:ghost', status: 'unknown group (grants nothing)' },
      { capability: 'caps:grant', source: 'grant', status: 'active' },
      { capability: 'invite:*', source: 'grant', status: 'active' },
      { capability: 'quota:set', source: 'grant', status: 'shadowed by revoke' },
      { capability: 'agent:delete', source: 'revoke', status: 'revoked' },
      { capability: 'quota:set', source: 'revoke', status: 'revoked' },
    ]);
  });

  it('is empty for an agent with nothing', () => {
    expect(
      capabilityRows(
        { principal: 'x', enabled: true, groups: [], grants: [], revokes: [] },
        groups,
      ),
    ).toEqual([]);
  });
});
