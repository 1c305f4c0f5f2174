import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Counter } from 'prom-client';
import { Counter as PromCounter } from 'prom-client';
import { planBoot } from '../../capsule/discovery/boot-order.js';
import {
  type DiscoveredCapsule,
  discoverCapsules,
} from '../../capsule/discovery/discover-capsules.js';
import { Dispatcher } from '../../capsule/dispatch/dispatcher.js';
import { StaticEngine } from '../../capsule/engines/static/static-engine.js';
import { WorkspaceOverlays } from '../../capsule/engines/wasm/host/fs/workspace-overlays.js';
import type {
  KernelServices,
  NetworkPolicy,
} from '../../capsule/engines/wasm/host/kernel-services.js';
import type { Sandbox } from '../../capsule/engines/wasm/host/process/sandbox.js';
import { Semaphore } from '../../capsule/engines/wasm/host/semaphore.js';
import { wasmLifecycleRunner } from '../../capsule/engines/wasm/lifecycle-hook.js';
import { WasmEngine } from '../../capsule/engines/wasm/wasm-engine.js';
import { preloadEnv } from '../../capsule/env/preload-env.js';
import { resolveEnv } from '../../capsule/env/resolve-env.js';
import {
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
  type RestartTracker,
  restartDecision,
} from '../../capsule/health/restart-policy.js';
import { installFromArchive } from '../../capsule/install/install-archive.js';
import { type InstallOutput, installFromDirectory } from '../../capsule/install/install-capsule.js';
import { type RemoveOutput, removeCapsule } from '../../capsule/install/remove-capsule.js';
import { loadManifest } from '../../capsule/manifest/load-manifest.js';
import type { CapsuleManifest } from '../../capsule/manifest/manifest.js';
import { CapsuleRegistry } from '../../capsule/registry/capsule-registry.js';
import { LoadedCapsule } from '../../capsule/registry/loaded-capsule.js';
import { SchemaCatalog } from '../../capsule/schema/schema-catalog.js';
import { CapsuleWatcher } from '../../capsule/watch/capsule-watcher.js';
import { AstridError } from '../../core/errors.js';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { DEFAULT_PRINCIPAL } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import { ipcEvent } from '../../events/astrid-event.js';
import type { EventBus } from '../../events/event-bus.js';
import { ipcMessage, SYSTEM_SESSION_UUID } from '../../events/ipc-message.js';
import { rawJson } from '../../events/ipc-payload.js';
import { resolveCapsuleSecret } from '../../storage/secrets/capsule-secrets.js';
import type { RuntimeLimits } from '../config/runtime-limits.js';
import { runFiles } from '../run-files.js';
import type { KernelState } from '../state/kernel-state.js';

export const CAPSULES_LOADED_TOPIC = 'astrid.v1.capsules_loaded';
export const HEALTH_FAILED_TOPIC = 'astrid.v1.health.failed';
export const ONBOARDING_TOPIC = 'astrid.v1.onboarding.required';
export const READY_WAIT_MS = 500;
export const HEALTH_INTERVAL_MS = 10_000;
export const RESTART_ACTION = 'handle_lifecycle_restart';

export interface CapsuleFailure {
  readonly dir: string;
  readonly reason: string;
  readonly at: number;
}

export interface BootReport {
  readonly loaded: CapsuleId[];
  readonly failed: { readonly id: CapsuleId; readonly reason: string }[];
  readonly cycle: readonly CapsuleId[] | null;
}

export interface CapsuleServiceInit {
  readonly state: KernelState;
  readonly bus: EventBus;
  readonly limits: RuntimeLimits;
  readonly workspace: string;
  readonly sessionId: string;
  readonly logger: Logger;
  readonly healthIntervalMs?: number;
  readonly restartPolicy?: RestartPolicy;
  readonly dispatcherQueueIdleMs?: number;
  /** The process sandbox capsules' children run in. */
  readonly sandbox: Sandbox;
  readonly network: NetworkPolicy;
  /** The daemon's session token (clients of capsule Unix listeners present it). */
  readonly sessionToken: string | null;
}

/**
 * The kernel's capsules: discovery and dependency-ordered boot, loading one
 * capsule (env preload and resolution, engines, registration), live install,
 * upgrade, reload and removal, the health monitor with restarts, and the
 * optional file watcher. The dispatcher delivers bus events to the loaded
 * capsules' interceptors.
 */
