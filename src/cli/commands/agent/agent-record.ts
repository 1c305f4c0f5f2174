import { isJsonObject } from '../../../events/json.js';
import type { AdminBody } from '../../../kernel/admin/admin-body.js';
import { answerData, isStringList, malformed } from './admin-answer.js';

/** One row of the AgentList answer. */
export interface AgentRecord {
  readonly principal: string;
  readonly enabled: boolean;
  readonly groups: readonly string[];
  readonly grants: readonly string[];
  readonly revokes: readonly string[];
}

/** Decodes an AgentList answer, sorted by principal. Pure. */
export function agentRecords(body: AdminBody): AgentRecord[] {
  const data = answerData(body, 'AgentList');
  if (!Array.isArray(data)) throw malformed('agent list');
  const rows = data.map((row): AgentRecord => {
    if (
      !isJsonObject(row) ||
      typeof row.principal !== 'string' ||
      typeof row.enabled !== 'boolean' ||
      !isStringList(row.groups) ||
      !isStringList(row.grants) ||
      !isStringList(row.revokes)
    ) {
      throw malformed('agent list row');
    }
    return {
      principal: row.principal,
      enabled: row.enabled,
      groups: row.groups,
      grants: row.grants,
      revokes: row.revokes,
    };
  });
  return rows.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
}

/** The rows of agents in `group` (all rows when `group` is undefined). Pure. */
export function inGroup(rows: readonly AgentRecord[], group: string | undefined): AgentRecord[] {
  return group === undefined ? [...rows] : rows.filter((r) => r.groups.includes(group));
}

export function agentState(row: AgentRecord): 'enabled' | 'disabled' {
  return row.enabled ? 'enabled' : 'disabled';
}

/** A list for a table cell: comma-separated, or `—` when empty. Pure. */
export function cellList(items: readonly string[]): string {
  return items.length === 0 ? '—' : items.join(', ');
}
