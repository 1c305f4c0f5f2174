import { type AstridError, isAstridError } from '../core/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { type OutputFormat, renderStructured } from './render/structured.js';

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

export type { OutputFormat } from './render/structured.js';
export { parseFormat } from './render/structured.js';

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints data in `format` (pretty falls back to JSON; verbs print their own pretty form). */
export function printStructured(io: CliIo, value: unknown, format: OutputFormat): void {
  io.out(renderStructured(value, format === 'pretty' ? 'json' : format));
}

/** A one-line hint that says how to fix the common failures, or null. Pure. */
export function hintFor(error: AstridError): string | null {
  switch (error.code) {
    case 'unavailable':
      return /astrid start/.test(error.message)
        ? null
        : 'is the daemon running? try `astrid status`';
    case 'capability-denied':
      return 'the active agent lacks this capability: see `astrid caps show`, or switch agents with `astrid agent switch`';
    case 'config':
      return 'check ASTRID_HOME and the files under $ASTRID_HOME/etc (`astrid config path`)';
    case 'rate-limited':
      return 'the kernel rate-limits this request; wait a minute and retry';
    default:
      return null;
  }
}

/** Reports an error the way every verb does and returns the exit status. */
export function reportError(io: CliIo, error: unknown, format: OutputFormat = 'pretty'): number {
  if (isAstridError(error)) {
    if (format !== 'pretty') io.out(renderStructured({ ok: false, error: error.toJSON() }, format));
    else {
      const fromKernel = error.details?.origin === 'kernel';
      say.error(io, `error: ${fromKernel ? 'kernel rejected request: ' : ''}${error.message}`);
      const hint = hintFor(error);
      if (hint !== null) io.err(`  hint: ${hint}\n`);
    }
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (format !== 'pretty')
    io.out(renderStructured({ ok: false, error: { code: 'internal', message } }, format));
  else say.error(io, `error: ${message}`);
  return EXIT.failure;
}
