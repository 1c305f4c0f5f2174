import { describe, expect, it } from 'vitest';
import { isAstridError } from '../../core/errors.js';
import { groupModifyParams, groupSummaries } from './group-wire.js';

describe('groupModifyParams', () => {
  it('passes only the fields given; an explicit null description clears it', () => {
    expect(groupModifyParams('ops', { description: null })).toEqual({
      name: 'ops',
      description: null,
    });
    expect(groupModifyParams('ops', { capabilities: ['a:b'] })).toEqual({
      name: 'ops',
      capabilities: ['a:b'],
    });
    expect(
      groupModifyParams('ops', { capabilities: [], description: 'd', unsafe_admin: false }),
    ).toEqual({ name: 'ops', capabilities: [], description: 'd', unsafe_admin: false });
  });

  it('keeps an omitted description out of the params (the kernel keeps it)', () => {
    expect('description' in groupModifyParams('ops', { unsafe_admin: true })).toBe(false);
  });

  it('refuses a patch with nothing to change as invalid input', () => {
    let error: unknown;
    try {
      groupModifyParams('ops', {});
    } catch (e) {
      error = e;
    }
    expect(isAstridError(error, 'invalid-input')).toBe(true);
    expect((error as Error).message).toMatch(/^nothing to change/);
  });
});

describe('groupSummaries', () => {
  it('omits a null description and keeps a present one', () => {
    expect(
      groupSummaries([
        {
          name: 'a',
          capabilities: ['x:y'],
          description: null,
          unsafe_admin: false,
          builtin: false,
        },
        { name: 'b', capabilities: [], description: 'bee', unsafe_admin: true, builtin: true },
      ]),
    ).toEqual([
      { name: 'a', capabilities: ['x:y'], unsafe_admin: false, builtin: false },
      { name: 'b', capabilities: [], description: 'bee', unsafe_admin: true, builtin: true },
    ]);
  });
});
