import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { AstridError } from '../../../../../core/errors.js';

/** The name jco gives the glue and core modules (`capsule.js`, `capsule.core.wasm`...). */
export const TRANSPILE_NAME = 'capsule';

export interface TranspiledComponent {
  /** The ES module that instantiates the component (instantiation mode). */
  readonly glue: Uint8Array;
  /** Core module file name → bytes, in jco's numbering. */
  readonly coreModules: ReadonlyMap<string, Uint8Array>;
}

/**
 * Transpiles a component with jco in instantiation mode: the glue exports
 * `instantiate(getCoreModule, imports, instantiateCore)` and receives every
 * host import from us (no WASI shims, no other module imports). Every core
 * module is emitted as its own file (none inlined as base64) so each can be
 * instrumented.
 */
export async function transpileComponent(component: Uint8Array): Promise<TranspiledComponent> {
  let out: Awaited<ReturnType<typeof transpileBytes>>;
  try {
    out = await transpileBytes(component, {
      name: TRANSPILE_NAME,
      instantiation: 'async',
      emitTypescriptDeclarations: false,
      base64Cutoff: 0,
      nodejsCompat: false,
    });
  } catch (e) {
    throw new AstridError(
      'invalid-input',
      `the component could not be transpiled: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  let glue: Uint8Array | undefined;
  const coreModules = new Map<string, Uint8Array>();
  for (const [path, bytes] of Object.entries(out.files)) {
    const name = path.split('/').pop() as string;
    if (name === `${TRANSPILE_NAME}.js`) glue = bytes;
    else if (name.endsWith('.wasm')) coreModules.set(name, bytes);
  }
  if (glue === undefined) throw new AstridError('internal', 'jco produced no glue module');
  const text = Buffer.from(glue).toString('utf8');
  if (/^\s*import\s/m.test(text)) {
    throw new AstridError(
      'internal',
      'the transpiled glue imports other modules; refusing (only host imports are allowed)',
    );
  }
  return { glue, coreModules };
}

let cachedVersion: Promise<string> | null = null;

/** The installed jco-transpile version (part of the artifact cache key). */
export function jcoTranspileVersion(): Promise<string> {
  cachedVersion ??= (async () => {
    const entry = fileURLToPath(import.meta.resolve('@bytecodealliance/jco-transpile'));
    let dir = dirname(entry);
    for (let i = 0; i < 5; i++) {
      try {
        const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === '@bytecodealliance/jco-transpile' && pkg.version !== undefined)
          return pkg.version;
      } catch {
        // keep walking up
      }
      dir = dirname(dir);
    }
    return 'unknown';
  })();
  return cachedVersion;
}
