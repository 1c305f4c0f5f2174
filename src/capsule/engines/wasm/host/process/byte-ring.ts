import type { OverflowPolicy } from './spawn-request.js';

export interface RingSlice {
  readonly data: Uint8Array;
  /** The absolute offset just after `data`. */
  readonly next: number;
  /** Bytes between the cursor and the oldest retained byte (evicted or drained by someone else). */
  readonly bytesDropped: number;
}

/**
 * A bounded log of one output stream with absolute byte offsets: `front`
 * is the offset of the oldest retained byte, `end` the offset after the
 * newest. Drop-oldest evicts from the front to make room; backpressure
 * accepts only what fits (the caller pauses the pipe). Readers either drain
 * (advancing `front`) or read from a cursor without draining.
 */
export class ByteRing {
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  private chunks: Uint8Array[] = [];
  private headSkip = 0;
  front = 0;
  end = 0;
  /** Bytes evicted by drop-oldest. */
  dropped = 0;

  constructor(capacity: number, overflow: OverflowPolicy) {
    this.capacity = capacity;
    this.overflow = overflow;
  }

  get size(): number {
    return this.end - this.front;
  }

  get room(): number {
    return Math.max(0, this.capacity - this.size);
  }

  /** Appends; returns how many bytes were taken (always all, under drop-oldest). */
  push(bytes: Uint8Array): number {
    if (bytes.length === 0) return 0;
    if (this.overflow === 'backpressure') {
      const n = Math.min(bytes.length, this.room);
      if (n > 0) this.append(bytes.subarray(0, n));
      return n;
    }
    let data = bytes;
    if (data.length > this.capacity) {
      const skip = data.length - this.capacity;
      this.dropped += this.size + skip;
      this.front = this.end + skip;
      this.end = this.front;
      this.chunks = [];
      this.headSkip = 0;
      data = data.subarray(skip);
    }
    this.append(data);
    const over = this.size - this.capacity;
    if (over > 0) {
      this.advance(over);
      this.dropped += over;
    }
    return bytes.length;
  }

  private append(bytes: Uint8Array): void {
    this.chunks.push(Uint8Array.from(bytes));
    this.end += bytes.length;
  }

  /** Forgets `n` bytes from the front. */
  private advance(n: number): void {
    let left = n;
    while (left > 0) {
      const head = this.chunks[0] as Uint8Array;
      const avail = head.length - this.headSkip;
      if (avail <= left) {
        this.chunks.shift();
        this.headSkip = 0;
        left -= avail;
      } else {
        this.headSkip += left;
        left = 0;
      }
    }
    this.front += n;
  }

  /** Everything retained, removed. */
  drain(): Uint8Array {
    const out = this.copy(this.front, this.size);
    this.chunks = [];
    this.headSkip = 0;
    this.front = this.end;
    return out;
  }

  /** Up to `max` bytes from `cursor` (null = the oldest retained), without draining. */
  readSince(cursor: number | null, max: number): RingSlice {
    const from = cursor === null ? this.front : Math.max(cursor, this.front);
    const dropped = cursor !== null && cursor < this.front ? this.front - cursor : 0;
    if (from >= this.end)
      return {
        data: new Uint8Array(0),
        next: Math.max(from, cursor ?? from),
        bytesDropped: dropped,
      };
    const n = Math.min(max, this.end - from);
    return { data: this.copy(from, n), next: from + n, bytesDropped: dropped };
  }

  private copy(from: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let skip = from - this.front + this.headSkip;
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === n) break;
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const part = Math.min(chunk.length - skip, n - filled);
      out.set(chunk.subarray(skip, skip + part), filled);
      filled += part;
      skip = 0;
    }
    return out;
  }
}
