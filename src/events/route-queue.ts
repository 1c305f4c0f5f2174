import type { PrincipalKey } from '../core/ids/principal-key.js';
import { Fifo } from './fifo.js';
import { type HeapItem, IndexedMaxHeap } from './max-heap.js';

/** Byte budget of one routed subscription. */
export const ROUTE_BUDGET_BYTES = 1024 * 1024;
/** Message cap of one principal's queue inside a route. */
export const ROUTE_QUEUE_MAX_MESSAGES = 256;
/** DRR quantum floor. */
export const DRR_QUANTUM_MIN_BYTES = 4096;

interface Entry<T> {
  readonly item: T;
  readonly size: number;
}

interface Bucket<T> extends HeapItem {
  readonly key: PrincipalKey;
  readonly queue: Fifo<Entry<T>>;
  bytes: number;
  deficit: number;
}

/** Shared by every idle route; never written (replaced by a fresh map on first push). */
const EMPTY = new Map<PrincipalKey, never>();
function emptyBuckets<T>(): Map<PrincipalKey, Bucket<T>> {
  return EMPTY as Map<PrincipalKey, Bucket<T>>;
}

/** What a push did, so the caller can log and count it. */
export type PushOutcome =
  | { readonly kind: 'queued'; readonly evicted: readonly PrincipalKey[] }
  | { readonly kind: 'rejected-oversize' };

export interface RouteQueueHooks {
  /** A queue was visited but could not send its head within its deficit. */
  onStarved?(key: PrincipalKey): void;
}

/**
 * The per-route demultiplexer: one FIFO per publishing principal, created on
 * demand and deleted as soon as it drains (an idle principal costs nothing),
 * a byte budget shared by all queues, and a deficit-round-robin drain so one
 * noisy principal cannot starve the others.
 *
 * Over budget, the route evicts the head (oldest message) of the queue holding
 * the most bytes ("longest queue drop"). The reference evicts the oldest head
 * across all queues, which lets a noisy principal push quieter principals'
 * older messages out; taking the excess from the largest queue keeps one
 * principal's burst from evicting anyone else's traffic, and it still only
 * ever removes a queue's oldest message, never its newest tail.
 *
 * Pure data structure: no timers, no I/O, no logging.
 */
export class RouteQueue<T> {
  readonly budget: number;
  // Allocated on first use: an idle route holds no tables.
  private buckets: Map<PrincipalKey, Bucket<T>> = emptyBuckets<T>();
  private readonly rotation = new Fifo<PrincipalKey>();
  /** The rotation's front key is mid-visit: its quantum for this visit is already added. */
  private midVisit = false;
  /** Buckets by queued bytes, largest first: the eviction victim is always at the top. */
  private readonly bySize = new IndexedMaxHeap<Bucket<T>>((b) => b.bytes);
  private totalBytes = 0;
  private queued = 0;
  private readonly hooks: RouteQueueHooks;
  /** Message cap of one principal's queue. */
  readonly maxQueueMessages: number;

  constructor(
    budget: number = ROUTE_BUDGET_BYTES,
    hooks: RouteQueueHooks = {},
    maxQueueMessages: number = ROUTE_QUEUE_MAX_MESSAGES,
  ) {
    this.budget = budget;
    this.hooks = hooks;
    this.maxQueueMessages = maxQueueMessages;
  }

  /** Principals with at least one queued message. */
  get activePrincipals(): number {
    let n = 0;
    for (const b of this.buckets.values()) if (b.queue.length > 0) n++;
    return n;
  }

  /** Queues currently allocated (including ones emptied by eviction, until the next drain). */
  get allocatedQueues(): number {
    return this.buckets.size;
  }

  get bytesInUse(): number {
    return this.totalBytes;
  }

  get length(): number {
    return this.queued;
  }

  /** Messages queued for one principal. */
  queuedFor(key: PrincipalKey): number {
    return this.buckets.get(key)?.queue.length ?? 0;
  }

  /** Cost of the message the next drain would return first, or null when empty. */
  peekSize(): number | null {
    for (const key of this.rotation) {
      const head = this.buckets.get(key)?.queue.peek();
      if (head !== undefined) return head.size;
    }
    return null;
  }

