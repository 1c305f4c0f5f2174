import { randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AirlockExceptions } from '../capsule/engines/wasm/host/network/airlock-exceptions.js';
import { systemResolver } from '../capsule/engines/wasm/host/network/resolve-dial.js';
import { Sandbox } from '../capsule/engines/wasm/host/process/sandbox.js';
import { CapabilityCheck } from '../core/capabilities/capability-check.js';
import { AUDIT_READ_ALL } from '../core/capabilities/special-capabilities.js';
import type { Logger } from '../core/logger.js';
import { ASTRID_VERSION } from '../core/version.js';
import { eventMetadata } from '../events/astrid-event.js';
import { BusMonitor } from '../events/bus-monitor.js';
import { EventBus } from '../events/event-bus.js';
import { AuditLog } from '../storage/audit/audit-log.js';
import { StateDatabase } from '../storage/db/state-database.js';
import { WalCheckpointer } from '../storage/db/wal-checkpointer.js';
import type { AstridHome } from '../storage/home/astrid-home.js';
import { RuntimeKey } from '../storage/keys/runtime-key.js';
import { AdminRouter } from './admin/admin-router.js';
import { AdminService } from './admin/admin-service.js';
import { auditMethods } from './audit/audit-methods.js';
import { RequestAuditor } from './audit/request-auditor.js';
import { capsuleMethods } from './capsules/capsule-methods.js';
import { CapsuleService, type CapsuleServiceInit } from './capsules/capsule-service.js';
import type { DaemonConfig } from './config/daemon-config.js';
import type { RuntimeLimits } from './config/runtime-limits.js';
import { ConnectionTracker } from './connections/connection-tracker.js';
import { type DaemonStatus, shutdownMethod, statusMethod } from './requests/core-methods.js';
import { KernelRouter } from './requests/kernel-router.js';
import { runFiles } from './run-files.js';
import { newSessionToken, writeSessionToken } from './socket/session-token.js';
import { SingletonLock } from './socket/singleton-lock.js';
import { prepareSocketPath } from './socket/socket-path.js';
import { SocketServer } from './socket/socket-server.js';
import type { KernelState } from './state/kernel-state.js';
import { openKernelState } from './state/open-kernel-state.js';
import { IdleMonitor } from './tasks/idle-monitor.js';
import { idlePlan } from './tasks/idle-policy.js';
import { Watchdog } from './tasks/watchdog.js';

export { runFiles };

export const STATE_DB = 'astrid.db';

export interface KernelOptions {
  readonly home: AstridHome;
  readonly sessionId: string;
  readonly ephemeral: boolean;
  readonly config: DaemonConfig;
  readonly limits: RuntimeLimits;
  /** The directory capsules see as their project (workspace mounts). */
  readonly workspace: string;
  readonly logger: Logger;
  /** Reload capsules whose directories change on disk. */
  readonly watch?: boolean;
  /** The process sandbox; probed at boot when not given. */
  readonly sandbox?: Sandbox;
  /** Capsule runtime tuning (tests shorten the health interval and backoff). */
  readonly capsules?: Pick<
    CapsuleServiceInit,
    'healthIntervalMs' | 'restartPolicy' | 'dispatcherQueueIdleMs'
  >;
}

/** The kernel bus's broadcast ring: room for a burst of this many events before a slow subscriber lags. */
export const KERNEL_BUS_CAPACITY = 16_384;

/**
 * The daemon's kernel: state database, audit chain, bus, request routers,
 * socket server. `boot` runs the boot sequence and leaves the daemon ready;
 * `shutdown` undoes it, removing the socket, token and ready file.
 */
export class Kernel {
  readonly options: KernelOptions;
  readonly bus: EventBus;
  readonly state: KernelState;
  readonly connections: ConnectionTracker;
  readonly startedAt = Date.now();
  readonly instanceId = randomUUID();
  private readonly lock: SingletonLock;
  private readonly kernelRouter: KernelRouter;
  private readonly adminRouter: AdminRouter;
  private readonly socket: SocketServer;
  readonly capsules: CapsuleService;
  private readonly monitor: BusMonitor;
  private readonly watchdog = new Watchdog();
  private readonly idle = new IdleMonitor();
  private shuttingDown: Promise<void> | null = null;
  private readonly checkpointer: WalCheckpointer;
  private shutdownListeners: ((reason: string) => void)[] = [];

