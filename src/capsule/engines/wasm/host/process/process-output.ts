import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { ByteRing } from './byte-ring.js';
import type { OverflowPolicy } from './spawn-request.js';

/**
 * Moves one pipe into a ring. Under backpressure a chunk that does not fit
 * is held and the pipe paused — the child then blocks on its own writes —
 * until a reader drains the ring; nothing is lost.
 */
class RingFeeder {
  readonly ring: ByteRing;
  private readonly source: Readable;
  private readonly onChange: () => void;
  private pending: Uint8Array | null = null;
  ended = false;

  constructor(source: Readable, ring: ByteRing, onChange: () => void) {
    this.source = source;
    this.ring = ring;
    this.onChange = onChange;
    source.on('data', (chunk: Buffer) => {
      const taken = ring.push(chunk);
      if (taken < chunk.length) {
        this.pending = chunk.subarray(taken);
        source.pause();
      }
      onChange();
    });
    source.once('end', () => {
      this.ended = true;
      onChange();
    });
    source.once('close', () => {
      this.ended = true;
      onChange();
    });
    source.on('error', () => {});
  }

  /** Whether output is held back because the ring is full. */
  get blocked(): boolean {
    return this.pending !== null;
  }

  /** After a drain: move held bytes in, resume the pipe when all fit. */
  relieve(): void {
    if (this.pending === null) return;
    const taken = this.ring.push(this.pending);
    this.pending = taken < this.pending.length ? this.pending.subarray(taken) : null;
    if (this.pending === null && !this.source.destroyed) this.source.resume();
    this.onChange();
  }

  /** The pipe ended and everything it produced is in the ring. */
  get complete(): boolean {
    return this.ended && this.pending === null;
  }
}

export type LogStream = 'stdout' | 'stderr';

/** A child's stdout and stderr, each in a bounded ring with the given overflow policy. */
export class ProcessOutput {
  private readonly feeders: Record<LogStream, RingFeeder>;
  private readonly decoders: Record<LogStream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };

  constructor(
    stdout: Readable,
    stderr: Readable,
    capacity: number,
    overflow: OverflowPolicy,
    onChange: () => void,
  ) {
    this.feeders = {
      stdout: new RingFeeder(stdout, new ByteRing(capacity, overflow), onChange),
      stderr: new RingFeeder(stderr, new ByteRing(capacity, overflow), onChange),
    };
  }

  ring(stream: LogStream): ByteRing {
    return this.feeders[stream].ring;
  }

  /** Drains one stream as bytes. */
  drainBytes(stream: LogStream): Uint8Array {
    const out = this.feeders[stream].ring.drain();
    this.feeders[stream].relieve();
    return out;
  }

  /** Drains one stream as text (invalid UTF-8 replaced; a character split across drains is kept whole). */
  drainText(stream: LogStream): string {
    const bytes = this.drainBytes(stream);
    const d = this.decoders[stream];
    const text = d.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return this.feeders[stream].complete ? text + d.end() : text;
  }

  /** After a non-draining read, nothing changes; kept for symmetry with drains. */
  get buffered(): number {
    return this.feeders.stdout.ring.size + this.feeders.stderr.ring.size;
  }

  get dropped(): number {
    return this.feeders.stdout.ring.dropped + this.feeders.stderr.ring.dropped;
  }

  /** Whether either stream is held back by a full ring (backpressure). */
  get blocked(): boolean {
    return this.feeders.stdout.blocked || this.feeders.stderr.blocked;
  }

  /** Both pipes ended and everything is in the rings. */
  get complete(): boolean {
    return this.feeders.stdout.complete && this.feeders.stderr.complete;
  }

  /** Whether a reader has something to take (bytes buffered, or the end reached). */
  get readable(): boolean {
    return this.buffered > 0 || this.complete;
  }
}
