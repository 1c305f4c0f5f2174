import {
  copyFile,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AstridError } from '../../core/errors.js';
import { type CapsuleId, checkCapsuleId } from '../../core/ids/capsule-id.js';
import { DEFAULT_PRINCIPAL, type PrincipalId } from '../../core/ids/principal-id.js';
import { type Logger, silentLogger } from '../../core/logger.js';
import { ContentStore, type StoredBlob } from '../../storage/files/content-store.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { inspectComponent } from '../engines/wasm/pipeline/inspect/inspect-component.js';
import type { ManifestWarning } from '../manifest/diagnostics.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { CapsuleManifest } from '../manifest/manifest.js';
import { primaryComponent } from '../manifest/manifest-views.js';
import { readCapsuleMeta, writeCapsuleMeta } from './capsule-meta.js';
import { copyCapsuleDir } from './copy-capsule-dir.js';
import {
  type ExportConflict,
  findExportConflicts,
  findMissingImports,
  type MissingImport,
} from './cross-capsule-checks.js';
import { listInstalledCapsules } from './installed-capsules.js';

/** Largest WIT file accepted into the content store. */
export const MAX_WIT_FILE_BYTES = 1024 * 1024;
/** Largest component accepted (a StarlingMonkey component is ~12 MB). */
export const MAX_COMPONENT_BYTES = 256 * 1024 * 1024;

export type InstallPhase = 'install' | 'upgrade';

/** The steps of an install, in order; reported through `onStep` as they start. */
export const INSTALL_STEPS = [
  'manifest',
  'export-conflicts',
  'content-address',
  'wit',
  'backup',
  'copy',
  'env',
  'lifecycle',
  'meta',
  'imports',
  'cleanup',
] as const;
export type InstallStep = (typeof INSTALL_STEPS)[number];

/** Runs the capsule's `astrid-install` / `astrid-upgrade` export (wired by the WASM engine). */
export type LifecycleRunner = (context: {
  readonly manifest: CapsuleManifest;
  readonly phase: InstallPhase;
  readonly previousVersion: string | null;
  readonly targetDir: string;
  readonly wasmPath: string;
  readonly wasmHash: string;
}) => Promise<void>;

export interface InstallOptions {
  /** The principal whose capsule directory receives the capsule (default `default`). */
  readonly principal?: PrincipalId;
  /** Install into `<workspaceRoot>/.astrid/capsules/` instead of the principal's home. */
  readonly workspaceRoot?: string;
  /** Recorded in meta.json as `source` (local installs keep the previous one). */
  readonly originalSource?: string;
  readonly skipImportCheck?: boolean;
  readonly lifecycle?: LifecycleRunner;
  /** Called as each step starts; throwing aborts the install (and rolls back). */
  readonly onStep?: (step: InstallStep) => void | Promise<void>;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export interface InstallOutput {
  readonly capsule: CapsuleId;
  readonly targetDir: string;
  readonly phase: InstallPhase;
  readonly installedVersion: string;
  readonly previousVersion: string | null;
  readonly wasmHash: string | null;
  readonly envPath: string;
  readonly envNeedsPrompt: boolean;
  readonly missingImports: readonly MissingImport[];
  readonly exportConflicts: readonly ExportConflict[];
  readonly warnings: readonly ManifestWarning[];
}

/** The snake_case JSON the kernel and `--format json` report. */
export function installOutputToJson(o: InstallOutput): Record<string, unknown> {
  return {
    capsule: o.capsule,
    target_dir: o.targetDir,
    phase: o.phase,
    installed_version: o.installedVersion,
    previous_version: o.previousVersion,
    wasm_hash: o.wasmHash,
    env_path: o.envPath,
    env_needs_prompt: o.envNeedsPrompt,
    missing_imports: o.missingImports,
    export_conflicts: o.exportConflicts.map((c) => ({
      interface: c.interface,
      existing_capsule: c.existingCapsule,
    })),
    warnings: o.warnings,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

/** Recursively collects `wit/**.wit` regular files (relative path → bytes), each ≤ 1 MiB. */
async function collectWit(sourceDir: string): Promise<Map<string, Buffer>> {
  const root = join(sourceDir, 'wit');
  const out = new Map<string, Buffer>();
  if (!(await exists(root))) return out;
  const walk = async (dir: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const info = await lstat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile() && name.endsWith('.wit')) {
        const rel = relative(root, path).split(sep).join('/');
        if (info.size > MAX_WIT_FILE_BYTES) {
          throw new AstridError(
            'too-large',
            `wit/${rel} exceeds 1MB size limit (${info.size} bytes)`,
          );
        }
        out.set(rel, await readFile(path));
      }
    }
  };
  await walk(root);
  return out;
}

/** `[ns, iface, value]` triples as `{ ns: { iface: value } }` (the meta.json shape). */
function nestByNamespace(
  entries: readonly (readonly [string, string, string])[],
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [ns, iface, value] of entries) {
    out[ns] = { ...(out[ns] ?? {}), [iface]: value };
  }
  return out;
}

