import {
  type CompiledTopicPattern,
  compileTopicPattern,
  matchesCompiled,
} from '../core/topics/route-matcher.js';
import type { AstridEvent } from './astrid-event.js';
import type { BroadcastSubscription } from './bus-transport.js';

/** Default ring size of the broadcast channel. */
export const BROADCAST_CAPACITY = 1024;
/** A filtered receiver yields to the event loop after this many skipped events. */
export const YIELD_AFTER_SKIPPED = 32;

interface Slot {
  readonly event: AstridEvent;
  /** The IPC topic split once at publish, shared by every filtered receiver. */
  readonly segments: readonly string[] | null;
}

export type LagReporter = (label: string, missed: number) => void;

/**
 * A bounded broadcast ring with one cursor per receiver. Publishing never
 * waits: a receiver that falls more than `capacity` events behind loses the
 * oldest ones and is told how many ("lag").
 */
export class BroadcastRing {
  readonly capacity: number;
  private readonly slots: (Slot | undefined)[];
  /** Total events ever pushed; the next event's absolute index. */
  head = 0;
  /** Slots before this absolute index hold nothing any receiver will read. */
  private released = 0;
  closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly receivers = new Set<BroadcastReceiver>();
  private readonly onLag: LagReporter;

  constructor(capacity: number, onLag: LagReporter) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('broadcast capacity must be ≥ 1');
    this.capacity = capacity;
    this.slots = new Array(capacity);
    this.onLag = onLag;
  }

  /** How many events the ring still holds for some receiver. */
  get retained(): number {
    return Math.min(this.head - this.released, this.capacity);
  }

  get receiverCount(): number {
    return this.receivers.size;
  }

  push(event: AstridEvent): number {
    const segments = event.type === 'ipc' ? event.message.topic.split('.') : null;
    this.slots[this.head % this.capacity] = { event, segments };
    this.head++;
    this.release();
    this.wakeAll();
    return this.receivers.size;
  }

  /**
   * Drops the ring's references to events every receiver has read (all of
   * them when nobody listens), so a message lives as long as its slowest
   * reader needs it rather than until its slot comes round again — under
   * load that difference is what the garbage collector pays for.
   */
  private release(): void {
    let floor = this.head;
    for (const r of this.receivers) if (r.position < floor) floor = r.position;
    if (floor - this.released > this.capacity) this.released = floor - this.capacity;
    while (this.released < floor) {
      this.slots[this.released % this.capacity] = undefined;
      this.released++;
    }
  }

  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  subscribe(label: string, topic: string | undefined): BroadcastReceiver {
    const receiver = new BroadcastReceiver(
      this,
      label,
      topic === undefined ? null : compileTopicPattern(topic),
    );
    this.receivers.add(receiver);
    return receiver;
  }

  /** @internal */
  slotAt(index: number): Slot {
    return this.slots[index % this.capacity] as Slot;
  }

  /** @internal */
  waitForPush(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** @internal */
  cancelWait(resolve: () => void): void {
    this.waiters.delete(resolve);
  }

  /** @internal */
  addWaiter(resolve: () => void): void {
    this.waiters.add(resolve);
  }

  /** @internal */
  detach(receiver: BroadcastReceiver): void {
    this.receivers.delete(receiver);
  }

  /** @internal */
  reportLag(label: string, missed: number): void {
    this.onLag(label, missed);
  }

  /** @internal */
  wakeAll(): void {
    if (this.waiters.size === 0) return;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }
}

type Step =
  | { kind: 'event'; event: AstridEvent }
  | { kind: 'skipped-many' }
  | { kind: 'lagged' }
  | { kind: 'empty' };

export class BroadcastReceiver implements BroadcastSubscription {
  readonly label: string;
  private readonly ring: BroadcastRing;
  private readonly filter: CompiledTopicPattern | null;
  private cursor: number;
  private lagged = 0;
  private closedHere = false;

  constructor(ring: BroadcastRing, label: string, filter: CompiledTopicPattern | null) {
    this.ring = ring;
    this.label = label;
    this.filter = filter;
    this.cursor = ring.head;
  }

  /** @internal The absolute index of the next event this receiver reads. */
  get position(): number {
    return this.cursor;
  }

  private step(maxSkipped: number): Step {
    let skipped = 0;
    for (;;) {
      const oldest = this.ring.head - this.ring.capacity;
      if (this.cursor < oldest) {
        const missed = oldest - this.cursor;
        this.cursor = oldest;
        this.lagged += missed;
        this.ring.reportLag(this.label, missed);
        return { kind: 'lagged' };
      }
      if (this.cursor >= this.ring.head) return { kind: 'empty' };
      const slot = this.ring.slotAt(this.cursor);
      this.cursor++;
      if (this.filter === null) return { kind: 'event', event: slot.event };
      if (slot.segments !== null && matchesCompiled(this.filter, slot.segments)) {
        return { kind: 'event', event: slot.event };
      }
      if (++skipped >= maxSkipped) return { kind: 'skipped-many' };
    }
  }

  tryRecv(): AstridEvent | null {
    if (this.closedHere) return null;
    for (;;) {
      const step = this.step(Number.POSITIVE_INFINITY);
      if (step.kind === 'event') return step.event;
      if (step.kind === 'empty') return null;
    }
  }

  async recv(signal?: AbortSignal): Promise<AstridEvent | null> {
    for (;;) {
      if (this.closedHere) return null;
      signal?.throwIfAborted();
      const step = this.step(YIELD_AFTER_SKIPPED);
      if (step.kind === 'event') return step.event;
      if (step.kind === 'skipped-many' || step.kind === 'lagged') {
        // Let other tasks run before scanning further.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (this.ring.closed) return null;
      await this.waitForPush(signal);
    }
  }

  private waitForPush(signal: AbortSignal | undefined): Promise<void> {
    if (signal === undefined) return this.ring.waitForPush();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.ring.cancelWait(done);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.ring.addWaiter(done);
    });
  }

  drainLagged(): number {
    const n = this.lagged;
    this.lagged = 0;
    return n;
  }

  close(): void {
    this.closedHere = true;
    this.ring.detach(this);
    this.ring.wakeAll();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AstridEvent> {
    for (;;) {
      const event = await this.recv();
      if (event === null) return;
      yield event;
    }
  }
}
