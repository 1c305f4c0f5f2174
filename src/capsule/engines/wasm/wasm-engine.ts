import { randomUUID } from 'node:crypto';
import { Histogram, type Registry } from 'prom-client';
import { CapabilityCheck } from '../../../core/capabilities/capability-check.js';
import {
  AUDIT_READ_ALL,
  EXEMPT_CAPABILITIES,
} from '../../../core/capabilities/special-capabilities.js';
import { AstridError } from '../../../core/errors.js';
import type { GroupConfig } from '../../../core/groups/group-config.js';
import { checkPrincipalId, type PrincipalId } from '../../../core/ids/principal-id.js';
import { type Logger, silentLogger } from '../../../core/logger.js';
import type { Profile } from '../../../core/profiles/profile.js';
import { compileTopicPattern } from '../../../core/topics/route-matcher.js';
import { hasValidSegments } from '../../../core/topics/topic-syntax.js';
import type { BusTransport, RoutedSubscription } from '../../../events/bus-transport.js';
import type { IpcMessage } from '../../../events/ipc-message.js';
import { IpcRateLimiter } from '../../../events/ipc-rate-limiter.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { cpuBudgetReason } from '../../ledgers/cpu-rate-limiter.js';
import type { Ledgers } from '../../ledgers/ledgers.js';
import { CapsuleLog } from '../../logs/capsule-log.js';
import type { CapsuleManifest } from '../../manifest/manifest.js';
import { effectiveInterceptors, heldCapabilityNames } from '../../manifest/manifest-views.js';
import {
  type CapsuleEngine,
  type HealthStatus,
  type InterceptorOutcome,
  mapCapsuleResult,
  type ReadyStatus,
} from '../engine.js';
import { defaultEngineLimits, type EngineLimits } from './engine-limits.js';
import { GuestWorkerHandle, type WorkerArtifacts } from './executor/guest-worker-handle.js';
import { InstancePool } from './executor/instance-pool.js';
import { loadWorkerArtifacts } from './executor/worker-artifacts.js';
import { callerFromMessage } from './host/caller-context.js';
import type {
  CapsuleCapabilityRegistry,
  CapsuleHost,
  InterceptorBinding,
  ProfileSource,
} from './host/capsule-host.js';
import { CapsuleOutside } from './host/capsule-outside.js';
import { HostDispatcher, type HostTable } from './host/host-dispatcher.js';
import { defaultHostTable, missingHostInterfaces } from './host/host-table.js';
import { InstanceState } from './host/instance-state.js';
import type { KernelServices } from './host/kernel-services.js';
import { ProcessTracker } from './host/process-tracker.js';
import { UplinkBook } from './host/uplink-host.js';
import { UNCAPPED_PAGES } from './pipeline/instrument/instrument-module.js';
import { prepareComponent } from './pipeline/prepare-component.js';
import { judgeWindow, runLoopWindowMs } from './run-loop-bound.js';

export const PAGE_BYTES = 65_536;
/** Run loops and lifecycle hooks run without a fuel ceiling (i64 max). */
export const UNLIMITED_FUEL = (1n << 63n) - 1n;
export const MAX_RUN_LOOP_BINDINGS = 64;
export const CANCEL_TOPIC = 'tool.v1.request.cancel';

export interface WasmEngineContext {
  readonly capsuleDir: string;
  readonly manifest: CapsuleManifest;
  readonly home: AstridHome;
  readonly bus: BusTransport;
  /** The load-time principal. */
  readonly owner: PrincipalId;
  readonly profiles: ProfileSource;
  /** The live group config (read at every decision, so edits apply without reload). */
  readonly groups: () => GroupConfig;
  readonly ledgers: Ledgers;
  readonly limits?: Partial<EngineLimits>;
  /** Load-time configuration (`ASTRID_SOCKET_PATH`, resolved `[env]`). */
  readonly config?: ReadonlyMap<string, string>;
  readonly registry?: CapsuleCapabilityRegistry | null;
  readonly logger?: Logger;
  readonly metrics?: Registry;
  /** Host functions; defaults to every implemented interface. */
  readonly hostTable?: HostTable;
  readonly onProgress?: (message: string) => void;
  /** KV, identity, approvals, audit, workspace overlay, blocking semaphore. */
  readonly services: KernelServices;
}

interface PooledInstance {
  readonly worker: GuestWorkerHandle;
  readonly state: InstanceState;
}

