import type { IpcMessage } from '../../events/ipc-message.js';

/** Readiness after load. */
export type ReadyStatus = 'ready' | 'timeout' | 'crashed';

export type HealthStatus = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What an interceptor call decided (capsule-runtime §5.4). */
export type InterceptorOutcome =
  | { readonly kind: 'continue'; readonly payload: Uint8Array }
  | { readonly kind: 'final'; readonly payload: Uint8Array }
  | { readonly kind: 'deny'; readonly reason: string }
  /** This engine does not serve interceptors (run loop, unloading, no instance): the dispatcher skips it. */
  | { readonly kind: 'not-supported'; readonly reason: string };

/**
 * The contract every capsule engine (WASM, MCP, static) meets. Errors thrown
 * by `invokeInterceptor` (disabled principal, trap, timeout) let a dispatcher
 * chain continue; a `deny` outcome stops it.
 */
export interface CapsuleEngine {
  load(): Promise<void>;
  unload(): Promise<void>;
  waitReady(timeoutMs: number): Promise<ReadyStatus>;
  invokeInterceptor(
    action: string,
    payload: Uint8Array,
    caller?: IpcMessage | null,
  ): Promise<InterceptorOutcome>;
  checkHealth(): HealthStatus;
}

const encoder = new TextEncoder();

/** Maps a guest `capsule-result` to an outcome: continue / final / deny|abort / anything else continues. */
export function mapCapsuleResult(result: {
  action: string;
  data?: string | null;
}): InterceptorOutcome {
  const data = result.data ?? null;
  switch (result.action) {
    case 'final':
      return { kind: 'final', payload: data === null ? new Uint8Array(0) : encoder.encode(data) };
    case 'deny':
    case 'abort':
      return { kind: 'deny', reason: data ?? 'denied by interceptor' };
    default:
      return {
        kind: 'continue',
        payload: data === null ? new Uint8Array(0) : encoder.encode(data),
      };
  }
}
