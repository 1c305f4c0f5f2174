import type { InterceptorOutcome } from '../capsule/engines/engine.js';
import type { IpcMessage } from '../events/ipc-message.js';

/** One interceptor call the dispatcher made, as the test host saw it. */
export interface Invocation {
  readonly capsule: string;
  /** The handler name (`handler = "…"` in Capsule.toml). */
  readonly action: string;
  /** What it answered; `error` when the call threw (trap, timeout, refused principal). */
  readonly outcome: 'continue' | 'final' | 'deny' | 'not-supported' | 'error';
  /** The deny reason, or the error message. */
  readonly reason?: string;
}

/** The part of a loaded capsule the tracker wraps. */
export interface Invocable {
  readonly id: string;
  invokeInterceptor(
    action: string,
    payload: Uint8Array,
    caller?: IpcMessage | null,
  ): Promise<InterceptorOutcome>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Knows when the dispatcher has finished with what was published. The
 * dispatcher delivers fire-and-forget (as in the daemon); the tracker wraps
 * each loaded capsule's `invokeInterceptor` to count calls in flight, and
 * `settle()` waits until none is in flight across two event-loop turns. The
 * bus, the dispatcher's queues and its chain locks hand work on through
 * promise jobs only, so an event published before a turn has reached an
 * interceptor call (or been dropped) by the end of it.
 */
export class InvocationTracker {
  private readonly wrapped = new WeakSet<object>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly log: Invocation[] = [];

  /** Wraps capsules not yet wrapped (call it whenever the registry changes). */
  attach(capsules: readonly Invocable[]): void {
    for (const capsule of capsules) {
      if (this.wrapped.has(capsule)) continue;
      this.wrapped.add(capsule);
      const original = capsule.invokeInterceptor.bind(capsule);
      const wrapper: Invocable['invokeInterceptor'] = async (action, payload, caller) => {
        this.inFlight++;
        try {
          const out = await original(action, payload, caller);
          this.log.push({
            capsule: capsule.id,
            action,
            outcome: out.kind,
            ...(out.kind === 'deny' || out.kind === 'not-supported' ? { reason: out.reason } : {}),
          });
          return out;
        } catch (e) {
          this.log.push({
            capsule: capsule.id,
            action,
            outcome: 'error',
            reason: e instanceof Error ? e.message : String(e),
          });
          throw e;
        } finally {
          this.inFlight--;
          if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
        }
      };
      Object.defineProperty(capsule, 'invokeInterceptor', {
        value: wrapper,
        configurable: true,
        writable: true,
      });
    }
  }

  /** Invocations recorded so far (a position for `since`). */
  get count(): number {
    return this.log.length;
  }

  /** Invocations that completed after position `from`. */
  since(from: number): Invocation[] {
    return this.log.slice(from);
  }

  /** Resolves once nothing is in flight and nothing new started over two turns of the event loop. */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      await nextTurn();
      if (this.inFlight === 0) {
        quiet++;
        continue;
      }
      quiet = 0;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }
}
