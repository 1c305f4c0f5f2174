import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readEnvJson } from '../../../capsule/env/env-json-file.js';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';
import { type CapsuleId, checkCapsuleId } from '../../../core/ids/capsule-id.js';
import { HOST_SCOPE, type PrincipalId } from '../../../core/ids/principal-id.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { isDeclaredSecret, type SecretScope } from './secret-target.js';

export type SecretStorage = 'file' | 'env-json' | 'env-json (LEGACY!)';

/** One stored key; values are never part of it. */
export interface SecretRow {
  readonly capsule: string;
  readonly key: string;
  readonly storage: SecretStorage;
  readonly scope: SecretScope;
}

export interface SecretInventory {
  readonly rows: readonly SecretRow[];
  /** Files or manifests that could not be read, as messages. */
  readonly problems: readonly string[];
}

const ENV_SUFFIX = '.env.json';

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null))?.isFile() ?? false;
}

/** Keys in `secrets/<scopeDir>/<capsule>/<key>` (regular files only). */
async function fileSecrets(root: string, scope: SecretScope): Promise<SecretRow[]> {
  const rows: SecretRow[] = [];
  for (const capsule of await entries(root)) {
    if (!checkCapsuleId(capsule).ok) continue;
    for (const key of await entries(join(root, capsule))) {
      if (await isFile(join(root, capsule, key)))
        rows.push({ capsule, key, storage: 'file', scope });
    }
  }
  return rows;
}

/**
 * What `secret list` shows for an agent: its file secrets, the shared
 * (`__host__`) ones, and the keys of its env-json files. An env-json key
 * that the capsule declares as a secret is flagged `env-json (LEGACY!)`:
 * it sits in plain JSON and the runtime ignores it.
 */
export async function listSecrets(
  home: AstridHome,
  agent: PrincipalId,
  manifestOf: (capsule: CapsuleId) => Promise<CapsuleManifest | null>,
): Promise<SecretInventory> {
  const problems: string[] = [];
  const rows: SecretRow[] = [
    ...(await fileSecrets(home.path('secrets', agent), 'agent')),
    ...(await fileSecrets(home.path('secrets', HOST_SCOPE), 'shared')),
  ];
  const envDir = home.principal(agent).envDir;
  for (const file of await entries(envDir)) {
    if (!file.endsWith(ENV_SUFFIX)) continue;
    const stem = file.slice(0, -ENV_SUFFIX.length);
    let values: Record<string, string> | null;
    try {
      values = await readEnvJson(join(envDir, file));
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (values === null) continue;
    let manifest: CapsuleManifest | null = null;
    const id = checkCapsuleId(stem);
    if (id.ok) {
      try {
        manifest = await manifestOf(id.value);
      } catch (e) {
        problems.push(`capsule ${stem}: ${(e as Error).message}`);
      }
    }
    for (const key of Object.keys(values)) {
      const storage = isDeclaredSecret(manifest, key) ? 'env-json (LEGACY!)' : 'env-json';
      rows.push({ capsule: stem, key, storage, scope: 'agent' });
    }
  }
  const order = (r: SecretRow) => [r.capsule, r.key, r.scope, r.storage].join('\0');
  rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { rows, problems };
}
