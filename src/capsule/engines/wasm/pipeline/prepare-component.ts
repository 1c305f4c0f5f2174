import type { AstridHome } from '../../../../storage/home/astrid-home.js';
import type { CapsuleManifest } from '../../../manifest/manifest.js';
import {
  type ComponentArtifacts,
  type PrepareOptions,
  prepareArtifacts,
} from './artifacts/artifact-store.js';
import { loadVerifiedComponent } from './verify-component.js';

/**
 * The load-time pipeline for an installed capsule: verify the component
 * against its recorded BLAKE3 hash, then return its (cached or freshly built)
 * transpiled and instrumented artifacts.
 */
export async function prepareComponent(
  home: AstridHome,
  capsuleDir: string,
  manifest: CapsuleManifest,
  options: PrepareOptions = {},
): Promise<ComponentArtifacts> {
  const verified = await loadVerifiedComponent(home, capsuleDir, manifest);
  return prepareArtifacts(home.libDir, verified.hash, verified.bytes, options);
}
