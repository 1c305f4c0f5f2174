/** How often streams send a keep-alive comment, and how long a prompt stream may run. */
export interface SseTimings {
  readonly keepAliveMs: number;
  readonly promptTimeoutMs: number;
}

/** Spec §1.9: a keep-alive every 15 s; a prompt stream ends after 5 minutes. */
export const DEFAULT_SSE_TIMINGS: SseTimings = Object.freeze({
  keepAliveMs: 15_000,
  promptTimeoutMs: 5 * 60_000,
});

const overrides = new WeakMap<object, SseTimings>();

/**
 * Overrides the timings of the gateway owning `ctx` (tests shorten them).
 * Read per request, so it applies to streams opened afterwards.
 */
export function setSseTimings(ctx: object, timings: Partial<SseTimings>): void {
  overrides.set(ctx, { ...sseTimings(ctx), ...timings });
}

export function sseTimings(ctx: object): SseTimings {
  return overrides.get(ctx) ?? DEFAULT_SSE_TIMINGS;
}
