import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { astridPackages, witSourceWith } from '../../src/capsule/engines/wasm/wit/astrid-wit.js';
import { componentizeGuest, componentizeVersion } from '../../src/sdk-build/componentize-guest.js';

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
  const component = await componentizeGuest(js, world, worldName);
  await mkdir(CACHE, { recursive: true });
  const temp = `${cached}.${process.pid}.tmp`;
  await writeFile(temp, component);
  await rename(temp, cached);
  return component;
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
