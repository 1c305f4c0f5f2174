import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ASTRID_VERSION } from '../core/version.js';
import { CliKit } from './command-kit.js';
import { registerAll } from './commands/index.js';
import { findCompanion } from './companion.js';
import { EXIT } from './exit-codes.js';
import { type CliIo, reportError } from './output.js';

const DEFAULT_BIN_DIR = dirname(fileURLToPath(new URL('./bin/astrid.js', import.meta.url)));

/**
 * Builds the `astrid` command tree. Each action stores its exit status in
 * `kit.state.code`; nothing calls `process.exit` here, so the program runs
 * in-process in tests.
 */
export function buildProgram(kit: CliKit): Command {
  const program = new Command('astrid')
    .description('Astrid: a user-space kernel for AI agents')
    .version(ASTRID_VERSION, '-V, --version')
    .option('-v, --verbose', 'verbose output (debug logging)')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .option('--emit-path', 'print the path of the astrid-emit binary and exit')
    .configureOutput({ writeOut: kit.io.out, writeErr: kit.io.err })
    .exitOverride()
    .showHelpAfterError();
  registerAll(program, kit);
  return program;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where the companion binaries live (defaults to this package's `cli/bin`). */
  readonly binDir?: string;
}

/** Runs the CLI with `argv` (without the node/script prefix) and returns the exit status. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunOptions = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const binDir = options.binDir ?? DEFAULT_BIN_DIR;
  // --emit-path is answered before anything else.
  if (argv.includes('--emit-path')) {
    try {
      io.out(`${findCompanion('astrid-emit', binDir, env).path}\n`);
      return EXIT.ok;
    } catch (e) {
      return reportError(io, e);
    }
  }
  const kit = new CliKit(io, env, { code: EXIT.ok }, binDir);
  const program = buildProgram(kit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(io, e);
  }
  return kit.state.code;
}
