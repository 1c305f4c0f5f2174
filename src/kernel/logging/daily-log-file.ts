import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE_PREFIX = 'astrid.';
export const LOG_KEEP_DAYS = 7;

function localDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Appends to `log/astrid.YYYY-MM-DD.log`, switching files when the local date
 * changes and keeping the newest seven. Writes are synchronous so the last
 * lines before a crash reach the file.
 */
export class DailyLogFile {
  private readonly dir: string;
  private readonly now: () => number;
  private fd: number | null = null;
  private date = '';

  constructor(dir: string, now: () => number = Date.now) {
    this.dir = dir;
    this.now = now;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  get currentPath(): string {
    return join(this.dir, `${LOG_FILE_PREFIX}${this.date || localDate(this.now())}.log`);
  }

  write(line: string): void {
    const date = localDate(this.now());
    if (date !== this.date || this.fd === null) this.rotate(date);
    writeSync(this.fd as number, line);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private rotate(date: string): void {
    this.close();
    this.date = date;
    this.fd = openSync(this.currentPath, 'a', 0o600);
    const files = readdirSync(this.dir)
      .filter((f) => f.startsWith(LOG_FILE_PREFIX) && /^astrid\.\d{4}-\d{2}-\d{2}\.log$/.test(f))
      .sort();
    for (const old of files.slice(0, Math.max(0, files.length - LOG_KEEP_DAYS)))
      rmSync(join(this.dir, old), { force: true });
  }
}
