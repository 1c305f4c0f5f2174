import { access, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { AstridError } from '../../../../core/errors.js';
import { BLAKE3_HEX, blake3Hex } from '../../../../storage/files/content-hash.js';
import type { AstridHome } from '../../../../storage/home/astrid-home.js';
import { readCapsuleMeta } from '../../../install/capsule-meta.js';
import type { CapsuleManifest } from '../../../manifest/manifest.js';
import { primaryComponent } from '../../../manifest/manifest-views.js';

export interface VerifiedComponent {
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly path: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Loads a capsule's component and proves it is the one that was installed:
 * its BLAKE3 must equal `meta.json`'s `wasm_hash`. No hash, or a different
 * one, refuses the load (fail closed: a directory that was never installed,
 * or a tampered blob, does not run).
 */
export async function loadVerifiedComponent(
  home: AstridHome,
  capsuleDir: string,
  manifest: CapsuleManifest,
): Promise<VerifiedComponent> {
  const id = manifest.package.name;
  const component = primaryComponent(manifest);
  if (component === null) {
    throw new AstridError(
      'invalid-input',
      `capsule '${id}' declares no [[component]]; there is nothing to load`,
    );
  }
  const meta = await readCapsuleMeta(capsuleDir);
  const expected = meta?.wasm_hash;
  if (expected === undefined || !BLAKE3_HEX.test(expected)) {
    throw new AstridError(
      'integrity',
      `capsule '${id}' has no BLAKE3 hash in meta.json (${join(capsuleDir, 'meta.json')}). Refusing to load unverified binary; install it with astrid capsule install.`,
    );
  }
  const local = isAbsolute(component.file) ? component.file : join(capsuleDir, component.file);
  const path = (await exists(local)) ? local : join(home.binDir, `${expected}.wasm`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new AstridError(
      'integrity',
      `capsule '${id}': component binary ${expected}.wasm is missing from the content store; reinstall the capsule`,
    );
  }
  const actual = await blake3Hex(bytes);
  if (actual !== expected) {
    throw new AstridError(
      'integrity',
      `WASM integrity check failed for capsule '${id}': expected BLAKE3 ${expected}, got ${actual}`,
      { details: { expected, actual } },
    );
  }
  return { bytes, hash: actual, path };
}
