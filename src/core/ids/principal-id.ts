import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';

/** A validated principal identifier (agent, user or device). */
export type PrincipalId = string & { readonly __brand: 'PrincipalId' };

export const PRINCIPAL_ID_MAX_LENGTH = 64;

/** The principal seeded as administrator on first boot. */
export const DEFAULT_PRINCIPAL = 'default' as PrincipalId;

/**
 * The secret-store scope for host-wide secrets. It names a directory beside
 * principal scopes, so no principal may ever be called this.
 */
export const HOST_SCOPE = '__host__';

const PRINCIPAL_CHAR = /^[A-Za-z0-9_-]$/;

/**
 * Names wrapped in double underscores (`__host__`, `__system__`, ...) are
 * reserved for host-side scopes that live beside principal directories.
 */
export function isReservedPrincipalName(name: string): boolean {
  return name.length >= 4 && name.startsWith('__') && name.endsWith('__');
}

/** Validates a principal id: 1–64 characters of `[A-Za-z0-9_-]`, not reserved. */
export function checkPrincipalId(value: string): Result<PrincipalId, AstridError> {
  if (value.length === 0) {
    return err(invalidInput('invalid principal id: must not be empty'));
  }
  if (value.length > PRINCIPAL_ID_MAX_LENGTH) {
    return err(
      invalidInput(
        `invalid principal id: exceeds ${PRINCIPAL_ID_MAX_LENGTH} characters (got ${value.length})`,
      ),
    );
  }
  for (const ch of value) {
    if (!PRINCIPAL_CHAR.test(ch)) {
      return err(
        invalidInput(
          `invalid principal id ${JSON.stringify(value)}: invalid character ${JSON.stringify(ch)} (use letters, digits, '_' or '-')`,
        ),
      );
    }
  }
  if (isReservedPrincipalName(value)) {
    return err(
      invalidInput(
        `invalid principal id ${JSON.stringify(value)}: names wrapped in '__' are reserved for the host`,
      ),
    );
  }
  return ok(value as PrincipalId);
}

/** Parses a principal id or throws an `invalid-input` error. */
export function parsePrincipalId(value: string): PrincipalId {
  const result = checkPrincipalId(value);
  if (!result.ok) throw result.error;
  return result.value;
}

export function isPrincipalId(value: unknown): value is PrincipalId {
  return typeof value === 'string' && checkPrincipalId(value).ok;
}
