import { describe, expect, it } from 'vitest';
import { auditTable, auditTime, nextPageCommand } from './audit-rows.js';

describe('audit rows', () => {
  it('renders TIME/PRINCIPAL/METHOD/OUTCOME/TARGET with system and no-target markers', () => {
    const text = auditTable([
      {
        ts_epoch: 1_735_689_600,
        method: 'admin.caps.grant',
        required_capability: 'caps:grant',
        principal: 'default',
        target_principal: 'alice',
        params: null,
        outcome: 'success',
      },
      {
        ts_epoch: 1_735_689_601,
        method: 'GetStatus',
        required_capability: 'system:status',
        principal: null,
        target_principal: null,
        params: null,
        outcome: 'failure',
      },
    ]);
    expect(text).toBe(
      [
        'TIME                  PRINCIPAL  METHOD            OUTCOME  TARGET',
        '2025-01-01T00:00:00Z  default    admin.caps.grant  success  alice',
        '2025-01-01T00:00:01Z  (system)   GetStatus         failure  -',
        '',
      ].join('\n'),
    );
    expect(auditTime(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('builds the next-page command with the same filters, quoting what the shell would split', () => {
    expect(nextPageCommand('abc_1', {})).toBe('astrid audit list --cursor abc_1');
    expect(
      nextPageCommand('eyJ2IjoxfQ', {
        since: 10,
        until: 20,
        method: 'admin.agent.create',
        principal: 'bob',
        limit: 2,
      }),
    ).toBe(
      'astrid audit list --cursor eyJ2IjoxfQ --since 10 --until 20 --method admin.agent.create --principal bob --limit 2',
    );
    expect(nextPageCommand('c', { method: "it's odd" })).toBe(
      "astrid audit list --cursor c --method 'it'\\''s odd'",
    );
  });
});
