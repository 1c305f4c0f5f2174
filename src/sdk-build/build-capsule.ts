import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { create as createTar } from 'tar';
import { inspectComponent } from '../capsule/engines/wasm/pipeline/inspect/inspect-component.js';
import { defaultArchiveName, orderArchiveEntries } from '../capsule/install/archive-order.js';
import { loadManifest, MANIFEST_FILE } from '../capsule/manifest/load-manifest.js';
import type { CapsuleManifest } from '../capsule/manifest/manifest.js';
import { AstridError } from '../core/errors.js';
import { tempSibling } from '../storage/files/atomic-write.js';
import { bundleGuest, probeExports } from './bundle-capsule.js';
import { capsuleWorld, entryModule, type GuestExports } from './capsule-world.js';
import { componentizeGuest, componentizeVersion } from './componentize-guest.js';

/** Bumped when the build's output for the same inputs changes. */
export const BUILD_FORMAT = 1;
export const DEFAULT_ENTRY = 'src/index.ts';

export type BuildStep =
  | 'manifest'
  | 'typecheck'
  | 'bundle'
  | 'world'
  | 'componentize'
  | 'inspect'
  | 'pack';

export interface BuildOptions {
  /** Where the `.capsule` goes (default `<dir>/dist`). */
  readonly outDir?: string;
  /** Skip `tsc --noEmit` (the testing helper builds sources the author's own test run already type-checks). */
  readonly skipTypecheck?: boolean;
  /** Skip writing the archive (the testing helper only needs the component). */
  readonly skipPack?: boolean;
  readonly onStep?: (step: BuildStep, detail: string) => void;
}

export interface BuildResult {
  readonly manifest: CapsuleManifest;
  readonly componentPath: string;
  readonly componentBytes: number;
  readonly archivePath: string | null;
  readonly imports: readonly string[];
  readonly exports: GuestExports;
  /** The component came from the build cache. */
  readonly cached: boolean;
  readonly cacheKey: string;
}

/** The entry module of a capsule project: `package.json` `astrid.entry`, else `src/index.ts`. */
async function entryOf(dir: string): Promise<string> {
  let entry = DEFAULT_ENTRY;
  try {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      astrid?: { entry?: unknown };
    };
    if (typeof pkg.astrid?.entry === 'string') entry = pkg.astrid.entry;
  } catch {
    // no package.json: the default entry
  }
  if (!existsSync(join(dir, entry)))
    throw new AstridError(
      'not-found',
      `the capsule entry ${entry} does not exist in ${dir}; create it or set "astrid": {"entry": "…"} in package.json`,
    );
  return `./${entry.split(sep).join('/').replace(/^\.\//, '')}`;
}

function runTsc(dir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  // TypeScript's package exports hide bin/; find it beside package.json.
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', dir], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new AstridError(
            'invalid-input',
            `type errors (fix them, or build with --no-typecheck):\n${out.trim()}`,
          ),
        );
    });
  });
}

/** Files the manifest names besides components: context files, skills, command files. */
function declaredFiles(manifest: CapsuleManifest): string[] {
  const files: string[] = [];
  for (const c of manifest.contextFiles) files.push(c.file);
  for (const s of manifest.skills) files.push(s.file);
  for (const c of manifest.commands) if (c.file !== null) files.push(c.file);
  return files;
}

