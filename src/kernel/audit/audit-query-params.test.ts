import { describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { encodeCursor } from '../../storage/audit/audit-query.js';
import { scopeAuditQuery } from './audit-query-params.js';

const alice = 'alice' as PrincipalId;

describe('scopeAuditQuery', () => {
  it('passes filters through for a firehose caller', () => {
    const cursor = encodeCursor(7);
    expect(
      scopeAuditQuery(
        { since: 10, until: 20, method: 'GetStatus', principal: 'bob', limit: 5, cursor },
        alice,
        true,
      ),
    ).toEqual({
      query: { since: 10, until: 20, method: 'GetStatus', principal: 'bob', limit: 5, cursor },
      firehose: true,
    });
    expect(scopeAuditQuery(undefined, alice, true)).toEqual({ query: {}, firehose: true });
  });

  it('pins a caller without audit:read_all to its own rows whatever principal says', () => {
    expect(scopeAuditQuery({ principal: 'bob' }, alice, false).query).toEqual({
      principal: 'alice',
    });
    expect(scopeAuditQuery({}, alice, false).query).toEqual({ principal: 'alice' });
  });

  it.each([
    [{ limit: 1001 }, 'limit 1001 is over the maximum page of 1000'],
    [{ limit: -1 }, 'AuditQuery: limit must be a whole number ≥ 0'],
    [{ since: 20, until: 10 }, 'since (20) is after until (10)'],
    [{ cursor: 'nope' }, 'invalid audit cursor'],
    [{ principal: 'a b' }, 'AuditQuery: principal: invalid principal id'],
    [{ method: '' }, 'AuditQuery: method must not be empty'],
    [{ verbose: true }, 'AuditQuery: unknown parameter "verbose"'],
    [[1], 'AuditQuery: params must be an object'],
  ])('refuses %j', (params, message) => {
    expect(() => scopeAuditQuery(params, alice, true)).toThrow(message);
  });
});
