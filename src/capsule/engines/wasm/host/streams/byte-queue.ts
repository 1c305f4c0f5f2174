import type { Readable } from 'node:stream';
import { Notifier } from '../notifier.js';
import type { ReadinessSource } from '../readiness.js';

export const DEFAULT_HIGH_WATER = 1024 * 1024;

/**
 * Bytes that arrived from a source (a socket, an HTTP body, a pipe) and wait
 * for the guest. Bounded: above the high-water mark the source is paused
 * until the guest takes bytes, so memory stays flat however much flows
 * through. A readiness source: ready when bytes, the end, or an error wait.
 */
export class ByteQueue implements ReadinessSource {
  private chunks: Uint8Array[] = [];
  private offset = 0;
  private bytes = 0;
  private readonly changes = new Notifier();
  private highWater: number;
  private wanted = 0;
  private ended = false;
  private failure: Error | null = null;
  /** Called when the queue drops below its high-water mark (resume the source). */
  onSpace: (() => void) | null = null;
  /** The most bytes ever buffered at once. */
  peak = 0;
  /** Bytes pushed in total. */
  total = 0;

  constructor(highWater = DEFAULT_HIGH_WATER) {
    this.highWater = highWater;
  }

  get size(): number {
    return this.bytes;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Whether the source should pause: buffered bytes reached the mark (or what a reader is waiting for). */
  get full(): boolean {
    return this.bytes >= Math.max(this.highWater, this.wanted);
  }

  push(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.total += chunk.length;
    if (this.bytes > this.peak) this.peak = this.bytes;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: Error): void {
    if (this.failure === null) this.failure = error;
    this.ended = true;
    this.wake();
  }

  /** Removes up to `max` bytes. */
  take(max: number): Uint8Array {
    const out = this.copy(max, true);
    if (!this.full) this.onSpace?.();
    return out;
  }

  /** Copies up to `max` bytes without removing them. */
  peek(max: number): Uint8Array {
    return this.copy(max, false);
  }

  /** Drops everything buffered and ignores later pushes (receive side shut down). */
  discard(): void {
    this.chunks = [];
    this.offset = 0;
    this.bytes = 0;
    this.ended = true;
    this.wake();
  }

  private copy(max: number, consume: boolean): Uint8Array {
    const n = Math.min(Math.max(0, Math.floor(max)), this.bytes);
    const out = new Uint8Array(n);
    let filled = 0;
    let index = 0;
    let offset = this.offset;
    while (filled < n) {
      const chunk = this.chunks[index] as Uint8Array;
      const part = Math.min(chunk.length - offset, n - filled);
      out.set(chunk.subarray(offset, offset + part), filled);
      filled += part;
      offset += part;
      if (offset === chunk.length) {
        index++;
        offset = 0;
      }
    }
    if (consume) {
      this.chunks.splice(0, index);
      this.offset = offset;
      this.bytes -= n;
    }
    return out;
  }

  ready(): boolean {
    return this.bytes > 0 || this.ended;
  }

  /** Resolves when at least `n` bytes wait, or the queue ended; rejects when `signal` aborts. */
  async waitFor(n: number, signal: AbortSignal): Promise<void> {
    this.wanted = n;
    try {
      while (this.bytes < n && !this.ended) {
        if (!this.full) this.onSpace?.();
        await this.changes.next(signal);
      }
    } finally {
      this.wanted = 0;
    }
  }

  wait(signal: AbortSignal): Promise<void> {
    return this.waitFor(1, signal);
  }

  private wake(): void {
    this.changes.notify();
  }
}

/**
 * Feeds a Node readable into a queue with backpressure: the readable pauses
 * while the queue is full and resumes when the guest drains it.
 */
export function feedQueue(source: Readable, queue: ByteQueue): void {
  queue.onSpace = () => {
    if (source.isPaused() && !source.destroyed) source.resume();
  };
  source.on('data', (chunk: Buffer | string) => {
    queue.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (queue.full) source.pause();
  });
  source.once('end', () => queue.end());
  source.once('error', (e) => queue.fail(e));
  source.once('close', () => queue.end());
}
