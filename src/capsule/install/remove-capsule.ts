import { rm } from 'node:fs/promises';
import { AstridError } from '../../core/errors.js';
import { parseCapsuleId } from '../../core/ids/capsule-id.js';
import { DEFAULT_PRINCIPAL } from '../../core/ids/principal-id.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { soleProviderDependents } from './cross-capsule-checks.js';
import {
  capsuleRoots,
  capsuleTargetDir,
  type InstallOptions,
  withInstallLock,
} from './install-capsule.js';
import { listInstalledCapsules } from './installed-capsules.js';

export interface RemoveOptions extends Pick<InstallOptions, 'principal' | 'workspaceRoot'> {
  /** Remove even if other capsules depend on interfaces only this one exports. */
  readonly force?: boolean;
  /** Also delete the operator's env file for the capsule. */
  readonly purge?: boolean;
  /** Runs after the checks pass, before anything is deleted (the daemon unloads the capsule here). */
  readonly beforeDelete?: () => Promise<void>;
}

export interface RemoveOutput {
  readonly capsule: string;
  readonly removedDir: string;
  readonly purgedEnv: string | null;
}

/**
 * Removes an installed capsule directory. Content-addressed blobs in `bin/`
 * and `wit/` are never deleted (they are the audit trail and may be shared).
 */
export async function removeCapsule(
  name: string,
  home: AstridHome,
  options: RemoveOptions = {},
): Promise<RemoveOutput> {
  const id = parseCapsuleId(name);
  return withInstallLock(home, async () => {
    const installed = await listInstalledCapsules(capsuleRoots(home, options));
    const dir = capsuleTargetDir(home, id, options);
    const target = installed.find((c) => c.dir === dir);
    if (target === undefined)
      throw new AstridError('not-found', `Capsule '${name}' is not installed.`);
    if (!options.force) {
      const blocking = soleProviderDependents(target, installed);
      if (blocking.length > 0) {
        const first = blocking[0] as { interface: string; dependent: string };
        throw new AstridError(
          'conflict',
          `Cannot remove '${name}': it is the sole provider of '${first.interface}' which is required by '${first.dependent}'. Use --force to remove it anyway.`,
          { details: { dependents: blocking } },
        );
      }
    }
    await options.beforeDelete?.();
    await rm(dir, { recursive: true, force: true });
    let purgedEnv: string | null = null;
    if (options.purge) {
      purgedEnv = home.principal(options.principal ?? DEFAULT_PRINCIPAL).envFile(id);
      await rm(purgedEnv, { force: true });
    }
    return { capsule: id, removedDir: dir, purgedEnv };
  });
}
