import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CapsuleId } from '../../../../core/ids/capsule-id.js';
import type { PrincipalId } from '../../../../core/ids/principal-id.js';
import type { AstridHome } from '../../../../storage/home/astrid-home.js';

/** Where the work in progress keeps principal-scoped state. */
export interface InvocationScope {
  readonly principal: PrincipalId;
  /** `<principal>:capsule:<capsule>` (the owner's is `<owner>:capsule:<capsule>`). */
  readonly kvNamespace: string;
  /** `home/<principal>/` when that home exists; null otherwise (no home:// access, nothing created). */
  readonly home: string | null;
  /** `home/<principal>/.local/tmp/` under an existing home, else null. */
  readonly tmp: string | null;
}

/**
 * The per-principal view of a capsule call: its KV namespace always; home
 * and tmp mounts only when the principal's home directory already exists —
 * registration is the gate, so an unknown principal never gets a directory
 * created for it.
 */
export function invocationScope(
  home: AstridHome,
  capsule: CapsuleId,
  principal: PrincipalId,
  homeExists: (path: string) => boolean = existsSync,
): InvocationScope {
  const root = home.principal(principal).root;
  const hasHome = homeExists(root);
  return {
    principal,
    kvNamespace: `${principal}:capsule:${capsule}`,
    home: hasHome ? root : null,
    tmp: hasHome ? join(root, '.local', 'tmp') : null,
  };
}
