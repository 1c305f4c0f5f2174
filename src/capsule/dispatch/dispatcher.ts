import { randomUUID } from 'node:crypto';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { PrincipalKey } from '../../core/ids/principal-key.js';
import type { Logger } from '../../core/logger.js';
import { type AstridEvent, eventKind, ipcEvent } from '../../events/astrid-event.js';
import { AUDIT_TOPIC } from '../../events/audit-topic.js';
import type { BroadcastSubscription, BusTransport } from '../../events/bus-transport.js';
import { guestPayloadJson, type IpcMessage, ipcMessage } from '../../events/ipc-message.js';
import { isPrivateTopic } from '../../events/private-topics.js';
import type { CapsuleRegistry } from '../registry/capsule-registry.js';
import { KeyedMutex } from './fifo-mutex.js';
import { type InterceptorTarget, matchInterceptors } from './interceptor-table.js';
import { PrincipalQueues, type QueueItem } from './principal-queues.js';

export const LAGGED_TOPIC = 'astrid.v1.event_bus.lagged';
const LAG_NOTICE_EVERY_MS = 10_000;

export interface DispatcherOptions {
  readonly queueCapacity?: number;
  readonly queueIdleMs?: number;
  readonly maxQueuesPerCapsule?: number;
}

export interface DispatchStats {
  /** Interceptor invocations that ran (whatever they answered). */
  delivered: number;
  /** Events dropped because a principal's queue was full. */
  dropped: number;
  /** Invocations that threw (trap, timeout, disabled principal…). */
  failed: number;
  chains: number;
}

const encoder = new TextEncoder();

function keyOf(capsule: CapsuleId, principal: PrincipalKey): string {
  return `${capsule}\u0000${principal ?? ''}\u0000${principal === null ? 's' : 'p'}`;
}

/**
 * Delivers bus events to capsule interceptors. One matching interceptor →
 * the event joins that capsule's per-principal FIFO queue (fire and forget);
 * two or more → a chain in priority order where each link runs under a
 * (capsule, principal) lock, a non-empty Continue replaces the payload, Final
 * and Deny stop it, and a failing capsule is skipped. Run-loop capsules are
 * never targets (they subscribe themselves).
 */
export class Dispatcher {
  readonly stats: DispatchStats = { delivered: 0, dropped: 0, failed: 0, chains: 0 };
  private readonly bus: BusTransport;
  private readonly registry: CapsuleRegistry;
  private readonly logger: Logger;
  private readonly queues: PrincipalQueues;
  private readonly chainLocks = new KeyedMutex();
  private targets: InterceptorTarget[] = [];
  private receiver: BroadcastSubscription | null = null;
  private loop: Promise<void> | null = null;
  private lastLagNotice = 0;
  private pendingChains = new Set<Promise<void>>();

  constructor(
    bus: BusTransport,
    registry: CapsuleRegistry,
    logger: Logger,
    options: DispatcherOptions = {},
  ) {
    this.bus = bus;
    this.registry = registry;
    this.logger = logger.child({ component: 'dispatcher' });
    this.queues = new PrincipalQueues((capsule, item) => this.invokeQueued(capsule, item), {
      ...(options.queueCapacity === undefined ? {} : { capacity: options.queueCapacity }),
      ...(options.queueIdleMs === undefined ? {} : { idleMs: options.queueIdleMs }),
      ...(options.maxQueuesPerCapsule === undefined
        ? {}
        : { maxPerCapsule: options.maxQueuesPerCapsule }),
    });
    registry.onChange(() => this.rebuild());
    this.rebuild();
  }

  /** Recomputes the routing table from the registry (ready, non-run-loop capsules). */
  rebuild(): void {
    const targets: InterceptorTarget[] = [];
    for (const c of this.registry.list()) {
      if (!c.isReady || c.isRunLoop) continue;
      for (const i of c.interceptors) {
        targets.push({
          capsuleId: c.id,
          bootIndex: c.bootIndex,
          action: i.action,
          priority: i.priority,
          pattern: i.event,
        });
      }
    }
    this.targets = targets;
    const live = new Set(targets.map((t) => t.capsuleId));
    for (const c of this.registry.list()) if (!live.has(c.id)) this.queues.closeCapsule(c.id);
  }

  /** Discards a capsule's queued events (it is being unloaded). */
  forget(capsule: CapsuleId): void {
    this.queues.closeCapsule(capsule);
  }

