import type { Socket } from 'node:net';
import { NewResource } from '../host-dispatcher.js';
import { HostError } from '../host-error.js';
import { Notifier } from '../notifier.js';
import type { ReadinessSource } from '../readiness.js';
import type { ByteQueue } from './byte-queue.js';

export const INPUT_STREAM_TYPE = 'astrid:io/streams@1.0.0#InputStream';
export const OUTPUT_STREAM_TYPE = 'astrid:io/streams@1.0.0#OutputStream';
export const ERROR_TYPE = 'astrid:io/error@1.0.0#Error';
/** The most bytes one stream read returns. */
export const MAX_STREAM_READ = 1024 * 1024;
/** Bytes an output stream accepts before the guest must wait for a flush. */
export const OUTPUT_BUDGET = 1024 * 1024;

/** The host side of an `astrid:io/error` resource: what went wrong. */
export class IoErrorResource {
  readonly message: string;

  constructor(message: string) {
    this.message = message;
  }

  toString(): string {
    return this.message;
  }
}

/** `last-operation-failed(error)`: the error resource goes to the guest with the variant. */
export function operationFailed(message: string): HostError {
  return new HostError(
    'last-operation-failed',
    message,
    new NewResource(ERROR_TYPE, new IoErrorResource(message)),
  );
}

export const closedStream = (): HostError => new HostError('closed', 'the stream is closed');

/** The host side of an `astrid:io/streams` input-stream: a view on a byte queue. */
export class InputStreamResource {
  readonly queue: ByteQueue;
  private readonly release: (() => void) | null;
  private failedReported = false;

  constructor(queue: ByteQueue, release: (() => void) | null = null) {
    this.queue = queue;
    this.release = release;
  }

  /** Non-blocking: up to `len` buffered bytes (empty = none yet); `closed` at the end. */
  read(len: number): Uint8Array {
    const q = this.queue;
    if (q.size > 0) return q.take(Math.min(len, MAX_STREAM_READ));
    if (q.error !== null && !this.failedReported) {
      this.failedReported = true;
      throw operationFailed(q.error.message);
    }
    if (q.isEnded) throw closedStream();
    return new Uint8Array(0);
  }

  async blockingRead(len: number, signal: AbortSignal): Promise<Uint8Array> {
    if (len > 0) {
      try {
        await this.queue.wait(signal);
      } catch {
        throw closedStream();
      }
    }
    return this.read(len);
  }

  get readiness(): ReadinessSource {
    return this.queue;
  }

  dispose(): void {
    this.release?.();
  }
}

/**
 * The host side of an output-stream over a socket: `check-write` grants what
 * fits in the send budget; a write beyond the last grant traps, as the
 * contract says.
 */
export class OutputStreamResource implements ReadinessSource {
  private readonly socket: Socket;
  private permit = 0;
  private failure: Error | null = null;
  private failedReported = false;
  private readonly changes = new Notifier();

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('drain', () => this.wake());
    socket.on('close', () => this.wake());
    socket.on('error', (e) => {
      this.failure ??= e;
      this.wake();
    });
  }

  private get closed(): boolean {
    return this.socket.destroyed || this.socket.writableEnded;
  }

  private checkOpen(): void {
    if (this.failure !== null && !this.failedReported) {
      this.failedReported = true;
      throw operationFailed(this.failure.message);
    }
    if (this.closed) throw closedStream();
  }

  checkWrite(): number {
    this.checkOpen();
    this.permit = Math.max(0, OUTPUT_BUDGET - this.socket.writableLength);
    return this.permit;
  }

  write(bytes: Uint8Array): void {
    this.checkOpen();
    if (bytes.length > this.permit) {
      throw new Error(
        `output-stream.write of ${bytes.length} bytes exceeds the ${this.permit} granted by check-write`,
      );
    }
    this.permit -= bytes.length;
    if (bytes.length > 0) this.socket.write(bytes);
  }

  async flushed(signal: AbortSignal): Promise<void> {
    while (this.socket.writableLength > 0 && !this.closed && this.failure === null) {
      try {
        await this.changes.next(signal);
      } catch {
        throw closedStream();
      }
    }
    this.checkOpen();
  }

  /** Waits for room, writes everything, then waits for the flush. */
  async writeAll(bytes: Uint8Array, signal: AbortSignal): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      this.checkOpen();
      const room = OUTPUT_BUDGET - this.socket.writableLength;
      if (room <= 0) {
        try {
          await this.changes.next(signal);
        } catch {
          throw closedStream();
        }
        continue;
      }
      const part = bytes.subarray(offset, offset + room);
      this.socket.write(part);
      offset += part.length;
    }
    await this.flushed(signal);
  }

  ready(): boolean {
    return this.closed || this.failure !== null || this.socket.writableLength < OUTPUT_BUDGET;
  }

  async wait(signal: AbortSignal): Promise<void> {
    await this.changes.until(() => this.ready(), signal);
  }

  private wake(): void {
    this.changes.notify();
  }
}
