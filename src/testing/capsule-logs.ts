import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestLogLevel } from '../capsule/logs/capsule-log.js';
import type { RecordedLine } from '../core/logger.js';
import type { AstridHome } from '../storage/home/astrid-home.js';

/** A line the capsule logged (`log.*`), or the runtime logged about it. */
export interface CapsuleLogLine {
  readonly level: GuestLogLevel;
  readonly message: string;
  /** `capsule`: written by the capsule; `kernel`: the runtime, about the capsule. */
  readonly source: 'capsule' | 'kernel';
  /** The principal the capsule was working for, when known. */
  readonly principal: string | null;
}

const LINE = /^(\d+\.\d{3}) (TRACE|DEBUG|INFO|WARN|ERROR) \[([^\]]+)\] (.*)$/;

/**
 * One line of a capsule's daily log file
 * (`<seconds> <LEVEL> [<capsule>] <message>`, newlines escaped); null when
 * it is not one. Pure.
 */
export function parseLogFileLine(
  line: string,
  principal: string,
): (CapsuleLogLine & { readonly atMs: number }) | null {
  const m = LINE.exec(line);
  if (m === null) return null;
  return {
    level: (m[2] as string).toLowerCase() as GuestLogLevel,
    message: (m[4] as string).replaceAll('\\n', '\n'),
    source: 'capsule',
    principal,
    atMs: Math.round(Number(m[1]) * 1000),
  };
}

/**
 * The capsule's file lines (oldest first), then the runtime's lines about
 * it: the engine tags its own `capsule`; guest lines that could not go to a
 * file (or errors, which go to both) carry `plugin` — an error already read
 * from a file is not repeated. Pure.
 */
export function mergeLogs(
  fromFiles: readonly (CapsuleLogLine & { readonly atMs: number })[],
  lines: readonly RecordedLine[],
  capsule: string,
): CapsuleLogLine[] {
  const files = [...fromFiles].sort((a, b) => a.atMs - b.atMs).map(({ atMs: _, ...l }) => l);
  const unmatched = [...files];
  const out: CapsuleLogLine[] = [];
  for (const l of lines) {
    const fromGuest = l.fields.plugin === capsule;
    if (l.fields.capsule !== capsule && !fromGuest) continue;
    const principal = typeof l.fields.principal === 'string' ? l.fields.principal : null;
    const err = typeof l.fields.err === 'string' ? `: ${l.fields.err}` : '';
    const line: CapsuleLogLine = {
      level: l.level,
      message: `${l.message ?? ''}${err}`,
      source: fromGuest ? 'capsule' : 'kernel',
      principal,
    };
    const twin = unmatched.findIndex(
      (f) =>
        fromGuest &&
        f.level === line.level &&
        f.message === line.message &&
        f.principal === line.principal,
    );
    if (twin >= 0) unmatched.splice(twin, 1);
    else out.push(line);
  }
  return [...files, ...out];
}

/**
 * Everything `capsule` wrote to its log files under every principal's home
 * (oldest first), then what the runtime logged about it.
 */
export async function capsuleLogs(
  home: AstridHome,
  capsule: string,
  lines: readonly RecordedLine[],
): Promise<CapsuleLogLine[]> {
  const fromFiles: (CapsuleLogLine & { readonly atMs: number })[] = [];
  const principals = await readdir(join(home.root, 'home')).catch(() => [] as string[]);
  for (const principal of principals.sort()) {
    const dir = join(home.root, 'home', principal, '.local', 'log', capsule);
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.sort()) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const line of text.split('\n')) {
        const parsed = parseLogFileLine(line, principal);
        if (parsed !== null) fromFiles.push(parsed);
      }
    }
  }
  return mergeLogs(fromFiles, lines, capsule);
}
