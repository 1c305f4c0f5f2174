import { InvalidArgumentError } from 'commander';

/** A directory entry as `logs` sees it. */
export interface LogEntry {
  readonly name: string;
  readonly mtimeMs: number;
  readonly isFile: boolean;
}

/** The newest regular file by mtime (ties: the later name, so daily files order right). Pure. */
export function newestFile(entries: readonly LogEntry[]): string | null {
  let best: LogEntry | null = null;
  for (const e of entries) {
    if (!e.isFile) continue;
    if (
      best === null ||
      e.mtimeMs > best.mtimeMs ||
      (e.mtimeMs === best.mtimeMs && e.name > best.name)
    )
      best = e;
  }
  return best?.name ?? null;
}

/** The last `n` lines of `text` (a final newline does not start an empty line). Pure. */
export function lastLines(text: string, n: number): string[] {
  if (n <= 0 || text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(Math.max(0, lines.length - n));
}

/** `-n` for `logs`: a whole number of lines, 0 or more. */
export function parseLineCount(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError(
      `expected a whole number of lines (got ${JSON.stringify(value)})`,
    );
  return Number(value);
}

/** Splits a growing byte stream into complete lines, holding back a partial last line. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.rest = text;
      return [];
    }
    this.rest = text.slice(cut + 1);
    return text.slice(0, cut).split('\n');
  }

  /** Forgets a held partial line (the file was truncated or replaced). */
  reset(): void {
    this.rest = '';
  }
}
