import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { capsuleCheck } from './check.js';
import { capsuleConfig } from './config.js';
import { capsuleList } from './list.js';
import { capsuleRemove } from './remove.js';
import { capsuleShow } from './show.js';
import { capsuleTree } from './tree.js';

const FORMAT = ['--format <format>', 'output format: pretty, json, yaml or toml'] as const;

const collect = (value: string, previous: string[]) => [...previous, value];

/** Registers the `capsule` verbs. */
export function register(program: Command, kit: CliKit): void {
  const capsule = program.command('capsule').description('Install, inspect and manage capsules');
  capsule
    .command('check')
    .description('Validate a capsule directory (its Capsule.toml) without installing it')
    .argument('[dir]', 'capsule directory', '.')
    .option(...FORMAT)
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, async () => capsuleCheck(kit.io, dir, format));
    });

  capsule
    .command('install')
    .description(
      'Install a capsule from a directory or .capsule file (through the daemon when it runs: it is loaded live)',
    )
    .argument('<source>', 'capsule directory or .capsule archive')
    .option('-y, --yes', 'do not prompt for missing [env] values')
    .option(...FORMAT)
    .action(async (source: string, opts: { yes?: boolean }, cmd: Command) => {
      const format = formatOf(cmd);
      // Loaded on use (the component pipeline and tar), like `pack` below.
      const { capsuleInstall } = await import('./install.js');
      await kit.run(format, (session) =>
        capsuleInstall(session, source, { yes: opts.yes === true, format }),
      );
    });

  capsule
    .command('list')
    .description('List installed capsules and their state in the daemon')
    .option(...FORMAT)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      const verbose = (cmd.optsWithGlobals() as { verbose?: boolean }).verbose === true;
      await kit.run(format, (session) => capsuleList(session, { verbose, format }));
    });

  capsule
    .command('show')
    .description("Show an installed capsule's metadata and manifest")
    .argument('<name>', 'capsule name')
    .option(
      '-a, --agent <agent>',
      "look in this agent's capsules first (default: the active agent)",
    )
    .option(...FORMAT)
    .action(async (name: string, opts: { agent?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => capsuleShow(session, name, opts.agent, format));
    });

  capsule
    .command('tree')
    .alias('deps')
    .description('Show the dependency tree of installed capsules (imports → providers)')
    .option(...FORMAT)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => capsuleTree(session, format));
    });

  capsule
    .command('remove')
    .description('Remove an installed capsule (unloading it from the daemon when it runs)')
    .argument('<name>', 'capsule name')
    .option(
      '--force',
      'remove even if it is the sole provider of an interface another capsule imports',
    )
    .option('--purge', "also delete the capsule's env files and secrets")
    .option(...FORMAT)
    .action(async (name: string, opts: { force?: boolean; purge?: boolean }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) =>
        capsuleRemove(session, name, {
          force: opts.force === true,
          purge: opts.purge === true,
          format,
        }),
      );
    });

  capsule
    .command('config')
    .description("Show or set a capsule's [env] values (secrets go to the secret store)")
    .argument('<name>', 'capsule name')
    .option('--show', 'show the values (the default without --set)')
    .option('--set <KEY=VALUE>', 'set a value; KEY= removes it (repeatable)', collect, [])
    .option('-a, --agent <agent>', "this agent's own values instead of the global ones")
    .option(...FORMAT)
    .action(
      async (
        name: string,
        opts: { show?: boolean; set: string[]; agent?: string },
        cmd: Command,
      ) => {
        const format = formatOf(cmd);
        await kit.run(format, (session) =>
          capsuleConfig(session, name, {
            show: opts.show === true,
            set: opts.set,
            agent: opts.agent,
            format,
          }),
        );
      },
    );

  capsule
    .command('pack')
    .description('Pack a capsule directory into a .capsule archive')
    .argument('[dir]', 'capsule directory', '.')
    .option('-o, --output <file>', 'archive path or directory (default ./<name>-<version>.capsule)')
    .option(...FORMAT)
    .action(async (dir: string, opts: { output?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      const { capsulePack } = await import('./pack.js');
      await kit.run(format, async () => capsulePack(kit.io, dir, opts.output, format));
    });
}