  start(): void {
    const receiver = this.bus.subscribe({ label: 'capsule_dispatcher' });
    this.receiver = receiver;
    this.loop = (async () => {
      for (;;) {
        const first = await receiver.recv();
        if (first === null) return;
        for (let event: AstridEvent | null = first; event !== null; event = receiver.tryRecv()) {
          this.noticeLag(receiver.drainLagged());
          try {
            this.dispatch(event);
          } catch (e) {
            this.logger.error({ err: e instanceof Error ? e.stack : String(e) }, 'dispatch failed');
          }
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.receiver?.close();
    await this.loop;
    this.queues.closeAll();
    await Promise.allSettled([...this.pendingChains]);
  }

  /** Routes one event (exposed for tests and benchmarks). */
  dispatch(event: AstridEvent): void {
    if (this.targets.length === 0) return;
    let topic: string;
    let caller: IpcMessage | null = null;
    if (event.type === 'ipc') {
      // Secret answers never reach interceptors.
      if (isPrivateTopic(event.message.topic)) return;
      topic = event.message.topic;
      caller = event.message;
    } else {
      topic = eventKind(event);
    }
    const matches = matchInterceptors(this.targets, topic).filter((t) =>
      this.mayReceive(t, topic, caller),
    );
    if (matches.length === 0) return;
    // Encoded only for events some interceptor takes.
    const payload = encoder.encode(
      caller === null ? JSON.stringify(event) : guestPayloadJson(caller),
    );
    const principal: PrincipalKey = caller?.principal ?? null;
    if (matches.length === 1) {
      const t = matches[0] as InterceptorTarget;
      const outcome = this.queues.enqueue(t.capsuleId, principal, {
        action: t.action,
        payload,
        caller,
      });
      if (outcome === 'dropped') {
        this.stats.dropped++;
        this.logger.warn(
          { capsule: t.capsuleId, topic },
          'queue full, dropping event (backpressure)',
        );
      } else if (outcome === 'degraded') {
        this.logger.error(
          { audit: 'astrid.audit.ipc', security_event: true, capsule: t.capsuleId, principal },
          'per-principal queue cap exceeded; degrading to shared queue',
        );
      }
      return;
    }
    this.stats.chains++;
    const chain = this.runChain(matches, payload, caller, principal).finally(() =>
      this.pendingChains.delete(chain),
    );
    this.pendingChains.add(chain);
  }

  /**
   * The audit feed reaches an interceptor only for its owner's own rows,
   * unless the owner holds `audit:read_all` — the same scoping a
   * subscription gets.
   */
  private mayReceive(t: InterceptorTarget, topic: string, caller: IpcMessage | null): boolean {
    if (topic !== AUDIT_TOPIC) return true;
    const capsule = this.registry.get(t.capsuleId);
    const wasm = capsule?.wasm;
    if (wasm === undefined || wasm === null) return false;
    return wasm.auditFirehose || caller?.principal === wasm.ctx.owner;
  }

  private async invokeQueued(capsuleId: CapsuleId, item: QueueItem): Promise<void> {
    const capsule = this.registry.get(capsuleId);
    if (capsule === undefined) return;
    try {
      const out = await capsule.invokeInterceptor(
        item.action,
        item.payload,
        item.caller as IpcMessage | null,
      );
      this.stats.delivered++;
      if (out.kind === 'deny')
        this.logger.warn(
          { capsule: capsuleId, action: item.action, reason: out.reason },
          'interceptor denied',
        );
    } catch (e) {
      this.stats.failed++;
      this.logger.warn(
        { capsule: capsuleId, action: item.action, err: (e as Error).message },
        'interceptor failed',
      );
    }
  }

  private async runChain(
    matches: InterceptorTarget[],
    initial: Uint8Array,
    caller: IpcMessage | null,
    principal: PrincipalKey,
  ): Promise<void> {
    let payload = initial;
    for (const t of matches) {
      const capsule = this.registry.get(t.capsuleId);
      if (capsule === undefined) continue;
      let stop = false;
      try {
        await this.chainLocks.run(keyOf(t.capsuleId, principal), async () => {
          const out = await capsule.invokeInterceptor(t.action, payload, caller);
          if (out.kind === 'not-supported') return;
          this.stats.delivered++;
          if (out.kind === 'continue') {
            if (out.payload.length > 0) payload = out.payload;
          } else if (out.kind === 'final') {
            stop = true;
          } else {
            this.logger.warn(
              { capsule: t.capsuleId, action: t.action, reason: out.reason },
              'interceptor denied; chain stopped',
            );
            stop = true;
          }
        });
      } catch (e) {
        this.stats.failed++;
        this.logger.warn(
          { capsule: t.capsuleId, action: t.action, err: (e as Error).message },
          'interceptor failed; chain continues',
        );
      }
      if (stop) return;
    }
  }

  private noticeLag(missed: number): void {
    if (missed <= 0) return;
    const now = Date.now();
    if (now - this.lastLagNotice < LAG_NOTICE_EVERY_MS && this.lastLagNotice !== 0) return;
    this.lastLagNotice = now;
    this.logger.warn(
      { lagged_count: missed },
      'dispatcher fell behind the bus; events were missed',
    );
    this.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: LAGGED_TOPIC,
          payload: { type: 'custom', data: { lagged_count: missed } },
          sourceId: randomUUID(),
        }),
        'dispatcher',
      ),
    );
  }
}
