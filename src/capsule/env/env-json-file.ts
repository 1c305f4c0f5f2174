import { chmod, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AstridError } from '../../core/errors.js';
import { writeFileAtomic } from '../../storage/files/atomic-write.js';
import { MAX_ENV_FILE_BYTES } from './preload-env.js';

/**
 * Parses an env-json file: a flat JSON object of strings (what the runtime
 * reads). Anything else is an error naming the file, so a damaged file is
 * never silently replaced. Pure.
 */
export function parseEnvJson(text: string, path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AstridError(
      'config',
      `${path} is not valid JSON (${(e as Error).message}); fix or remove it`,
    );
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  ) {
    throw new AstridError(
      'config',
      `${path} must be a flat JSON object of strings; fix or remove it`,
    );
  }
  return { ...(parsed as Record<string, string>) };
}

/** Pretty JSON with keys sorted, newline-terminated. Pure. */
export function renderEnvJson(values: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** The file's values, or null when it does not exist. */
export async function readEnvJson(path: string): Promise<Record<string, string> | null> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (size > MAX_ENV_FILE_BYTES)
    throw new AstridError('too-large', `${path} is larger than ${MAX_ENV_FILE_BYTES} bytes`);
  return parseEnvJson(await readFile(path, 'utf8'), path);
}

/** Writes the file atomically: 0600, in a 0700 directory. */
export async function writeEnvJson(
  path: string,
  values: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFileAtomic(path, renderEnvJson(values), { mode: 0o600, parentMode: 0o700 });
  await chmod(dirname(path), 0o700);
  await chmod(path, 0o600);
}

/** Sets one key, keeping the others. */
export async function setEnvValue(path: string, key: string, value: string): Promise<void> {
  const values = (await readEnvJson(path)) ?? {};
  values[key] = value;
  await writeEnvJson(path, values);
}

/** Removes one key; returns whether it was there. */
export async function deleteEnvValue(path: string, key: string): Promise<boolean> {
  const values = await readEnvJson(path);
  if (values === null || !Object.hasOwn(values, key)) return false;
  delete values[key];
  await writeEnvJson(path, values);
  return true;
}
