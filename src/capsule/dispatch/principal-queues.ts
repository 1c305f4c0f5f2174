import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { PrincipalKey } from '../../core/ids/principal-key.js';
import { Fifo } from '../../events/fifo.js';

export const QUEUE_CAPACITY = 64;
export const QUEUE_IDLE_MS = 60_000;
export const MAX_QUEUES_PER_CAPSULE = 10_000;

export interface QueueItem {
  readonly action: string;
  readonly payload: Uint8Array;
  readonly caller: unknown;
}

export type EnqueueOutcome = 'queued' | 'dropped' | 'degraded';

interface Queue {
  readonly items: Fifo<QueueItem>;
  wake: (() => void) | null;
  closed: boolean;
}

/**
 * The dispatcher's single-interceptor path: one bounded FIFO (64) and one
 * consumer per (capsule, principal), so one principal's events run in order
 * and different principals run concurrently. A full queue drops the event
 * (backpressure, counted); a consumer idle for 60 s exits and frees its
 * queue; past 10,000 queues a capsule's new principals share one queue.
 */
export class PrincipalQueues {
  private readonly queues = new Map<CapsuleId, Map<PrincipalKey, Queue>>();
  private readonly consume: (capsule: CapsuleId, item: QueueItem) => Promise<void>;
  private readonly capacity: number;
  private readonly idleMs: number;
  private readonly maxPerCapsule: number;

  constructor(
    consume: (capsule: CapsuleId, item: QueueItem) => Promise<void>,
    options: { capacity?: number; idleMs?: number; maxPerCapsule?: number } = {},
  ) {
    this.consume = consume;
    this.capacity = options.capacity ?? QUEUE_CAPACITY;
    this.idleMs = options.idleMs ?? QUEUE_IDLE_MS;
    this.maxPerCapsule = options.maxPerCapsule ?? MAX_QUEUES_PER_CAPSULE;
  }

  enqueue(capsule: CapsuleId, principal: PrincipalKey, item: QueueItem): EnqueueOutcome {
    let byPrincipal = this.queues.get(capsule);
    if (byPrincipal === undefined) {
      byPrincipal = new Map();
      this.queues.set(capsule, byPrincipal);
    }
    let key = principal;
    let degraded = false;
    let queue = byPrincipal.get(key);
    if (queue === undefined && key !== null && byPrincipal.size >= this.maxPerCapsule) {
      key = null;
      degraded = true;
      queue = byPrincipal.get(key);
    }
    if (queue === undefined) {
      queue = { items: new Fifo(), wake: null, closed: false };
      byPrincipal.set(key, queue);
      void this.run(capsule, key, queue);
    }
    if (queue.items.length >= this.capacity) return 'dropped';
    queue.items.push(item);
    const wake = queue.wake;
    queue.wake = null;
    wake?.();
    return degraded ? 'degraded' : 'queued';
  }

  /** Queues alive for a capsule. */
  queueCount(capsule: CapsuleId): number {
    return this.queues.get(capsule)?.size ?? 0;
  }

  /** Stops a capsule's consumers (on unload); queued events are discarded. */
  closeCapsule(capsule: CapsuleId): number {
    const byPrincipal = this.queues.get(capsule);
    if (byPrincipal === undefined) return 0;
    this.queues.delete(capsule);
    let discarded = 0;
    for (const q of byPrincipal.values()) {
      discarded += q.items.length;
      q.closed = true;
      q.wake?.();
    }
    return discarded;
  }

  closeAll(): void {
    for (const capsule of [...this.queues.keys()]) this.closeCapsule(capsule);
  }

  private async run(capsule: CapsuleId, key: PrincipalKey, queue: Queue): Promise<void> {
    for (;;) {
      if (queue.closed) return;
      const item = queue.items.shift();
      if (item !== undefined) {
        await this.consume(capsule, item);
        continue;
      }
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          queue.wake = null;
          resolve(false);
        }, this.idleMs);
        timer.unref();
        queue.wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!woke && queue.items.length === 0) {
        const byPrincipal = this.queues.get(capsule);
        if (byPrincipal?.get(key) === queue) byPrincipal.delete(key);
        if (byPrincipal?.size === 0) this.queues.delete(capsule);
        return;
      }
    }
  }
}
