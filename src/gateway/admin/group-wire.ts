import { type Static, Type } from '@sinclair/typebox';
import { AstridError } from '../../core/errors.js';
import type { JsonObject } from '../../events/json.js';
import type { GroupSummary } from './admin-views.js';

/** The PATCH body: omitted fields keep their value; `description: null` clears it. */
export interface GroupPatch {
  readonly capabilities?: string[];
  readonly description?: string | null;
  readonly unsafe_admin?: boolean;
}

/**
 * The kernel's `GroupModify` params for a PATCH. An explicit `null`
 * description is passed through (the kernel clears it); an omitted one is
 * left out (kept). A PATCH that names nothing to change is refused, so a
 * misspelt field does not pass silently as a no-op. Pure.
 */
export function groupModifyParams(name: string, patch: GroupPatch): JsonObject {
  const params: JsonObject = { name };
  if (patch.capabilities !== undefined) params.capabilities = [...patch.capabilities];
  if (patch.description !== undefined) params.description = patch.description;
  if (patch.unsafe_admin !== undefined) params.unsafe_admin = patch.unsafe_admin;
  if (Object.keys(params).length === 1) {
    throw new AstridError(
      'invalid-input',
      'nothing to change: give at least one of capabilities, description (null clears it), unsafe_admin',
    );
  }
  return params;
}

/** One row of the kernel's `GroupList` answer (a cleared description is `null`). */
export const GroupListAnswer = Type.Array(
  Type.Object({
    name: Type.String(),
    capabilities: Type.Array(Type.String()),
    description: Type.Union([Type.String(), Type.Null()]),
    unsafe_admin: Type.Boolean(),
    builtin: Type.Boolean(),
  }),
);

/** The HTTP view of a group list: an absent description is omitted, not `null`. Pure. */
export function groupSummaries(rows: Static<typeof GroupListAnswer>): GroupSummary[] {
  return rows.map((row) => ({
    name: row.name,
    capabilities: [...row.capabilities],
    ...(row.description === null ? {} : { description: row.description }),
    unsafe_admin: row.unsafe_admin,
    builtin: row.builtin,
  }));
}
