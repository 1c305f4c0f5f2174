import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { collectList } from '../../grammar/comma-list.js';
import { agentCurrent, agentSwitch } from './context.js';
import { agentCreate } from './create.js';
import { agentDelete } from './delete.js';
import { agentList } from './list.js';
import { agentModify } from './modify.js';
import { agentShow } from './show.js';
import { agentSetEnabled } from './toggle.js';

const FORMAT_HELP = 'output format: pretty, json, yaml or toml';

interface CreateFlags {
  group: string[];
  egress: string[];
  processAllow: string[];
  memory?: string;
  timeout?: string;
  storage?: string;
  processes?: string;
}

function yesFlag(cmd: Command): boolean {
  return (cmd.optsWithGlobals() as { yes?: boolean }).yes === true;
}

/** Registers the `agent` verbs. */
export function register(program: Command, kit: CliKit): void {
  const agent = program
    .command('agent')
    .description('Create, inspect and manage agents (principals)');

  agent
    .command('create')
    .description('Create an agent (default group: agent)')
    .argument('<name>', 'principal id: 1-64 of [A-Za-z0-9_-]')
    .option('--group <group>', 'group to join (repeatable, or comma-separated)', collectList, [])
    .option(
      '--egress <domains>',
      'grant network:egress:<domain> for each (comma-separated)',
      collectList,
      [],
    )
    .option(
      '--process-allow <commands>',
      'grant process:spawn:<command> for each (comma-separated)',
      collectList,
      [],
    )
    .option('--memory <size>', 'memory per WASM instance, e.g. 256MiB')
    .option('--timeout <duration>', 'wall-clock limit per capsule call, e.g. 5m (1s..1d)')
    .option('--storage <size>', 'total KV/storage, e.g. 1GiB')
    .option('--processes <n>', 'concurrent background processes (0..256)')
    .option('-y, --yes', 'do not ask before joining a group that holds *')
    .action(async (name: string, opts: CreateFlags, cmd: Command) => {
      await kit.run('pretty', (s) =>
        agentCreate(s, name, {
          group: opts.group,
          egress: opts.egress,
          processAllow: opts.processAllow,
          yes: yesFlag(cmd),
          ...(opts.memory === undefined ? {} : { memory: opts.memory }),
          ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
          ...(opts.storage === undefined ? {} : { storage: opts.storage }),
          ...(opts.processes === undefined ? {} : { processes: opts.processes }),
        }),
      );
    });

  agent
    .command('list')
    .description('List agents (sorted); non-admins see only themselves')
    .option('--group <group>', 'only agents in this group')
    .option('--format <format>', FORMAT_HELP)
    .action(async (opts: { group?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => agentList(s, opts.group, format));
    });

  agent
    .command('current')
    .description('Print the active agent')
    .action(async () => {
      await kit.run('pretty', (s) => agentCurrent(s));
    });

  agent
    .command('switch')
    .description('Make an agent the active agent (written to run/cli-context.toml)')
    .argument('<name>', 'agent to act as')
    .action(async (name: string) => {
      await kit.run('pretty', (s) => agentSwitch(s, name));
    });

  agent
    .command('show')
    .description('Show an agent: state, groups, grants, revokes, quotas')
    .argument('[name]', 'agent (default: the active agent)')
    .option('--format <format>', FORMAT_HELP)
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => agentShow(s, name, format));
    });

  agent
    .command('delete')
    .description('Delete an agent (its home directory is kept)')
    .argument('<name>', 'agent to delete')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await kit.run('pretty', (s) => agentDelete(s, name, yesFlag(cmd)));
    });

  agent
    .command('enable')
    .description('Enable a disabled agent')
    .argument('<name>', 'agent to enable')
    .action(async (name: string) => {
      await kit.run('pretty', (s) => agentSetEnabled(s, name, true));
    });

  agent
    .command('disable')
    .description('Disable an agent (all its requests are refused)')
    .argument('<name>', 'agent to disable')
    .action(async (name: string) => {
      await kit.run('pretty', (s) => agentSetEnabled(s, name, false));
    });

  agent
    .command('modify')
    .description("Change an agent's groups")
    .argument('<name>', 'agent to modify')
    .option(
      '--add-group <group>',
      'group to join (repeatable, or comma-separated)',
      collectList,
      [],
    )
    .option(
      '--remove-group <group>',
      'group to leave (repeatable, or comma-separated)',
      collectList,
      [],
    )
    .action(async (name: string, opts: { addGroup: string[]; removeGroup: string[] }) => {
      await kit.run('pretty', (s) => agentModify(s, name, opts.addGroup, opts.removeGroup));
    });
}
