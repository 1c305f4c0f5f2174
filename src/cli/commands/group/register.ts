import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { collectList } from '../../grammar/comma-list.js';
import { groupCreate } from './create.js';
import { groupDelete } from './delete.js';
import { groupList } from './list.js';
import { groupModify } from './modify.js';
import { groupShow } from './show.js';

const FORMAT_HELP = 'output format: pretty, json, yaml or toml';

/** Registers the `group` verbs. */
export function register(program: Command, kit: CliKit): void {
  const group = program
    .command('group')
    .description('Create, inspect and manage capability groups');

  group
    .command('create')
    .description('Create a custom group')
    .argument('<name>', 'group name: 1-64 of [A-Za-z0-9_-]')
    .option('--caps <caps>', 'capabilities (comma-separated, repeatable)', collectList, [])
    .option('--description <text>', 'what the group is for')
    .option('--unsafe-admin', "allow '*' (every capability) in this group")
    .action(
      async (
        name: string,
        opts: { caps: string[]; description?: string; unsafeAdmin?: boolean },
      ) => {
        await kit.run('pretty', (s) =>
          groupCreate(s, name, {
            caps: opts.caps,
            unsafeAdmin: opts.unsafeAdmin === true,
            ...(opts.description === undefined ? {} : { description: opts.description }),
          }),
        );
      },
    );

  group
    .command('show')
    .description('Show one group')
    .argument('<name>', 'group name')
    .option('--format <format>', FORMAT_HELP)
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => groupShow(s, name, format));
    });

  group
    .command('list')
    .description('List built-in and custom groups')
    .option('--format <format>', FORMAT_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => groupList(s, format));
    });

  group
    .command('delete')
    .description('Delete a custom group')
    .argument('<name>', 'group name')
    .action(async (name: string) => {
      await kit.run('pretty', (s) => groupDelete(s, name));
    });

  group
    .command('modify')
    .description("Change a custom group's capabilities or description")
    .argument('<name>', 'group name')
    .option(
      '--add-caps <caps>',
      'capabilities to add (comma-separated, repeatable)',
      collectList,
      [],
    )
    .option(
      '--remove-caps <caps>',
      'capabilities to remove (comma-separated, repeatable)',
      collectList,
      [],
    )
    .option('--description <text>', 'new description ("" clears it)')
    .option('--unsafe-admin', "allow '*' (every capability) in this group")
    .action(
      async (
        name: string,
        opts: {
          addCaps: string[];
          removeCaps: string[];
          description?: string;
          unsafeAdmin?: boolean;
        },
      ) => {
        await kit.run('pretty', (s) =>
          groupModify(s, name, {
            addCaps: opts.addCaps,
            removeCaps: opts.removeCaps,
            unsafeAdmin: opts.unsafeAdmin === true,
            ...(opts.description === undefined ? {} : { description: opts.description }),
          }),
        );
      },
    );
}
