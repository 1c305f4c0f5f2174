import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode for the new file (default 0o644). */
  readonly mode?: number;
  /** Create missing parent directories with this mode. */
  readonly parentMode?: number;
}

/** A unique sibling temp name, so concurrent writers never share a temp file. */
export function tempSibling(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.tmp.${process.pid}.${randomUUID().replaceAll('-', '')}`,
  );
}

/**
 * Writes `data` to `path` so readers see either the old or the new content,
 * never a torn file: write a unique temp sibling, fsync, rename over.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (options.parentMode !== undefined)
    await mkdir(dirname(path), { recursive: true, mode: options.parentMode });
  const temp = tempSibling(path);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
