import { describe, expect, it } from 'vitest';
import {
  inviteTable,
  issuedLines,
  metadataLabel,
  parseCountFlag,
  parseInviteList,
  parseIssued,
  parseMetadataArg,
  parseRedeemed,
} from './invite-view.js';

describe('invite flag parsing', () => {
  it('reads whole numbers and refuses anything else as a usage error', () => {
    expect(parseCountFlag('--max-uses', '3')).toBe(3);
    expect(parseCountFlag('--expires-secs', '0')).toBe(0);
    for (const bad of ['-1', '1.5', 'ten', '', '1e3']) {
      expect(() => parseCountFlag('--max-uses', bad)).toThrow(/--max-uses expects a whole number/);
    }
  });

  it('sends JSON objects as given and wraps other text as a label', () => {
    expect(parseMetadataArg('laptop of bob')).toEqual({ label: 'laptop of bob' });
    expect(parseMetadataArg('{"team":"ops"}')).toEqual({ team: 'ops' });
    expect(() => parseMetadataArg('{oops')).toThrow(/does not parse/);
    expect(() => parseMetadataArg('  ')).toThrow(/must not be empty/);
  });

  it('labels metadata by its label, else compact JSON, else -', () => {
    expect(metadataLabel(undefined)).toBe('-');
    expect(metadataLabel({ label: 'x', more: 1 })).toBe('x');
    expect(metadataLabel({ team: 'ops' })).toBe('{"team":"ops"}');
  });
});

describe('invite answers', () => {
  it('formats an issued invite', () => {
    const invite = parseIssued({
      token: 'T0K',
      group: 'agent',
      remaining_uses: 2,
      expires_at_epoch: 99,
      metadata: { label: 'bob' },
    });
    expect(issuedLines(invite)).toEqual([
      'issued T0K (group: agent, uses: 2, metadata: bob)',
      'expires at unix epoch 99',
    ]);
    const forever = parseIssued({ token: 'T', group: 'g', remaining_uses: 1 });
    expect(issuedLines(forever)).toEqual([
      'issued T (group: g, uses: 1, metadata: -)',
      'never expires',
    ]);
  });

  it('rejects answers of the wrong shape', () => {
    expect(() => parseIssued({ token: 1 })).toThrow(/unexpected shape/);
    expect(() =>
      parseRedeemed({ principal: 'a b', group: 'g', public_key_fingerprint: 'f' }),
    ).toThrow(/unexpected shape/);
    expect(() => parseInviteList({})).toThrow(/unexpected shape/);
  });

  it('tabulates listed invites with never for no expiry', () => {
    const rows = parseInviteList([
      { token_fingerprint: 'f1', group: 'agent', remaining_uses: 1, issued_at_epoch: 1 },
      {
        token_fingerprint: 'f2',
        group: 'ops',
        remaining_uses: 3,
        issued_at_epoch: 1,
        expires_at_epoch: 1_700_000_000,
        metadata: { label: 'bob' },
      },
    ]);
    expect(inviteTable(rows)).toEqual({
      headers: ['FINGERPRINT', 'GROUP', 'USES', 'EXPIRES', 'LABEL'],
      rows: [
        ['f1', 'agent', '1', 'never', '-'],
        ['f2', 'ops', '3', '2023-11-14T22:13:20Z', 'bob'],
      ],
    });
  });
});
