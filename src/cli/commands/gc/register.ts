import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { gc } from './gc.js';

/** Registers `astrid gc`. */
export function register(program: Command, kit: CliKit): void {
  program
    .command('gc')
    .description(
      'Find component, WIT and build-cache entries no installed capsule references (a dry run unless --force)',
    )
    .option('--force', 'delete them')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => gc(session, { force: opts.force === true, format }));
    });
}
