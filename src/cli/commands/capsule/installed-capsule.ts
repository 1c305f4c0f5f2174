import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CapsuleMeta, readCapsuleMeta } from '../../../capsule/install/capsule-meta.js';
import type { ManifestWarning } from '../../../capsule/manifest/diagnostics.js';
import { loadManifest, MANIFEST_FILE } from '../../../capsule/manifest/load-manifest.js';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';
import { type CapsuleId, parseCapsuleId } from '../../../core/ids/capsule-id.js';
import { DEFAULT_PRINCIPAL, type PrincipalId } from '../../../core/ids/principal-id.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { notFound } from '../../command-kit.js';

export interface InstalledCapsuleInfo {
  readonly id: CapsuleId;
  readonly dir: string;
  /** Whose capsules directory holds it (`null` for a workspace install). */
  readonly principal: PrincipalId | null;
  readonly manifest: CapsuleManifest;
  readonly warnings: readonly ManifestWarning[];
  /** null when meta.json is missing or unreadable. */
  readonly meta: CapsuleMeta | null;
}

/** The directories the daemon loads capsules from: the global installs, then the workspace's. */
export function capsuleSearchRoots(home: AstridHome, cwd: string): string[] {
  return [home.defaultPrincipal.capsulesDir, join(resolve(cwd), '.astrid', 'capsules')];
}

async function hasManifest(dir: string): Promise<boolean> {
  return (await stat(join(dir, MANIFEST_FILE)).catch(() => null))?.isFile() === true;
}

/**
 * Finds an installed capsule: in `agent`'s own capsules directory when one
 * is named, then among the global installs (principal `default`), then in
 * the workspace's `.astrid/capsules`. Missing → not-found (exit 1).
 */
export async function findInstalledCapsule(
  home: AstridHome,
  name: string,
  agent: PrincipalId | null,
  cwd: string = process.cwd(),
): Promise<InstalledCapsuleInfo> {
  const id = parseCapsuleId(name);
  const candidates: [string, PrincipalId | null][] = [];
  if (agent !== null && agent !== DEFAULT_PRINCIPAL)
    candidates.push([home.principal(agent).capsuleDir(id), agent]);
  candidates.push([home.defaultPrincipal.capsuleDir(id), DEFAULT_PRINCIPAL]);
  candidates.push([join(resolve(cwd), '.astrid', 'capsules', id), null]);
  for (const [dir, principal] of candidates) {
    if (!(await hasManifest(dir))) continue;
    const { manifest, warnings } = await loadManifest(dir);
    return { id, dir, principal, manifest, warnings, meta: await readCapsuleMeta(dir) };
  }
  throw notFound(`Capsule '${name}' is not installed (see astrid capsule list)`);
}
