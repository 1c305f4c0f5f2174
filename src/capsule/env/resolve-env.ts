import type { OnboardingField } from '../../events/ipc-payload.js';
import type { CapsuleManifest } from '../manifest/manifest.js';
import { onboardingField } from '../manifest/manifest-views.js';

export interface ResolvedEnv {
  /** Every non-reserved `[env]` key with its value ("" for keys that need onboarding). */
  readonly values: ReadonlyMap<string, string>;
  /** Fields the operator still has to provide. */
  readonly onboarding: readonly OnboardingField[];
}

/**
 * Resolves a capsule's `[env]` at load: an operator value (capsule KV, UTF-8)
 * wins; otherwise a choice among several enum values needs the operator even
 * with a default; otherwise the default; otherwise the operator. Keys that
 * need onboarding load as "" (the capsule still loads). A secret-typed key
 * whose secret is stored is satisfied without its value entering the map
 * (`get-config` reads the secret store). Pure: the callbacks answer from KV
 * and the secret store.
 */
export function resolveEnv(
  manifest: CapsuleManifest,
  operatorValue: (key: string) => Uint8Array | null,
  secretIsSet: (key: string) => boolean,
): ResolvedEnv {
  const values = new Map<string, string>();
  const onboarding: OnboardingField[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const def of manifest.env) {
    if (def.kind === 'secret' && secretIsSet(def.key)) {
      // Served from the secret store at call time; never copied into config.
      values.set(def.key, '');
      continue;
    }
    const stored = operatorValue(def.key);
    if (stored !== null) {
      try {
        values.set(def.key, decoder.decode(stored));
        continue;
      } catch {
        // not UTF-8: the operator has to provide it again
      }
    } else if (def.enumValues.length <= 1 && def.default !== null) {
      values.set(def.key, def.default);
      continue;
    }
    values.set(def.key, '');
    onboarding.push(onboardingField(def));
  }
  return { values, onboarding };
}