const locks = new Map<string, Promise<unknown>>();

/** Serialises installs and removals per Astrid home within this process. */
export async function withInstallLock<T>(home: AstridHome, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(home.root) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.catch(() => undefined);
  locks.set(home.root, settled);
  try {
    return await run;
  } finally {
    if (locks.get(home.root) === settled) locks.delete(home.root);
  }
}

/** Where a capsule with this id is installed for these options. */
export function capsuleTargetDir(home: AstridHome, id: CapsuleId, options: InstallOptions): string {
  if (options.workspaceRoot !== undefined)
    return join(resolve(options.workspaceRoot), '.astrid', 'capsules', id);
  return home.principal(options.principal ?? DEFAULT_PRINCIPAL).capsuleDir(id);
}

/** The roots scanned for cross-capsule checks. */
export function capsuleRoots(home: AstridHome, options: InstallOptions): string[] {
  const roots = [home.principal(options.principal ?? DEFAULT_PRINCIPAL).capsulesDir];
  if (options.workspaceRoot !== undefined)
    roots.push(join(resolve(options.workspaceRoot), '.astrid', 'capsules'));
  return roots;
}

/**
 * Installs (or upgrades) a capsule from a local directory, in the reference
 * order: pre-flight checks that touch nothing under the target, then the
 * mutation steps, any failure of which restores the previous state exactly
 * (target directory, env file, and blobs this install added).
 */
export async function installFromDirectory(
  sourceDir: string,
  home: AstridHome,
  options: InstallOptions = {},
): Promise<InstallOutput> {
  return withInstallLock(home, () => install(resolve(sourceDir), home, options));
}

