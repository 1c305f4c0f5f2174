import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../command-kit.js';
import { type CliIo, type OutputFormat, say } from '../../output.js';
import { renderStructured } from '../../render/structured.js';
import type { CliSession } from '../../session/cli-session.js';
import { daemonIsUp } from './daemon-down.js';
import { parseDaemonStatus, statusLines } from './daemon-status.js';
import { Interrupt } from './interrupt.js';
import { capsuleRows, printCapsules } from './ps.js';

export interface TopOptions {
  /** Refresh until interrupted (or `iterations` frames). */
  readonly watch: boolean;
  readonly intervalMs: number;
  /** Stop after this many frames (watch mode); null = until Ctrl-C. */
  readonly iterations: number | null;
}

/** `--interval`: seconds between refreshes, at least 0.1. */
export function parseInterval(value: string): number {
  const secs = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(secs) || secs < 0.1)
    throw new InvalidArgumentError(`expected seconds, at least 0.1 (got ${JSON.stringify(value)})`);
  return Math.round(secs * 1000);
}

/** `--iterations`: a positive whole number of frames. */
export function parseIterations(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError(`expected a whole number >= 1 (got ${JSON.stringify(value)})`);
  return Number(value);
}

/**
 * `astrid top [--watch [--interval S] [--iterations N]] [--format]`: the
 * daemon status and the capsule table. In watch mode structured formats
 * stream one document per frame (JSON lines, YAML documents).
 */
export async function topVerb(
  io: CliIo,
  session: CliSession,
  format: OutputFormat,
  options: TopOptions,
): Promise<number> {
  if (options.watch && format === 'toml')
    throw new UsageError('`top --watch` streams JSON lines or YAML documents; TOML cannot stream');
  if (!(await daemonIsUp(io, session, format, { running: false }))) return 0;
  const client = await session.client();
  const interrupt = options.watch ? new Interrupt() : null;
  try {
    for (let frame = 1; ; frame++) {
      const status = parseDaemonStatus((await client.kernel('GetStatus')).data);
      const rows = await capsuleRows(client);
      if (format === 'pretty') {
        if (options.watch) {
          if (io.color) io.out('\u001b[H\u001b[2J');
          else if (frame > 1) io.out('\n');
          io.out(
            `astrid top: ${new Date().toISOString()} (every ${options.intervalMs / 1000} s, Ctrl-C to quit)\n`,
          );
        }
        const { headline, details } = statusLines(status);
        say.ok(io, headline);
        for (const line of details.slice(0, 3)) io.out(`${line}\n`);
        io.out('\n');
        printCapsules(io, rows);
      } else {
        const doc = { running: true, ...status, capsules: rows };
        if (!options.watch) io.out(renderStructured(doc, format));
        else if (format === 'json') io.out(`${JSON.stringify(doc)}\n`);
        else io.out(`---\n${renderStructured(doc, format)}`);
      }
      if (interrupt === null) return 0;
      if (options.iterations !== null && frame >= options.iterations) return 0;
      await interrupt.sleep(options.intervalMs);
      if (interrupt.interrupted) return 0;
    }
  } finally {
    interrupt?.dispose();
  }
}
