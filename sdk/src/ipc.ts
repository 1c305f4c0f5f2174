/// <reference path="./wit/astrid-ipc-host.d.ts" />
import * as wit from 'astrid:ipc/host@1.0.0';
import { dispose } from './dispose.js';
import { HostError, host } from './errors.js';
import { type JsonValue, parseJson } from './json.js';

const IFACE = 'astrid:ipc/host';

/** Who a message is from, as the kernel vouches for it. */
export type Attribution =
  | { readonly kind: 'verified'; readonly principal: string }
  | { readonly kind: 'claimed'; readonly principal: string }
  | { readonly kind: 'system' };

export interface Message {
  readonly topic: string;
  /** The payload, parsed (null when it is not JSON). */
  readonly payload: JsonValue;
  /** The payload text as received. */
  readonly text: string;
  readonly sourceId: string;
  readonly from: Attribution;
}

export interface Batch {
  readonly messages: readonly Message[];
  /** Messages the kernel dropped for this subscription (queue full). */
  readonly dropped: number;
  readonly lagged: number;
}

function attribution(p: wit.PrincipalAttribution): Attribution {
  if (p.tag === 'system') return { kind: 'system' };
  return { kind: p.tag, principal: p.val };
}

function message(m: wit.IpcMessage): Message {
  let payload: JsonValue = null;
  try {
    payload = m.payload.length === 0 ? null : parseJson(m.payload, `message on ${m.topic}`);
  } catch {
    payload = null;
  }
  return {
    topic: m.topic,
    payload,
    text: m.payload,
    sourceId: m.sourceId,
    from: attribution(m.principal),
  };
}

function batch(e: wit.IpcEnvelope): Batch {
  return {
    messages: e.messages.map(message),
    dropped: Number(e.dropped),
    lagged: Number(e.lagged),
  };
}

/** Publishes a JSON value on `topic` (it must match a `[publish]` pattern of the manifest). */
export function publish(topic: string, payload: JsonValue): void {
  publishText(topic, JSON.stringify(payload));
}

/** Publishes JSON text as it is. */
export function publishText(topic: string, json: string): void {
  host(IFACE, () => wit.publish(topic, json));
}

/** Uplink capsules only: publishes for `principal` (delivered as `claimed`). */
export function publishAs(topic: string, payload: JsonValue, principal: string): void {
  host(IFACE, () => wit.publishAs(topic, JSON.stringify(payload), principal));
}

/** A routed subscription: messages queue per publishing principal and are drained fairly. */
export class Subscription {
  readonly pattern: string;
  private readonly handle: wit.Subscription;
  private closed = false;

  constructor(pattern: string, handle: wit.Subscription) {
    this.pattern = pattern;
    this.handle = handle;
  }

  private get live(): wit.Subscription {
    if (this.closed)
      throw new HostError(IFACE, 'closed', `the subscription to ${this.pattern} was closed`);
    return this.handle;
  }

  /** What is queued now (up to 1 MiB), without waiting. */
  poll(): Batch {
    const sub = this.live;
    return batch(host(IFACE, () => sub.poll()));
  }

  /**
   * Waits up to `timeoutMs` (at most 60 s) for messages; an empty batch when
   * none arrived in time.
   */
  recv(timeoutMs: number): Batch {
    const sub = this.live;
    try {
      return batch(host(IFACE, () => sub.recv(BigInt(Math.max(0, Math.floor(timeoutMs))))));
    } catch (e) {
      if ((e as { code?: string }).code === 'timeout')
        return { messages: [], dropped: 0, lagged: 0 };
      throw e;
    }
  }

  /** A pollable that is ready when a message is queued. */
  readiness(): wit.Pollable {
    return this.live.subscribeReadiness();
  }

  /**
   * Ends the subscription now, freeing its slot (a Store holds at most 128);
   * otherwise it lasts until the instance is reset. Later calls throw
   * `HostError` `closed`.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    dispose(this.handle);
  }
}

/** Subscribes to a pattern covered by a `[subscribe]` entry of the manifest. */
export function subscribe(pattern: string): Subscription {
  return new Subscription(
    pattern,
    host(IFACE, () => wit.subscribe(pattern)),
  );
}

/** The interceptor bindings the kernel made for this capsule (handler names and topics). */
export function interceptorBindings(): { action: string; topic: string }[] {
  return host(IFACE, () => wit.getInterceptorBindings()).map((b) => ({
    action: b.action,
    topic: b.topic,
  }));
}
