import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';
import { AstridError } from '../../../core/errors.js';
import type { CapsuleId } from '../../../core/ids/capsule-id.js';
import { HOST_SCOPE, type PrincipalId } from '../../../core/ids/principal-id.js';
import { MAX_SECRET_BYTES } from '../../../storage/secrets/file-secret-store.js';
import { UsageError } from '../../command-kit.js';

export type SecretScope = 'agent' | 'shared';

/** The env-json file used when no capsule is named. */
export const DEFAULT_ENV_STEM = 'default';

/** Where `secret set` puts a value. */
export type SecretTarget =
  | {
      readonly storage: 'file';
      readonly scope: SecretScope;
      /** `secrets/<dir>/<capsule>/`: the agent, or `__host__` for shared secrets. */
      readonly scopeDir: PrincipalId | typeof HOST_SCOPE;
      readonly capsule: CapsuleId;
    }
  | {
      readonly storage: 'env-json';
      readonly scope: 'agent';
      readonly principal: PrincipalId;
      /** `home/<principal>/.config/env/<stem>.env.json`. */
      readonly stem: string;
    };

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Keys are environment-variable names, as in a manifest's `[env]`. Pure. */
export function checkEnvKey(key: string): string {
  if (!ENV_KEY.test(key)) {
    throw new AstridError(
      'invalid-input',
      `invalid key ${JSON.stringify(key)}: use a letter or _ then letters, digits or _, at most 128 characters (e.g. API_KEY)`,
    );
  }
  return key;
}

/** `--scope agent|shared` (case-insensitive); anything else is a usage error. Pure. */
export function parseScope(value: string | undefined): SecretScope {
  const v = (value ?? 'agent').toLowerCase();
  if (v === 'agent' || v === 'shared') return v;
  throw new UsageError(`--scope must be agent or shared, got ${JSON.stringify(value)}`);
}

/** Whether the manifest declares `key` with `type = "secret"` (any case). Pure. */
export function isDeclaredSecret(manifest: CapsuleManifest | null, key: string): boolean {
  return manifest?.env.some((d) => d.key === key && d.kind === 'secret') ?? false;
}

/**
 * Decides where a value goes: a key the capsule declares as a secret goes
 * to the file secret store (the agent's, or `__host__` for `--scope
 * shared`); anything else to the agent's env-json file. Pure.
 */
export function decideSecretTarget(input: {
  readonly key: string;
  readonly agent: PrincipalId;
  readonly capsule: CapsuleId | null;
  readonly declaredSecret: boolean;
  readonly scope: SecretScope;
}): SecretTarget {
  const { key, agent, capsule, declaredSecret, scope } = input;
  if (scope === 'shared') {
    if (capsule === null)
      throw new AstridError(
        'invalid-input',
        '--scope shared needs --capsule NAME: shared secrets belong to one capsule',
      );
    if (!declaredSecret)
      throw new AstridError(
        'invalid-input',
        `--scope shared is only for declared secrets, and capsule ${capsule} does not declare ${key} with type = "secret" in its [env]`,
      );
  }
  if (capsule !== null && declaredSecret) {
    return { storage: 'file', scope, scopeDir: scope === 'shared' ? HOST_SCOPE : agent, capsule };
  }
  return {
    storage: 'env-json',
    scope: 'agent',
    principal: agent,
    stem: capsule ?? DEFAULT_ENV_STEM,
  };
}

/**
 * A value read from stdin: one trailing newline (`\n` or `\r\n`) is
 * dropped, as `echo` and here-strings add it; empty or oversized values are
 * refused. Pure.
 */
export function checkValue(value: string, fromStdin: boolean): string {
  const v = fromStdin ? value.replace(/\r?\n$/, '') : value;
  if (v.length === 0) {
    throw new AstridError(
      'invalid-input',
      fromStdin
        ? 'no value on stdin; pipe it in, e.g. printf %s "$VALUE" | astrid secret set KEY -'
        : 'the value is empty; to remove a key use `astrid secret delete KEY`',
    );
  }
  if (Buffer.byteLength(v) > MAX_SECRET_BYTES)
    throw new AstridError('too-large', `the value is over ${MAX_SECRET_BYTES} bytes`);
  return v;
}
