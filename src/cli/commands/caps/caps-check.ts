import { CapabilityCheck } from '../../../core/capabilities/capability-check.js';
import { GroupConfig } from '../../../core/groups/group-config.js';
import type { PrincipalId } from '../../../core/ids/principal-id.js';
import { profileFromWire } from '../../../core/profiles/profile.js';
import { malformed } from '../agent/admin-answer.js';
import type { AgentRecord } from '../agent/agent-record.js';
import type { GroupRecord } from '../group/group-record.js';

export interface CheckOutcome {
  readonly allowed: boolean;
  readonly reason: string;
}

/**
 * Whether `agent` holds `capability`, decided by the core's capability check
 * exactly as the kernel authorizes a request: a disabled agent is refused,
 * then revokes beat grants, grants beat groups, and a group the daemon does
 * not define grants nothing. Pure.
 */
export function checkCapabilityOf(
  agent: AgentRecord,
  groups: readonly GroupRecord[],
  capability: string,
): CheckOutcome {
  const profile = profileFromWire({
    enabled: agent.enabled,
    groups: [...agent.groups],
    grants: [...agent.grants],
    revokes: [...agent.revokes],
  });
  if (!profile.ok) throw malformed(`agent record (${profile.error.message})`);
  const config = GroupConfig.fromCustom(
    groups
      .filter((g) => !g.builtin)
      .map((g) => ({
        name: g.name,
        capabilities: g.capabilities,
        description: g.description,
        unsafeAdmin: g.unsafeAdmin,
      })),
  );
  if (!config.ok) throw malformed(`group list (${config.error.message})`);
  const decision = new CapabilityCheck(
    profile.value,
    config.value,
    agent.principal as PrincipalId,
  ).authorize(capability);
  if (decision.allowed) {
    return {
      allowed: true,
      reason:
        decision.via === 'grant'
          ? `granted directly (${JSON.stringify(decision.pattern)})`
          : `inherited from group '${decision.group}' (${JSON.stringify(decision.pattern)})`,
    };
  }
  switch (decision.denial.kind) {
    case 'revoked':
      return {
        allowed: false,
        reason: `revoked by ${JSON.stringify(decision.denial.revokePattern)}`,
      };
    case 'disabled':
      return { allowed: false, reason: `agent '${agent.principal}' is disabled` };
    case 'missing':
      return { allowed: false, reason: 'no grant or group capability covers it' };
  }
}
