import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHA = /^[0-9a-f]{40,64}$/;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The commit this build runs from, 12 hex chars, or `unknown`:
 * `ASTRID_GIT_SHA` if set, else the checkout's `.git/HEAD` (loose or packed
 * ref). Read once at gateway start; never spawns git.
 */
export function gitSha(env: NodeJS.ProcessEnv = process.env, root: string = ROOT): string {
  const fromEnv = env.ASTRID_GIT_SHA?.trim().toLowerCase();
  if (fromEnv !== undefined && /^[0-9a-f]{7,64}$/.test(fromEnv)) return fromEnv.slice(0, 12);
  const head = read(join(root, '.git', 'HEAD'));
  if (head === null) return 'unknown';
  if (SHA.test(head)) return head.slice(0, 12);
  const ref = /^ref: (refs\/[A-Za-z0-9._/-]+)$/.exec(head)?.[1];
  if (ref === undefined || ref.includes('..')) return 'unknown';
  const loose = read(join(root, '.git', ref));
  if (loose !== null && SHA.test(loose)) return loose.slice(0, 12);
  for (const line of (read(join(root, '.git', 'packed-refs')) ?? '').split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && sha !== undefined && SHA.test(sha)) return sha.slice(0, 12);
  }
  return 'unknown';
}
