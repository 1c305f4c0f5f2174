import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isAstridError } from '../../core/errors.js';
import { ASTRID_VERSION } from '../../core/version.js';
import {
  type LoadedGatewayConfig,
  loadGatewayConfig,
} from '../../gateway/config/load-gateway-config.js';
import { type RunningGateway, startGateway } from '../../gateway/gateway-service.js';
import { loadDaemonConfig } from '../../kernel/config/load-config.js';
import { hostRuntimeLimits } from '../../kernel/config/runtime-limits.js';
import { Kernel, runFiles } from '../../kernel/kernel.js';
import { createDaemonLogger } from '../../kernel/logging/daemon-logger.js';
import { NIL_SESSION } from '../../storage/audit/audit-entry.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import { EXIT } from '../exit-codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function positiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      throw new InvalidArgumentError(
        `${flag} must be >= 1 (got ${JSON.stringify(value)}); omit it for the host-derived default`,
      );
    }
    return Number(value);
  };
}

function sessionUuid(value: string): string {
  if (!UUID.test(value))
    throw new InvalidArgumentError(`--session must be a UUID (got ${JSON.stringify(value)})`);
  return value.toLowerCase();
}

interface DaemonFlags {
  session: string;
  workspace: string;
  ephemeral?: boolean;
  verbose?: boolean;
  watch?: boolean;
  hostIoConcurrency?: number;
  hostBlockingConcurrency?: number;
  instancePoolSize?: number;
}

export function daemonProgram(): Command {
  return new Command('astrid-daemon')
    .description(
      'The Astrid kernel: hosts capsules for many principals, serves the admin API on $ASTRID_HOME/run/system.sock, and audits every request.\nConfiguration: $ASTRID_HOME/etc/config.toml, ASTRID_* environment variables and these flags (flag > file > environment > default). Logs go to $ASTRID_HOME/log/.',
    )
    .version(ASTRID_VERSION, '-V, --version')
    .option('-s, --session <uuid>', 'session id stamped on audit entries', sessionUuid, NIL_SESSION)
    .option(
      '-w, --workspace <dir>',
      'workspace directory capsules see as their project',
      process.cwd(),
    )
    .option('--ephemeral', 'shut down after 30 s (or daemon.idle_timeout_secs) without clients')
    .option('-v, --verbose', 'debug-level logging')
    .option(
      '--watch',
      'reload a capsule when its installed directory changes (config: daemon.watch)',
    )
    .option(
      '--host-io-concurrency <n>',
      'concurrent network host operations (default: from the host)',
      positiveInt('--host-io-concurrency'),
    )
    .option(
      '--host-blocking-concurrency <n>',
      'concurrent blocking host operations (default: from the host)',
      positiveInt('--host-blocking-concurrency'),
    )
    .option(
      '--instance-pool-size <n>',
      'maximum instances per pooled capsule (default: from the host)',
      positiveInt('--instance-pool-size'),
    )
    .showHelpAfterError()
    .exitOverride();
}

function fail(message: string): number {
  process.stderr.write(`✗ error: ${message}\n`);
  return EXIT.failure;
}

