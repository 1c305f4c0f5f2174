import { join } from 'node:path';
import {
  type ComponentArtifacts,
  compileArtifacts,
  GLUE_FILE,
} from '../pipeline/artifacts/artifact-store.js';
import type { WorkerArtifacts } from './guest-worker-handle.js';

/** Compiles an artifact tree into what guest workers are started with. */
export async function loadWorkerArtifacts(prepared: ComponentArtifacts): Promise<WorkerArtifacts> {
  return {
    gluePath: join(prepared.dir, GLUE_FILE),
    modules: await compileArtifacts(prepared),
    initialPages: new Map(prepared.manifest.coreModules.map((m) => [m.file, m.initialPages])),
    interfaces: prepared.manifest.interfaces,
  };
}
