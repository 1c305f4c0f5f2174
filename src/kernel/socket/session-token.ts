import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AstridError } from '../../core/errors.js';
import { writeFileAtomic } from '../../storage/files/atomic-write.js';

/** A fresh session token: 32 CSPRNG bytes as 64 lowercase hex characters. */
export function newSessionToken(): string {
  return randomBytes(32).toString('hex');
}

/** Writes the token atomically (temp file 0600, fsync, rename); no trailing newline. */
export async function writeSessionToken(path: string, token: string): Promise<void> {
  await writeFileAtomic(path, token, { mode: 0o600 });
}

/** Reads a token file: whitespace trimmed, exactly 64 hex digits. */
export async function readSessionToken(path: string): Promise<string> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AstridError(
        'unavailable',
        `no session token at ${path}: the daemon is not running (start it with \`astrid start\`)`,
      );
    }
    throw e;
  }
  const token = raw.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(token))
    throw new AstridError('integrity', `the session token at ${path} is malformed`);
  return token;
}
