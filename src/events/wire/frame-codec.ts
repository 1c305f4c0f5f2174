import { AstridError } from '../../core/errors.js';

/** Every frame: a u32 big-endian length, then that many bytes of UTF-8 JSON. */
export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/**
 * Incremental frame decoder: `push` socket chunks, then take whole frame
 * bodies with `next` one at a time. A declared length over `maxFrame` is an
 * error before any of that body is buffered; the limit can change between
 * frames (a small one for the handshake, a larger one afterwards).
 */
export class FrameDecoder {
  maxFrame: number;
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(maxFrame: number) {
    this.maxFrame = maxFrame;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete frame body, or null until more bytes arrive. */
  next(): Buffer | null {
    if (this.buffered < 4) return null;
    const length = this.joined().readUInt32BE(0);
    if (length > this.maxFrame) {
      throw new AstridError(
        'too-large',
        `frame of ${length} bytes exceeds the ${this.maxFrame}-byte limit`,
      );
    }
    if (this.buffered < 4 + length) return null;
    const all = this.joined();
    const body = all.subarray(4, 4 + length);
    const rest = all.subarray(4 + length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return body;
  }

  /** Every complete frame available now. */
  drain(): Buffer[] {
    const out: Buffer[] = [];
    for (let f = this.next(); f !== null; f = this.next()) out.push(f);
    return out;
  }

  /** Removes and returns the bytes buffered after the last whole frame. */
  takeRest(): Buffer {
    const rest = this.buffered === 0 ? Buffer.alloc(0) : this.joined();
    this.chunks = [];
    this.buffered = 0;
    return rest;
  }

  get pendingBytes(): number {
    return this.buffered;
  }

  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }
}

/** Parses a frame body as JSON; null if it is not JSON. */
export function parseFrame(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
