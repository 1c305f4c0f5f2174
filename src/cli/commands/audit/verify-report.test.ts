import { describe, expect, it } from 'vitest';
import { verifyReport } from './verify-report.js';

describe('verifyReport', () => {
  it('reports a valid chain in one line', () => {
    expect(verifyReport({ valid: true, entries: 12, chains: 2, issues: [] })).toEqual({
      ok: 'audit chain verified (12 entries)',
      errors: [],
    });
    expect(verifyReport({ valid: true, entries: 1, chains: 1, issues: [] }).ok).toBe(
      'audit chain verified (1 entry)',
    );
  });

  it('lists every issue with its kind, entry and message', () => {
    const r = verifyReport({
      valid: false,
      entries: 3,
      chains: 1,
      issues: [
        {
          kind: 'invalid-signature',
          seq: 2,
          id: 'e-2',
          chain: 's:a',
          message: 'the signature does not verify',
        },
        { kind: 'head-mismatch', seq: null, id: null, chain: 's:a', message: 'truncated' },
      ],
    });
    expect(r.ok).toBeNull();
    expect(r.errors).toEqual([
      'audit chain verification FAILED: 2 issues in 3 entries',
      'invalid-signature entry e-2 (#2): the signature does not verify',
      'head-mismatch chain s:a: truncated',
    ]);
  });

  it('says when the kernel cut the issue list short', () => {
    const issue = { kind: 'broken-link', seq: 1, id: 'x', chain: 'c', message: 'm' };
    const r = verifyReport({
      valid: false,
      entries: 500,
      chains: 1,
      issues: Array(100).fill(issue),
    });
    expect(r.errors[0]).toBe(
      'audit chain verification FAILED: 100 issues in 500 entries (showing the first 100)',
    );
  });
});
