import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rule of ARCHITECTURE.md §2: a layer imports only layers
 * below it. Checked from the import statements of every source file.
 * `sdk-build` (the capsule build library) sits on the capsule layer;
 * `testing` (the in-process capsule test host) on the kernel.
 */
const LAYERS = [
  'core',
  'events',
  'storage',
  'capsule',
  'sdk-build',
  'kernel',
  'testing',
  'gateway',
  'mcp',
  'cli',
] as const;

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) found.push((m[1] ?? m[2]) as string);
  return found;
}

/** Source text without comments and string literals, so only code is scanned. */
function stripLiterals(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/`(?:[^`\\]|\\.)*`/g, '``');
}

function layerOf(path: string): string {
  return relative(SRC, path).split(sep)[0] as string;
}

const files = sourceFiles(SRC);

describe('layering', () => {
  it('finds the source tree', () => {
    expect(files.some((f) => layerOf(f) === 'core')).toBe(true);
  });

  it('every top-level folder of src/ is a known layer', () => {
    for (const f of files) {
      const layer = layerOf(f);
      if (layer.endsWith('.ts')) continue;
      expect(LAYERS as readonly string[]).toContain(layer);
    }
  });

  it('no layer imports a layer above it', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = LAYERS.indexOf(layerOf(file) as (typeof LAYERS)[number]);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        const to = LAYERS.indexOf(layerOf(target) as (typeof LAYERS)[number]);
        if (to > from) violations.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('src/core is pure: no Node built-ins and only the semver package', () => {
    const offenders: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === 'core')) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) continue;
        if (spec !== 'semver') offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
      const text = stripLiterals(readFileSync(file, 'utf8'));
      if (/(?<![.\w])(process|Buffer|require|globalThis)\s*[.(]/.test(text))
        offenders.push(`${relative(SRC, file)} touches a Node global`);
    }
    expect(offenders).toEqual([]);
  });
});
