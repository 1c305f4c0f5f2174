import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { AstridError } from '../../core/errors.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { type ResolvedConfig, resolveConfig } from './daemon-config.js';

export const CONFIG_FILE_LIMIT = 1024 * 1024;

export function configPath(home: AstridHome): string {
  return join(home.etcDir, 'config.toml');
}

/** Reads `etc/config.toml` (absent is fine) and layers it with env and flags. */
export async function loadDaemonConfig(
  home: AstridHome,
  env: NodeJS.ProcessEnv,
  flags: Readonly<Record<string, unknown>>,
): Promise<ResolvedConfig> {
  const path = configPath(home);
  let file: Record<string, unknown> | null = null;
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AstridError('config', `cannot read ${path}: ${(e as Error).message}`);
    }
  }
  if (text !== null) {
    if (Buffer.byteLength(text) > CONFIG_FILE_LIMIT)
      throw new AstridError('config', `${path} is larger than 1 MiB`);
    try {
      file = parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new AstridError('config', `${path} is not valid TOML: ${(e as Error).message}`);
    }
  }
  return resolveConfig({ file, filePath: path, env, flags });
}
