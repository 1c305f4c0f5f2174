import { appendFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapsuleId } from '../../core/ids/capsule-id.js';

export type GuestLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export const LOG_RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;

/** `2026-11-23.log` for the current UTC date. */
export function logFileName(now: Date): string {
  return `${now.toISOString().slice(0, 10)}.log`;
}

/** `<unix seconds, 3 decimals> <LEVEL> [<capsule>] <message>`. */
export function formatLogLine(
  now: Date,
  level: GuestLogLevel,
  capsule: CapsuleId,
  message: string,
): string {
  const seconds = (now.getTime() / 1000).toFixed(3);
  // One record per line: a guest cannot forge extra lines.
  const flat = message.replace(/\r?\n/g, '\\n');
  return `${seconds} ${level.toUpperCase()} [${capsule}] ${flat}\n`;
}

/**
 * A capsule's daily log under a principal's home
 * (`home/<p>/.local/log/<capsule>/<date>.log`). Nothing is created when the
 * principal has no home.
 */
export class CapsuleLog {
  readonly dir: string;
  readonly capsule: CapsuleId;
  private readonly principalHome: string;

  constructor(principalHome: string, capsule: CapsuleId) {
    this.principalHome = principalHome;
    this.capsule = capsule;
    this.dir = join(principalHome, '.local', 'log', capsule);
  }

  /** Appends a line; false when the principal has no home (nothing written). */
  async write(level: GuestLogLevel, message: string, now: Date = new Date()): Promise<boolean> {
    try {
      await stat(this.principalHome);
    } catch {
      return false;
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await appendFile(
      join(this.dir, logFileName(now)),
      formatLogLine(now, level, this.capsule, message),
      {
        mode: 0o600,
      },
    );
    return true;
  }

  /** Deletes daily logs older than the retention period (run at capsule load, owner only). */
  async prune(now: Date = new Date()): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      if (!/^\d{4}-\d{2}-\d{2}\.log$/.test(name)) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info === null || !info.isFile()) continue;
      if (now.getTime() - info.mtimeMs > LOG_RETENTION_DAYS * DAY_MS) {
        await rm(path, { force: true });
        removed.push(name);
      }
    }
    return removed;
  }
}
