import { Command, CommanderError } from 'commander';
import { ASTRID_VERSION } from '../core/version.js';
import { capsuleCheck } from './commands/capsule/check.js';
import { EXIT } from './exit-codes.js';
import { type CliIo, parseFormat, reportError } from './output.js';

/**
 * Builds the `astrid` command tree. Each action stores its exit status in
 * `state.code`; nothing calls `process.exit` here, so the program runs
 * in-process in tests.
 */
export function buildProgram(io: CliIo, state: { code: number }): Command {
  const program = new Command('astrid')
    .description('Astrid: a user-space kernel for AI agents')
    .version(ASTRID_VERSION, '-V, --version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();

  const capsule = program.command('capsule').description('Install, inspect and manage capsules');
  capsule
    .command('check')
    .description('Validate a capsule directory (its Capsule.toml) without installing it')
    .argument('[dir]', 'capsule directory', '.')
    .option('--format <format>', 'output format: pretty or json', 'pretty')
    .action(async (dir: string, opts: { format: string }) => {
      const format = parseFormat(opts.format);
      try {
        state.code = await capsuleCheck(io, dir, format);
      } catch (e) {
        state.code = reportError(io, e, format);
      }
    });

  return program;
}

/** Runs the CLI with `argv` (without the node/script prefix) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const state = { code: EXIT.ok as number };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(io, e);
  }
  return state.code;
}
