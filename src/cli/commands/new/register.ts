import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { newCapsule } from './new-capsule.js';

/** Registers `astrid new`. */
export function register(program: Command, kit: CliKit): void {
  const create = program.command('new').description('Create a new project from a template');
  create
    .command('capsule')
    .description(
      'Create a TypeScript capsule project (manifest, source, a test using @astrid/sdk/testing) and install its dependencies',
    )
    .argument('<name>', 'capsule name: lowercase letters, digits and -')
    .option('--dir <dir>', 'project directory (default ./<name>); must be empty or absent')
    .option('--no-install', 'do not run npm install')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (name: string, opts: { dir?: string; install: boolean }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, async () =>
        newCapsule(kit.io, name, {
          install: opts.install,
          format,
          env: kit.env,
          ...(opts.dir === undefined ? {} : { dir: opts.dir }),
        }),
      );
    });
}
