import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type CapsuleMeta, readCapsuleMeta } from './capsule-meta.js';

export interface InstalledCapsule {
  readonly id: string;
  readonly dir: string;
  readonly meta: CapsuleMeta | null;
}

/**
 * Lists installed capsules under each root (`…/.local/capsules`,
 * `<workspace>/.astrid/capsules`), sorted by name, with their meta. Missing
 * roots are skipped; other listing errors propagate.
 */
export async function listInstalledCapsules(roots: readonly string[]): Promise<InstalledCapsule[]> {
  const out: InstalledCapsule[] = [];
  for (const root of roots) {
    let names: string[];
    try {
      names = await readdir(root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    for (const name of names.sort()) {
      if (name.endsWith('.bak') || name.startsWith('.')) continue;
      const dir = join(root, name);
      const info = await stat(dir).catch(() => null);
      if (info === null || !info.isDirectory()) continue;
      out.push({ id: name, dir, meta: await readCapsuleMeta(dir) });
    }
  }
  return out;
}
