import { CapabilityCheck, describeDenial } from '../../core/capabilities/capability-check.js';
import { AUDIT_READ_ALL } from '../../core/capabilities/special-capabilities.js';
import type { GroupConfig } from '../../core/groups/group-config.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Profile } from '../../core/profiles/profile.js';
import { AUDIT_READ_SELF } from '../../kernel/audit/audit-query-params.js';

/** Who may follow the live audit feed, and how much of it. */
export type AuditAccess =
  | { readonly allowed: true; readonly firehose: boolean }
  | { readonly allowed: false; readonly reason: string };

/**
 * The kernel's capability check, not a group-name heuristic:
 * `audit:read_all` (granted directly or through any group) gives every row;
 * `self:audit:read` gives one's own rows (the rule `AuditQuery` applies);
 * anything else — including a disabled principal or an unreadable profile —
 * is refused. Pure.
 */
export function decideAuditAccess(
  principal: PrincipalId,
  profile: Profile | null,
  groups: GroupConfig | null,
): AuditAccess {
  const check = new CapabilityCheck(profile, groups, principal);
  if (check.authorize(AUDIT_READ_ALL).allowed) return { allowed: true, firehose: true };
  const own = check.authorize(AUDIT_READ_SELF);
  if (own.allowed) return { allowed: true, firehose: false };
  return { allowed: false, reason: describeDenial(principal, own.denial) };
}
