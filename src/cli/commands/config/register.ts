import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { configEdit } from './edit.js';
import { configPathVerb } from './path.js';
import { configShow } from './show.js';

/** Registers the `config` verbs. */
export function register(program: Command, kit: CliKit): void {
  const config = program.command('config').description('Show and edit the daemon configuration');
  config
    .command('show')
    .description('Show the configuration in effect, each value annotated with its source')
    .option('--format <format>', 'toml (annotated, the default), json or yaml')
    .option('--section <section>', 'only this table (logging, capsule, daemon, network)')
    .action(async (opts: { section?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => configShow(session, format, opts.section));
    });
  config
    .command('edit')
    .description('Edit <home>/etc/config.toml in $VISUAL / $EDITOR / vi, then validate it')
    .action(async () => {
      await kit.run('pretty', (session) => configEdit(session));
    });
  config
    .command('path')
    .description('List the config file the daemon reads and the environment variables it honours')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => configPathVerb(session, format));
    });
}
