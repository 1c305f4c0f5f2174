import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import type { AstridHome } from '../../src/storage/home/astrid-home.js';
import { componentFromJs } from './components.js';
import { CHAIN_JS, CHAIN_WORLD } from './guests.js';
import { tempDir } from './temp-dir.js';

export interface ChainCapsule {
  readonly name: string;
  readonly version?: string;
  /** `[env]` defaults: TAG, RELAY_TO, GREETING. */
  readonly env?: Record<string, string>;
  /** topic → [handler, priority]. */
  readonly handlers?: Record<string, readonly [string, number]>;
  readonly publish?: readonly string[];
  readonly extraToml?: string;
}

/** Writes a capsule source directory around the CHAIN_JS component. */
export async function chainCapsuleSource(spec: ChainCapsule): Promise<string> {
  const dir = await tempDir('astrid-chain-');
  const lines = [
    '[package]',
    `name = "${spec.name}"`,
    `version = "${spec.version ?? '1.0.0'}"`,
    '',
    '[[component]]',
    'file = "chain.wasm"',
    '',
    '[publish]',
    ...['chain.*', 'greet.*', ...(spec.publish ?? [])].map((t) => `"${t}" = "opaque"`),
    '',
    '[subscribe]',
    ...Object.entries(spec.handlers ?? {}).map(
      ([topic, [handler, priority]]) =>
        `"${topic}" = { wit = "opaque", handler = "${handler}", priority = ${priority} }`,
    ),
    '',
    ...Object.entries({ TAG: '', GREETING: 'hello', ...spec.env }).flatMap(([k, v]) => [
      `[env.${k}]`,
      'type = "text"',
      `default = "${v}"`,
      '',
    ]),
    spec.extraToml ?? '',
  ];
  await writeFile(join(dir, 'Capsule.toml'), lines.join('\n'));
  await writeFile(join(dir, 'chain.wasm'), await componentFromJs(CHAIN_JS, CHAIN_WORLD, 'chain'));
  await mkdir(join(dir, 'docs'), { recursive: true });
  return dir;
}

/** Installs chain capsules into a home (as `default`), before a daemon boots on it. */
export async function installChainCapsules(
  home: AstridHome,
  specs: readonly ChainCapsule[],
): Promise<void> {
  for (const spec of specs) await installFromDirectory(await chainCapsuleSource(spec), home);
}
