import { type AstridError, err, invalidInput, ok, type Result } from '../../core/errors.js';
import { type CapsuleId, checkCapsuleId } from '../../core/ids/capsule-id.js';

const SEGMENT = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * A path segment naming a capsule or an env field (spec §1.11): 1–128 ASCII
 * letters, digits, `-`, `_`, `.`, and never `..`. Pure.
 */
export function checkEnvSegment(what: string, value: string): Result<string, AstridError> {
  if (!SEGMENT.test(value) || value.includes('..')) {
    return err(
      invalidInput(
        `invalid ${what} ${JSON.stringify(value)}: use 1-128 ASCII letters, digits, '-', '_' or '.', without '..'`,
      ),
    );
  }
  return ok(value);
}

/**
 * A capsule id from a route path: the segment rule above, then the capsule
 * name grammar (`[a-z0-9-]`, no leading or trailing `-`, at most 64), since
 * the id names a directory. Pure.
 */
export function capsulePathId(value: string): Result<CapsuleId, AstridError> {
  const segment = checkEnvSegment('capsule id', value);
  if (!segment.ok) return segment;
  return checkCapsuleId(value);
}
