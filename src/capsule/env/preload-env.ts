import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { ScopedKv } from '../../storage/kv/kv-store.js';

export const MAX_ENV_FILE_BYTES = 1024 * 1024;

async function readEnvFile(path: string): Promise<Record<string, string> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (Buffer.byteLength(text) > MAX_ENV_FILE_BYTES) throw new Error(`${path} is larger than 1 MiB`);
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  ) {
    throw new Error(`${path} must be a flat JSON object of strings`);
  }
  return parsed as Record<string, string>;
}

/**
 * Copies operator env values into the capsule's KV namespace at load: the
 * operator file `home/default/.config/env/<id>.env.json` if present, else the
 * capsule's own `.env.json`. Values stay in KV after the file goes away. A
 * malformed file is logged and ignored.
 */
export async function preloadEnv(
  operatorFile: string,
  capsuleDir: string,
  kv: ScopedKv,
  logger: Logger,
): Promise<number> {
  for (const path of [operatorFile, join(capsuleDir, '.env.json')]) {
    let values: Record<string, string> | null;
    try {
      values = await readEnvFile(path);
    } catch (e) {
      logger.warn({ path, err: (e as Error).message }, 'ignoring an unreadable env file');
      return 0;
    }
    if (values === null) continue;
    for (const [key, value] of Object.entries(values)) kv.set(key, Buffer.from(value, 'utf8'));
    return Object.keys(values).length;
  }
  return 0;
}
