import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { capsuleCheck } from './check.js';

/** Registers the `capsule` verbs. */
export function register(program: Command, kit: CliKit): void {
  const capsule = program.command('capsule').description('Install, inspect and manage capsules');
  capsule
    .command('check')
    .description('Validate a capsule directory (its Capsule.toml) without installing it')
    .argument('[dir]', 'capsule directory', '.')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, async () => capsuleCheck(kit.io, dir, format));
    });
}
