import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { AstridError } from '../../core/errors.js';

/** Largest secret read back. */
export const MAX_SECRET_BYTES = 65_536;

/** Validates a secret key: non-empty, no `:`, no path separators, no NUL, not `.`/`..`. */
export function checkSecretKey(key: string): void {
  if (key.length === 0) throw new AstridError('invalid-input', 'secret key must not be empty');
  if (key.includes(':'))
    throw new AstridError(
      'invalid-input',
      `secret key ${JSON.stringify(key)} must not contain ':'`,
    );
  if (key.includes('/') || key.includes(sep) || key.includes('\0') || key === '.' || key === '..') {
    throw new AstridError(
      'invalid-input',
      `secret key ${JSON.stringify(key)} must be a plain name (no '/', NUL or '..')`,
    );
  }
}

/**
 * One file per secret under a root directory (0700), each file 0600, written
 * atomically. Values are never logged.
 */
export class FileSecretStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  private path(key: string): string {
    checkSecretKey(key);
    return join(this.root, key);
  }

  async set(key: string, value: string): Promise<void> {
    const path = this.path(key);
    if (value.length === 0)
      throw new AstridError('invalid-input', 'secret value must not be empty');
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await chmod(this.root, 0o700).catch(() => {});
    const temp = join(this.root, `.${key}.tmp.${randomUUID().replaceAll('-', '')}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(value, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600);
    await rename(temp, path).catch(async (e) => {
      await rm(temp, { force: true });
      throw e;
    });
  }

  /** The secret, or null when unset. */
  async get(key: string): Promise<string | null> {
    const path = this.path(key);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return null;
    }
    if (size > MAX_SECRET_BYTES) {
      throw new AstridError(
        'too-large',
        `secret ${JSON.stringify(key)} is ${size} bytes; the limit is ${MAX_SECRET_BYTES}`,
      );
    }
    const text = await readFile(path, 'utf8');
    if (Buffer.byteLength(text) > MAX_SECRET_BYTES) {
      throw new AstridError(
        'too-large',
        `secret ${JSON.stringify(key)} grew past ${MAX_SECRET_BYTES} bytes while read`,
      );
    }
    return text;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.get(key)) !== null;
  }

  /** Deletes; returns whether the secret existed. */
  async delete(key: string): Promise<boolean> {
    const path = this.path(key);
    try {
      await rm(path);
      return true;
    } catch {
      return false;
    }
  }
}