export class CapsuleService {
  readonly registry = new CapsuleRegistry();
  readonly catalog: SchemaCatalog;
  readonly dispatcher: Dispatcher;
  /** Capsules that failed to load (not registered), by id. */
  readonly failures = new Map<CapsuleId, CapsuleFailure>();
  /** Each capsule's copy-on-write view of the workspace (`var/overlays/<capsule>/`). */
  readonly overlays: WorkspaceOverlays;
  private readonly init: CapsuleServiceInit;
  private readonly logger: Logger;
  private readonly restartTrackers = new Map<CapsuleId, RestartTracker>();
  private readonly restarting = new Set<CapsuleId>();
  private readonly gaveUp = new Set<CapsuleId>();
  private healthTimer: NodeJS.Timeout | null = null;
  private watcher: CapsuleWatcher | null = null;
  private nextBootIndex = 0;
  private readonly healthTicks: Counter<'loop'>;
  private closed = false;
  /** One I/O semaphore for every capsule (the host's network waits). */
  private readonly io: Semaphore;

  constructor(init: CapsuleServiceInit) {
    this.init = init;
    this.io = new Semaphore(init.limits.hostIoConcurrency);
    this.logger = init.logger.child({ component: 'capsules' });
    this.catalog = new SchemaCatalog(this.logger);
    this.overlays = new WorkspaceOverlays(init.workspace, join(init.state.home.varDir, 'overlays'));
    this.dispatcher = new Dispatcher(init.bus, this.registry, init.logger, {
      ...(init.dispatcherQueueIdleMs === undefined
        ? {}
        : { queueIdleMs: init.dispatcherQueueIdleMs }),
    });
    const existing = init.bus.registry.getSingleMetric('astrid_daemon_background_ticks_total') as
      | Counter<'loop'>
      | undefined;
    this.healthTicks =
      existing ??
      new PromCounter({
        name: 'astrid_daemon_background_ticks_total',
        help: 'Background loop iterations of the daemon.',
        labelNames: ['loop'],
        registers: [init.bus.registry],
      });
  }

  /** Installed-capsule roots in priority order: the principal's, then the workspace's. */
  roots(): string[] {
    return [
      this.init.state.home.defaultPrincipal.capsulesDir,
      join(this.init.workspace, '.astrid', 'capsules'),
    ];
  }

