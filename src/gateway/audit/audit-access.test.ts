import { describe, expect, it } from 'vitest';
import type { Capability } from '../../core/capabilities/capability-grammar.js';
import { GroupConfig } from '../../core/groups/group-config.js';
import { parsePrincipalId } from '../../core/ids/principal-id.js';
import { makeProfile } from '../../core/profiles/profile.js';
import { decideAuditAccess } from './audit-access.js';

const alice = parsePrincipalId('alice');
const builtins = GroupConfig.builtinsOnly();
const caps = (...c: string[]) => c as Capability[];

describe('decideAuditAccess', () => {
  it('gives the firehose to admin and to a direct audit:read_all grant', () => {
    expect(decideAuditAccess(alice, makeProfile({ groups: ['admin'] }), builtins)).toEqual({
      allowed: true,
      firehose: true,
    });
    expect(
      decideAuditAccess(
        alice,
        makeProfile({ groups: ['agent'], grants: caps('audit:read_all') }),
        builtins,
      ),
    ).toEqual({ allowed: true, firehose: true });
  });

  it('scopes an agent to its own rows', () => {
    expect(decideAuditAccess(alice, makeProfile({ groups: ['agent'] }), builtins)).toEqual({
      allowed: true,
      firehose: false,
    });
  });

  it('lets a revoke beat the admin group', () => {
    expect(
      decideAuditAccess(
        alice,
        makeProfile({ groups: ['admin'], revokes: caps('audit:read_all') }),
        builtins,
      ),
    ).toEqual({ allowed: true, firehose: false });
  });

  it('refuses a principal without self:audit:read, a disabled one, and an unreadable profile', () => {
    expect(decideAuditAccess(alice, makeProfile({ groups: ['restricted'] }), builtins)).toEqual({
      allowed: false,
      reason: 'permission denied for principal alice: missing capability self:audit:read',
    });
    expect(
      decideAuditAccess(alice, makeProfile({ groups: ['admin'], enabled: false }), builtins),
    ).toEqual({
      allowed: false,
      reason: 'permission denied for principal alice: agent is disabled',
    });
    expect(decideAuditAccess(alice, null, builtins).allowed).toBe(false);
  });
});
