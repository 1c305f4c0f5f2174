import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstridError } from '../core/errors.js';
import { WIT_DIR } from './wit-types.js';

/** Every WASI feature ComponentizeJS can add is off: a capsule imports only astrid:* interfaces. */
export const DISABLED_FEATURES = ['random', 'stdio', 'clocks', 'http', 'fetch-event'] as const;

/** The ComponentizeJS version (part of every build cache key). */
export async function componentizeVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve('@bytecodealliance/componentize-js'));
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
      };
      if (pkg.name === '@bytecodealliance/componentize-js') return pkg.version;
    } catch {
      // keep walking up
    }
  }
  throw new AstridError('internal', 'cannot find the ComponentizeJS package.json');
}

/**
 * Turns a bundled guest module into a component for `world` with
 * ComponentizeJS (StarlingMonkey inside; the module is pre-initialised, so
 * its top-level code runs now).
 */
export async function componentizeGuest(
  code: string,
  world: string,
  worldName = 'capsule',
): Promise<Uint8Array> {
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const dir = await mkdtemp(join(tmpdir(), 'astrid-build-'));
  try {
    await mkdir(join(dir, 'wit'));
    await writeFile(join(dir, 'wit', 'world.wit'), world);
    await cp(join(WIT_DIR, 'deps'), join(dir, 'wit', 'deps'), { recursive: true });
    await writeFile(join(dir, 'guest.js'), code);
    try {
      const { component } = await componentize({
        sourcePath: join(dir, 'guest.js'),
        witPath: join(dir, 'wit'),
        worldName,
        disableFeatures: [...DISABLED_FEATURES],
      });
      return component;
    } catch (e) {
      throw new AstridError(
        'invalid-input',
        `componentizing failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
