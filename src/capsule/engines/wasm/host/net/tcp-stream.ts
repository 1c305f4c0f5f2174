import type { Socket } from 'node:net';
import { HostError } from '../host-error.js';
import { ByteQueue, feedQueue } from '../streams/byte-queue.js';
import { isPeerGone, mapNetError, timed } from './net-errors.js';

export const TCP_STREAM_TYPE = 'astrid:net/host@1.0.0#TcpStream';
/** The largest frame, and the most one read returns. */
export const MAX_FRAME = 10 * 1024 * 1024;
/** How long a framed read waits for a frame header before answering `pending`. */
export const FRAME_HEADER_WAIT_MS = 50;
/** What a socket's write buffer may hold before writes wait. */
export const WRITE_BUDGET = 1024 * 1024;
const CLOSE_GRACE_MS = 10_000;

export type NetReadStatus =
  | { readonly tag: 'data'; readonly val: Uint8Array }
  | { readonly tag: 'closed' }
  | { readonly tag: 'pending' };

const closed = () => new HostError('closed', 'the operation was cancelled');

/**
 * The host side of a `tcp-stream`: an outbound TCP connection, a connection
 * accepted on a TCP listener, or a Unix connection accepted on the capsule's
 * listener. Reads come from a bounded queue fed by the socket (the socket
 * pauses while the guest is behind), so framed reads never lose a partly
 * received header and memory stays bounded.
 */
export class TcpStreamResource {
  readonly kind: 'tcp' | 'unix';
  readonly socket: Socket;
  readonly queue = new ByteQueue();
  readonly principal: string;
  readTimeoutMs: number | null = null;
  writeTimeoutMs: number | null = null;
  noDelay = false;
  keepAliveSecs: number | null = null;
  lingerMs: number | null = null;
  private failure: Error | null = null;
  private sendShut = false;
  dropped = false;

  constructor(socket: Socket, kind: 'tcp' | 'unix', principal: string, initial?: Uint8Array) {
    this.socket = socket;
    this.kind = kind;
    this.principal = principal;
    if (initial !== undefined && initial.length > 0) this.queue.push(initial);
    socket.on('error', (e) => {
      this.failure ??= e;
    });
    feedQueue(socket, this.queue);
    if (socket.isPaused()) socket.resume();
  }

  get family(): 4 | 6 {
    return this.socket.remoteFamily === 'IPv6' ? 6 : 4;
  }

  requireTcp(): void {
    if (this.kind !== 'tcp')
      throw new HostError(
        'not-tcp',
        'this operation needs a TCP stream; this is a Unix connection',
      );
  }

  /** One length-prefixed frame: `pending` when no header arrives within 50 ms. */
  async readFrame(cancel: AbortSignal): Promise<NetReadStatus> {
    const q = this.queue;
    const header = timed(cancel, FRAME_HEADER_WAIT_MS);
    try {
      await q.waitFor(4, header.signal);
    } catch {
      if (!header.timedOut()) throw closed();
    } finally {
      header.clear();
    }
    if (q.size < 4) return q.isEnded ? { tag: 'closed' } : { tag: 'pending' };
    const length = Buffer.from(q.peek(4)).readUInt32BE(0);
    if (length > MAX_FRAME) {
      throw new HostError(
        'unknown',
        `frame of ${length} bytes exceeds the ${MAX_FRAME}-byte limit`,
        `frame too large`,
      );
    }
    const body = timed(cancel, 5000 + Math.floor(length / 1024));
    try {
      await q.waitFor(4 + length, body.signal);
    } catch {
      if (!body.timedOut()) throw closed();
    } finally {
      body.clear();
    }
    if (q.size < 4 + length) {
      if (q.isEnded) return { tag: 'closed' };
      throw new HostError(
        'unknown',
        `the frame body (${length} bytes) did not arrive in time`,
        'frame timeout',
      );
    }
    q.take(4);
    return { tag: 'data', val: q.take(length) };
  }

