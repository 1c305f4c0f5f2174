import { Argument, type Command, Option } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { SHELLS, type Shell } from './completion-scripts.js';
import { completionsVerb } from './completions.js';
import { doctorVerb } from './doctor.js';
import { parseLineCount } from './log-lines.js';
import { logsVerb } from './logs.js';
import { psVerb } from './ps.js';
import { restartVerb } from './restart.js';
import { setupVerb } from './setup.js';
import { startVerb } from './start.js';
import { statusVerb } from './status.js';
import { stopVerb } from './stop.js';
import { parseInterval, parseIterations, topVerb } from './top.js';
import { versionVerb } from './version.js';
import { whoVerb } from './who.js';

const FORMAT_FLAG = '--format <format>';
const FORMAT_HELP = 'output format: pretty, json, yaml or toml';

/** Registers the daemon lifecycle and inspection verbs. */
export function register(program: Command, kit: CliKit): void {
  const launch = (watch: boolean | undefined) => ({
    binDir: kit.binDir,
    env: kit.env,
    watch: watch === true,
  });

  program
    .command('start')
    .description('Start the Astrid daemon in the background (persistent mode)')
    .option('--watch', 'reload a capsule when its installed directory changes')
    .action(async (opts: { watch?: boolean }, cmd: Command) => {
      await kit.run(formatOf(cmd), (session) => startVerb(kit.io, session, launch(opts.watch)));
    });

  program
    .command('stop')
    .description('Stop the running Astrid daemon (or clean up after a dead one)')
    .action(async (_opts: unknown, cmd: Command) => {
      await kit.run(formatOf(cmd), (session) => stopVerb(kit.io, session));
    });

  program
    .command('restart')
    .description('Stop the Astrid daemon, then start it again')
    .option('--watch', 'reload a capsule when its installed directory changes')
    .action(async (opts: { watch?: boolean }, cmd: Command) => {
      await kit.run(formatOf(cmd), (session) => restartVerb(kit.io, session, launch(opts.watch)));
    });

  program
    .command('status')
    .description('Show whether the daemon runs: PID, uptime, version, clients, capsules')
    .option(FORMAT_FLAG, FORMAT_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => statusVerb(kit.io, session, format));
    });

  program
    .command('logs')
    .description('Print the newest daemon log, or a capsule log, and optionally follow it')
    .argument('[capsule]', "a capsule's log instead of the daemon's")
    .option('-a, --agent <agent>', 'whose capsule log (default: the active agent)')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --lines <n>', 'how many lines to print', parseLineCount, 100)
    .action(
      async (
        capsule: string | undefined,
        opts: { agent?: string; follow?: boolean; lines: number },
        cmd: Command,
      ) => {
        await kit.run(formatOf(cmd), (session) =>
          logsVerb(kit.io, session, {
            capsule,
            agent: opts.agent,
            follow: opts.follow === true,
            lines: opts.lines,
          }),
        );
      },
    );

  program
    .command('ps')
    .description('List loaded capsules with their state, version, instances and interceptors')
    .option(FORMAT_FLAG, FORMAT_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => psVerb(kit.io, session, format));
    });

  program
    .command('top')
    .description('Daemon status and the capsule table; --watch refreshes it')
    .option(FORMAT_FLAG, FORMAT_HELP)
    .option('-w, --watch', 'refresh until Ctrl-C')
    .addOption(
      new Option('--interval <seconds>', 'seconds between refreshes with --watch')
        .argParser(parseInterval)
        .default(2000, '2'),
    )
    .option('-n, --iterations <n>', 'stop after n refreshes with --watch', parseIterations)
    .action(
      async (opts: { watch?: boolean; interval: number; iterations?: number }, cmd: Command) => {
        const format = formatOf(cmd);
        await kit.run(format, (session) =>
          topVerb(kit.io, session, format, {
            watch: opts.watch === true,
            intervalMs: opts.interval,
            iterations: opts.iterations ?? null,
          }),
        );
      },
    );

  program
    .command('who')
    .description('List the agents connected to the daemon')
    .option(FORMAT_FLAG, FORMAT_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => whoVerb(kit.io, session, format));
    });

  program
    .command('doctor')
    .description('Check the Astrid home, the daemon and the process sandbox')
    .option('--no-daemon', 'skip the round trip to the daemon')
    .option(FORMAT_FLAG, FORMAT_HELP)
    .action(async (opts: { daemon: boolean }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) =>
        doctorVerb(kit.io, session, format, { noDaemon: opts.daemon === false }),
      );
    });

  program
    .command('setup')
    .description(
      'Diagnose the Linux process sandbox (bubblewrap, prlimit, user namespaces) and print the fixes',
    )
    .option(FORMAT_FLAG, FORMAT_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, async () => setupVerb(kit.io, kit.env, format));
    });

  program
    .command('version')
    .description('Print the version, commit and target of this CLI')
    .option(FORMAT_FLAG, FORMAT_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, async () => versionVerb(kit.io, format));
    });

  program
    .command('completions')
    .description('Print a shell completion script')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .action(async (shell: Shell, _opts: unknown, cmd: Command) => {
      await kit.run(formatOf(cmd), async () => completionsVerb(kit.io, program, shell));
    });
}
