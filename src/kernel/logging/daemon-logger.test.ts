import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { compactLine, createDaemonLogger } from './daemon-logger.js';
import { DailyLogFile } from './daily-log-file.js';

describe('daemon logging', () => {
  it('writes compact lines to the day’s file', async () => {
    const dir = await tempDir();
    const log = createDaemonLogger(dir, 'info', 'compact');
    log.logger.info({ principal: 'alice', n: 2 }, 'hello world');
    log.logger.debug('hidden');
    log.close();
    const text = readFileSync(log.file.currentPath, 'utf8');
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z INFO {2}hello world principal=alice n=2\n$/);
  });

  it('json format keeps pino records', async () => {
    const dir = await tempDir();
    const log = createDaemonLogger(dir, 'debug', 'json');
    log.logger.debug({ a: 1 }, 'x');
    log.close();
    expect(JSON.parse(readFileSync(log.file.currentPath, 'utf8'))).toMatchObject({
      level: 20,
      a: 1,
      msg: 'x',
    });
  });

  it('rotates by local date and keeps the newest seven files', async () => {
    const dir = await tempDir();
    for (let d = 1; d <= 9; d++) writeFileSync(join(dir, `astrid.2026-01-0${d}.log`), 'old');
    writeFileSync(join(dir, 'unrelated.txt'), 'keep');
    let now = new Date(2026, 0, 10, 12).getTime();
    const file = new DailyLogFile(dir, () => now);
    file.write('a\n');
    now = new Date(2026, 0, 11, 0, 0, 1).getTime();
    file.write('b\n');
    file.close();
    const names = readdirSync(dir).sort();
    expect(names).toContain('unrelated.txt');
    expect(names.filter((n) => n.startsWith('astrid.'))).toHaveLength(7);
    expect(readFileSync(join(dir, 'astrid.2026-01-11.log'), 'utf8')).toBe('b\n');
  });

  it('compactLine passes through non-JSON', () => {
    expect(compactLine('plain')).toBe('plain');
  });
});
