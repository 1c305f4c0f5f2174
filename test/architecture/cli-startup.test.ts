import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Every `astrid` invocation loads the CLI's static import graph. The build
 * toolchain and the component pipeline are loaded only by the verbs that use
 * them (`build`, `capsule install`, `capsule pack`), so `astrid status` and
 * friends start in a fraction of the time (see `npm run bench -- cli`).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LOADED_ON_USE = [
  '@bytecodealliance/componentize-js',
  '@bytecodealliance/jco-transpile',
  'esbuild',
  'tar',
];

async function staticPackages(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [resolve(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    splitting: true,
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  const packages = new Set<string>();
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const i of inputs[file]?.imports ?? []) {
      if (i.kind === 'dynamic-import') continue;
      if (i.external) packages.add(i.path);
      else if (!seen.has(i.path)) {
        seen.add(i.path);
        queue.push(i.path);
      }
    }
  }
  return packages;
}

describe('CLI start-up', () => {
  it('the astrid entry does not load the build toolchain or the component pipeline up front', async () => {
    const packages = await staticPackages('src/cli/bin/astrid.ts');
    expect(packages.has('commander')).toBe(true);
    for (const heavy of LOADED_ON_USE) expect(packages.has(heavy), heavy).toBe(false);
  });
});
