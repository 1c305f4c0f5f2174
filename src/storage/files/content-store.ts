import { randomUUID } from 'node:crypto';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3Hex } from './content-hash.js';

export interface StoredBlob {
  readonly hash: string;
  readonly path: string;
  readonly bytes: number;
  /** True when this call wrote the blob (it did not exist before). */
  readonly created: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * An append-only, content-addressed directory of blobs named
 * `<blake3-hex><ext>`. Writes go to a unique temp name and are renamed into
 * place; an existing blob is never rewritten.
 */
export class ContentStore {
  readonly dir: string;
  readonly ext: string;

  constructor(dir: string, ext: string) {
    this.dir = dir;
    this.ext = ext;
  }

  pathOf(hash: string): string {
    return join(this.dir, `${hash}${this.ext}`);
  }

  async put(data: Uint8Array): Promise<StoredBlob> {
    const hash = await blake3Hex(data);
    const path = this.pathOf(hash);
    if (await exists(path)) return { hash, path, bytes: data.byteLength, created: false };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `${hash}.tmp.${randomUUID().replaceAll('-', '')}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      // Another writer may have stored the same content meanwhile; that is success.
      if (!(await exists(path))) throw e;
      return { hash, path, bytes: data.byteLength, created: false };
    }
    return { hash, path, bytes: data.byteLength, created: true };
  }

  async has(hash: string): Promise<boolean> {
    return exists(this.pathOf(hash));
  }
}