async function install(
  sourceDir: string,
  home: AstridHome,
  options: InstallOptions,
): Promise<InstallOutput> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const step = async (s: InstallStep) => {
    await options.onStep?.(s);
  };
  const createdBlobs: StoredBlob[] = [];
  let target: string | null = null;
  let backup: string | null = null;
  let targetCreated = false;
  let envFile: string | null = null;
  let envBefore: Buffer | null | undefined; // undefined = untouched

  const rollback = async (cause: unknown) => {
    logger.warn({ err: String(cause), target }, 'capsule install failed; rolling back');
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        logger.error({ err: String(e), what }, 'rollback step failed');
      }
    };
    if (target !== null && targetCreated)
      await attempt('remove target', () => rm(target as string, { recursive: true, force: true }));
    if (target !== null && backup !== null)
      await attempt('restore backup', () => rename(backup as string, target as string));
    if (envFile !== null && envBefore !== undefined) {
      const file = envFile;
      const before = envBefore;
      await attempt('restore env', () =>
        before === null ? rm(file, { force: true }) : writeFile(file, before, { mode: 0o600 }),
      );
    }
    for (const blob of createdBlobs)
      await attempt('remove blob', () => rm(blob.path, { force: true }));
  };

  try {
    // 1. Manifest.
    await step('manifest');
    const { manifest, warnings } = await loadManifest(sourceDir);
    for (const w of warnings) logger.warn({ code: w.code, table: w.table, key: w.key }, w.message);
    const idCheck = checkCapsuleId(manifest.package.name);
    if (!idCheck.ok) throw idCheck.error;
    const id = idCheck.value;

    // 2. Export conflicts (advisory; a scan failure is fatal here).
    await step('export-conflicts');
    const roots = capsuleRoots(home, options);
    const installedBefore = await listInstalledCapsules(roots);
    const exportConflicts = findExportConflicts(manifest, installedBefore);

    // 3–4. Target and phase.
    target = capsuleTargetDir(home, id, options);
    const principalHome = home.principal(options.principal ?? DEFAULT_PRINCIPAL);
    await principalHome.ensure();
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const previousMeta = await readCapsuleMeta(target);
    const phase: InstallPhase = previousMeta === null ? 'install' : 'upgrade';
    const previousVersion = previousMeta?.version ?? null;

    // 5. Content-address the component.
    await step('content-address');
    const component = primaryComponent(manifest);
    let wasm: StoredBlob | null = null;
    if (component !== null) {
      const wasmPath = join(sourceDir, component.file);
      const info = await stat(wasmPath).catch(() => null);
      if (info === null || !info.isFile()) {
        throw new AstridError(
          'not-found',
          `component ${component.file} not found in ${sourceDir}; build the capsule first (astrid build) or fix [[component]] file`,
        );
      }
      if (info.size > MAX_COMPONENT_BYTES) {
        throw new AstridError(
          'too-large',
          `component ${component.file} is ${info.size} bytes; the limit is ${MAX_COMPONENT_BYTES}`,
        );
      }
      const bytes = await readFile(wasmPath);
      // Refuse, before storing anything, a binary that is not a linkable component.
      inspectComponent(bytes);
      wasm = await new ContentStore(home.binDir, '.wasm').put(bytes);
      if (wasm.created) createdBlobs.push(wasm);
    }

    // 6. Content-address WIT files.
    await step('wit');
    const witFiles: Record<string, string> = {};
    const witStore = new ContentStore(home.witDir, '.wit');
    for (const [rel, bytes] of await collectWit(sourceDir)) {
      const blob = await witStore.put(bytes);
      if (blob.created) createdBlobs.push(blob);
      witFiles[rel] = blob.hash;
    }

    // 7. Move an existing installation aside.
    await step('backup');
    if (await exists(target)) {
      const bak = `${target}.bak`;
      await rm(bak, { recursive: true, force: true });
      await rename(target, bak);
      backup = bak;
    }

    // 8. Copy the capsule directory.
    await step('copy');
    targetCreated = true;
    await copyCapsuleDir(sourceDir, target);

    // 9. Carry an env file kept in the previous installation over to the operator env dir.
    await step('env');
    envFile = principalHome.envFile(id);
    if (backup !== null) {
      const kept = join(backup, '.env.json');
      if (await exists(kept)) {
        envBefore = await readOptional(envFile);
        await copyFile(kept, envFile);
      }
    }

    // 10. Lifecycle hook.
    await step('lifecycle');
    if (wasm !== null && options.lifecycle !== undefined) {
      await options.lifecycle({
        manifest,
        phase,
        previousVersion,
        targetDir: target,
        wasmPath: wasm.path,
        wasmHash: wasm.hash,
      });
    }

    // 11. meta.json.
    await step('meta');
    const stamp = now().toISOString();
    const imports = nestByNamespace(
      manifest.imports.map((i) => [i.namespace, i.interface, i.requirement.source]),
    );
    const exports = nestByNamespace(
      manifest.exports.map((e) => [e.namespace, e.interface, e.version]),
    );
    const source = options.originalSource ?? previousMeta?.source;
    await writeCapsuleMeta(target, {
      version: manifest.package.version,
      installed_at: previousMeta?.installed_at || stamp,
      updated_at: stamp,
      ...(source === undefined ? {} : { source }),
      imports,
      exports,
      ...(wasm === null ? {} : { wasm_hash: wasm.hash }),
      wit_files: witFiles,
    });

    // 12–13. Env prompt and imports.
    await step('imports');
    const envNeedsPrompt = manifest.env.length > 0 && !(await exists(envFile));
    const missingImports = options.skipImportCheck
      ? []
      : findMissingImports(manifest, await listInstalledCapsules(roots));

    // 14. Drop the backup.
    await step('cleanup');
    if (backup !== null) {
      const bak = backup;
      backup = null;
      await rm(bak, { recursive: true, force: true }).catch((e) =>
        logger.warn({ err: String(e), backup: bak }, 'could not delete install backup'),
      );
    }
    logger.info(
      { capsule: id, phase, version: manifest.package.version, wasm_hash: wasm?.hash },
      'capsule installed',
    );
    return {
      capsule: id,
      targetDir: target,
      phase,
      installedVersion: manifest.package.version,
      previousVersion,
      wasmHash: wasm?.hash ?? null,
      envPath: envFile,
      envNeedsPrompt,
      missingImports,
      exportConflicts,
      warnings,
    };
  } catch (e) {
    await rollback(e);
    throw e;
  }
}
