import { readEnvJson, writeEnvJson } from '../../../capsule/env/env-json-file.js';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';
import type { CapsuleId } from '../../../core/ids/capsule-id.js';
import { DEFAULT_PRINCIPAL, HOST_SCOPE, type PrincipalId } from '../../../core/ids/principal-id.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import {
  capsuleSecretStore,
  resolveCapsuleSecret,
} from '../../../storage/secrets/capsule-secrets.js';
import type { EnvAssignment } from './config-args.js';

/**
 * Where a capsule's env values live for one target: without `-a`, the
 * global configuration the daemon loads (`home/default/.config/env/` and the
 * host-wide secret scope); with `-a P`, P's own env file and secret scope.
 */
export interface EnvTarget {
  readonly capsule: CapsuleId;
  /** `null` = the global configuration. */
  readonly agent: PrincipalId | null;
  readonly envFile: string;
}

export function envTarget(
  home: AstridHome,
  capsule: CapsuleId,
  agent: PrincipalId | null,
): EnvTarget {
  return { capsule, agent, envFile: home.envFile(capsule, agent ?? DEFAULT_PRINCIPAL) };
}

/** Reads a flat `{string: string}` env file; a missing file is empty, anything else malformed is an error. */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  return (await readEnvJson(path)) ?? {};
}

/** The secret-typed keys of `manifest` that hold a value for this target (the daemon's lookup order). */
export async function secretsSet(
  home: AstridHome,
  target: EnvTarget,
  manifest: CapsuleManifest,
): Promise<Set<string>> {
  const set = new Set<string>();
  for (const def of manifest.env) {
    if (def.kind !== 'secret') continue;
    const value = await resolveCapsuleSecret(
      home,
      target.agent ?? DEFAULT_PRINCIPAL,
      target.capsule,
      def.key,
    );
    if (value !== null) set.add(def.key);
  }
  return set;
}

/**
 * Applies checked assignments: secret-typed keys go to the secret store
 * (and any legacy clear copy leaves the env file), the rest to the env file;
 * an empty value removes the key. The env file is written once.
 */
export async function applyAssignments(
  home: AstridHome,
  target: EnvTarget,
  manifest: CapsuleManifest,
  assignments: readonly EnvAssignment[],
): Promise<void> {
  const values = await readEnvFile(target.envFile);
  const before = JSON.stringify(values);
  const secrets = capsuleSecretStore(home, target.agent ?? HOST_SCOPE, target.capsule);
  for (const a of assignments) {
    const def = manifest.env.find((d) => d.key === a.key);
    if (def?.kind === 'secret') {
      if (a.value === '') await secrets.delete(a.key);
      else await secrets.set(a.key, a.value);
      delete values[a.key];
    } else if (a.value === '') {
      delete values[a.key];
    } else {
      values[a.key] = a.value;
    }
  }
  if (JSON.stringify(values) !== before) await writeEnvJson(target.envFile, values);
}
