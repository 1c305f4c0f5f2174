import { isAstridError } from '../core/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

/** Where a command writes; tests pass buffers, the binary passes process streams. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Colour only on a TTY and when NO_COLOR is unset. */
  readonly color: boolean;
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
  };
}

const paint = (io: CliIo, code: number, text: string) =>
  io.color ? `\u001b[${code}m${text}\u001b[0m` : text;

export const say = {
  ok: (io: CliIo, text: string) => io.out(`${paint(io, 32, '✓')} ${text}\n`),
  info: (io: CliIo, text: string) => io.out(`${paint(io, 36, 'i')} ${text}\n`),
  warn: (io: CliIo, text: string) => io.err(`${paint(io, 33, '!')} ${text}\n`),
  error: (io: CliIo, text: string) => io.err(`${paint(io, 31, '✗')} ${text}\n`),
};

export type OutputFormat = 'pretty' | 'json';

/** `--format` values are case-insensitive; anything unknown is pretty. */
export function parseFormat(value: string | undefined): OutputFormat {
  return value?.toLowerCase() === 'json' ? 'json' : 'pretty';
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reports an error the way every verb does and returns the exit status. */
export function reportError(io: CliIo, error: unknown, format: OutputFormat = 'pretty'): number {
  if (isAstridError(error)) {
    if (format === 'json') printJson(io, { ok: false, error: error.toJSON() });
    else say.error(io, `error: ${error.message}`);
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (format === 'json') printJson(io, { ok: false, error: { code: 'internal', message } });
  else say.error(io, `error: ${message}`);
  return EXIT.failure;
}
