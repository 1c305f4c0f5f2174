import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { Logger } from '../../core/logger.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { CapsuleManifest } from '../manifest/manifest.js';

export interface DiscoveredCapsule {
  readonly id: CapsuleId;
  readonly dir: string;
  readonly manifest: CapsuleManifest;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds installed capsules: in each root (in priority order), every child
 * directory with a `Capsule.toml` (sorted by name) and a `Capsule.toml`
 * directly in the root. A bad manifest is logged and skipped; the first
 * capsule of a name wins and later ones are logged.
 */
export async function discoverCapsules(
  roots: readonly string[],
  logger: Logger,
): Promise<DiscoveredCapsule[]> {
  const found: DiscoveredCapsule[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    let children: string[];
    try {
      children = (await readdir(root, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn({ root, err: (e as Error).message }, 'cannot list capsule directory');
      continue;
    }
    const dirs = [
      ...((await isFile(join(root, 'Capsule.toml'))) ? [root] : []),
      ...children.map((c) => join(root, c)),
    ];
    for (const dir of dirs) {
      if (!(await isFile(join(dir, 'Capsule.toml')))) continue;
      let manifest: CapsuleManifest;
      try {
        manifest = (await loadManifest(dir)).manifest;
      } catch (e) {
        logger.warn(
          { dir, err: (e as Error).message },
          'skipping a capsule with an invalid manifest',
        );
        continue;
      }
      const id = manifest.package.name;
      if (seen.has(id)) {
        logger.info(
          { capsule: id, dir },
          'capsule already discovered in a higher-priority directory; skipping this copy',
        );
        continue;
      }
      seen.add(id);
      found.push({ id, dir, manifest });
    }
  }
  return found;
}
