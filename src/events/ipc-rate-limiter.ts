import { AstridError } from '../core/errors.js';
import type { PrincipalKey } from '../core/ids/principal-key.js';

/** Absolute cap on one message, whatever the quota. */
export const MAX_IPC_PAYLOAD_BYTES = 5 * 1024 * 1024;
const WINDOW_MS = 1000;
const PRUNE_ABOVE_BUCKETS = 1000;
const PRUNE_INTERVAL_MS = 60_000;

interface Window {
  start: number;
  bytes: number;
}

/**
 * Per-(capsule instance, principal) publish budget: bytes per fixed one-second
 * window against the principal's `max_ipc_throughput_bytes`. Refused bytes are
 * not charged.
 */
export class IpcRateLimiter {
  private readonly windows = new Map<string, Window>();
  private lastPrune: number;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.lastPrune = now();
  }

  /**
   * Charges `size` bytes; throws `too-large` for a message over 5 MiB and
   * `rate-limited` when the window's budget would be exceeded.
   */
  check(capsuleUuid: string, principal: PrincipalKey, size: number, maxPerSec: number): void {
    if (size > MAX_IPC_PAYLOAD_BYTES) {
      throw new AstridError(
        'too-large',
        `Payload too large: ${size} bytes exceeds the ${MAX_IPC_PAYLOAD_BYTES}-byte message cap`,
      );
    }
    const now = this.now();
    this.prune(now);
    const key = `${capsuleUuid}\u0000${principal ?? ''}\u0000${principal === null ? 's' : 'p'}`;
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { start: now, bytes: 0 };
      this.windows.set(key, window);
    } else if (now - window.start >= WINDOW_MS) {
      window.start = now;
      window.bytes = 0;
    }
    if (window.bytes + size > maxPerSec) {
      throw new AstridError(
        'rate-limited',
        `Rate limit exceeded: ${window.bytes + size} bytes in this second would pass the ${maxPerSec} bytes/s IPC quota`,
        { details: { retry_after_ms: Math.max(0, window.start + WINDOW_MS - now) } },
      );
    }
    window.bytes += size;
  }

  get bucketCount(): number {
    return this.windows.size;
  }

  private prune(now: number): void {
    if (this.windows.size <= PRUNE_ABOVE_BUCKETS || now - this.lastPrune < PRUNE_INTERVAL_MS)
      return;
    this.lastPrune = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= WINDOW_MS) this.windows.delete(key);
    }
  }
}
