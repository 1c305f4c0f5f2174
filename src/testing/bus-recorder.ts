import { AstridError } from '../core/errors.js';
import { routeMatches } from '../core/topics/route-matcher.js';
import type { BroadcastSubscription, BusTransport } from '../events/bus-transport.js';
import { guestPayloadJson } from '../events/ipc-message.js';
import type { Json } from '../events/json.js';

/** A message seen on the bus, with its payload as a guest would receive it. */
export interface RecordedMessage {
  readonly topic: string;
  /** The payload parsed (null when it was empty). */
  readonly payload: Json;
  /** The principal it was published for (null = the system). */
  readonly principal: string | null;
  /** The publisher's source id (a capsule's is its engine session id). */
  readonly sourceId: string;
  /** Bus sequence number. */
  readonly seq: number;
}

export type MessageFilter = (message: RecordedMessage) => boolean;

/**
 * Whether `topic` matches `pattern` the way a subscription does: `*` is one
 * segment, and a trailing `.*` is one or more. No pattern matches all. Pure.
 */
export function topicFilter(pattern: string | undefined): MessageFilter {
  if (pattern === undefined) return () => true;
  return (m) => routeMatches(pattern, m.topic);
}

interface Waiter {
  readonly filter: MessageFilter;
  readonly from: number;
  readonly resolve: (m: RecordedMessage) => void;
}

function parsePayload(text: string): Json {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** Records every IPC message on a bus from the moment it is created, and lets tests wait for one. */
export class BusRecorder {
  private readonly messages: RecordedMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly receiver: BroadcastSubscription;
  private readonly loop: Promise<void>;

  constructor(bus: BusTransport) {
    this.receiver = bus.subscribe();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    for await (const event of this.receiver) {
      if (event.type !== 'ipc') continue;
      const m = event.message;
      const recorded: RecordedMessage = {
        topic: m.topic,
        payload: parsePayload(guestPayloadJson(m)),
        principal: m.principal,
        sourceId: m.sourceId,
        seq: m.seq,
      };
      const index = this.messages.push(recorded) - 1;
      for (const w of this.waiters) {
        if (index >= w.from && w.filter(recorded)) {
          this.waiters.delete(w);
          w.resolve(recorded);
        }
      }
    }
  }

  /** How many messages were recorded (a position for `list` and `waitFor`). */
  get count(): number {
    return this.messages.length;
  }

  /** Recorded messages from position `from` that pass `filter`. */
  list(filter: MessageFilter, from = 0): RecordedMessage[] {
    return this.messages.slice(from).filter(filter);
  }

  /**
   * The first message from position `from` that passes `filter`, waiting up
   * to `timeoutMs` for it; a `timeout` error describing `what` otherwise.
   */
  waitFor(
    filter: MessageFilter,
    options: { from?: number; timeoutMs: number; what: string },
  ): Promise<RecordedMessage> {
    const from = options.from ?? 0;
    const seen = this.list(filter, from)[0];
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new AstridError('timeout', `no ${options.what} within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      const waiter: Waiter = {
        filter,
        from,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Stops recording (pending waits time out as usual). */
  async close(): Promise<void> {
    this.receiver.close();
    await this.loop;
  }
}