  /**
   * Boots every installed capsule not yet loaded: discovery, dependency
   * order, uplinks first, each group loaded one at a time and then given
   * 500 ms to signal readiness; finally `astrid.v1.capsules_loaded`.
   */
  async loadAll(): Promise<BootReport> {
    const discovered = await discoverCapsules(this.roots(), this.logger);
    const plan = planBoot(discovered.map((d) => d.manifest));
    const byId = new Map(discovered.map((d) => [d.id, d]));
    const failed: { id: CapsuleId; reason: string }[] = [];
    for (const [id, reason] of plan.unsatisfied) {
      this.logger.error({ capsule: id }, reason);
      if (!this.registry.has(id)) {
        this.failures.set(id, { dir: byId.get(id)?.dir ?? '', reason, at: Date.now() });
        failed.push({ id, reason });
      }
    }
    if (plan.cycle !== null) {
      this.logger.error(
        { involved: plan.cycle },
        `dependency cycle detected (involved nodes): ${plan.cycle.join(', ')}; booting in discovery order`,
      );
    }
    for (const d of plan.duplicateExports) {
      this.logger.warn(
        { interface: d.iface, capsules: d.capsules },
        'interface exported by several capsules: events may be handled twice',
      );
    }
    for (const o of plan.unmetOptional)
      this.logger.info({ import: o }, 'optional import not provided');
    const ordered = plan.order.map((id) => byId.get(id) as DiscoveredCapsule);
    for (const c of ordered) {
      if (c.manifest.capabilities.uplink && c.manifest.imports.length > 0) {
        this.logger.warn({ capsule: c.id }, 'uplink capsule declares imports');
      }
    }
    const loaded: CapsuleId[] = [];
    const isUplink = (c: DiscoveredCapsule) =>
      c.manifest.capabilities.uplink || c.manifest.uplinks.length > 0;
    for (const group of [ordered.filter(isUplink), ordered.filter((c) => !isUplink(c))]) {
      const started: LoadedCapsule[] = [];
      for (const c of group) {
        if (this.registry.has(c.id)) continue;
        try {
          started.push(await this.loadDiscovered(c));
          loaded.push(c.id);
        } catch (e) {
          failed.push({ id: c.id, reason: (e as Error).message });
        }
      }
      await Promise.all(
        started.map(async (c) => {
          const status = await c.waitReady(READY_WAIT_MS);
          if (status === 'timeout')
            this.logger.warn({ capsule: c.id }, 'capsule did not signal ready within timeout');
          else if (status === 'crashed')
            this.logger.error({ capsule: c.id }, 'run loop exited before signaling ready');
        }),
      );
    }
    this.init.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: CAPSULES_LOADED_TOPIC,
          payload: rawJson({ status: 'ready' }),
          sourceId: this.init.sessionId,
        }),
        'kernel',
        this.init.sessionId,
      ),
    );
    void this.warmUp(loaded);
    return { loaded, failed, cycle: plan.cycle };
  }

  /** Fills each capsule's instance pool, one capsule at a time, after the boot. */
  private async warmUp(ids: readonly CapsuleId[]): Promise<void> {
    for (const id of ids) {
      if (this.closed) return;
      await this.registry.get(id)?.warmUp();
    }
  }

  /** Loads the capsule in `dir` (idempotent: a registered id is returned as is). */
  async loadDir(dir: string): Promise<LoadedCapsule> {
    const { manifest } = await loadManifest(dir);
    const existing = this.registry.get(manifest.package.name);
    if (existing !== undefined) return existing;
    const capsule = await this.loadDiscovered({
      id: manifest.package.name,
      dir: resolve(dir),
      manifest,
    });
    void capsule.warmUp();
    return capsule;
  }

  private async loadDiscovered(c: DiscoveredCapsule): Promise<LoadedCapsule> {
    try {
      const capsule = await this.build(c.dir, c.manifest);
      await capsule.load();
      this.registry.register(capsule);
      this.catalog.register(c.manifest);
      this.failures.delete(c.id);
      await this.watcher?.remember(c.dir);
      this.logger.info(
        { capsule: c.id, version: c.manifest.package.version, run_loop: capsule.isRunLoop },
        'capsule loaded',
      );
      return capsule;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.failures.set(c.id, { dir: c.dir, reason, at: Date.now() });
      this.logger.error({ capsule: c.id, err: reason }, 'capsule failed to load');
      throw e;
    }
  }

  private async build(dir: string, manifest: CapsuleManifest): Promise<LoadedCapsule> {
    const { state, bus } = this.init;
    const id = manifest.package.name;
    const stdio = manifest.mcpServers.filter((s) => s.type === 'stdio');
    if (stdio.length > 0) {
      throw new AstridError(
        'unavailable',
        `capsule '${id}' declares stdio MCP servers (${stdio.map((s) => s.id).join(', ')}); this build does not run MCP server capsules`,
      );
    }
    const kv = state.kv.scoped(`${DEFAULT_PRINCIPAL}:capsule:${id}`);
    await preloadEnv(state.home.envFile(id), dir, kv, this.logger);
    const secretsSet = new Set<string>();
    for (const def of manifest.env.filter((e) => e.kind === 'secret')) {
      if (
        (await resolveCapsuleSecret(state.home, DEFAULT_PRINCIPAL, id, def.key).catch(
          () => null,
        )) !== null
      )
        secretsSet.add(def.key);
    }
    const env = resolveEnv(
      manifest,
      (k) => kv.get(k),
      (k) => secretsSet.has(k),
    );
    if (env.onboarding.length > 0) {
      this.logger.warn(
        { capsule: id, keys: env.onboarding.map((f) => f.key) },
        'capsule needs configuration; loading with empty defaults',
      );
      bus.publish(
        ipcEvent(
          ipcMessage({
            topic: ONBOARDING_TOPIC,
            payload: { type: 'onboarding_required', capsule_id: id, fields: [...env.onboarding] },
            sourceId: SYSTEM_SESSION_UUID,
          }),
          'kernel',
        ),
      );
    }
    const config = new Map<string, string>([
      ['ASTRID_SOCKET_PATH', runFiles(state.home).socket],
      ...env.values,
    ]);
    const wasm =
      manifest.components.length === 0
        ? null
        : new WasmEngine({
            capsuleDir: dir,
            manifest,
            home: state.home,
            bus,
            owner: DEFAULT_PRINCIPAL,
            profiles: state.profileCache,
            groups: () => state.groups.current(),
            ledgers: state.ledgers,
            limits: { poolMax: this.init.limits.instancePoolSize },
            config,
            registry: this.registry,
            logger: this.init.logger,
            metrics: bus.registry,
            services: this.services(),
          });
    return new LoadedCapsule({
      dir,
      manifest,
      wasm,
      statics: new StaticEngine(dir, manifest),
      bootIndex: this.nextBootIndex++,
      logger: this.logger,
    });
  }

  /** Whether a capsule has an overlay directory (pending workspace changes may exist). */
  overlayExists(id: CapsuleId): boolean {
    return existsSync(join(this.overlays.root, id));
  }

  /** The kernel services a capsule's host functions use (a fresh blocking semaphore per capsule). */
  private services(): KernelServices {
    const { state } = this.init;
    return {
      kv: state.kv,
      identity: state.identity,
      allowances: state.allowances,
      audit: state.audit,
      workspace: this.init.workspace,
      overlays: this.overlays,
      blocking: new Semaphore(this.init.limits.hostBlockingConcurrency),
      io: this.io,
      network: this.init.network,
      sandbox: this.init.sandbox,
      sessionToken: this.init.sessionToken,
    };
  }

  /** Unregisters and unloads a capsule (its queued events are dropped). */
  async unload(id: CapsuleId): Promise<LoadedCapsule> {
    const capsule = this.registry.unregister(id);
    this.dispatcher.forget(id);
    this.catalog.unregister(id);
    await capsule.unload();
    this.logger.info({ capsule: id }, 'capsule unloaded');
    return capsule;
  }

  /** Unloads (if loaded) and loads a capsule again from its directory. */
  async reload(id: CapsuleId): Promise<LoadedCapsule> {
    const current = this.registry.get(id);
    const dir = current?.dir ?? this.failures.get(id)?.dir;
    if (dir === undefined || dir === '')
      throw new AstridError('not-found', `capsule ${id} is not installed`);
    if (current !== undefined) await this.unload(id);
    return this.loadDir(dir);
  }

  /** Reloads every failed capsule and loads anything newly installed. */
  async reloadAll(): Promise<BootReport> {
    this.failures.clear();
    return this.loadAll();
  }

  /**
   * Installs from a local directory or `.capsule` archive (never from the
   * network), running lifecycle hooks, then makes it live: a new capsule is
   * loaded, an upgrade replaces the running one.
   */
  async install(source: string): Promise<InstallOutput> {
    const { state, bus } = this.init;
    const path = resolve(source.startsWith('file://') ? source.slice('file://'.length) : source);
    if (!existsSync(path)) throw new AstridError('not-found', `nothing to install at ${path}`);
    const options = {
      lifecycle: wasmLifecycleRunner({
        home: state.home,
        bus,
        owner: DEFAULT_PRINCIPAL,
        profiles: state.profileCache,
        logger: this.init.logger,
        services: this.services(),
        groups: () => state.groups.current(),
      }),
      logger: this.init.logger,
    };
    const out = path.toLowerCase().endsWith('.capsule')
      ? await installFromArchive(path, state.home, options)
      : await installFromDirectory(path, state.home, options);
    if (this.registry.has(out.capsule)) await this.unload(out.capsule);
    this.failures.delete(out.capsule);
    await this.loadDir(out.targetDir);
    return out;
  }

  /** Unloads and removes an installed capsule (blocked while it is another's sole provider, unless forced). */
  async remove(
    name: string,
    options: { force?: boolean; purge?: boolean } = {},
  ): Promise<RemoveOutput> {
    const out = await removeCapsule(name, this.init.state.home, {
      ...options,
      beforeDelete: async () => {
        const id = name as CapsuleId;
        if (this.registry.has(id)) await this.unload(id);
      },
    });
    this.failures.delete(out.capsule as CapsuleId);
    return out;
  }

  /** Checks every ready capsule every `healthIntervalMs` and restarts failed ones with backoff. */
  startHealthMonitor(): void {
    const interval = this.init.healthIntervalMs ?? HEALTH_INTERVAL_MS;
    this.healthTimer = setInterval(() => void this.healthTick(), interval);
    this.healthTimer.unref();
  }

  async healthTick(now: number = Date.now()): Promise<void> {
    this.healthTicks.labels('capsule_health').inc();
    const policy = this.init.restartPolicy ?? DEFAULT_RESTART_POLICY;
    const failing = new Set<CapsuleId>();
    for (const capsule of this.registry.list()) {
      if (!capsule.isReady) continue;
      const health = capsule.checkHealth();
      if (health.ok) continue;
      failing.add(capsule.id);
      this.logger.error(
        { capsule: capsule.id, reason: health.reason },
        'capsule health check failed',
      );
      this.init.bus.publish(
        ipcEvent(
          ipcMessage({
            topic: HEALTH_FAILED_TOPIC,
            payload: { type: 'custom', data: { capsule_id: capsule.id, reason: health.reason } },
            sourceId: this.init.sessionId,
          }),
          'kernel',
        ),
      );
    }
    for (const id of this.restartTrackers.keys()) if (this.failures.has(id)) failing.add(id);
    for (const id of failing) {
      if (this.restarting.has(id)) continue;
      const previous = this.restartTrackers.get(id);
      const decision = restartDecision(previous, now, policy);
      this.restartTrackers.set(id, decision.tracker);
      if (decision.exhausted) {
        if (previous !== undefined && !this.gaveUp.has(id)) {
          this.gaveUp.add(id);
          this.logger.error(
            { capsule: id, attempts: previous.attempts },
            'giving up on restarting the capsule',
          );
        }
        continue;
      }
      if (decision.restart) void this.restart(id, decision.tracker.attempts);
    }
    // A capsule that has stayed healthy for a whole backoff cap since its last
    // restart gets its restart budget back; a crash loop does not.
    for (const [id, t] of [...this.restartTrackers]) {
      if (!failing.has(id) && !this.restarting.has(id) && now - t.lastAttemptMs >= policy.capMs) {
        this.restartTrackers.delete(id);
        this.gaveUp.delete(id);
      }
    }
  }

  private async restart(id: CapsuleId, attempt: number): Promise<void> {
    this.restarting.add(id);
    try {
      this.logger.warn({ capsule: id, attempt }, 'restarting capsule');
      const capsule = await this.reload(id);
      await capsule.invokeInterceptor(RESTART_ACTION, new Uint8Array()).catch(() => undefined);
    } catch (e) {
      this.logger.error(
        { capsule: id, attempt, err: (e as Error).message },
        'capsule restart failed',
      );
    } finally {
      this.restarting.delete(id);
    }
  }

  /** Reloads a capsule whose directory changed on disk (or loads a newly copied one). */
  startWatcher(): void {
    const watcher = new CapsuleWatcher((dir) => void this.onDirChanged(dir), this.logger);
    this.watcher = watcher;
    for (const c of this.registry.list()) void watcher.remember(c.dir);
    for (const root of this.roots()) if (existsSync(root)) watcher.watch(root);
  }

  private async onDirChanged(dir: string): Promise<void> {
    if (this.closed) return;
    const loaded = this.registry.list().find((c) => resolve(c.dir) === dir);
    try {
      if (loaded !== undefined) {
        this.logger.info({ capsule: loaded.id, dir }, 'capsule directory changed; reloading');
        await this.reload(loaded.id);
      } else {
        this.logger.info({ dir }, 'new or changed capsule directory; loading');
        const { manifest } = await loadManifest(dir);
        this.failures.delete(manifest.package.name);
        await this.loadDir(dir);
      }
    } catch (e) {
      this.logger.error({ dir, err: (e as Error).message }, 'reload after a change failed');
    }
  }

  /** Stops the monitor and watcher and unloads every capsule. */
  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.healthTimer !== null) clearInterval(this.healthTimer);
    this.watcher?.close();
    await this.dispatcher.stop();
    for (const capsule of this.registry.list().reverse()) {
      try {
        await this.unload(capsule.id);
      } catch (e) {
        this.logger.warn(
          { capsule: capsule.id, err: (e as Error).message },
          'unload at shutdown failed',
        );
      }
    }
  }
}
