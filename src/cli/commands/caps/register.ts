import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { capsGrant, capsRevoke } from './change.js';
import { capsCheck } from './check.js';
import { capsShow } from './show.js';

/** Registers the `caps` verbs. */
export function register(program: Command, kit: CliKit): void {
  const caps = program.command('caps').description("Inspect and change an agent's capabilities");

  caps
    .command('show')
    .description('Show where each capability of an agent comes from')
    .argument('[name]', 'agent (default: the active agent)')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => capsShow(s, name, format));
    });

  caps
    .command('grant')
    .description('Grant capabilities to an agent directly')
    .argument('<name>', 'agent')
    .argument('<caps...>', 'capabilities, e.g. system:status or agent:*')
    .option('--unsafe-admin', "allow granting '*' (every capability)")
    .action(async (name: string, list: string[], opts: { unsafeAdmin?: boolean }) => {
      await kit.run('pretty', (s) => capsGrant(s, name, list, opts.unsafeAdmin === true));
    });

  caps
    .command('revoke')
    .description('Revoke capabilities from an agent (revokes beat grants and groups)')
    .argument('<name>', 'agent')
    .argument('<caps...>', 'capabilities or patterns to revoke')
    .action(async (name: string, list: string[]) => {
      await kit.run('pretty', (s) => capsRevoke(s, name, list));
    });

  caps
    .command('check')
    .description('Check whether an agent holds a capability (exit 0 allowed, 1 denied)')
    .argument('<name>', 'agent')
    .argument('<capability>', 'capability to check, e.g. agent:create')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (name: string, capability: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => capsCheck(s, name, capability, format));
    });
}
