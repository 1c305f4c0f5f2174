import type { Command } from 'commander';
import { AstridError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import { type CliIo, type OutputFormat, parseFormat, reportError, say } from './output.js';
import { CliSession } from './session/cli-session.js';

/**
 * Refused input that the spec answers with exit 2 (unsafe requests such as
 * `caps grant x '*'` without `--unsafe-admin`, or flags this build does not
 * offer).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What every verb is given: where to write, the environment, where its exit status goes, the companion binaries. */
export class CliKit {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  readonly state: { code: number };
  /** Directory of the running `astrid` entry point (companions `astrid-daemon`, `astrid-emit` live beside it). */
  readonly binDir: string;

  constructor(io: CliIo, env: NodeJS.ProcessEnv, state: { code: number }, binDir: string) {
    this.io = io;
    this.env = env;
    this.state = state;
    this.binDir = binDir;
  }

  /**
   * Runs one verb with a fresh session: its return value (default 0) is the
   * exit status; a thrown error is reported in `format` (exit 1, or 2 for a
   * `UsageError`); connections are closed on every path.
   */
  async run(
    format: OutputFormat,
    fn: (session: CliSession) => Promise<number | undefined>,
  ): Promise<void> {
    const session = new CliSession(this.io, this.env);
    try {
      const code = await fn(session);
      this.state.code = typeof code === 'number' ? code : EXIT.ok;
    } catch (e) {
      if (e instanceof UsageError) {
        say.error(this.io, `error: ${e.message}`);
        this.state.code = EXIT.usage;
      } else {
        this.state.code = reportError(this.io, e, format);
      }
    } finally {
      await session.close();
    }
  }
}

/** Asks a yes/no question on stderr and reads one line from stdin; only `y`/`yes` count. */
export async function confirm(
  io: CliIo,
  question: string,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<boolean> {
  io.err(`${question} [y/N]? `);
  const line = await readLine(input);
  return /^(y|yes)$/i.test(line.trim());
}

function readLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) finish(text.slice(0, nl));
    };
    const onEnd = () => finish(text);
    const finish = (line: string) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause?.();
      resolve(line);
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume?.();
  });
}

/** An AstridError for a missing thing, with the exit status 1 the spec gives "not found". */
export function notFound(message: string): AstridError {
  return new AstridError('not-found', message);
}

/** The `--format` a verb should use: its own flag, else the global one, else pretty. */
export function formatOf(command: Command): OutputFormat {
  return parseFormat((command.optsWithGlobals() as { format?: string }).format);
}
