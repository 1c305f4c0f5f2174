import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../capsule/logs/capsule-log.js';
import type { CapsuleId } from '../core/ids/capsule-id.js';
import type { RecordedLine } from '../core/logger.js';
import { mergeLogs, parseLogFileLine } from './capsule-logs.js';

describe('capsule logs', () => {
  it('parses the lines the runtime writes to a capsule log file', () => {
    const at = new Date(1_700_000_000_123);
    const line = formatLogLine(at, 'warn', 'demo' as CapsuleId, 'two\nlines').trimEnd();
    expect(parseLogFileLine(line, 'alice')).toEqual({
      level: 'warn',
      message: 'two\nlines',
      source: 'capsule',
      principal: 'alice',
      atMs: 1_700_000_000_123,
    });
    expect(parseLogFileLine('garbage', 'alice')).toBeNull();
    expect(parseLogFileLine('', 'alice')).toBeNull();
  });

  it('merges file lines (by time) with runtime lines about the capsule, once each', () => {
    const files = [
      { level: 'error', message: 'late', source: 'capsule', principal: 'default', atMs: 20 },
      { level: 'info', message: 'early', source: 'capsule', principal: 'default', atMs: 10 },
    ] as const;
    const recorded: RecordedLine[] = [
      { level: 'warn', fields: { capsule: 'demo', err: 'trap' }, message: 'interceptor failed' },
      { level: 'info', fields: { capsule: 'other' }, message: 'not ours' },
      // A guest error goes to the file and to the logger: shown once.
      { level: 'error', fields: { plugin: 'demo', principal: 'default' }, message: 'late' },
      // A guest line for a principal without a home only reaches the logger.
      { level: 'info', fields: { plugin: 'demo', principal: 'bob' }, message: 'hi' },
    ];
    expect(mergeLogs(files, recorded, 'demo')).toEqual([
      { level: 'info', message: 'early', source: 'capsule', principal: 'default' },
      { level: 'error', message: 'late', source: 'capsule', principal: 'default' },
      { level: 'warn', message: 'interceptor failed: trap', source: 'kernel', principal: null },
      { level: 'info', message: 'hi', source: 'capsule', principal: 'bob' },
    ]);
  });
});
