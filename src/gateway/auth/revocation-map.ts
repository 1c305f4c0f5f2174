import { AstridError, err, ok, type Result } from '../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';

/** `etc/gateway-revocations.json` is refused above this size. */
export const MAX_REVOCATIONS_BYTES = 10 * 1024 * 1024;

export type RevocationMap = ReadonlyMap<PrincipalId, number>;

/**
 * Parses the revocation file: a JSON object `{ "<principal>": <epoch>, … }`.
 * Empty or whitespace-only text is an empty map; anything else malformed is
 * an error (the gateway refuses to boot rather than forget revocations).
 */
export function parseRevocations(text: string, path: string): Result<RevocationMap, AstridError> {
  const fail = (why: string) =>
    err(new AstridError('config', `revocation file ${path} is corrupt: ${why}`));
  if (Buffer.byteLength(text, 'utf8') > MAX_REVOCATIONS_BYTES)
    return err(
      new AstridError(
        'config',
        `revocation file ${path} is larger than ${MAX_REVOCATIONS_BYTES} bytes`,
      ),
    );
  if (text.trim() === '') return ok(new Map());
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(`invalid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('expected a JSON object of principal → epoch seconds');
  const map = new Map<PrincipalId, number>();
  for (const [key, epoch] of Object.entries(value)) {
    const principal = checkPrincipalId(key);
    if (!principal.ok) return fail(principal.error.message);
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0)
      return fail(`the epoch of ${JSON.stringify(key)} is not a non-negative integer`);
    map.set(principal.value, epoch);
  }
  return ok(map);
}

/** Pretty JSON with sorted keys, so the file diffs cleanly. */
export function serializeRevocations(map: RevocationMap): string {
  const sorted: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) sorted[key] = map.get(key) as number;
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** A bearer issued at `iat` is dead if its principal was revoked at or after that second. */
export function isRevoked(map: RevocationMap, principal: PrincipalId, iat: number): boolean {
  const at = map.get(principal);
  return at !== undefined && iat <= at;
}

/** The epoch to store for a new revocation: never moves an existing one backwards. */
export function nextRevocationEpoch(current: number | undefined, at: number): number | null {
  if (current !== undefined && current >= at) return null;
  return at;
}
