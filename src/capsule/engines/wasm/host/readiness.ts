/** Something a pollable reports on. */
export interface ReadinessSource {
  ready(): boolean;
  /** Resolves when ready; rejects with the signal's reason when aborted. */
  wait(signal: AbortSignal): Promise<void>;
}

export const POLLABLE_TYPE = 'astrid:io/poll@1.0.0#Pollable';

/** The host side of an `astrid:io/poll` pollable. */
export class PollableResource {
  readonly source: ReadinessSource;

  constructor(source: ReadinessSource) {
    this.source = source;
  }
}

/** A source that is always ready (e.g. a stream that is already closed). */
export const ALWAYS_READY: ReadinessSource = {
  ready: () => true,
  wait: async () => {},
};

/**
 * Waits until at least one source is ready. Waiters on the other sources are
 * released as soon as one fires; `signal` (the capsule's cancellation)
 * rejects the whole wait.
 */
export async function waitAny(
  sources: readonly ReadinessSource[],
  signal: AbortSignal,
): Promise<void> {
  if (sources.some((s) => s.ready())) return;
  signal.throwIfAborted();
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race(sources.map((s) => s.wait(local.signal)));
  } finally {
    signal.removeEventListener('abort', onAbort);
    local.abort();
  }
}
