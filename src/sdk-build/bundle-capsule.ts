import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { AstridError } from '../core/errors.js';
import { type GuestExports, isHostInterface } from './capsule-world.js';

/** Where this package's own SDK lives (a fallback when the project does not depend on it). */
export const BUNDLED_SDK_DIR = new URL('../../sdk/', import.meta.url);

/** Turns esbuild messages into one error that points at the capsule's own files. */
function buildError(projectDir: string, what: string, messages: readonly Message[]): AstridError {
  const lines = messages.slice(0, 20).map((m) => {
    const at =
      m.location === null
        ? ''
        : `${relative(projectDir, join(projectDir, m.location.file)) || m.location.file}:${m.location.line}:${m.location.column + 1}: `;
    return `${at}${m.text}`;
  });
  return new AstridError('invalid-input', `${what} failed:\n  ${lines.join('\n  ')}`);
}

function sdkAlias(): Record<string, string> {
  const root = BUNDLED_SDK_DIR.pathname;
  return {
    '@astrid/sdk/exports': join(root, 'src/exports.ts'),
    '@astrid/sdk': join(root, 'src/index.ts'),
  };
}

async function esbuild() {
  return import('esbuild');
}

export interface BundleResult {
  /** The guest module ComponentizeJS takes (ESM, host interfaces left as imports). */
  readonly code: string;
  /** The host interfaces the bundle imports. */
  readonly imports: readonly string[];
}

/**
 * Bundles the generated entry (`entrySource`, resolved from `projectDir`)
 * into one ESM module for the guest runtime: TypeScript stripped,
 * `astrid:*` host interfaces kept as imports, everything else inlined,
 * tree-shaken so only the interfaces actually used stay imported.
 */
export async function bundleGuest(projectDir: string, entrySource: string): Promise<BundleResult> {
  const { build } = await esbuild();
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({
      stdin: { contents: entrySource, resolveDir: projectDir, loader: 'ts', sourcefile: '<entry>' },
      // Paths in the output are relative to this, so the cache key does not depend on the cwd.
      absWorkingDir: projectDir,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      external: ['astrid:*'],
      alias: sdkAlias(),
      treeShaking: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (errors !== undefined) throw buildError(projectDir, 'bundling', errors);
    throw e;
  }
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new AstridError('internal', 'esbuild produced no output');
  const imports = new Set<string>();
  for (const out of Object.values(result.metafile?.outputs ?? {})) {
    for (const imp of out.imports) {
      if (!imp.external) continue;
      if (!isHostInterface(imp.path))
        throw new AstridError(
          'invalid-input',
          `the capsule imports ${imp.path}, which is not an astrid host interface (astrid:<name>/host@1.0.0); only those exist inside a capsule`,
        );
      imports.add(imp.path);
    }
  }
  return { code: output.text, imports: [...imports].sort() };
}

/** The functions an `astrid:*` interface exports, read from the SDK's generated declarations. */
async function interfaceFunctions(specifier: string): Promise<string[]> {
  const m = /^astrid:([a-z0-9-]+)\/([a-z0-9-]+)@/.exec(specifier);
  if (m === null) return [];
  const file = new URL(`src/wit/astrid-${m[1]}-${m[2]}.d.ts`, BUNDLED_SDK_DIR);
  try {
    const text = await readFile(file, 'utf8');
    return [...text.matchAll(/^ {2}export function (\w+)\(/gm)].map((x) => x[1] as string);
  } catch {
    return [];
  }
}

/**
 * Host interfaces stand-in for the probe: every function exists and fails
 * when called, because build time has no host.
 */
const probeShim: Plugin = {
  name: 'astrid-probe-shim',
  setup(b) {
    b.onResolve({ filter: /^astrid:/ }, (args) => ({ path: args.path, namespace: 'astrid-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'astrid-shim' }, async (args) => {
      const names = await interfaceFunctions(args.path);
      const body = names
        .map(
          (n) =>
            `export function ${n}() { throw new Error(${JSON.stringify(`host function ${n} (${args.path}) was called while the capsule module was being loaded; host calls are only possible inside handlers, run, install or upgrade`)}); }`,
        )
        .join('\n');
      return { contents: body, loader: 'js' };
    });
  },
};

/**
 * Loads the capsule module in Node with inert host interfaces and reads
 * which guest functions its `defineCapsule` definition needs. Top-level code
 * runs here exactly as it will when the component is pre-initialised, so a
 * host call at module level fails now, with a clear message.
 */
export async function probeExports(projectDir: string, userEntry: string): Promise<GuestExports> {
  const { build } = await esbuild();
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({
      stdin: {
        contents: `import * as capsule from ${JSON.stringify(userEntry)};\nimport { exportsNeeded } from '@astrid/sdk';\nconst definition = capsule.default;\nexport default exportsNeeded(definition ?? {});\nexport const hasDefault = definition !== undefined;\n`,
        resolveDir: projectDir,
        loader: 'ts',
        sourcefile: '<probe>',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      alias: sdkAlias(),
      plugins: [probeShim],
      write: false,
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (errors !== undefined) throw buildError(projectDir, 'bundling', errors);
    throw e;
  }
  const dir = await mkdtemp(join(tmpdir(), 'astrid-probe-'));
  try {
    const file = join(dir, 'probe.mjs');
    await writeFile(file, result.outputFiles?.[0]?.text ?? '');
    let mod: { default: GuestExports; hasDefault: boolean };
    try {
      mod = (await import(pathToFileURL(file).href)) as typeof mod;
    } catch (e) {
      throw new AstridError(
        'invalid-input',
        `loading ${userEntry} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!mod.hasDefault)
      throw new AstridError(
        'invalid-input',
        `${userEntry} has no default export; end it with \`export default defineCapsule({ … })\``,
      );
    const exports = mod.default;
    if (!exports.hookTrigger && !exports.run && !exports.install && !exports.upgrade)
      throw new AstridError(
        'invalid-input',
        `${userEntry} defines nothing to run: give defineCapsule interceptors, tools, run, install or upgrade`,
      );
    return exports;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