  /** Waits for readable bytes (or the end) within the read timeout; false on timeout. */
  private async readable(cancel: AbortSignal): Promise<boolean> {
    const q = this.queue;
    if (q.ready()) return true;
    const limit = timed(cancel, this.kind === 'tcp' ? this.readTimeoutMs : null);
    try {
      await q.wait(limit.signal);
      return true;
    } catch {
      if (limit.timedOut()) return false;
      throw closed();
    } finally {
      limit.clear();
    }
  }

  async readBytes(max: number, cancel: AbortSignal): Promise<Uint8Array> {
    if (!(await this.readable(cancel)))
      throw new HostError('would-block', 'no data arrived within the read timeout');
    const q = this.queue;
    if (q.size > 0) return q.take(Math.min(max, MAX_FRAME));
    if (q.error !== null && !isPeerGone(q.error)) throw mapNetError(q.error);
    return new Uint8Array(0);
  }

  async peek(max: number, cancel: AbortSignal): Promise<Uint8Array> {
    if (!(await this.readable(cancel)))
      throw new HostError('would-block', 'no data arrived within the read timeout');
    return this.queue.peek(Math.min(max, MAX_FRAME));
  }

  private checkWritable(): void {
    if (this.sendShut) throw new HostError('closed', 'the sending side was shut down');
    if (this.failure !== null) {
      throw isPeerGone(this.failure)
        ? new HostError('connection-reset', this.failure.message)
        : mapNetError(this.failure);
    }
    if (this.socket.destroyed) throw new HostError('connection-reset', 'the connection is closed');
  }

  private write(bytes: Uint8Array, cancel: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(closed());
      cancel.addEventListener('abort', onAbort, { once: true });
      this.socket.write(bytes, (err) => {
        cancel.removeEventListener('abort', onAbort);
        if (err === undefined || err === null) resolve();
        else
          reject(
            isPeerGone(err) ? new HostError('connection-reset', err.message) : mapNetError(err),
          );
      });
    });
  }

  async writeFrame(data: Uint8Array, cancel: AbortSignal): Promise<void> {
    if (data.length > MAX_FRAME)
      throw new HostError('unknown', `a frame holds at most ${MAX_FRAME} bytes`, 'frame too large');
    this.checkWritable();
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    await this.write(Buffer.concat([head, data]), cancel);
  }

  /** One write of what fits in the send budget; waits (up to the write timeout) when it is full. */
  async writeBytes(data: Uint8Array, cancel: AbortSignal): Promise<number> {
    this.checkWritable();
    if (data.length === 0) return 0;
    if (this.socket.writableLength >= WRITE_BUDGET) {
      const limit = timed(cancel, this.writeTimeoutMs);
      try {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            this.socket.off('drain', onDrain);
            reject(limit.signal.reason);
          };
          const onDrain = () => {
            limit.signal.removeEventListener('abort', onAbort);
            resolve();
          };
          this.socket.once('drain', onDrain);
          limit.signal.addEventListener('abort', onAbort, { once: true });
        });
      } catch {
        if (limit.timedOut())
          throw new HostError('would-block', 'the send buffer stayed full past the write timeout');
        throw closed();
      } finally {
        limit.clear();
      }
      this.checkWritable();
    }
    const part = data.subarray(0, Math.max(0, WRITE_BUDGET - this.socket.writableLength));
    this.socket.write(part);
    return part.length;
  }

  shutdown(how: 'receive' | 'send' | 'both'): void {
    if (how === 'receive' || how === 'both') this.queue.discard();
    if ((how === 'send' || how === 'both') && !this.sendShut) {
      this.sendShut = true;
      this.socket.end();
    }
  }

  /** Closes per the linger setting: 0 resets, n waits up to n ms for a graceful close, unset closes gracefully. */
  dispose(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.queue.discard();
    const s = this.socket;
    if (s.destroyed) return;
    if (this.lingerMs === 0) {
      s.resetAndDestroy();
      return;
    }
    s.end();
    const timer = setTimeout(() => s.destroy(), this.lingerMs ?? CLOSE_GRACE_MS);
    timer.unref();
    s.once('close', () => clearTimeout(timer));
  }
}
