import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * A snapshot of a directory tree: relative path → content (files), `<dir>`
 * (directories) or `-> target` (symlinks). Two equal snapshots mean nothing
 * changed.
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      const info = await lstat(path);
      if (info.isSymbolicLink()) out[rel] = `-> ${await readlink(path)}`;
      else if (info.isDirectory()) {
        out[rel] = '<dir>';
        await walk(path);
      } else out[rel] = (await readFile(path)).toString('base64');
    }
  };
  await walk(root);
  return out;
}
