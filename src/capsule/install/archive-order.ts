import { MANIFEST_FILE } from '../manifest/load-manifest.js';

/** Files left out of a `.capsule` at the top level: operator values, never shipped. */
export const PACK_SKIP_TOP_FILES = new Set(['.env.json']);
/** Directories never packed, at any depth (VCS data, Rust build caches). */
export const PACK_SKIP_DIRS = new Set(['.git', 'target']);

/**
 * The archive layout of gateway-cli §4.3: `Capsule.toml` first, then the
 * component(s) in manifest order, then every other file, then the `wit/`
 * tree; each group sorted, no duplicates. Paths are POSIX, relative to the
 * capsule directory. Pure.
 */
export function orderArchiveEntries(
  files: readonly string[],
  components: readonly string[],
): string[] {
  const norm = (p: string) => p.replace(/^\.\//, '');
  const all = new Set(files.map(norm));
  const comps = components.map(norm).filter((c, i, a) => a.indexOf(c) === i);
  const used = new Set([MANIFEST_FILE, ...comps]);
  const rest = [...all].filter((f) => !used.has(f)).sort();
  const isWit = (f: string) => f === 'wit' || f.startsWith('wit/');
  return [MANIFEST_FILE, ...comps, ...rest.filter((f) => !isWit(f)), ...rest.filter(isWit)];
}

/** A default archive name: `<name>-<version>.capsule`. Pure. */
export function defaultArchiveName(name: string, version: string): string {
  return `${name}-${version}.capsule`;
}
