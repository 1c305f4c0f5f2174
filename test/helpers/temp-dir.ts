import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const perTest: string[] = [];
const perFile: string[] = [];

/** A fresh directory under the OS temp dir, removed after the current test. */
export async function tempDir(prefix = 'astrid-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  perTest.push(dir);
  return dir;
}

/** A fresh directory that lives until every test in the file has run (for `beforeAll` fixtures). */
export async function fileTempDir(prefix = 'astrid-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  perFile.push(dir);
  return dir;
}

async function removeAll(dirs: string[]): Promise<void> {
  while (dirs.length > 0) await rm(dirs.pop() as string, { recursive: true, force: true });
}

if (process.env.VITEST !== undefined) {
  const { afterAll, afterEach } = await import('vitest');
  afterEach(() => removeAll(perTest));
  afterAll(() => removeAll(perFile));
} else {
  // Benchmarks and scripts: clean up when the process ends.
  process.once('exit', () => {
    for (const dir of [...perTest, ...perFile]) rmSync(dir, { recursive: true, force: true });
  });
}
