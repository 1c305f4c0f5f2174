import { Type } from '@sinclair/typebox';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { capsulePathId, checkEnvSegment } from '../env/env-route-names.js';
import { badRequest } from '../http-errors.js';

export const CapsuleIdParam = Type.String({
  description: 'Capsule id (`package.name`: lowercase letters, digits and `-`).',
});

export const EnvFieldParam = Type.String({
  description: 'An `[env]` field name: 1-128 of letters, digits, `-`, `_`, `.`; no `..`.',
});

/** The `:id` of a capsule route, checked once: malformed → 400 with the reason. */
export function capsuleParam(id: string): CapsuleId {
  const checked = capsulePathId(id);
  if (!checked.ok) throw badRequest(checked.error.message);
  return checked.value;
}

/** The `:field` of an env route: malformed → 400 with the reason. */
export function envFieldParam(field: string): string {
  const checked = checkEnvSegment('field', field);
  if (!checked.ok) throw badRequest(checked.error.message);
  return checked.value;
}
