import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import {
  astridPackages,
  WIT_DIR,
  witSourceWith,
} from '../../src/capsule/engines/wasm/wit/astrid-wit.js';

/**
 * The fixture toolchain: tiny components from WAT, and ComponentizeJS
 * components from small JS guests, built against the repository's WIT.
 */

const CACHE = fileURLToPath(new URL('../.cache/components/', import.meta.url));

/** Core module bytes from WAT text. */
export async function coreFromWat(wat: string): Promise<Uint8Array> {
  return parse(wat);
}

/**
 * A component from a core module in WAT whose imports/exports follow the
 * canonical ABI for `world` (a WIT document `package test:x; world <name> {…}`
 * that may import and export the astrid interfaces).
 */
export async function componentFromWat(
  coreWat: string,
  world: string,
  worldName: string,
): Promise<Uint8Array> {
  const core = await parse(coreWat);
  const pkg = /^\s*package\s+([^;@]+)/m.exec(world)?.[1]?.trim() as string;
  const embedded = await componentEmbed({
    binary: core,
    witSource: await witSourceWith(world),
    world: `${pkg}/${worldName}`,
  });
  return componentNew(embedded);
}

async function componentizeVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve('@bytecodealliance/componentize-js'));
  for (let dir = entry; dir !== '/'; dir = join(dir, '..')) {
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
  return 'unknown';
}

/**
 * A ComponentizeJS component (~12 MB, StarlingMonkey inside) from a JS guest
 * module and a world. Builds take seconds, so results are cached under
 * test/.cache/components keyed by every input.
 */
export async function componentFromJs(
  js: string,
  world: string,
  worldName: string,
): Promise<Uint8Array> {
  const packages = await astridPackages();
  const key = createHash('sha256')
    .update(js)
    .update('\0')
    .update(world)
    .update('\0')
    .update(worldName)
    .update('\0')
    .update(await componentizeVersion())
    .update('\0')
    .update(packages.map((p) => p.text).join('\0'))
    .digest('hex');
  const cached = join(CACHE, `${key}.wasm`);
  try {
    return await readFile(cached);
  } catch {
    // build below
  }
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const dir = await mkdtemp(join(tmpdir(), 'astrid-cjs-'));
  try {
    await mkdir(join(dir, 'wit'));
    await writeFile(join(dir, 'wit', 'world.wit'), world);
    await cp(join(WIT_DIR, 'deps'), join(dir, 'wit', 'deps'), { recursive: true });
    await writeFile(join(dir, 'guest.js'), js);
    const { component } = await componentize({
      sourcePath: join(dir, 'guest.js'),
      witPath: join(dir, 'wit'),
      worldName,
      disableFeatures: ['random', 'stdio', 'clocks', 'http', 'fetch-event'],
    });
    await mkdir(CACHE, { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    await writeFile(temp, component);
    await rename(temp, cached);
    return component;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const TINY_WORLD = 'package test:tiny;\nworld tiny {\n  export run: func();\n}\n';
const TINY_CORE = '(module (func (export "run")))';
let tinyBase: Promise<Uint8Array> | null = null;

/**
 * A minimal valid component (exports `run`, imports nothing), made distinct
 * per `tag` by a trailing custom section, for tests where only content
 * addressing and inspection matter.
 */
export async function tinyComponent(tag: string): Promise<Buffer> {
  tinyBase ??= componentFromWat(TINY_CORE, TINY_WORLD, 'tiny');
  const base = await tinyBase;
  const name = Buffer.from('astrid-test');
  const payload = Buffer.concat([Buffer.from([name.length]), name, Buffer.from(tag)]);
  return Buffer.concat([Buffer.from(base), Buffer.from([0x00, payload.length]), payload]);
}
