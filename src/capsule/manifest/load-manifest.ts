import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ManifestError, manifestInvalid } from './diagnostics.js';
import type { CapsuleManifest } from './manifest.js';
import { type ManifestParseResult, type ParseOptions, parseManifest } from './parse-manifest.js';

export const MANIFEST_FILE = 'Capsule.toml';
/** A manifest larger than this is refused before parsing. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Reads and parses `<dir>/Capsule.toml`, reporting a missing or oversized file as a diagnostic. */
export async function checkManifestDir(
  dir: string,
  options: ParseOptions = {},
): Promise<ManifestParseResult> {
  const path = join(dir, MANIFEST_FILE);
  const missing = (message: string): ManifestParseResult => ({
    manifest: null,
    errors: [{ code: 'manifest-missing', table: '', key: null, message } satisfies ManifestError],
    warnings: [],
  });
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return missing(`${path} is not a regular file`);
    size = s.size;
  } catch {
    return missing(
      `No Capsule.toml found in ${dir}; a capsule directory needs a Capsule.toml at its root`,
    );
  }
  if (size > MAX_MANIFEST_BYTES)
    return missing(`${path} is ${size} bytes; the limit is ${MAX_MANIFEST_BYTES}`);
  return parseManifest(await readFile(path, 'utf8'), options);
}

/** Like `checkManifestDir`, but throws an `invalid-input` error listing every problem. */
export async function loadManifest(
  dir: string,
  options: ParseOptions = {},
): Promise<{
  manifest: CapsuleManifest;
  warnings: ManifestParseResult['warnings'];
}> {
  const result = await checkManifestDir(dir, options);
  if (result.manifest === null) throw manifestInvalid(join(dir, MANIFEST_FILE), result.errors);
  return { manifest: result.manifest, warnings: result.warnings };
}
