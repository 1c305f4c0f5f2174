import { lstat, mkdir, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { create as createTar } from 'tar';
import { inspectComponent } from '../../../capsule/engines/wasm/pipeline/inspect/inspect-component.js';
import {
  defaultArchiveName,
  orderArchiveEntries,
  PACK_SKIP_DIRS,
  PACK_SKIP_TOP_FILES,
} from '../../../capsule/install/archive-order.js';
import { formatDiagnostic } from '../../../capsule/manifest/diagnostics.js';
import { loadManifest, MANIFEST_FILE } from '../../../capsule/manifest/load-manifest.js';
import { AstridError } from '../../../core/errors.js';
import { tempSibling } from '../../../storage/files/atomic-write.js';
import { notFound } from '../../command-kit.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { humanBytes } from './human-bytes.js';

/** Archives above this size draw a warning (the reference's threshold). */
export const LARGE_ARCHIVE_BYTES = 50 * 1024 * 1024;

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(`${root}${sep}`);
}

/**
 * Every file to pack, relative to `root`: `.git`/`target` at any depth and
 * a top-level `dist/` are skipped, as are `.capsule` files and top-level
 * operator files. A symlink to a file inside the directory is packed as
 * that file; one leaving the directory, dangling or naming a directory is
 * refused, so the archive never carries a link.
 */
async function collectFiles(root: string, outFile: string, skipped: string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string, depth: number) => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      if (path === outFile) continue;
      const rel = relative(root, path).split(sep).join('/');
      const entry = await lstat(path);
      if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => null);
        const info = target === null ? null : await stat(target);
        if (target === null || info === null || !inside(root, target) || !info.isFile()) {
          throw new AstridError(
            'invalid-input',
            `${rel} is a symlink to a directory, outside the capsule or dangling; replace it with the real file`,
          );
        }
        files.push(rel);
      } else if (entry.isDirectory()) {
        if (PACK_SKIP_DIRS.has(name) || (depth === 0 && name === 'dist')) continue;
        await walk(path, depth + 1);
      } else if (entry.isFile()) {
        if (rel.endsWith('.capsule')) continue;
        if (depth === 0 && PACK_SKIP_TOP_FILES.has(name)) {
          skipped.push(rel);
          continue;
        }
        files.push(rel);
      }
    }
  };
  await walk(root, 0);
  return files;
}

/**
 * `astrid capsule pack DIR [-o FILE]`: validates the manifest and the
 * components, then writes a `.capsule` (gzip'd tar, gateway-cli §4.3 order)
 * atomically and prints its path and size.
 */
export async function capsulePack(
  io: CliIo,
  dir: string,
  out: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const root = await realpath(resolve(dir)).catch(() => null);
  if (root === null) throw notFound(`Capsule directory does not exist: ${resolve(dir)}`);
  if (!(await stat(root)).isDirectory())
    throw new AstridError('invalid-input', `${root} is not a directory`);
  const { manifest, warnings } = await loadManifest(root);
  for (const w of warnings) say.warn(io, formatDiagnostic(w));
  const components: string[] = [];
  for (const c of manifest.components) {
    const path = resolve(root, c.file);
    const real = await realpath(path).catch(() => null);
    if (real === null || !inside(root, real) || !(await stat(real)).isFile()) {
      throw new AstridError(
        'not-found',
        `component ${c.file} is not a file inside ${root}; build the capsule first or fix [[component]] file`,
      );
    }
    try {
      inspectComponent(await readFile(real));
    } catch (e) {
      throw new AstridError('invalid-input', `component ${c.file}: ${(e as Error).message}`);
    }
    components.push(relative(root, path).split(sep).join('/'));
  }

  const fileName = defaultArchiveName(manifest.package.name, manifest.package.version);
  let outFile = resolve(out ?? fileName);
  // A trailing slash or an existing directory names the directory to write into.
  if (out?.endsWith('/') || (await stat(outFile).catch(() => null))?.isDirectory())
    outFile = join(outFile, fileName);
  await mkdir(dirname(outFile), { recursive: true });
  const skipped: string[] = [];
  const entries = orderArchiveEntries(await collectFiles(root, outFile, skipped), components);
  const temp = tempSibling(outFile);
  try {
    await createTar(
      { gzip: true, file: temp, cwd: root, portable: true, noDirRecurse: true, follow: true },
      entries,
    );
    await rename(temp, outFile);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  const bytes = (await stat(outFile)).size;
  if (format !== 'pretty') {
    printStructured(
      io,
      {
        capsule: manifest.package.name,
        version: manifest.package.version,
        path: outFile,
        bytes,
        files: entries,
        skipped,
      },
      format,
    );
    return 0;
  }
  say.ok(
    io,
    `Packed ${manifest.package.name} ${manifest.package.version} → ${outFile} (${humanBytes(bytes)}, ${entries.length} files)`,
  );
  for (const s of skipped)
    say.info(
      io,
      `left out ${s}: operator values are not shipped (use [env] defaults in ${MANIFEST_FILE})`,
    );
  if (bytes > LARGE_ARCHIVE_BYTES)
    say.warn(io, `${basename(outFile)} is larger than 50 MB; installs will be slow`);
  return 0;
}
