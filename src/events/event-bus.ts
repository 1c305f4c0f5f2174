import { Registry } from 'prom-client';
import { type PrincipalKey, principalClass } from '../core/ids/principal-key.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { type AstridEvent, eventKind } from './astrid-event.js';
import { BROADCAST_CAPACITY, BroadcastRing } from './broadcast-ring.js';
import { BusMetrics } from './bus-metrics.js';
import type {
  BroadcastOptions,
  BroadcastSubscription,
  BusTransport,
  RoutedOptions,
  RoutedSubscription,
} from './bus-transport.js';
import { ipcSize } from './ipc-message.js';
import { isPrivateTopic } from './private-topics.js';
import { RoutedReceiver, type RouteOwner } from './routed-subscription.js';
import { subscriberLabel } from './subscriber-labels.js';

export interface EventBusOptions {
  /** Broadcast ring size (default 1024). */
  readonly capacity?: number;
  /** Where the bus registers its metrics (default: a private registry). */
  readonly registry?: Registry;
  readonly logger?: Logger;
}

/** Security logs about one route are rate-limited to one line per second. */
const ROUTE_LOG_INTERVAL_MS = 1000;

/**
 * The in-process bus: a broadcast ring for kernel subscribers and routed
 * subscriptions with per-principal fair queues for guests and streams.
 */
export class EventBus implements BusTransport, RouteOwner {
  readonly metrics: BusMetrics;
  readonly registry: Registry;
  private readonly ring: BroadcastRing;
  private readonly logger: Logger;
  private seq = 0;
  private nextRouteId = 1;
  /** Copy-on-write snapshot iterated by publish. */
  private routes: readonly RoutedReceiver[] = [];
  private readonly routeLogAt = new Map<number, { at: number; suppressed: number }>();

  constructor(options: EventBusOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.registry = options.registry ?? new Registry();
    this.metrics = new BusMetrics(this.registry, () =>
      this.routes.map((r) => ({
        capsuleLabel: r.capsuleLabel,
        activePrincipals: r.activePrincipals(),
        bytesInUse: r.bytesInUse(),
      })),
    );
    this.ring = new BroadcastRing(options.capacity ?? BROADCAST_CAPACITY, (label, missed) => {
      this.metrics.receiverLagged(label, missed);
      this.logger.error(
        { security_event: true, subscriber: label, missed },
        'broadcast receiver lagged; events were dropped for it',
      );
    });
  }

  get closed(): boolean {
    return this.ring.closed;
  }

  /** The last sequence number stamped (0 before the first IPC publish). */
  get lastSeq(): number {
    return this.seq;
  }

  publish(event: AstridEvent): number {
    if (event.type === 'ipc') event.message.seq = ++this.seq;
    this.metrics.eventPublished(eventKind(event));
    const receivers = this.ring.push(event);
    if (event.type === 'ipc' && this.routes.length > 0) this.fanOut(event);
    return receivers;
  }

  private fanOut(event: Extract<AstridEvent, { type: 'ipc' }>): void {
    const message = event.message;
    const segments = message.topic.split('.');
    const secret = isPrivateTopic(message.topic);
    let size = -1;
    for (const route of this.routes) {
      if (!route.matches(segments)) continue;
      if (secret && !route.privileged) continue;
      // A scoped route never sees a foreign principal: no enqueue, no wake-up.
      if (!route.accepts(message.principal)) continue;
      if (size < 0) size = ipcSize(message);
      const outcome = route.offer(message, size);
      if (outcome === null) continue;
      if (outcome.kind === 'rejected-oversize') {
        this.metrics.routeEviction(route.capsuleLabel, message.principal);
        this.routeSecurityLog(route, message.principal, 'oversize message refused by route', size);
      } else if (outcome.evicted.length > 0) {
        for (const key of outcome.evicted) this.metrics.routeEviction(route.capsuleLabel, key);
        this.routeSecurityLog(
          route,
          outcome.evicted[0] as PrincipalKey,
          'route over budget; evicted oldest',
          size,
        );
      }
    }
  }

  private routeSecurityLog(
    route: RoutedReceiver,
    key: PrincipalKey,
    message: string,
    size: number,
  ): void {
    const now = Date.now();
    const state = this.routeLogAt.get(route.id);
    if (state !== undefined && now - state.at < ROUTE_LOG_INTERVAL_MS) {
      state.suppressed++;
      return;
    }
    this.logger.warn(
      {
        security_event: true,
        capsule: route.capsuleLabel,
        pattern: route.pattern,
        principal_class: principalClass(key),
        size,
        budget: route.budget,
        suppressed: state?.suppressed ?? 0,
      },
      message,
    );
    this.routeLogAt.set(route.id, { at: now, suppressed: 0 });
  }

  subscribe(options: BroadcastOptions = {}): BroadcastSubscription {
    return this.ring.subscribe(subscriberLabel(options.label), options.topic);
  }

  subscribeRouted(options: RoutedOptions): RoutedSubscription {
    const receiver = new RoutedReceiver({
      id: this.nextRouteId++,
      capsuleUuid: options.capsuleUuid,
      pattern: options.pattern,
      capsuleLabel: options.capsuleLabel,
      label: subscriberLabel(options.label),
      scope: options.scope,
      budgetBytes: options.budgetBytes,
      maxQueueMessages: options.maxQueueMessages,
      privileged: options.privileged === true,
      owner: this,
    });
    if (this.ring.closed) receiver.close();
    else this.routes = [...this.routes, receiver];
    return receiver;
  }

  /** @internal RouteOwner. */
  routeStarved(route: RoutedReceiver, key: PrincipalKey): void {
    this.metrics.routeStarved(route.capsuleLabel, key);
  }

  /** @internal RouteOwner. */
  routeClosed(route: RoutedReceiver): void {
    this.routes = this.routes.filter((x) => x !== route);
    this.routeLogAt.delete(route.id);
  }

  subscriberCount(): number {
    return this.ring.receiverCount;
  }

  routedSubscriptionCount(): number {
    return this.routes.length;
  }

  close(): void {
    if (this.ring.closed) return;
    this.ring.close();
    for (const route of this.routes) route.close();
  }
}
