import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AirlockExceptions } from '../capsule/engines/wasm/host/network/airlock-exceptions.js';
import { systemResolver } from '../capsule/engines/wasm/host/network/resolve-dial.js';
import { Sandbox } from '../capsule/engines/wasm/host/process/sandbox.js';
import { type Logger, type RecordedLine, recordingLogger } from '../core/logger.js';
import { EventBus } from '../events/event-bus.js';
import { CapsuleService } from '../kernel/capsules/capsule-service.js';
import { KERNEL_BUS_CAPACITY } from '../kernel/kernel.js';
import type { KernelState } from '../kernel/state/kernel-state.js';
import { openKernelState } from '../kernel/state/open-kernel-state.js';
import { AuditLog } from '../storage/audit/audit-log.js';
import { StateDatabase } from '../storage/db/state-database.js';
import { AstridHome } from '../storage/home/astrid-home.js';
import { RuntimeKey } from '../storage/keys/runtime-key.js';

/** Instances per capsule: enough for a few principals at once, small enough to start fast. */
export const TEST_POOL_SIZE = 4;

export interface TestKernelOptions {
  /** A fresh directory the kernel owns: the Astrid home and the workspace go under it. */
  readonly root: string;
  /**
   * A directory that keeps transpiled component artifacts between runs (the
   * home's `lib/` links to it), so an unchanged capsule loads without
   * transpiling again.
   */
  readonly artifactCache?: string;
}

/**
 * The daemon's capsule runtime without the daemon: a temporary home, a
 * kernel state over an in-memory SQLite database (the default principal
 * bootstrapped as the daemon does it), the event bus, and the kernel's own
 * `CapsuleService` (install, load, dispatcher). No socket, no health monitor.
 */
export class TestKernel {
  readonly home: AstridHome;
  readonly bus: EventBus;
  readonly state: KernelState;
  readonly capsules: CapsuleService;
  /** Everything the kernel and the capsules logged. */
  readonly lines: RecordedLine[];
  private readonly root: string;
  private closed = false;

  private constructor(
    root: string,
    home: AstridHome,
    bus: EventBus,
    state: KernelState,
    capsules: CapsuleService,
    lines: RecordedLine[],
  ) {
    this.root = root;
    this.home = home;
    this.bus = bus;
    this.state = state;
    this.capsules = capsules;
    this.lines = lines;
  }

  static async start(options: TestKernelOptions): Promise<TestKernel> {
    const home = new AstridHome(join(options.root, 'home'));
    await home.ensure();
    if (options.artifactCache !== undefined) {
      await mkdir(options.artifactCache, { recursive: true, mode: 0o700 });
      await symlink(options.artifactCache, home.libDir, 'dir');
    }
    const workspace = join(options.root, 'workspace');
    await mkdir(workspace, { recursive: true });
    const lines: RecordedLine[] = [];
    const logger: Logger = recordingLogger(lines);
    const db = StateDatabase.open(':memory:');
    const sessionId = randomUUID();
    const state = await openKernelState({
      home,
      db,
      audit: await AuditLog.open(db, RuntimeKey.fromSeed(randomBytes(32)), sessionId),
      logger,
    });
    const bus = new EventBus({ logger, capacity: KERNEL_BUS_CAPACITY });
    const capsules = new CapsuleService({
      state,
      bus,
      limits: {
        hostBlockingConcurrency: 2,
        hostIoConcurrency: 64,
        instancePoolSize: TEST_POOL_SIZE,
      },
      workspace,
      sessionId,
      logger,
      sandbox: await Sandbox.probe(logger),
      network: { exceptions: AirlockExceptions.parse([]), resolver: systemResolver },
      sessionToken: null,
    });
    capsules.dispatcher.start();
    return new TestKernel(options.root, home, bus, state, capsules, lines);
  }

  /** Unloads every capsule, closes the bus and the database, and deletes the root. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.capsules.shutdown();
    } finally {
      this.bus.close();
      await this.state.audit.close();
      this.state.db.close();
      await rm(this.root, { recursive: true, force: true });
    }
  }
}
