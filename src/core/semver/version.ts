import { SemVer } from 'semver';
import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';

// semver.org's grammar: no leading zeros, no `v` prefix, optional pre-release and build.
const FULL_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * Parses an exact, full semantic version (`MAJOR.MINOR.PATCH[-pre][+build]`).
 * Partial versions (`1.0`), tags (`latest`) and prefixes (`v1.0.0`) are refused.
 */
export function checkVersion(value: string): Result<SemVer, AstridError> {
  if (!FULL_SEMVER.test(value)) {
    return err(
      invalidInput(
        `${JSON.stringify(value)} is not a full semantic version; write MAJOR.MINOR.PATCH, e.g. "1.0.0"`,
      ),
    );
  }
  return ok(new SemVer(value));
}

export function parseVersion(value: string): SemVer {
  const result = checkVersion(value);
  if (!result.ok) throw result.error;
  return result.value;
}

export { SemVer };
