import { describe, expect, it } from 'vitest';
import { revocationFromAudit } from './revocation-event.js';

const entry = {
  ts_epoch: 1_700_000_000,
  method: 'admin.agent.delete',
  required_capability: 'agent:delete',
  principal: 'default',
  target_principal: 'alice',
  params: { principal: 'alice' },
  outcome: 'success',
};

describe('revocationFromAudit', () => {
  it('revokes the target of a successful admin.agent.delete at its timestamp', () => {
    expect(revocationFromAudit(entry, 5)).toEqual({ principal: 'alice', epoch: 1_700_000_000 });
  });

  it('falls back to the wall clock without a timestamp', () => {
    const { ts_epoch: _, ...rest } = entry;
    expect(revocationFromAudit(rest, 42)).toEqual({ principal: 'alice', epoch: 42 });
  });

  it.each([
    ['a failed delete', { ...entry, outcome: 'failure' }],
    ['another method', { ...entry, method: 'admin.agent.disable' }],
    ['the legacy PascalCase name', { ...entry, method: 'AgentDelete' }],
    ['no target', { ...entry, target_principal: null }],
    ['an invalid target', { ...entry, target_principal: '../etc' }],
    ['a non-object', 'admin.agent.delete'],
    ['nothing', undefined],
  ])('ignores %s', (_w, value) => {
    expect(revocationFromAudit(value as never, 5)).toBeNull();
  });
});
