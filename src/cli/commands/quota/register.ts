import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import type { QuotaFlags } from './quota-flags.js';
import { quotaSet } from './set.js';
import { quotaShow } from './show.js';

interface SetFlags {
  agent?: string;
  memory?: string;
  timeout?: string;
  storage?: string;
  processes?: string;
  ipcRate?: string;
  cpuFuel?: string;
}

function quotaFlags(opts: SetFlags): QuotaFlags {
  const out: { -readonly [K in keyof QuotaFlags]: string } = {};
  for (const key of ['memory', 'timeout', 'storage', 'processes', 'ipcRate', 'cpuFuel'] as const) {
    const value = opts[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Registers the `quota` verbs. */
export function register(program: Command, kit: CliKit): void {
  const quota = program.command('quota').description('Show and set per-agent resource quotas');

  quota
    .command('show')
    .description('Show the quotas and usage of an agent')
    .option('-a, --agent <name>', 'agent (default: the active agent)')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (opts: { agent?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (s) => quotaShow(s, opts.agent, format));
    });

  quota
    .command('set')
    .description('Change quotas of an agent (fields not given are kept)')
    .option('-a, --agent <name>', 'agent (default: the active agent)')
    .option('--memory <size>', 'memory per WASM instance, e.g. 256MiB or 1.5GB')
    .option(
      '--timeout <duration>',
      'wall-clock limit per capsule call, e.g. 90, 5m, 1h30m (1s..1d)',
    )
    .option('--storage <size>', 'total KV/storage, e.g. 1GiB')
    .option('--processes <n>', 'concurrent background processes (0..256)')
    .option('--ipc-rate <rate>', 'IPC bytes published per second, e.g. 1MB/s')
    .option('--cpu-fuel <n>', 'WASM fuel per second, e.g. 2_000_000_000')
    .action(async (opts: SetFlags) => {
      await kit.run('pretty', (s) => quotaSet(s, opts.agent, quotaFlags(opts)));
    });
}