/** Boots the daemon and serves until a signal, an API shutdown or idleness; returns the exit status. */
export async function daemonMain(argv: readonly string[]): Promise<number> {
  const program = daemonProgram();
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  const flags = program.opts<DaemonFlags>();
  let home: AstridHome;
  try {
    home = AstridHome.fromEnv();
  } catch (e) {
    return fail((e as Error).message);
  }
  const workspace = resolve(flags.workspace);
  try {
    if (!statSync(workspace).isDirectory())
      return fail(`--workspace ${workspace} is not a directory`);
  } catch {
    return fail(`--workspace ${workspace} does not exist`);
  }
  let resolved: Awaited<ReturnType<typeof loadDaemonConfig>>;
  try {
    await home.ensure();
    resolved = await loadDaemonConfig(home, process.env, {
      ...(flags.verbose ? { 'logging.level': 'debug' } : {}),
      ...(flags.watch ? { 'daemon.watch': true } : {}),
      ...(flags.hostIoConcurrency === undefined
        ? {}
        : { 'capsule.host_io_concurrency': flags.hostIoConcurrency }),
      ...(flags.hostBlockingConcurrency === undefined
        ? {}
        : { 'capsule.host_blocking_concurrency': flags.hostBlockingConcurrency }),
      ...(flags.instancePoolSize === undefined
        ? {}
        : { 'capsule.instance_pool_size': flags.instancePoolSize }),
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  // A broken gateway config refuses the boot before anything starts.
  let gatewayConfig: LoadedGatewayConfig;
  try {
    gatewayConfig = await loadGatewayConfig(home);
  } catch (e) {
    return fail(`gateway: ${(e as Error).message}`);
  }
  const { config } = resolved;
  const log = createDaemonLogger(home.logDir, config.logging.level, config.logging.format);
  const logger = log.logger;
  const files = runFiles(home);
  let kernel: Kernel | null = null;

  // Last resort on any exit path: never leave a socket or token behind.
  const cleanupSync = () => {
    if (kernel === null) return;
    for (const f of [files.socket, files.token, files.ready]) rmSync(f, { force: true });
  };
  process.once('exit', cleanupSync);
  const crash = (what: string) => (e: unknown) => {
    logger.error({ err: e instanceof Error ? e.stack : String(e) }, `daemon crashed: ${what}`);
    process.stderr.write(
      `✗ error: astrid-daemon crashed (${what}): ${e instanceof Error ? e.message : String(e)}\n`,
    );
    cleanupSync();
    log.close();
    process.exit(EXIT.failure);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));

  try {
    kernel = await Kernel.boot({
      home,
      sessionId: flags.session,
      ephemeral: flags.ephemeral === true,
      config,
      limits: hostRuntimeLimits(config),
      workspace,
      logger,
      watch: config.daemon.watch,
    });
  } catch (e) {
    if (isAstridError(e)) logger.error({ code: e.code, err: e.message }, 'boot failed');
    else logger.error({ err: e instanceof Error ? e.stack : String(e) }, 'boot failed');
    log.close();
    const message = isAstridError(e) ? e.message : `boot failed: ${(e as Error).message}`;
    return fail(message);
  }
  const running = kernel;
  let gateway: RunningGateway | null;
  try {
    gateway = await startGateway(running, logger, gatewayConfig);
  } catch (e) {
    const message = `gateway: ${(e as Error).message}`;
    logger.error(
      { code: isAstridError(e) ? e.code : 'internal', err: message },
      'gateway failed to start; refusing to run without it',
    );
    try {
      await running.shutdown('gateway_failed');
    } catch (shutdown) {
      logger.error({ err: (shutdown as Error).stack }, 'shutdown failed');
      cleanupSync();
    }
    kernel = null;
    log.close();
    return fail(message);
  }
  process.stderr.write(
    `astrid-daemon ${ASTRID_VERSION} ready (pid ${process.pid}, socket ${files.socket}${gateway === null ? '' : `, gateway ${gateway.url}`}, log ${log.file.currentPath})\n`,
  );

  const reason = await new Promise<string>((done) => {
    running.onShutdownRequested(done);
    process.once('SIGINT', () => done('signal'));
    process.once('SIGTERM', () => done('signal'));
  });
  try {
    await gateway?.stop();
  } catch (e) {
    logger.error({ err: (e as Error).stack }, 'gateway stop failed');
  }
  try {
    await running.shutdown(reason);
  } catch (e) {
    logger.error({ err: (e as Error).stack }, 'shutdown failed');
    cleanupSync();
    log.close();
    return EXIT.failure;
  }
  kernel = null;
  log.close();
  return EXIT.ok;
}
