import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { workspaceApply, workspaceDiff } from './workspace.js';

const FORMAT = ['--format <format>', 'output format: pretty, json, yaml or toml'] as const;

/** Registers the `workspace` verbs. */
export function register(program: Command, kit: CliKit): void {
  const workspace = program
    .command('workspace')
    .description('Review, apply or drop the changes capsules made to their view of the workspace');
  workspace
    .command('diff')
    .description('List pending workspace changes (of one capsule, or of all)')
    .argument('[capsule]', 'capsule name')
    .option(...FORMAT)
    .action(async (capsule: string | undefined, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => workspaceDiff(session, capsule, format));
    });
  for (const action of ['commit', 'discard'] as const) {
    workspace
      .command(action)
      .description(
        action === 'commit'
          ? "Apply a capsule's pending changes to the workspace"
          : "Drop a capsule's pending changes",
      )
      .argument('<capsule>', 'capsule name')
      .option('-y, --yes', 'do not ask for confirmation')
      .option(...FORMAT)
      .action(async (capsule: string, opts: { yes?: boolean }, cmd: Command) => {
        const format = formatOf(cmd);
        await kit.run(format, (session) =>
          workspaceApply(session, action, capsule, { yes: opts.yes === true, format }),
        );
      });
  }
}
