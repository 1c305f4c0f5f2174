import type { CliIo } from '../../output.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { consoleLogPath, launchDaemon } from './daemon-launch.js';
import { probeSocket, removeStaleRunFiles } from './daemon-socket.js';

export interface StartOptions {
  readonly binDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly watch: boolean;
}

/** Spawns a persistent daemon for the session's home and reports it. */
export async function spawnAndReport(
  io: CliIo,
  session: CliSession,
  options: StartOptions,
): Promise<number> {
  const home = session.home;
  await home.ensure();
  const { pid } = await launchDaemon({
    home,
    binDir: options.binDir,
    env: options.env,
    workspace: process.cwd(),
    watch: options.watch,
  });
  say.ok(io, 'Astrid daemon started (persistent mode).');
  io.out(`  PID:     ${pid}\n`);
  io.out(`  Socket:  ${session.socketPath}\n`);
  io.out(`  Logs:    ${home.logDir} (startup output: ${consoleLogPath(home)})\n`);
  if (options.watch) io.out('  Watch:   capsules reload when their installed directory changes\n');
  return 0;
}

/** `astrid start [--watch]`. */
export async function startVerb(
  io: CliIo,
  session: CliSession,
  options: StartOptions,
): Promise<number> {
  const state = await probeSocket(session.socketPath);
  if (state === 'live') {
    say.warn(io, 'Astrid daemon is already running.');
    return 0;
  }
  if (state === 'stale') {
    removeStaleRunFiles(session.home);
    say.info(io, `Removed a stale daemon socket (${session.socketPath}).`);
  }
  return spawnAndReport(io, session, options);
}
