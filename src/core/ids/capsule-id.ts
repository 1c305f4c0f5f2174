import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';

/** A validated capsule identifier (the manifest's `package.name`). */
export type CapsuleId = string & { readonly __brand: 'CapsuleId' };

export const CAPSULE_ID_MAX_LENGTH = 64;

const CAPSULE_ID = /^[a-z0-9-]+$/;

/**
 * Validates a capsule id: `[a-z0-9-]+`, at most 64 characters, no leading or
 * trailing `-`. The id names a directory, so nothing that could escape one
 * (dots, slashes) is ever accepted.
 */
export function checkCapsuleId(value: string): Result<CapsuleId, AstridError> {
  if (value.length === 0) {
    return err(invalidInput('invalid capsule name: must not be empty'));
  }
  if (value.length > CAPSULE_ID_MAX_LENGTH) {
    return err(
      invalidInput(
        `invalid capsule name ${JSON.stringify(value)}: exceeds ${CAPSULE_ID_MAX_LENGTH} characters`,
      ),
    );
  }
  if (!CAPSULE_ID.test(value)) {
    return err(
      invalidInput(
        `invalid capsule name ${JSON.stringify(value)}: use only lowercase letters, digits and '-'`,
      ),
    );
  }
  if (value.startsWith('-') || value.endsWith('-')) {
    return err(
      invalidInput(`invalid capsule name ${JSON.stringify(value)}: must not start or end with '-'`),
    );
  }
  return ok(value as CapsuleId);
}

export function parseCapsuleId(value: string): CapsuleId {
  const result = checkCapsuleId(value);
  if (!result.ok) throw result.error;
  return result.value;
}

export function isCapsuleId(value: unknown): value is CapsuleId {
  return typeof value === 'string' && checkCapsuleId(value).ok;
}