  private constructor(
    options: KernelOptions,
    lock: SingletonLock,
    bus: EventBus,
    state: KernelState,
    token: string,
    sandbox: Sandbox,
    checkpointer: WalCheckpointer,
  ) {
    this.checkpointer = checkpointer;
    this.options = options;
    this.lock = lock;
    this.bus = bus;
    this.state = state;
    const logger = options.logger;
    const auditor = new RequestAuditor(state.audit, bus, logger);
    this.connections = new ConnectionTracker(logger);
    // Session-only approvals end with the principal's last connection.
    this.connections.onLastDisconnect((principal) => state.allowances.clearSession(principal));
    this.kernelRouter = new KernelRouter({ state, auditor, bus, sessionId: options.sessionId });
    this.capsules = new CapsuleService({
      state,
      bus,
      limits: options.limits,
      workspace: options.workspace,
      sessionId: options.sessionId,
      logger,
      sandbox,
      network: {
        exceptions: AirlockExceptions.parse(options.config.network.airlockExceptions),
        resolver: systemResolver,
      },
      sessionToken: token,
      ...options.capsules,
    });
    this.kernelRouter.register(statusMethod(() => this.status()));
    this.kernelRouter.register(shutdownMethod((reason) => this.requestShutdown(reason)));
    for (const method of capsuleMethods(this.capsules)) this.kernelRouter.register(method);
    for (const method of auditMethods(state)) this.kernelRouter.register(method);
    this.adminRouter = new AdminRouter({
      state,
      service: new AdminService(state),
      auditor,
      bus,
      sessionId: options.sessionId,
    });
    this.socket = new SocketServer({
      bus,
      token,
      serverVersion: ASTRID_VERSION,
      sessionId: options.sessionId,
      logger,
      auditFirehose: (principal) => {
        try {
          return new CapabilityCheck(
            state.profileCache.resolveSync(principal),
            state.groups.current(),
            principal,
          ).has(AUDIT_READ_ALL);
        } catch {
          return false;
        }
      },
    });
    this.monitor = new BusMonitor({ logger: logger.child({ component: 'bus_monitor' }) });
  }

