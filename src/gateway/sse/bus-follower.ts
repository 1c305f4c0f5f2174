import { randomUUID } from 'node:crypto';
import type { PrincipalKey } from '../../core/ids/principal-key.js';
import type { BusTransport, RoutedSubscription } from '../../events/bus-transport.js';
import type { IpcMessage } from '../../events/ipc-message.js';
import type { RoutedLabel } from '../../events/subscriber-labels.js';

export interface FollowOptions {
  /** Exact topics or patterns, one routed subscription each. */
  readonly topics: readonly string[];
  readonly label: RoutedLabel;
  /** Only messages stamped with this principal. */
  readonly scope?: PrincipalKey;
  readonly maxQueueMessages?: number;
}

/**
 * Everything queued on `subs` right now, in bus publication order. The bus
 * queues a message on every matching route during `publish`, so whatever
 * was published before this call is already here, and sorting by `seq`
 * restores one order across topics. Pure apart from draining the queues.
 */
export function drainInOrder(subs: readonly RoutedSubscription[]): IpcMessage[] {
  return subs
    .flatMap((sub) => sub.tryDrain(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))
    .sort((a, b) => a.seq - b.seq);
}

async function anyReady(subs: readonly RoutedSubscription[]): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race(subs.map((sub) => sub.waitReady(stop.signal)));
  } finally {
    stop.abort();
  }
}

/**
 * Subscribes now (so nothing published after this call is missed) and feeds
 * every message to `onMessage` in publication order across all topics.
 * `onEnd` runs if the bus closes under us (with the error if a handler
 * threw). The returned function releases the subscriptions; it is
 * idempotent.
 */
export function followTopics(
  bus: BusTransport,
  options: FollowOptions,
  onMessage: (message: IpcMessage) => void,
  onEnd: (failure: unknown) => void,
): () => void {
  const streamId = randomUUID();
  let released = false;
  const subs: RoutedSubscription[] = options.topics.map((pattern) =>
    bus.subscribeRouted({
      capsuleUuid: streamId,
      pattern,
      capsuleLabel: 'gateway',
      label: options.label,
      ...(options.scope === undefined ? {} : { scope: { principal: options.scope } }),
      ...(options.maxQueueMessages === undefined
        ? {}
        : { maxQueueMessages: options.maxQueueMessages }),
    }),
  );
  const release = (): void => {
    if (released) return;
    released = true;
    for (const sub of subs) sub.close();
  };
  void (async () => {
    let failure: unknown;
    try {
      while (!released && !subs.some((sub) => sub.closed)) {
        await anyReady(subs);
        for (const m of drainInOrder(subs)) if (!released) onMessage(m);
      }
    } catch (e) {
      failure = e;
    }
    // The bus closed (or a handler failed): end the stream rather than leave it silent.
    if (!released) {
      release();
      onEnd(failure);
    }
  })();
  return release;
}
