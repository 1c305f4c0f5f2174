import pino from 'pino';
import type { Logger } from '../../core/logger.js';
import type { LogFormat, LogLevel } from '../config/daemon-config.js';
import { DailyLogFile } from './daily-log-file.js';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** One pino JSON line as `2026-11-23T15:00:00.000Z INFO  message key=value …`. */
export function compactLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time =
    typeof record.time === 'number'
      ? new Date(record.time).toISOString()
      : new Date().toISOString();
  const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level} ${typeof record.msg === 'string' ? record.msg : ''}${fields.length > 0 ? ` ${fields}` : ''}\n`;
}

export interface DaemonLogger {
  readonly logger: Logger;
  readonly file: DailyLogFile;
  close(): void;
}

/** The daemon's logger: pino records into the daily log file, JSON or compact. */
export function createDaemonLogger(dir: string, level: LogLevel, format: LogFormat): DaemonLogger {
  const file = new DailyLogFile(dir);
  const stream = {
    write(line: string): void {
      file.write(format === 'json' ? line : compactLine(line));
    },
  };
  const logger = pino({ level, base: { pid: process.pid } }, stream) as unknown as Logger;
  return { logger, file, close: () => file.close() };
}