  /** Runs the boot sequence. Any failure undoes what was done and rethrows. */
  static async boot(options: KernelOptions): Promise<Kernel> {
    const { home, logger } = options;
    const files = runFiles(home);
    await home.ensure();
    const lock = SingletonLock.acquire(files.lock);
    const undo: (() => Promise<void> | void)[] = [() => lock.release()];
    try {
      const db = StateDatabase.open(join(home.varDir, STATE_DB));
      undo.push(() => db.close());
      const checkpointer = new WalCheckpointer(
        db.db,
        db.path,
        logger.child({ component: 'storage' }),
      );
      undo.push(() => checkpointer.stop());
      const key = await RuntimeKey.loadOrCreate(home.keysDir);
      const audit = await AuditLog.open(db, key, options.sessionId, (e, lost) =>
        logger.error({ err: (e as Error).message, lost }, 'could not store deferred audit rows'),
      );
      const verification = audit.verify();
      if (verification.valid) {
        logger.info(
          { entries: verification.entriesVerified, chains: verification.chains, key_id: key.keyId },
          'audit chain verified',
        );
      } else {
        logger.error(
          {
            security_event: true,
            first_issue: verification.firstIssue,
            issues: verification.issues.length,
          },
          'audit chain verification FAILED; the log may have been tampered with',
        );
      }
      const state = await openKernelState({ home, db, audit, logger });

      const bus = new EventBus({
        logger: logger.child({ component: 'bus' }),
        capacity: KERNEL_BUS_CAPACITY,
      });
      const token = newSessionToken();
      const sandbox = options.sandbox ?? (await Sandbox.probe(logger));
      const kernel = new Kernel(options, lock, bus, state, token, sandbox, checkpointer);
      kernel.connections.start(bus, options.sessionId);
      kernel.kernelRouter.start();
      kernel.adminRouter.start();
      kernel.monitor.start(bus);
      kernel.watchdog.start(bus);
      undo.push(() => kernel.stopServices());

      await rm(files.ready, { force: true });
      await prepareSocketPath(files.socket, logger);
      await kernel.socket.listen(files.socket);
      undo.push(() => removeRunFiles(home));
      await writeSessionToken(files.token, token);

      kernel.capsules.dispatcher.start();
      const report = await kernel.capsules.loadAll();
      logger.info(
        { loaded: report.loaded.length, failed: report.failed.length },
        'capsules booted',
      );
      kernel.capsules.startHealthMonitor();
      if (options.watch === true) kernel.capsules.startWatcher();

      const plan = idlePlan(options.ephemeral, options.config.daemon.idleTimeoutSecs);
      if (plan !== null) {
        kernel.idle.start(
          plan,
          () => kernel.connections.total() === 0,
          () => kernel.requestShutdown('idle_timeout'),
          logger,
        );
      }
      bus.publish({
        type: 'kernel_started',
        metadata: eventMetadata('kernel'),
        version: ASTRID_VERSION,
      });
      const ready = await open(files.ready, 'w', 0o600);
      await ready.close();
      logger.info(
        {
          session: options.sessionId,
          ephemeral: options.ephemeral,
          limits: options.limits,
          workspace: options.workspace,
          socket: files.socket,
        },
        `astrid daemon ${ASTRID_VERSION} ready`,
      );
      return kernel;
    } catch (e) {
      for (const step of undo.reverse()) {
        try {
          await step();
        } catch (cleanup) {
          logger.warn({ err: (cleanup as Error).message }, 'cleanup after a failed boot failed');
        }
      }
      throw e;
    }
  }

  status(): DaemonStatus {
    const byPrincipal = this.connections.byPrincipal();
    return {
      pid: process.pid,
      uptime_secs: Math.floor((Date.now() - this.startedAt) / 1000),
      version: ASTRID_VERSION,
      ephemeral: this.options.ephemeral,
      connected_clients: this.connections.total(),
      ...(byPrincipal.length === 0 ? {} : { connections_by_principal: byPrincipal }),
      loaded_capsules: this.capsules.registry.list().map((c) => c.id),
    };
  }

  /** Listeners learn that something (API, idle monitor) asked the daemon to stop. */
  onShutdownRequested(listener: (reason: string) => void): void {
    this.shutdownListeners.push(listener);
  }

  requestShutdown(reason: string): void {
    for (const l of this.shutdownListeners.splice(0)) l(reason);
  }

  /** Stops everything and removes the socket, token and ready file; the lock file stays. */
  shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= (async () => {
      const logger = this.options.logger;
      logger.info({ reason }, 'daemon shutting down');
      if (!this.bus.closed)
        this.bus.publish({ type: 'kernel_shutdown', metadata: eventMetadata('kernel'), reason });
      await this.stopServices();
      await this.state.audit.close();
      await this.checkpointer.stop();
      this.state.db.close();
      await removeRunFiles(this.options.home);
      this.lock.release();
      logger.info({ reason }, 'daemon stopped');
    })();
    return this.shuttingDown;
  }

  private async stopServices(): Promise<void> {
    this.idle.stop();
    this.watchdog.stop();
    this.monitor.stop();
    await this.socket.close();
    // Unloading kills every capsule's children (tool-call and persistent processes).
    await this.capsules.shutdown();
    await this.kernelRouter.stop();
    await this.adminRouter.stop();
    await this.connections.stop();
    this.bus.close();
  }
}

/** Removes the socket, token and ready file (idempotent). */
export async function removeRunFiles(home: AstridHome): Promise<void> {
  const files = runFiles(home);
  await Promise.all([files.socket, files.token, files.ready].map((f) => rm(f, { force: true })));
}
