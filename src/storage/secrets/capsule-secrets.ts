import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { HOST_SCOPE, type PrincipalId } from '../../core/ids/principal-id.js';
import type { AstridHome } from '../home/astrid-home.js';
import { FileSecretStore } from './file-secret-store.js';

/** `secrets/<scope>/<capsule>/` where scope is a principal or the host-wide `__host__`. */
export function capsuleSecretStore(
  home: AstridHome,
  scope: PrincipalId | typeof HOST_SCOPE,
  capsule: CapsuleId,
): FileSecretStore {
  return new FileSecretStore(home.path('secrets', scope, capsule));
}

/**
 * A capsule's secret-typed env value for a principal: the principal's own
 * secret, else the host-wide one, else null (empty counts as unset).
 */
export async function resolveCapsuleSecret(
  home: AstridHome,
  principal: PrincipalId,
  capsule: CapsuleId,
  key: string,
): Promise<string | null> {
  for (const scope of [principal, HOST_SCOPE] as const) {
    const value = await capsuleSecretStore(home, scope, capsule).get(key);
    if (value !== null && value.length > 0) return value;
  }
  return null;
}
