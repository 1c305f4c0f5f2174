import type { Dirent } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_FILE } from '../capsule/manifest/load-manifest.js';
import type { CapsuleManifest } from '../capsule/manifest/manifest.js';
import { AstridError } from '../core/errors.js';

/**
 * The files an installed capsule needs, relative to its project: the
 * manifest, the component, and every file the manifest names (context
 * files, skills, commands) — what `astrid build` packs, minus `wit/`, which
 * is listed from disk. Paths leaving the project are refused. Pure.
 */
export function installFiles(manifest: CapsuleManifest, componentFile: string): string[] {
  const files = [MANIFEST_FILE, componentFile];
  for (const c of manifest.contextFiles) files.push(c.file);
  for (const s of manifest.skills) files.push(s.file);
  for (const c of manifest.commands) if (c.file !== null) files.push(c.file);
  const out: string[] = [];
  for (const file of files) {
    const normal = relative('/', resolve('/', file)).split(sep).join('/');
    if (isAbsolute(file) || file.split(/[\\/]/).includes('..') || normal.length === 0)
      throw new AstridError(
        'invalid-input',
        `${MANIFEST_FILE} names ${file}, which leaves the capsule`,
      );
    if (!out.includes(normal)) out.push(normal);
  }
  return out;
}

async function listWit(project: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(join(project, rel), { withFileTypes: true });
    } catch (e) {
      // No wit/ directory: nothing to ship.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk('wit');
  return out;
}

/**
 * Copies a built capsule's install set from `project` into `target`, the
 * directory the kernel then installs from (a project's `node_modules` holds
 * links that an install would refuse, and need not be copied anyway).
 */
export async function stageCapsule(
  project: string,
  manifest: CapsuleManifest,
  componentPath: string,
  target: string,
): Promise<void> {
  const componentFile = relative(project, componentPath).split(sep).join('/');
  const files = [...installFiles(manifest, componentFile), ...(await listWit(project))];
  for (const file of files) {
    const from = join(project, file);
    const to = join(target, file);
    await mkdir(dirname(to), { recursive: true });
    try {
      await copyFile(from, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new AstridError('not-found', `${MANIFEST_FILE} names ${file}, which does not exist`);
      throw e;
    }
  }
}
