import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';
import { utf8ByteLength } from '../utf8.js';

/** A capability string that passed the grammar (e.g. `self:capsule:install`, `agent:*`). */
export type Capability = string & { readonly __brand: 'Capability' };

export const CAPABILITY_MAX_BYTES = 256;

/** The universal grant; only `admin` and groups marked `unsafe_admin` may hold it. */
export const UNIVERSAL_CAPABILITY = '*' as Capability;

const LITERAL_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Validates a capability string: `segment (':' segment)*` where a segment is
 * `*` or `[A-Za-z0-9_-]+`, at most 256 bytes. `self` is an ordinary literal
 * segment; there is no implicit relation between `x` and `self:x`.
 */
export function checkCapability(value: string): Result<Capability, AstridError> {
  const quoted = JSON.stringify(value);
  if (value.length === 0) return err(invalidInput('capability must not be empty'));
  const bytes = utf8ByteLength(value);
  if (bytes > CAPABILITY_MAX_BYTES) {
    return err(invalidInput(`capability is ${bytes} bytes; the limit is ${CAPABILITY_MAX_BYTES}`));
  }
  if (value.includes('**')) {
    return err(invalidInput(`capability ${quoted} contains '**'; use a single '*' segment`));
  }
  for (const segment of value.split(':')) {
    if (segment.length === 0) {
      return err(
        invalidInput(
          `capability ${quoted} has an empty segment (no leading, trailing or doubled ':')`,
        ),
      );
    }
    if (segment === '*') continue;
    if (segment.includes('*')) {
      return err(
        invalidInput(
          `capability ${quoted}: '*' must be a whole segment, not mixed with other characters in ${JSON.stringify(segment)}`,
        ),
      );
    }
    if (!LITERAL_SEGMENT.test(segment)) {
      const bad = [...segment].find((ch) => !LITERAL_SEGMENT.test(ch));
      return err(
        invalidInput(
          `capability ${quoted} contains invalid character ${JSON.stringify(bad)} (segments are [A-Za-z0-9_-]+ or '*')`,
        ),
      );
    }
  }
  return ok(value as Capability);
}

export function parseCapability(value: string): Capability {
  const result = checkCapability(value);
  if (!result.ok) throw result.error;
  return result.value;
}

export function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && checkCapability(value).ok;
}

/**
 * Whether a granted/revoked `pattern` covers the capability `cap`.
 *
 * `*` alone covers everything. Otherwise segments are compared pairwise: a `*`
 * that is the pattern's last segment covers one or more remaining segments, a
 * `*` elsewhere covers exactly one, literals must be equal.
 */
export function capabilityMatches(pattern: string, cap: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split(':');
  const c = cap.split(':');
  for (let i = 0; i < p.length; i++) {
    const segment = p[i];
    if (segment === '*' && i === p.length - 1) return c.length > i;
    if (i >= c.length) return false;
    if (segment !== '*' && segment !== c[i]) return false;
  }
  return p.length === c.length;
}
