import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AstridError } from '../../../../../core/errors.js';
import { type Logger, silentLogger } from '../../../../../core/logger.js';
import { BLAKE3_HEX } from '../../../../../storage/files/content-hash.js';
import type { GuestExport } from '../inspect/guest-exports.js';
import { type ComponentInfo, inspectComponent } from '../inspect/inspect-component.js';
import { INSTRUMENTER_VERSION, instrumentModule } from '../instrument/instrument-module.js';
import { jcoTranspileVersion, transpileComponent } from '../transpile/transpile-component.js';

export const ARTIFACT_FORMAT = 1;
export const ARTIFACT_MANIFEST = 'artifact.json';
/** The glue is written as `.mjs` so Node loads it as an ES module wherever it lives. */
export const GLUE_FILE = 'capsule.mjs';

export interface CoreModuleArtifact {
  readonly file: string;
  readonly bytes: number;
  /** Declared initial size of the module's own memories, pages. */
  readonly initialPages: number;
  readonly functions: number;
  readonly growSites: number;
}

/** `lib/<hash>/artifact.json`: what was built, from what, with which tools. */
export interface ArtifactManifest {
  readonly format: number;
  readonly componentHash: string;
  readonly jcoTranspileVersion: string;
  readonly instrumenterVersion: string;
  readonly glue: string;
  readonly coreModules: readonly CoreModuleArtifact[];
  readonly interfaces: readonly string[];
  readonly guestExports: Readonly<Record<GuestExport, boolean>>;
  readonly builtAt: string;
  readonly buildMs: number;
}

export interface ComponentArtifacts {
  readonly dir: string;
  readonly manifest: ArtifactManifest;
  /** Whether this call built them (false: reused from the cache). */
  readonly built: boolean;
}

async function readManifest(dir: string): Promise<ArtifactManifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, ARTIFACT_MANIFEST), 'utf8')) as ArtifactManifest;
  } catch {
    return null;
  }
}

function isCurrent(m: ArtifactManifest | null, hash: string, jco: string): m is ArtifactManifest {
  return (
    m !== null &&
    m.format === ARTIFACT_FORMAT &&
    m.componentHash === hash &&
    m.jcoTranspileVersion === jco &&
    m.instrumenterVersion === INSTRUMENTER_VERSION
  );
}

export interface PrepareOptions {
  readonly logger?: Logger;
  /** Progress messages for long operations (first transpile of a large component). */
  readonly onProgress?: (message: string) => void;
}

/**
 * Returns the transpiled, instrumented artifacts of a verified component from
 * `<libDir>/<hash>/`, building them on first use. Builds happen in a unique
 * temp directory renamed into place, so concurrent loads never see a partial
 * tree; artifacts made by another jco or instrumenter version are rebuilt.
 */
export async function prepareArtifacts(
  libDir: string,
  hash: string,
  component: Uint8Array,
  options: PrepareOptions = {},
): Promise<ComponentArtifacts> {
  if (!BLAKE3_HEX.test(hash))
    throw new AstridError('invalid-input', `not a component hash: ${JSON.stringify(hash)}`);
  const logger = options.logger ?? silentLogger;
  const dir = join(libDir, hash);
  const jco = await jcoTranspileVersion();
  const cached = await readManifest(dir);
  if (isCurrent(cached, hash, jco)) return { dir, manifest: cached, built: false };

  const started = performance.now();
  const info: ComponentInfo = inspectComponent(component);
  options.onProgress?.(
    `transpiling component ${hash.slice(0, 12)} (${(component.length / 1e6).toFixed(1)} MB)`,
  );
  const transpiled = await transpileComponent(component);
  options.onProgress?.(`instrumenting ${transpiled.coreModules.size} core module(s)`);
  await mkdir(libDir, { recursive: true, mode: 0o700 });
  const temp = join(libDir, `.${hash}.tmp.${randomUUID().replaceAll('-', '')}`);
  await mkdir(temp, { mode: 0o700 });
  try {
    const coreModules: CoreModuleArtifact[] = [];
    for (const [file, bytes] of [...transpiled.coreModules].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let result: ReturnType<typeof instrumentModule>;
      try {
        result = instrumentModule(bytes);
      } catch (e) {
        throw new AstridError(
          'invalid-input',
          `core module ${file} cannot be instrumented: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
      if (!WebAssembly.validate(result.bytes)) {
        throw new AstridError('internal', `instrumented ${file} does not validate`);
      }
      await writeFile(join(temp, file), result.bytes, { mode: 0o600 });
      coreModules.push({
        file,
        bytes: result.bytes.length,
        initialPages: result.initialPages,
        functions: result.functionsInstrumented,
        growSites: result.growSites,
      });
    }
    await writeFile(join(temp, GLUE_FILE), transpiled.glue, { mode: 0o600 });
    const manifest: ArtifactManifest = {
      format: ARTIFACT_FORMAT,
      componentHash: hash,
      jcoTranspileVersion: jco,
      instrumenterVersion: INSTRUMENTER_VERSION,
      glue: GLUE_FILE,
      coreModules,
      interfaces: info.interfaces,
      guestExports: info.guestExports,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - started),
    };
    await writeFile(join(temp, ARTIFACT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
    });
    // Replace a stale tree (other versions), then move ours into place.
    if (cached !== null) await rm(dir, { recursive: true, force: true });
    try {
      await rename(temp, dir);
    } catch (e) {
      const winner = await readManifest(dir);
      if (isCurrent(winner, hash, jco)) {
        await rm(temp, { recursive: true, force: true });
        return { dir, manifest: winner, built: false };
      }
      throw e;
    }
    logger.info(
      { hash, build_ms: manifest.buildMs, modules: coreModules.length },
      'component artifacts built',
    );
    return { dir, manifest, built: true };
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

/** Compiles an artifact tree's core modules (compiled modules can be posted to workers). */
export async function compileArtifacts(
  artifacts: ComponentArtifacts,
): Promise<Map<string, WebAssembly.Module>> {
  const modules = new Map<string, WebAssembly.Module>();
  for (const m of artifacts.manifest.coreModules) {
    modules.set(m.file, await WebAssembly.compile(await readFile(join(artifacts.dir, m.file))));
  }
  return modules;
}
