import type { CapsuleManifest, EnvDef } from '../../../capsule/manifest/manifest.js';
import { AstridError } from '../../../core/errors.js';

export interface EnvAssignment {
  readonly key: string;
  /** Empty = remove the key. */
  readonly value: string;
}

/** Parses `--set KEY=VALUE` (the first `=` splits; `KEY=` removes the key). Pure. */
export function parseAssignment(arg: string): EnvAssignment {
  const eq = arg.indexOf('=');
  if (eq < 0) {
    throw new AstridError(
      'invalid-input',
      `--set ${JSON.stringify(arg)} is not KEY=VALUE (write --set KEY=VALUE, or KEY= to remove a value)`,
    );
  }
  const key = arg.slice(0, eq).trim();
  if (key.length === 0)
    throw new AstridError('invalid-input', `--set ${JSON.stringify(arg)} has an empty key`);
  return { key, value: arg.slice(eq + 1) };
}

/**
 * Checks an assignment against the capsule's `[env]`: the key must be
 * declared (the capsule only ever reads declared keys, so anything else is a
 * typo) and a select value must be one of its choices. Pure.
 */
export function checkAssignment(manifest: CapsuleManifest, a: EnvAssignment): void {
  const def = manifest.env.find((d) => d.key === a.key);
  const name = manifest.package.name;
  if (def === undefined) {
    const keys = manifest.env.map((d) => d.key).sort();
    throw new AstridError(
      'invalid-input',
      keys.length === 0
        ? `${name} declares no [env] keys, so ${a.key} cannot be set`
        : `${name} does not declare ${a.key} in [env] (declared: ${keys.join(', ')})`,
    );
  }
  checkValue(def, a.value);
}

/** A select value must be one of its choices (empty = remove, always fine). Pure. */
export function checkValue(def: EnvDef, value: string): void {
  if (value === '' || def.kind !== 'select' || def.enumValues.length === 0) return;
  if (!def.enumValues.includes(value)) {
    throw new AstridError(
      'invalid-input',
      `${def.key} must be one of ${def.enumValues.join(', ')} (got ${JSON.stringify(value)})`,
    );
  }
}
