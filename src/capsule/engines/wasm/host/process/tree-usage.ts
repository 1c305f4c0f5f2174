import { readFile } from 'node:fs/promises';

/** Linux reports CPU times in /proc in units of USER_HZ, which is 100 on every supported architecture. */
const TICKS_PER_SECOND = 100;

export interface TreeUsage {
  /** User + system CPU of the live processes and of the children they reaped. */
  readonly cpuMs: number;
  /** Resident memory of the live processes now. */
  readonly rssBytes: number;
}

/** Parses `/proc/<pid>/stat` CPU fields (utime, stime, cutime, cstime) in ticks. Pure. */
export function statTicks(stat: string): number {
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is the state (field 3); utime is field 14 → index 11.
  return [11, 12, 13, 14].reduce((sum, i) => sum + (Number(fields[i]) || 0), 0);
}

/** Parses `VmRSS:` from `/proc/<pid>/status`, in bytes. Pure. */
export function statusRss(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m === null ? 0 : Number(m[1]) * 1024;
}

async function children(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .split(' ')
      .filter((s) => s.length > 0)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Samples a process tree from `/proc` (Linux): total CPU time and current
 * resident memory. Null when the root is gone.
 */
export async function sampleTree(root: number): Promise<TreeUsage | null> {
  let ticks = 0;
  let rss = 0;
  let seen = 0;
  const queue = [root];
  while (queue.length > 0 && seen < 4096) {
    const pid = queue.shift() as number;
    try {
      const [stat, status] = await Promise.all([
        readFile(`/proc/${pid}/stat`, 'utf8'),
        readFile(`/proc/${pid}/status`, 'utf8'),
      ]);
      ticks += statTicks(stat);
      rss += statusRss(status);
      seen++;
      queue.push(...(await children(pid)));
    } catch {
      if (pid === root) return null;
    }
  }
  return { cpuMs: Math.round((ticks * 1000) / TICKS_PER_SECOND), rssBytes: rss };
}
