import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';

/** Registers `astrid build`. */
export function register(program: Command, kit: CliKit): void {
  program
    .command('build')
    .description(
      'Build a TypeScript capsule project: typecheck, bundle, componentize (cached) and pack a .capsule',
    )
    .argument('[dir]', 'capsule project directory', '.')
    .option('-o, --out <dir>', 'where the .capsule archive goes (default <dir>/dist)')
    .option('--no-typecheck', 'skip tsc --noEmit')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (dir: string, opts: { out?: string; typecheck: boolean }, cmd: Command) => {
      const format = formatOf(cmd);
      // Loaded on use: the build toolchain (ComponentizeJS, esbuild, jco)
      // would otherwise cost every other verb its start-up time.
      const { buildVerb } = await import('./build.js');
      await kit.run(format, async () =>
        buildVerb(kit.io, dir, {
          typecheck: opts.typecheck,
          format,
          ...(opts.out === undefined ? {} : { out: opts.out }),
        }),
      );
    });
}
