import { describe, expect, it } from 'vitest';
import { capabilitySummary, groupRecords, groupToJson } from './group-record.js';

describe('groupRecords', () => {
  it('decodes a GroupList answer sorted by name', () => {
    const groups = groupRecords({
      status: 'GroupList',
      data: [
        {
          name: 'ops',
          capabilities: ['agent:list'],
          description: null,
          unsafe_admin: false,
          builtin: false,
        },
        {
          name: 'admin',
          capabilities: ['*'],
          description: 'all',
          unsafe_admin: true,
          builtin: true,
        },
      ],
    });
    expect(groups.map((g) => g.name)).toEqual(['admin', 'ops']);
    expect(groupToJson(groups[0]!)).toEqual({
      name: 'admin',
      type: 'built-in',
      capabilities: ['*'],
      description: 'all',
      unsafe_admin: true,
    });
    expect(groupToJson(groups[1]!).type).toBe('custom');
  });

  it('refuses malformed rows', () => {
    expect(() =>
      groupRecords({ status: 'GroupList', data: [{ name: 'x', capabilities: 'a' }] }),
    ).toThrow(/malformed group list row/);
  });
});

describe('capabilitySummary', () => {
  it('shows up to three capabilities, then the total', () => {
    expect(capabilitySummary([])).toBe('(none)');
    expect(capabilitySummary(['a', 'b', 'c'])).toBe('a, b, c');
    expect(capabilitySummary(['a', 'b', 'c', 'd'])).toBe('a, b, c, ...(4 total)');
  });
});
