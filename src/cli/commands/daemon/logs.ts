import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { checkCapsuleId } from '../../../core/ids/capsule-id.js';
import { checkPrincipalId } from '../../../core/ids/principal-id.js';
import { UsageError } from '../../command-kit.js';
import type { CliIo } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { Interrupt } from './interrupt.js';
import { LineSplitter, type LogEntry, lastLines, newestFile } from './log-lines.js';

export const FOLLOW_POLL_MS = 250;
const TAIL_CHUNK = 64 * 1024;

export interface LogsOptions {
  readonly capsule: string | undefined;
  readonly agent: string | undefined;
  readonly follow: boolean;
  readonly lines: number;
}

async function entries(dir: string): Promise<LogEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: LogEntry[] = [];
  for (const name of names) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info !== null) out.push({ name, mtimeMs: info.mtimeMs, isFile: info.isFile() });
  }
  return out;
}

/** The last `n` lines of a file, read backwards in chunks; also the size read up to. */
async function readTail(path: string, n: number): Promise<{ lines: string[]; size: number }> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const chunks: Buffer[] = [];
    let pos = size;
    let newlines = 0;
    while (pos > 0 && newlines <= n) {
      const len = Math.min(TAIL_CHUNK, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      await file.read(buf, 0, len, pos);
      chunks.unshift(buf);
      for (const b of buf) if (b === 0x0a) newlines++;
    }
    return { lines: lastLines(Buffer.concat(chunks).toString('utf8'), n), size };
  } finally {
    await file.close();
  }
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(to - from);
    const { bytesRead } = await file.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** The directory `logs` reads: the daemon's `log/`, or a capsule's log directory under an agent's home. */
async function logDir(session: CliSession, options: LogsOptions): Promise<string> {
  if (options.capsule === undefined) {
    if (options.agent !== undefined)
      throw new UsageError(
        '--agent picks whose capsule logs to show; name the capsule too: astrid logs <capsule> --agent <agent>',
      );
    return session.home.logDir;
  }
  const capsule = checkCapsuleId(options.capsule);
  if (!capsule.ok) throw new UsageError(capsule.error.message);
  let agent = options.agent;
  if (agent !== undefined) {
    const checked = checkPrincipalId(agent);
    if (!checked.ok) throw new UsageError(`--agent: ${checked.error.message}`);
  } else agent = await session.activeAgent();
  const principal = checkPrincipalId(agent);
  if (!principal.ok) throw new UsageError(principal.error.message);
  return join(session.home.principal(principal.value).logDir, capsule.value);
}

/**
 * `astrid logs [capsule] [-a agent] [-f] [-n N]`: the last N lines of the
 * newest log file; with `-f`, new lines as they are written (following the
 * switch to a newer file, and a truncated file from its start) until Ctrl-C.
 */
export async function logsVerb(
  io: CliIo,
  session: CliSession,
  options: LogsOptions,
): Promise<number> {
  const dir = await logDir(session, options);
  const newest = newestFile(await entries(dir));
  if (newest === null) {
    io.out(`(no logs in ${dir})\n`);
    return 0;
  }
  let current = join(dir, newest);
  io.err(`==> ${current} <==\n`);
  const tail = await readTail(current, options.lines);
  for (const line of tail.lines) io.out(`${line}\n`);
  if (!options.follow) return 0;

  let offset = tail.size;
  let decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter();
  const emit = (buf: Buffer) => {
    for (const line of splitter.push(decoder.write(buf))) io.out(`${line}\n`);
  };
  const interrupt = new Interrupt();
  try {
    while (!interrupt.interrupted) {
      await interrupt.sleep(FOLLOW_POLL_MS);
      if (interrupt.interrupted) break;
      const latest = newestFile(await entries(dir));
      if (latest !== null && join(dir, latest) !== current) {
        const rest = await stat(current).catch(() => null);
        if (rest !== null && rest.size > offset) emit(await readRange(current, offset, rest.size));
        current = join(dir, latest);
        offset = 0;
        decoder = new StringDecoder('utf8');
        splitter.reset();
        io.err(`==> ${current} <==\n`);
      }
      const info = await stat(current).catch(() => null);
      if (info === null) continue;
      if (info.size < offset) {
        offset = 0;
        decoder = new StringDecoder('utf8');
        splitter.reset();
      }
      if (info.size > offset) {
        const fresh = await readRange(current, offset, info.size);
        emit(fresh);
        offset += fresh.length;
      }
    }
  } finally {
    interrupt.dispose();
  }
  return 0;
}