  /**
   * Enqueues `item` for principal `key`. A message larger than the whole
   * budget is refused without evicting anything; otherwise heads of the
   * largest queues are evicted until it fits (the newcomer's own queue
   * included, if it is the largest), and a queue over its message cap drops
   * its own oldest message.
   */
  push(item: T, key: PrincipalKey, size: number): PushOutcome {
    if (size > this.budget) return { kind: 'rejected-oversize' };
    const evicted: PrincipalKey[] = [];
    while (this.totalBytes + size > this.budget) {
      const victim = this.bySize.peek();
      if (victim === undefined || victim.bytes === 0) break;
      this.popHead(victim);
      evicted.push(victim.key);
    }
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets === emptyBuckets<T>()) this.buckets = new Map();
      bucket = { key, queue: new Fifo(), bytes: 0, deficit: 0, heapIndex: -1 };
      this.buckets.set(key, bucket);
      this.rotation.push(key);
      this.bySize.insert(bucket);
    }
    bucket.queue.push({ item, size });
    bucket.bytes += size;
    this.totalBytes += size;
    this.queued++;
    this.bySize.update(bucket);
    if (bucket.queue.length > this.maxQueueMessages) {
      this.popHead(bucket);
      evicted.push(key);
    }
    return { kind: 'queued', evicted };
  }

  /**
   * Deficit-round-robin drain into `out`, serving at most `budget` bytes and
   * `maxMessages` messages. Each visit adds the quantum
   * `max(4 KiB, budget / active queues)` to the queue's deficit and sends heads
   * while they fit; deficits carry across calls while a queue exists, so a
   * head larger than the quantum is served after enough visits. A visit cut
   * short by the caller's limits resumes on the next call without a fresh
   * quantum. Returns the bytes served.
   */
  drain(out: T[], budget: number, maxMessages = Number.POSITIVE_INFINITY): number {
    if (this.rotation.length === 0) return 0;
    const quantum = Math.max(
      DRR_QUANTUM_MIN_BYTES,
      Math.floor(budget / Math.max(1, this.rotation.length)),
    );
    let served = 0;
    let sent = 0;
    for (;;) {
      let progress = false;
      const visits = this.rotation.length;
      for (let v = 0; v < visits; v++) {
        if (served >= budget || sent >= maxMessages) return served;
        const key = this.rotation.peek() as PrincipalKey;
        const bucket = this.buckets.get(key) as Bucket<T>;
        if (!this.midVisit) bucket.deficit += quantum;
        this.midVisit = false;
        let sentHere = false;
        let cutShort = false;
        for (;;) {
          const head = bucket.queue.peek();
          if (head === undefined || head.size > bucket.deficit) break;
          if (served + head.size > budget || sent >= maxMessages) {
            cutShort = true;
            break;
          }
          this.popHead(bucket);
          bucket.deficit -= head.size;
          out.push(head.item);
          served += head.size;
          sent++;
          sentHere = true;
        }
        if (sentHere) progress = true;
        if (cutShort) {
          // Keep the queue at the front with its remaining deficit for the next call.
          this.midVisit = true;
          return served;
        }
        this.rotation.shift();
        if (bucket.queue.length === 0) {
          this.buckets.delete(key);
          this.bySize.remove(bucket);
          // A Map keeps its table after deletes; start afresh so drained principals cost nothing.
          if (this.buckets.size === 0) this.buckets = emptyBuckets<T>();
        } else {
          if (!sentHere) this.hooks.onStarved?.(key);
          this.rotation.push(key);
        }
      }
      if (!progress || this.rotation.length === 0) return served;
    }
  }

  /** Drops everything (used when a subscription closes). */
  clear(): void {
    this.buckets = emptyBuckets<T>();
    this.rotation.retain(() => false);
    this.bySize.clear();
    this.totalBytes = 0;
    this.queued = 0;
    this.midVisit = false;
  }

  private popHead(bucket: Bucket<T>): Entry<T> | undefined {
    const entry = bucket.queue.shift();
    if (entry !== undefined) {
      bucket.bytes -= entry.size;
      this.totalBytes -= entry.size;
      this.queued--;
      this.bySize.update(bucket);
    }
    return entry;
  }
}
