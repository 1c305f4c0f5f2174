import { describe, expect, it } from 'vitest';
import { auditQueryParams } from './audit-query-string.js';

describe('auditQueryParams', () => {
  it('passes the given filters through and drops what is absent', () => {
    expect(auditQueryParams({})).toEqual({ ok: true, value: {} });
    expect(
      auditQueryParams({
        since: 10,
        until: 20,
        method: 'admin.invite.issue',
        principal: 'bob',
        limit: 1000,
        cursor: 'abc',
      }),
    ).toEqual({
      ok: true,
      value: {
        since: 10,
        until: 20,
        method: 'admin.invite.issue',
        principal: 'bob',
        limit: 1000,
        cursor: 'abc',
      },
    });
    expect(auditQueryParams({ limit: 0, cursor: '' })).toEqual({ ok: true, value: { limit: 0 } });
  });

  it.each([
    [{ limit: 1001 }, 'limit 1001 exceeds the cap of 1000'],
    [{ since: 20, until: 10 }, 'since (20) is after until (10)'],
    [{ method: '' }, 'method must not be empty (e.g. method=admin.invite.issue)'],
    [{ principal: 'a b' }, 'principal: invalid principal id'],
    [{ principal: '__host__' }, 'principal: '],
  ])('refuses %j', (query, reason) => {
    const r = auditQueryParams(query);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.message.startsWith(reason)).toBe(true);
    }
  });
});
