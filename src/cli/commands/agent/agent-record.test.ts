import { describe, expect, it } from 'vitest';
import type { AdminBody } from '../../../kernel/admin/admin-body.js';
import { agentRecords, agentState, cellList, inGroup } from './agent-record.js';

const row = (principal: string, groups: string[], enabled = true) => ({
  principal,
  enabled,
  groups,
  grants: [],
  revokes: [],
});

describe('agentRecords', () => {
  it('decodes an AgentList answer sorted by principal', () => {
    const body: AdminBody = {
      status: 'AgentList',
      data: [row('zed', ['agent']), row('bob', ['ops', 'agent'], false), row('default', ['admin'])],
    };
    const rows = agentRecords(body);
    expect(rows.map((r) => r.principal)).toEqual(['bob', 'default', 'zed']);
    expect(agentState(rows[0]!)).toBe('disabled');
    expect(inGroup(rows, 'agent').map((r) => r.principal)).toEqual(['bob', 'zed']);
    expect(inGroup(rows, undefined)).toHaveLength(3);
    expect(inGroup(rows, 'nobody')).toEqual([]);
  });

  it('refuses another answer kind or a malformed row as an internal error', () => {
    expect(() => agentRecords({ status: 'GroupList', data: [] })).toThrow(
      /answered GroupList where AgentList was expected/,
    );
    expect(() => agentRecords({ status: 'AgentList', data: [{ principal: 'x' }] })).toThrow(
      /malformed agent list row/,
    );
    expect(() => agentRecords({ status: 'AgentList', data: {} })).toThrow(/malformed agent list/);
  });
});

describe('cellList', () => {
  it('joins items or shows a dash', () => {
    expect(cellList(['a', 'b'])).toBe('a, b');
    expect(cellList([])).toBe('—');
  });
});
