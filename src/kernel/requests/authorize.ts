import {
  CapabilityCheck,
  type CapabilityDenial,
  describeDenial,
} from '../../core/capabilities/capability-check.js';
import type { GroupConfig } from '../../core/groups/group-config.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Profile } from '../../core/profiles/profile.js';

export type Authorization =
  | { readonly allowed: true; readonly reason: string }
  | { readonly allowed: false; readonly reason: string; readonly denial: CapabilityDenial };

/**
 * The preamble shared by kernel and admin requests: an unloadable profile
 * denies as a missing capability, a disabled principal is refused before any
 * capability is considered, then revokes → grants → groups. Pure.
 */
export function authorizeRequest(
  caller: PrincipalId,
  profile: Profile | null,
  groups: GroupConfig,
  capability: string,
): Authorization {
  const decision = new CapabilityCheck(profile, groups, caller).authorize(capability);
  if (decision.allowed)
    return { allowed: true, reason: `policy allow: ${caller} holds ${capability}` };
  return {
    allowed: false,
    reason: describeDenial(caller, decision.denial),
    denial: decision.denial,
  };
}
