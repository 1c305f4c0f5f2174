import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `wit/` directory of this package: `kernel.wit` (package `kernel:host`,
 * the host world) and `deps/<name>/<name>.wit` (the `astrid:*@1.0.0`
 * packages). This file sits at the same depth under `src/` and `dist/`.
 */
export const WIT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../wit');

/** Every `astrid:*` package's WIT text, sorted by package directory. */
export async function astridPackages(
  witDir: string = WIT_DIR,
): Promise<{ name: string; text: string }[]> {
  const deps = join(witDir, 'deps');
  const out: { name: string; text: string }[] = [];
  for (const name of (await readdir(deps)).sort()) {
    for (const file of (await readdir(join(deps, name))).sort()) {
      if (file.endsWith('.wit'))
        out.push({ name, text: await readFile(join(deps, name, file), 'utf8') });
    }
  }
  return out;
}

/**
 * One WIT source holding `root` (a document with a single `package x:y;`
 * header) followed by every astrid package as a nested `package … { }` block,
 * for tools that take WIT text rather than a directory.
 */
export async function witSourceWith(root: string, witDir: string = WIT_DIR): Promise<string> {
  let source = `${root.trim()}\n`;
  for (const pkg of await astridPackages(witDir)) {
    const nested = pkg.text.replace(/^package\s+([^;]+);/m, 'package $1 {');
    if (nested === pkg.text) throw new Error(`${pkg.name}: no package header`);
    source += `\n${nested.trimEnd()}\n}\n`;
  }
  return source;
}

/** The kernel world plus all packages, as one WIT source. */
export async function kernelWitSource(witDir: string = WIT_DIR): Promise<string> {
  return witSourceWith(await readFile(join(witDir, 'kernel.wit'), 'utf8'), witDir);
}
