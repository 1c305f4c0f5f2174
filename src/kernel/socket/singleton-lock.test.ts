import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { SingletonLock } from './singleton-lock.js';

const CHILD = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2], { timeout: 0 });
try { db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); process.stdout.write('acquired'); }
catch (e) { process.stdout.write('refused:' + e.code); }
`;

const require = createRequire(import.meta.url);

function tryInChild(path: string): string {
  const r = spawnSync(process.execPath, ['-e', CHILD, require.resolve('better-sqlite3'), path], {
    encoding: 'utf8',
  });
  return r.stdout;
}

describe('SingletonLock', () => {
  it('is exclusive within a process and across processes, and free again after release', async () => {
    const path = join(await tempDir(), 'run', 'system.lock');
    const lock = SingletonLock.acquire(path);
    expect(() => SingletonLock.acquire(path)).toThrow(/Another kernel instance is already running/);
    expect(tryInChild(path)).toBe('refused:SQLITE_BUSY');
    lock.release();
    expect(tryInChild(path)).toBe('acquired');
    const again = SingletonLock.acquire(path);
    expect(again.held).toBe(true);
    again.release();
  });

  it('is released by the operating system when the holder is killed', async () => {
    const path = join(await tempDir(), 'system.lock');
    const holder = spawn(
      process.execPath,
      ['-e', `${CHILD}; setInterval(() => {}, 1000);`, require.resolve('better-sqlite3'), path],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    expect(() => SingletonLock.acquire(path)).toThrow(/already running/);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    SingletonLock.acquire(path).release();
  });
});
