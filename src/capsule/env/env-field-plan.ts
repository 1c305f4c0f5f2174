import { type AstridError, err, invalidInput, ok, type Result } from '../../core/errors.js';
import { MAX_SECRET_BYTES } from '../../storage/secrets/file-secret-store.js';
import type { EnvDef } from '../manifest/manifest.js';

/** Where one `[env]` value goes, decided by the field's declared `type`. */
export type EnvFieldWrite =
  /** The file secret store of the principal (never the plain env file). */
  | { readonly store: 'secret'; readonly value: string }
  /** A key of the principal's `<capsule>.env.json`. */
  | { readonly store: 'env'; readonly value: string }
  /** Appended to the JSON array held (as text) under the key of the env file. */
  | { readonly store: 'env-append'; readonly item: string };

/**
 * Decides how a value for `def` is stored: `secret` (any case) → the secret
 * store; `select` → the env file, and the value must be one of its
 * `enum_values`; `array` → appended to the env file's array; everything else
 * (unknown types read as text) → the env file. Empty values are refused. Pure.
 */
export function planEnvFieldWrite(def: EnvDef, value: string): Result<EnvFieldWrite, AstridError> {
  if (value.length === 0) return err(invalidInput(`${def.key}: the value must not be empty`));
  switch (def.kind) {
    case 'secret':
      if (Buffer.byteLength(value) > MAX_SECRET_BYTES)
        return err(invalidInput(`${def.key}: a secret is at most ${MAX_SECRET_BYTES} bytes`));
      return ok({ store: 'secret', value });
    case 'select':
      if (def.enumValues.length > 0 && !def.enumValues.includes(value)) {
        return err(
          invalidInput(
            `${def.key} must be one of ${def.enumValues.join(', ')} (got ${JSON.stringify(value)})`,
          ),
        );
      }
      return ok({ store: 'env', value });
    case 'array':
      return ok({ store: 'env-append', item: value });
    case 'text':
      return ok({ store: 'env', value });
  }
}

/**
 * Appends `item` to an array-typed env value. Env files hold strings, so an
 * array is kept as its compact JSON text (as manifest defaults are). A value
 * that is not a JSON array is replaced by a one-element array and reported
 * so the caller can warn. Pure.
 */
export function appendArrayItem(
  current: string | undefined,
  item: string,
): { readonly value: string; readonly replacedScalar: boolean } {
  if (current === undefined || current.length === 0)
    return { value: JSON.stringify([item]), replacedScalar: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(current);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed))
    return { value: JSON.stringify([...parsed, item]), replacedScalar: false };
  return { value: JSON.stringify([item]), replacedScalar: true };
}
