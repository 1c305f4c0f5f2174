import type { PrincipalKey } from '../core/ids/principal-key.js';
import {
  type CompiledTopicPattern,
  compileTopicPattern,
  matchesCompiled,
} from '../core/topics/route-matcher.js';
import type { RoutedSubscription } from './bus-transport.js';
import type { IpcMessage } from './ipc-message.js';
import {
  type PushOutcome,
  ROUTE_BUDGET_BYTES,
  RouteQueue,
  type RouteQueueHooks,
} from './route-queue.js';

export interface RoutedInit {
  readonly id: number;
  readonly capsuleUuid: string;
  readonly pattern: string;
  readonly capsuleLabel: string;
  readonly label: string;
  readonly scope: { readonly principal: PrincipalKey } | undefined;
  readonly budgetBytes: number | undefined;
  readonly maxQueueMessages?: number | undefined;
  readonly privileged?: boolean;
  readonly owner: RouteOwner;
}

/** The bus side of a route: told about starvation (for metrics) and about closing. */
export interface RouteOwner {
  routeStarved(route: RoutedReceiver, key: PrincipalKey): void;
  routeClosed(route: RoutedReceiver): void;
}

/**
 * One routed subscription: a `RouteQueue` fed by the bus at publish time plus
 * a single-permit wake-up (a notify with nobody waiting is remembered once).
 */
export class RoutedReceiver implements RoutedSubscription, RouteQueueHooks {
  readonly id: number;
  readonly capsuleUuid: string;
  readonly pattern: string;
  readonly capsuleLabel: string;
  readonly label: string;
  readonly scope: { readonly principal: PrincipalKey } | undefined;
  /** Receives private topics (see private-topics.ts). */
  readonly privileged: boolean;
  readonly matcher: CompiledTopicPattern;
  private readonly queue: RouteQueue<IpcMessage>;
  private readonly owner: RouteOwner;
  private permit = false;
  // Allocated when a receiver first waits.
  private waiters: Set<() => void> | null = null;
  private isClosed = false;

  constructor(init: RoutedInit) {
    this.id = init.id;
    this.capsuleUuid = init.capsuleUuid;
    this.pattern = init.pattern;
    this.capsuleLabel = init.capsuleLabel;
    this.label = init.label;
    this.scope = init.scope;
    this.privileged = init.privileged === true;
    this.matcher = compileTopicPattern(init.pattern);
    this.queue = new RouteQueue(
      init.budgetBytes ?? ROUTE_BUDGET_BYTES,
      this,
      init.maxQueueMessages,
    );
    this.owner = init.owner;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get budget(): number {
    return this.queue.budget;
  }

  /** A scoped route accepts only its one principal key (null = system). */
  accepts(key: PrincipalKey): boolean {
    return this.scope === undefined || this.scope.principal === key;
  }

  matches(topicSegments: readonly string[]): boolean {
    return matchesCompiled(this.matcher, topicSegments);
  }

  /** @internal Called by the bus at publish time. */
  offer(message: IpcMessage, size: number): PushOutcome | null {
    // Defence in depth: the bus filters scope before calling, but never trust it.
    if (this.isClosed || !this.accepts(message.principal)) return null;
    const outcome = this.queue.push(message, message.principal, size);
    if (outcome.kind === 'queued') this.notify();
    return outcome;
  }

  /** @internal RouteQueueHooks. */
  onStarved(key: PrincipalKey): void {
    this.owner.routeStarved(this, key);
  }

  private notify(): void {
    if (this.waiters === null || this.waiters.size === 0) {
      this.permit = true;
      return;
    }
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  tryDrain(budgetBytes: number = ROUTE_BUDGET_BYTES, maxMessages?: number): IpcMessage[] {
    const out: IpcMessage[] = [];
    if (!this.isClosed) this.queue.drain(out, budgetBytes, maxMessages);
    return out;
  }

  async recv(timeoutMs?: number, signal?: AbortSignal): Promise<IpcMessage | null> {
    const got = await this.waitFor(1, ROUTE_BUDGET_BYTES, timeoutMs, signal);
    return got[0] ?? null;
  }

  async recvBatch(
    budgetBytes: number = ROUTE_BUDGET_BYTES,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<IpcMessage[]> {
    return this.waitFor(Number.POSITIVE_INFINITY, budgetBytes, timeoutMs, signal);
  }

  private async waitFor(
    maxMessages: number,
    budgetBytes: number,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<IpcMessage[]> {
    const deadline = timeoutMs === undefined ? null : Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      signal?.throwIfAborted();
      if (this.isClosed) return [];
      const out: IpcMessage[] = [];
      this.queue.drain(out, budgetBytes, maxMessages);
      if (out.length > 0) return out;
      if (this.permit) {
        this.permit = false;
        continue;
      }
      const remaining = deadline === null ? null : deadline - Date.now();
      if (remaining !== null && remaining <= 0) return [];
      const woken = await this.sleep(remaining, signal);
      if (!woken && deadline !== null && Date.now() >= deadline) return [];
    }
  }

  /** Resolves true when notified, false on timeout; rejects on abort. */
  private sleep(timeoutMs: number | null, signal: AbortSignal | undefined): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (woken: boolean) => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters?.delete(wake);
        resolve(woken);
      };
      const wake = () => finish(true);
      const onAbort = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiters?.delete(wake);
        reject(signal?.reason);
      };
      // Concurrent receivers all wake on a publish and race to drain; losers wait again.
      this.waiters ??= new Set();
      this.waiters.add(wake);
      if (timeoutMs !== null) timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  drainLagged(): number {
    return 0;
  }

  queued(): number {
    return this.queue.length;
  }

  async waitReady(signal?: AbortSignal): Promise<void> {
    while (!this.isClosed && this.queue.length === 0) {
      signal?.throwIfAborted();
      await this.sleep(null, signal);
    }
  }

  activePrincipals(): number {
    return this.queue.activePrincipals;
  }

  /** Queues allocated right now (0 for a route whose principals have all drained). */
  allocatedQueues(): number {
    return this.queue.allocatedQueues;
  }

  bytesInUse(): number {
    return this.queue.bytesInUse;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.clear();
    this.owner.routeClosed(this);
    this.notify();
  }
}
