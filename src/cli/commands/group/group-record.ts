import { isJsonObject } from '../../../events/json.js';
import type { AdminBody } from '../../../kernel/admin/admin-body.js';
import { answerData, isStringList, malformed } from '../agent/admin-answer.js';

/** One row of the GroupList answer. */
export interface GroupRecord {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly description: string | null;
  readonly unsafeAdmin: boolean;
  readonly builtin: boolean;
}

/** Decodes a GroupList answer, sorted by name. Pure. */
export function groupRecords(body: AdminBody): GroupRecord[] {
  const data = answerData(body, 'GroupList');
  if (!Array.isArray(data)) throw malformed('group list');
  const rows = data.map((row): GroupRecord => {
    if (
      !isJsonObject(row) ||
      typeof row.name !== 'string' ||
      !isStringList(row.capabilities) ||
      !(row.description === null || typeof row.description === 'string') ||
      typeof row.unsafe_admin !== 'boolean' ||
      typeof row.builtin !== 'boolean'
    ) {
      throw malformed('group list row');
    }
    return {
      name: row.name,
      capabilities: row.capabilities,
      description: row.description,
      unsafeAdmin: row.unsafe_admin,
      builtin: row.builtin,
    };
  });
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function groupType(group: GroupRecord): 'built-in' | 'custom' {
  return group.builtin ? 'built-in' : 'custom';
}

/** The structured form of a group (`--format json|yaml|toml`). Pure. */
export function groupToJson(group: GroupRecord): {
  name: string;
  type: 'built-in' | 'custom';
  capabilities: string[];
  description: string | null;
  unsafe_admin: boolean;
} {
  return {
    name: group.name,
    type: groupType(group),
    capabilities: [...group.capabilities],
    description: group.description,
    unsafe_admin: group.unsafeAdmin,
  };
}

/** The CAPABILITIES cell of `group list`: the first three, then `...(N total)`. Pure. */
export function capabilitySummary(capabilities: readonly string[]): string {
  if (capabilities.length === 0) return '(none)';
  const head = capabilities.slice(0, 3).join(', ');
  return capabilities.length > 3 ? `${head}, ...(${capabilities.length} total)` : head;
}
