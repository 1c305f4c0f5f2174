import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { AstridError } from '../../core/errors.js';
import { DEFAULT_QUOTAS, quotasToWire } from '../../core/profiles/quotas.js';
import { readAnswer } from '../access/kernel-answer.js';
import { AgentSummaryView, QuotasAnswer } from './admin-views.js';

const row = { principal: 'alice', enabled: true, groups: ['agent'], grants: [], revokes: [] };

describe('readAnswer', () => {
  it('returns the data of the expected variant when it matches the view', () => {
    const rows = readAnswer(
      { status: 'AgentList', data: [row] },
      'AgentList',
      Type.Array(AgentSummaryView),
    );
    expect(rows).toEqual([row]);
  });

  it('refuses another body variant as an internal error', () => {
    expect(() =>
      readAnswer({ status: 'Success', data: [row] }, 'AgentList', Type.Array(AgentSummaryView)),
    ).toThrow(
      expect.objectContaining({
        code: 'internal',
        message: 'the kernel answered Success where AgentList was expected',
      }),
    );
  });

  it('refuses data of the wrong shape, naming where', () => {
    let error: unknown;
    try {
      readAnswer(
        { status: 'Quotas', data: { ...quotasToWire(DEFAULT_QUOTAS), max_memory_bytes: 'lots' } },
        'Quotas',
        QuotasAnswer,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AstridError);
    expect((error as AstridError).code).toBe('internal');
    expect((error as AstridError).message).toMatch(/unexpected shape \(\/max_memory_bytes: /);
  });
});
