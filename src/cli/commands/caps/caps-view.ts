import { capabilityMatches } from '../../../core/capabilities/capability-grammar.js';
import type { AgentRecord } from '../agent/agent-record.js';
import type { GroupRecord } from '../group/group-record.js';

/** One row of `caps show`. */
export interface CapabilityRow {
  readonly capability: string;
  /** `group:<name>`, `grant` or `revoke`. */
  readonly source: string;
  readonly status: string;
}

/**
 * The status of a held pattern given the revokes: `shadowed by revoke` when a
 * revoke covers it entirely, `partly shadowed by revoke` when it covers a
 * revoked capability, else `fallback`. Uses the core matcher.
 */
function heldStatus(pattern: string, revokes: readonly string[], fallback: string): string {
  if (revokes.some((r) => capabilityMatches(r, pattern))) return 'shadowed by revoke';
  if (revokes.some((r) => capabilityMatches(pattern, r))) return 'partly shadowed by revoke';
  return fallback;
}

/**
 * Where each of an agent's capabilities comes from: the groups it is in (in
 * profile order), its direct grants, then its revokes. A group the daemon
 * does not define grants nothing and is shown as such. Pure.
 */
export function capabilityRows(
  agent: AgentRecord,
  groups: readonly GroupRecord[],
): CapabilityRow[] {
  const rows: CapabilityRow[] = [];
  for (const name of agent.groups) {
    const source = `group:${name}`;
    const group = groups.find((g) => g.name === name);
    if (group === undefined) {
      rows.push({ capability: '(none)', source, status: 'unknown group (grants nothing)' });
      continue;
    }
    if (group.capabilities.length === 0) {
      rows.push({ capability: '(none)', source, status: 'grants nothing' });
    }
    for (const cap of group.capabilities) {
      rows.push({ capability: cap, source, status: heldStatus(cap, agent.revokes, 'inherited') });
    }
  }
  for (const cap of agent.grants) {
    rows.push({
      capability: cap,
      source: 'grant',
      status: heldStatus(cap, agent.revokes, 'active'),
    });
  }
  for (const cap of agent.revokes) {
    rows.push({ capability: cap, source: 'revoke', status: 'revoked' });
  }
  return rows;
}
