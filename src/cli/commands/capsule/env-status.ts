import { resolveEnv } from '../../../capsule/env/resolve-env.js';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';

/** Shown instead of a secret's value: secrets are never printed. */
export const SECRET_SET = '<set>';

export type EnvValueSource = 'env-file' | 'secret-store' | 'default' | 'unset';

/** One `[env]` key of an installed capsule as the operator sees it. */
export interface EnvEntry {
  readonly key: string;
  /** The manifest's type as written (`undeclared` for keys only the env file has). */
  readonly type: string;
  readonly secret: boolean;
  readonly declared: boolean;
  /** The effective value; a secret shows as `<set>`; null when unset. */
  readonly value: string | null;
  readonly source: EnvValueSource;
  /** The capsule loads without it, but the operator still has to provide it. */
  readonly needsValue: boolean;
}

/**
 * Every declared `[env]` key with its effective value and where it comes
 * from, then keys the env file holds that the manifest does not declare,
 * each group sorted by key. Secret-typed keys are satisfied by the secret
 * store (or, legacy, by a clear value in the env file) and are never shown
 * in clear. Which keys still need a value is decided by the same rule the
 * kernel applies at load (`resolveEnv`). Pure.
 */
export function envEntries(
  manifest: CapsuleManifest,
  fileValues: Readonly<Record<string, string>>,
  secretsSet: ReadonlySet<string>,
): EnvEntry[] {
  const has = (k: string) => Object.hasOwn(fileValues, k);
  const enc = new TextEncoder();
  const resolved = resolveEnv(
    manifest,
    (k) => (has(k) ? enc.encode(fileValues[k] as string) : null),
    (k) => secretsSet.has(k),
  );
  const needed = new Set(resolved.onboarding.map((f) => f.key));
  const declared = [...manifest.env].sort((a, b) => cmp(a.key, b.key));
  const out: EnvEntry[] = declared.map((def) => {
    const secret = def.kind === 'secret';
    const base = {
      key: def.key,
      type: def.type,
      secret,
      declared: true,
      needsValue: needed.has(def.key),
    };
    if (secret) {
      if (secretsSet.has(def.key)) return { ...base, value: SECRET_SET, source: 'secret-store' };
      if (has(def.key)) return { ...base, value: SECRET_SET, source: 'env-file' };
      return { ...base, value: null, source: 'unset' };
    }
    if (has(def.key)) return { ...base, value: fileValues[def.key] as string, source: 'env-file' };
    if (!base.needsValue && def.default !== null)
      return { ...base, value: def.default, source: 'default' };
    return { ...base, value: null, source: 'unset' };
  });
  const known = new Set(manifest.env.map((d) => d.key));
  for (const key of Object.keys(fileValues).sort(cmp)) {
    if (known.has(key)) continue;
    out.push({
      key,
      type: 'undeclared',
      secret: false,
      declared: false,
      value: fileValues[key] as string,
      source: 'env-file',
      needsValue: false,
    });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
