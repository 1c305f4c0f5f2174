import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { loadManifest, MANIFEST_FILE } from '../manifest/load-manifest.js';
import type { CapsuleManifest } from '../manifest/manifest.js';

/** Where a globally installed capsule's manifest lives (`home/default/.local/capsules/<id>/`). */
export function installedManifestPath(home: AstridHome, capsule: CapsuleId): string {
  return join(home.defaultPrincipal.capsuleDir(capsule), MANIFEST_FILE);
}

/**
 * The manifest of a capsule installed under `default`, or null when it is
 * not installed. An installed but invalid manifest is an error.
 */
export async function loadInstalledManifest(
  home: AstridHome,
  capsule: CapsuleId,
): Promise<CapsuleManifest | null> {
  try {
    await stat(installedManifestPath(home, capsule));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return (await loadManifest(home.defaultPrincipal.capsuleDir(capsule))).manifest;
}
