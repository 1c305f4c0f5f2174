import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { parseCapsuleId } from '../../core/ids/capsule-id.js';
import { CapsuleLog, formatLogLine } from './capsule-log.js';

const cap = parseCapsuleId('weather');

describe('CapsuleLog', () => {
  it('formats lines with seconds, level and capsule, one record per line', () => {
    const now = new Date(1_735_689_600_123);
    expect(formatLogLine(now, 'warn', cap, 'a\nb')).toBe('1735689600.123 WARN [weather] a\\nb\n');
  });

  it('appends to the dated file under an existing principal home', async () => {
    const home = await tempDir();
    const log = new CapsuleLog(home, cap);
    const now = new Date('2026-11-23T10:00:00Z');
    expect(await log.write('info', 'one', now)).toBe(true);
    expect(await log.write('error', 'two', now)).toBe(true);
    const text = await readFile(join(home, '.local', 'log', 'weather', '2026-11-23.log'), 'utf8');
    expect(text.trim().split('\n')).toEqual([
      `${(now.getTime() / 1000).toFixed(3)} INFO [weather] one`,
      `${(now.getTime() / 1000).toFixed(3)} ERROR [weather] two`,
    ]);
    expect((await stat(join(home, '.local', 'log', 'weather'))).mode & 0o777).toBe(0o700);
  });

  it('writes nothing and creates nothing without a principal home', async () => {
    const root = await tempDir();
    const log = new CapsuleLog(join(root, 'home', 'ghost'), cap);
    expect(await log.write('info', 'x')).toBe(false);
    expect(await readdir(root)).toEqual([]);
  });

  it('prunes daily logs older than 7 days and keeps today', async () => {
    const home = await tempDir();
    const log = new CapsuleLog(home, cap);
    await mkdir(log.dir, { recursive: true });
    const now = new Date('2026-11-23T10:00:00Z');
    for (const [name, ageDays] of [
      ['2026-11-01.log', 22],
      ['2026-11-23.log', 0],
      ['2026-11-17.log', 6],
      ['notes.txt', 30],
    ] as const) {
      const path = join(log.dir, name);
      await writeFile(path, 'x');
      const t = new Date(now.getTime() - ageDays * 86_400_000);
      await utimes(path, t, t);
    }
    expect(await log.prune(now)).toEqual(['2026-11-01.log']);
    expect((await readdir(log.dir)).sort()).toEqual([
      '2026-11-17.log',
      '2026-11-23.log',
      'notes.txt',
    ]);
  });
});
