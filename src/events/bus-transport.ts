import type { PrincipalKey } from '../core/ids/principal-key.js';
import type { AstridEvent } from './astrid-event.js';
import type { IpcMessage } from './ipc-message.js';

/**
 * The seam between the kernel and the bus implementation. Everything above
 * `src/events` talks to a `BusTransport`; the in-process `EventBus` is the
 * single-machine implementation, and a NATS-backed lattice bus can implement
 * the same contract without touching callers.
 */
export interface BusTransport {
  /**
   * Publishes an event: IPC messages get the next bus-wide `seq`; broadcast
   * subscribers are fed first, then routed subscriptions. Never blocks on a
   * slow consumer. Returns the number of broadcast receivers.
   */
  publish(event: AstridEvent): number;
  /** A broadcast receiver: sees every event (or IPC events matching `topic`) from now on. */
  subscribe(options?: BroadcastOptions): BroadcastSubscription;
  /** A routed subscription with per-principal fair queues. Each call creates a new route. */
  subscribeRouted(options: RoutedOptions): RoutedSubscription;
  subscriberCount(): number;
  routedSubscriptionCount(): number;
  /** Stops the bus: receivers return what is buffered, then null. */
  close(): void;
  readonly closed: boolean;
}

export interface BroadcastOptions {
  /** Route/ACL pattern; only IPC events whose topic matches are delivered. */
  readonly topic?: string;
  /** A fixed subscriber label for metrics (see subscriber-labels.ts). */
  readonly label?: string;
}

export interface BroadcastSubscription extends AsyncIterable<AstridEvent> {
  /** Next matching event, waiting if needed; null once the bus is closed and drained. */
  recv(signal?: AbortSignal): Promise<AstridEvent | null>;
  /** Next matching event if one is buffered, else null. Never waits. */
  tryRecv(): AstridEvent | null;
  /** Events missed because this receiver fell behind the ring, since the last call. */
  drainLagged(): number;
  close(): void;
  readonly label: string;
}

export interface RoutedOptions {
  /** The subscribing capsule instance (or gateway stream) id. */
  readonly capsuleUuid: string;
  /** Route/ACL pattern. */
  readonly pattern: string;
  /** Bounded label for route metrics: the capsule name, or a fixed gateway label. */
  readonly capsuleLabel: string;
  readonly label?: string;
  /** Accept only messages from this one principal key (null = system only). */
  readonly scope?: { readonly principal: PrincipalKey };
  /** Byte budget (defaults to 1 MiB). */
  readonly budgetBytes?: number;
  /**
   * Message cap of one principal's queue (defaults to 256). Kernel services
   * that answer many requests per principal raise it.
   */
  readonly maxQueueMessages?: number;
  /** Kernel-internal waits only: also receives private topics (secret answers). */
  readonly privileged?: boolean;
}

export interface RoutedSubscription {
  readonly id: number;
  readonly capsuleUuid: string;
  readonly pattern: string;
  readonly label: string;
  readonly scope: { readonly principal: PrincipalKey } | undefined;
  /** Drains up to `budgetBytes` (default 1 MiB) in DRR order without waiting. */
  tryDrain(budgetBytes?: number, maxMessages?: number): IpcMessage[];
  /**
   * Waits for one message and returns exactly that one; everything else stays
   * queued. Null on timeout or when closed; rejects with the signal's reason
   * when aborted.
   */
  recv(timeoutMs?: number, signal?: AbortSignal): Promise<IpcMessage | null>;
  /**
   * Waits for at least one message, then drains more without waiting up to
   * `budgetBytes`. Empty on timeout or when closed. Nothing drained is lost.
   */
  recvBatch(budgetBytes?: number, timeoutMs?: number, signal?: AbortSignal): Promise<IpcMessage[]>;
  /** Routed receivers never lag (drops happen publish-side): always 0. */
  drainLagged(): number;
  /** Messages queued right now. */
  queued(): number;
  /** Resolves once at least one message is queued (or the subscription closes); rejects on abort. */
  waitReady(signal?: AbortSignal): Promise<void>;
  /** Principals with messages queued. */
  activePrincipals(): number;
  /** Per-principal queues allocated right now (0 once every principal has drained). */
  allocatedQueues(): number;
  bytesInUse(): number;
  close(): void;
  readonly closed: boolean;
}