async function listTree(root: string, rel: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const out: string[] = [];
  const walk = async (r: string) => {
    for (const entry of await readdir(join(root, r), { withFileTypes: true })) {
      const child = `${r}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk(rel);
  return out;
}

async function writeArchive(
  dir: string,
  manifest: CapsuleManifest,
  componentRel: string,
  outDir: string,
): Promise<string> {
  const files = [MANIFEST_FILE, componentRel];
  for (const f of declaredFiles(manifest)) {
    if (!existsSync(join(dir, f)))
      throw new AstridError('not-found', `${MANIFEST_FILE} names ${f}, which does not exist`);
    files.push(f);
  }
  if (existsSync(join(dir, 'wit'))) files.push(...(await listTree(dir, 'wit')));
  const entries = orderArchiveEntries(files, [componentRel]);
  await mkdir(outDir, { recursive: true });
  const outFile = join(outDir, defaultArchiveName(manifest.package.name, manifest.package.version));
  const temp = tempSibling(outFile);
  try {
    await createTar(
      { gzip: true, file: temp, cwd: dir, portable: true, noDirRecurse: true },
      entries,
    );
    await rename(temp, outFile);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return outFile;
}

/**
 * `astrid build`: manifest → typecheck → bundle (esbuild) → WIT world from
 * what the capsule actually imports and exports → ComponentizeJS with every
 * WASI feature off (cached by the hash of the bundle, world and toolchain)
 * → the runtime's own inspection → the component written where
 * `[[component]] file` says → a `.capsule` archive.
 */
export async function buildCapsule(
  projectDir: string,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const dir = resolve(projectDir);
  const step = options.onStep ?? (() => {});
  step('manifest', join(dir, MANIFEST_FILE));
  const { manifest } = await loadManifest(dir);
  const component = manifest.components[0];
  if (component === undefined || manifest.components.length !== 1)
    throw new AstridError(
      'invalid-input',
      `${MANIFEST_FILE} must declare exactly one [[component]] (its file is where the build writes the component)`,
    );
  const entry = await entryOf(dir);
  if (options.skipTypecheck !== true && existsSync(join(dir, 'tsconfig.json'))) {
    step('typecheck', 'tsc --noEmit');
    await runTsc(dir);
  }
  step('bundle', entry);
  const exports = await probeExports(dir, entry);
  const bundle = await bundleGuest(dir, entryModule(entry, manifest.package.name, exports));
  const world = capsuleWorld(bundle.imports, exports);
  step(
    'world',
    `imports ${bundle.imports.length === 0 ? 'nothing' : bundle.imports.join(', ')}; exports ${Object.entries(
      exports,
    )
      .filter(([, v]) => v)
      .map(([k]) => k)
      .join(', ')}`,
  );
  const key = createHash('sha256')
    .update(String(BUILD_FORMAT))
    .update('\0')
    .update(await componentizeVersion())
    .update('\0')
    .update(world)
    .update('\0')
    .update(bundle.code)
    .digest('hex');
  const cacheFile = join(dir, '.astrid', 'build-cache', `${key}.wasm`);
  let bytes: Uint8Array;
  let cached = false;
  try {
    bytes = await readFile(cacheFile);
    cached = true;
    step('componentize', 'cached');
  } catch {
    step('componentize', 'ComponentizeJS (this takes a while the first time)');
    bytes = await componentizeGuest(bundle.code, world);
    await mkdir(dirname(cacheFile), { recursive: true });
    const temp = tempSibling(cacheFile);
    await writeFile(temp, bytes);
    await rename(temp, cacheFile);
  }
  step('inspect', `${bytes.length} bytes`);
  inspectComponent(bytes);
  const componentPath = resolve(dir, component.file);
  if (relative(dir, componentPath).startsWith('..'))
    throw new AstridError(
      'invalid-input',
      `[[component]] file ${component.file} leaves the capsule`,
    );
  await mkdir(dirname(componentPath), { recursive: true });
  const temp = tempSibling(componentPath);
  await writeFile(temp, bytes);
  await rename(temp, componentPath);
  let archivePath: string | null = null;
  if (options.skipPack !== true) {
    step('pack', options.outDir ?? join(dir, 'dist'));
    archivePath = await writeArchive(
      dir,
      manifest,
      relative(dir, componentPath).split(sep).join('/'),
      resolve(options.outDir ?? join(dir, 'dist')),
    );
  }
  return {
    manifest,
    componentPath,
    componentBytes: (await stat(componentPath)).size,
    archivePath,
    imports: bundle.imports,
    exports,
    cached,
    cacheKey: key,
  };
}