const histograms = new WeakMap<Registry, Histogram<'capsule' | 'action'>>();
function invocationHistogram(
  registry: Registry | undefined,
): Histogram<'capsule' | 'action'> | null {
  if (registry === undefined) return null;
  let h = histograms.get(registry);
  if (h === undefined) {
    h = new Histogram({
      name: 'astrid_capsule_invocation_duration_seconds',
      help: 'Duration of pooled interceptor calls.',
      labelNames: ['capsule', 'action'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    });
    histograms.set(registry, h);
  }
  return h;
}

function isExempt(
  profile: Profile | null,
  groups: GroupConfig | null,
  principal: PrincipalId,
): boolean {
  // Fail closed: without a profile or groups nobody is exempt.
  if (profile === null || groups === null) return false;
  return new CapabilityCheck(profile, groups, principal).hasAny(EXEMPT_CAPABILITIES);
}

/**
 * The WASM engine: runs one capsule's component in worker threads for many
 * principals. Pooled capsules (`host_process` ones included) lease an
 * instance per interceptor call; run-loop capsules have exactly one.
 */
export class WasmEngine implements CapsuleEngine {
  readonly ctx: WasmEngineContext;
  readonly limits: EngineLimits;
  readonly sessionUuid = randomUUID();
  private readonly logger: Logger;
  private readonly cancel = new AbortController();
  private host: CapsuleHost | null = null;
  private artifacts: WorkerArtifacts | null = null;
  private dispatcher: HostDispatcher;
  private pool: InstancePool<PooledInstance> | null = null;
  private runLoop: PooledInstance | null = null;
  private runLoopTimer: NodeJS.Timeout | null = null;
  /** Uplinks the capsule registered at runtime. */
  readonly uplinks = new UplinkBook();
  /** Child processes of this capsule's tool calls (the process host registers them). */
  readonly processes = new ProcessTracker();
  /** HTTP agent, Unix listener and persistent processes (set at load). */
  private outside: CapsuleOutside | null = null;
  private cancelListener: RoutedSubscription | null = null;
  private failure: string | null = null;
  private ready = false;
  private readyWaiters: ((s: ReadyStatus) => void)[] = [];
  private nextInstanceId = 1;
  private unloaded = false;

  constructor(ctx: WasmEngineContext) {
    this.ctx = ctx;
    this.logger = (ctx.logger ?? silentLogger).child({ capsule: ctx.manifest.package.name });
    this.limits = { ...defaultEngineLimits(), ...ctx.limits };
    this.dispatcher = new HostDispatcher(ctx.hostTable ?? defaultHostTable(), this.logger);
  }

  get capsuleId() {
    return this.ctx.manifest.package.name;
  }

  get heldCapabilities(): readonly string[] {
    return this.host?.heldCapabilities ?? [];
  }

  /** Whether the owner holds `audit:read_all` (decided at load from its profile, never the manifest). */
  get auditFirehose(): boolean {
    return this.host?.auditFirehose ?? false;
  }

  get isRunLoop(): boolean {
    return this.runLoop !== null;
  }

  /** Live instances (for status and benchmarks). */
  get instanceCount(): number {
    return this.runLoop !== null ? 1 : (this.pool?.size ?? 0);
  }

  async load(): Promise<void> {
    try {
      await this.loadComponent();
    } catch (e) {
      // Release whatever was set up (listener, workers) before reporting.
      await this.unload().catch(() => {});
      throw e;
    }
  }

  private async loadComponent(): Promise<void> {
    const { ctx } = this;
    const manifest = ctx.manifest;
    const prepared = await prepareComponent(ctx.home, ctx.capsuleDir, manifest, {
      logger: this.logger,
      ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress }),
    });
    const missing = missingHostInterfaces(prepared.manifest.interfaces);
    if (missing.length > 0) {
      throw new AstridError(
        'unavailable',
        `capsule '${this.capsuleId}' imports host interfaces this build does not provide yet: ${missing.join(', ')}`,
      );
    }
    this.artifacts = await loadWorkerArtifacts(prepared);

    const ownerProfile = await ctx.profiles.resolve(ctx.owner).catch((e: unknown) => {
      this.logger.warn(
        { err: e instanceof Error ? e.message : String(e) },
        'owner profile unavailable; capsule stays bounded',
      );
      return null;
    });
    const groups = ctx.groups();
    const ownerExempt = isExempt(ownerProfile, groups, ctx.owner);
    const auditFirehose =
      ownerProfile !== null &&
      new CapabilityCheck(ownerProfile, groups, ctx.owner).has(AUDIT_READ_ALL);
    const runLoop = prepared.manifest.guestExports.run;

    let bindings: InterceptorBinding[] = [];
    if (runLoop) {
      const handlers = effectiveInterceptors(manifest);
      if (handlers.length > MAX_RUN_LOOP_BINDINGS) {
        throw new AstridError(
          'invalid-input',
          `capsule '${this.capsuleId}' binds ${handlers.length} handlers, exceeding the auto-subscribe limit (${MAX_RUN_LOOP_BINDINGS})`,
        );
      }
      bindings = handlers.map((h, i) => {
        if (!hasValidSegments(h.event))
          throw new AstridError('invalid-input', `handler topic ${h.event} has empty segments`);
        return { handleId: BigInt(i), action: h.action, topic: h.event };
      });
    }

    const outside = await CapsuleOutside.open({
      capsuleId: this.capsuleId,
      sessionUuid: this.sessionUuid,
      manifest,
      home: ctx.home,
      bus: ctx.bus,
      logger: this.logger,
      services: ctx.services,
      listen: true,
      processes: this.processes,
    });
    this.outside = outside;
    this.host = {
      capsuleId: this.capsuleId,
      sessionUuid: this.sessionUuid,
      owner: ctx.owner,
      manifest,
      home: ctx.home,
      bus: ctx.bus,
      logger: this.logger,
      ipcRateLimiter: new IpcRateLimiter(),
      profiles: ctx.profiles,
      config: ctx.config ?? new Map(),
      publishAcl: manifest.publish.map((p) => compileTopicPattern(p.topic)),
      subscribeAcl: manifest.subscribe.map((s) => compileTopicPattern(s.topic)),
      heldCapabilities: heldCapabilityNames(manifest.capabilities),
      auditFirehose,
      registry: ctx.registry ?? null,
      interceptorBindings: bindings,
      lifecycle: false,
      cancel: this.cancel.signal,
      services: ctx.services,
      groups: ctx.groups,
      uplinks: this.uplinks,
      httpAgent: () => outside.httpAgent(),
      unixListener: outside.unixListener,
      processes: outside.processes,
      persistent: outside.persistent,
    };
    await new CapsuleLog(ctx.home.principal(ctx.owner).root, this.capsuleId)
      .prune()
      .catch(() => []);

    const ownerCapPages = ownerExempt
      ? UNCAPPED_PAGES
      : Math.floor((ownerProfile?.quotas.maxMemoryBytes ?? 64 * 1024 * 1024) / PAGE_BYTES);
    if (runLoop) {
      await this.startRunLoop(
        ownerCapPages,
        ownerExempt ? null : runLoopWindowMs(ownerProfile?.quotas.maxTimeoutSecs ?? null),
      );
      return;
    }
    if (manifest.capabilities.hostProcess.length > 0) this.listenForCancellations();
    this.pool = new InstancePool<PooledInstance>({
      minIdle: this.limits.minIdle,
      max: this.limits.poolMax,
      idleMs: this.limits.idleTrimMs,
      create: () => this.spawn(ownerCapPages),
      destroy: async (i) => {
        i.state.resetResources();
        await i.worker.terminate();
      },
    });
    // One instance now, so a component that cannot instantiate fails the
    // load; the rest of the warm set comes from warmUp().
    await this.pool.start(1);
    this.markReady();
  }

  /** Builds the rest of the warm instances (the kernel calls this once boot is done). */
  async warmUp(): Promise<void> {
    await this.pool?.warm((e) =>
      this.logger.warn(
        { err: e instanceof Error ? e.message : String(e) },
        'could not start a warm instance',
      ),
    );
  }

  private async spawn(memoryCapPages: number): Promise<PooledInstance> {
    if (this.host === null || this.artifacts === null)
      throw new AstridError('internal', 'engine not loaded');
    const state = new InstanceState(this.host, this.nextInstanceId++);
    const worker = await GuestWorkerHandle.start(
      this.artifacts,
      state,
      this.dispatcher,
      memoryCapPages,
      this.limits.startTimeoutMs,
    );
    return { worker, state };
  }

  private async startRunLoop(memoryCapPages: number, windowMs: number | null): Promise<void> {
    const instance = await this.spawn(memoryCapPages);
    this.runLoop = instance;
    instance.state.onReady = () => this.markReady();
    void instance.worker
      .invoke('run', [], { fuel: UNLIMITED_FUEL, memoryCapPages, timeoutMs: null })
      .then((outcome) => {
        if (this.unloaded) return;
        const reason =
          outcome.kind === 'ok'
            ? 'the run loop returned'
            : outcome.kind === 'trap'
              ? `the run loop trapped: ${outcome.message}`
              : outcome.kind === 'crashed'
                ? `the run loop crashed: ${outcome.message}`
                : 'the run loop was stopped';
        this.fail(this.failure ?? reason);
      });
    if (windowMs !== null) {
      let strikes = 0;
      this.runLoopTimer = setInterval(() => {
        const judged = judgeWindow(instance.state, strikes);
        strikes = judged.strikes;
        instance.state.recvYielded = false;
        if (judged.verdict === 'stop') {
          this.logger.warn(
            { security_event: true, window_ms: windowMs },
            'run loop stopped calling ipc recv; terminating it',
          );
          this.fail(
            `the run loop did not call ipc recv for ${judged.strikes} windows of ${windowMs} ms (spinning)`,
          );
          void instance.worker.terminate();
        }
      }, windowMs);
      this.runLoopTimer.unref();
    }
  }

  private markReady(): void {
    if (this.ready) return;
    this.ready = true;
    for (const w of this.readyWaiters.splice(0)) w('ready');
  }

  private fail(reason: string): void {
    if (this.failure !== null) return;
    this.failure = reason;
    this.logger.error({ reason }, 'capsule failed');
    if (this.runLoopTimer !== null) clearInterval(this.runLoopTimer);
    for (const w of this.readyWaiters.splice(0)) w('crashed');
  }

  waitReady(timeoutMs: number): Promise<ReadyStatus> {
    if (this.failure !== null) return Promise.resolve('crashed');
    if (this.ready) return Promise.resolve('ready');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve('timeout');
      }, timeoutMs);
      const done = (s: ReadyStatus) => {
        clearTimeout(timer);
        resolve(s);
      };
      this.readyWaiters.push(done);
    });
  }

  checkHealth(): HealthStatus {
    if (this.failure !== null) return { ok: false, reason: this.failure };
    if (this.runLoop !== null && !this.runLoop.worker.alive)
      return { ok: false, reason: 'the run loop worker exited' };
    return { ok: true };
  }

  async invokeInterceptor(
    action: string,
    payload: Uint8Array,
    caller?: IpcMessage | null,
  ): Promise<InterceptorOutcome> {
    const pool = this.pool;
    if (pool === null || this.unloaded) {
      return {
        kind: 'not-supported',
        reason:
          this.runLoop !== null
            ? 'run-loop capsules handle interceptors internally via IPC'
            : 'the capsule is not loaded',
      };
    }
    const { ctx } = this;
    const callerPrincipal = caller?.principal == null ? null : checkPrincipalId(caller.principal);
    const principal = callerPrincipal?.ok ? callerPrincipal.value : ctx.owner;
    const started = performance.now();

    let profile: Profile;
    try {
      profile = await ctx.profiles.resolve(principal);
    } catch (e) {
      throw new AstridError(
        'capability-denied',
        `principal '${principal}' profile invalid: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!profile.enabled) {
      this.logger.warn({ security_event: true, principal }, 'disabled principal refused');
      throw new AstridError('capability-denied', `principal '${principal}' is disabled`);
    }
    const exempt = isExempt(profile, ctx.groups(), principal);
    const budget = BigInt(profile.quotas.maxCpuFuelPerSec);
    if (!exempt && budget > 0n && ctx.ledgers.cpu.overBudget(principal, budget, Date.now())) {
      return { kind: 'deny', reason: cpuBudgetReason(principal, budget) };
    }
    const manifest = ctx.manifest;
    const daemon = manifest.uplinks.length > 0 || manifest.capabilities.uplink;

    let instance: PooledInstance;
    try {
      instance = await pool.acquire();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (!this.unloaded) this.logger.error({ err: reason }, 'could not lease a capsule instance');
      return { kind: 'not-supported', reason: `no capsule instance available: ${reason}` };
    }
    const poolWaitMs = performance.now() - started;
    const { state, worker } = instance;
    let broken = false;
    try {
      // SET
      state.setInvocation(caller == null ? null : callerFromMessage(caller));
      const memoryCapPages = exempt
        ? UNCAPPED_PAGES
        : Math.floor(profile.quotas.maxMemoryBytes / PAGE_BYTES);
      const timeoutMs = daemon ? null : profile.quotas.maxTimeoutSecs * 1000;
      // CALL
      const outcome = await worker.invoke('astridHookTrigger', [action, payload], {
        fuel: this.limits.callFuel,
        memoryCapPages,
        timeoutMs,
      });
      const fuelUsed = outcome.kind === 'ok' || outcome.kind === 'trap' ? outcome.fuelUsed : 0n;
      const peakPages = outcome.kind === 'ok' || outcome.kind === 'trap' ? outcome.peakPages : 0;
      if (fuelUsed > 0n) {
        ctx.ledgers.fuel.charge(principal, fuelUsed);
        ctx.ledgers.cpu.record(principal, fuelUsed, Date.now());
      }
      if (peakPages > 0) ctx.ledgers.memory.recordPeak(principal, peakPages * PAGE_BYTES);
      const invokeMs = performance.now() - started - poolWaitMs;
      this.logger.debug(
        {
          sample: 'astrid.sample',
          action,
          principal,
          pool_wait_ms: Math.round(poolWaitMs),
          invoke_ms: Math.round(invokeMs),
          fuel_used: fuelUsed.toString(),
          ok: outcome.kind === 'ok',
        },
        'interceptor call',
      );
      invocationHistogram(ctx.metrics)
        ?.labels(this.capsuleId, action)
        .observe((performance.now() - started) / 1000);
      switch (outcome.kind) {
        case 'ok':
          return mapCapsuleResult(outcome.value as { action: string; data?: string | null });
        case 'trap':
          broken = true;
          throw new AstridError(
            outcome.fuelExhausted ? 'quota-exceeded' : 'internal',
            outcome.fuelExhausted
              ? `astrid_hook_trigger failed: capsule '${this.capsuleId}' ran out of fuel (${this.limits.callFuel} per call)`
              : `astrid_hook_trigger failed: ${outcome.message}`,
          );
        case 'timeout':
          broken = true;
          throw new AstridError(
            'timeout',
            `astrid_hook_trigger failed: capsule '${this.capsuleId}' did not answer '${action}' within ${profile.quotas.maxTimeoutSecs} s; the instance was replaced`,
          );
        default:
          broken = true;
          throw new AstridError('internal', `astrid_hook_trigger failed: ${outcome.message}`);
      }
    } finally {
      // CLEAR, on every exit path.
      state.clearInvocation();
      // Streams, subscriptions and background children end with the call.
      state.resetResources();
      if (broken || !worker.alive) pool.discard(instance);
      else pool.release(instance);
    }
  }

  /**
   * `host_process` capsules: a `tool.v1.request.cancel` naming call ids
   * interrupts those calls' child processes.
   */
  private listenForCancellations(): void {
    const sub = this.ctx.bus.subscribeRouted({
      capsuleUuid: this.sessionUuid,
      pattern: CANCEL_TOPIC,
      capsuleLabel: this.capsuleId,
      label: 'capsule_cancel',
    });
    this.cancelListener = sub;
    void (async () => {
      while (!sub.closed) {
        for (const m of await sub.recvBatch()) {
          if (m.payload.type !== 'tool_cancel_request') continue;
          const n = this.processes.cancel(m.payload.call_ids);
          if (n > 0)
            this.logger.info(
              { call_ids: m.payload.call_ids, processes: n },
              'tool calls cancelled',
            );
        }
      }
    })();
  }

  async unload(): Promise<void> {
    if (this.unloaded) return;
    this.unloaded = true;
    this.cancel.abort(new AstridError('unavailable', 'the capsule is unloading'));
    this.cancelListener?.close();
    const killed = this.outside?.killChildren() ?? this.processes.killAll();
    if (killed > 0) this.logger.info({ killed }, 'killed child processes of the unloading capsule');
    if (this.runLoopTimer !== null) clearInterval(this.runLoopTimer);
    if (this.runLoop !== null) {
      this.runLoop.worker.cancel();
      this.runLoop.state.resetResources();
      await this.runLoop.worker.terminate();
    }
    await this.pool?.close();
    await this.outside?.close();
    for (const w of this.readyWaiters.splice(0)) w('crashed');
  }
}
