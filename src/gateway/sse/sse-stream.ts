import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { KEEP_ALIVE_FRAME, sseEvent } from './sse-frame.js';

/**
 * One open `text/event-stream` response. The body is a stream Fastify pipes
 * to the client, so the usual hooks (security headers, metrics, logging)
 * still run; when the client goes away Fastify destroys the body, which
 * fires the close callbacks (subscriptions are released there).
 */
export class SseStream {
  private readonly body = new PassThrough();
  private readonly timer: NodeJS.Timeout;
  private readonly closers: (() => void)[] = [];
  private done = false;

  constructor(keepAliveMs: number) {
    this.timer = setInterval(() => this.write(KEEP_ALIVE_FRAME), keepAliveMs);
    this.body.on('close', () => this.finish());
    this.body.on('error', () => this.finish());
  }

  /** Starts the response: SSE headers, then the body stream. */
  open(reply: FastifyReply): FastifyReply {
    return reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(this.body);
  }

  get closed(): boolean {
    return this.done;
  }

  send(event: string, data: unknown): void {
    this.write(sseEvent(event, data));
  }

  /** Ends the response after what was written (the client sees a clean end of stream). */
  end(): void {
    if (this.done) return;
    this.body.end();
    this.finish();
  }

  /** Runs `fn` once when the stream ends for any reason (ended, client gone, error). */
  onClose(fn: () => void): void {
    if (this.done) fn();
    else this.closers.push(fn);
  }

  private write(frame: string): void {
    if (!this.done && !this.body.writableEnded) this.body.write(frame);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.timer);
    for (const fn of this.closers.splice(0)) fn();
  }
}

/**
 * The streams a route module has open. When the app closes (daemon
 * shutdown) they are ended first, so closing never waits on a client that
 * keeps listening.
 */
export class OpenStreams {
  private readonly streams = new Set<SseStream>();

  constructor(app: FastifyInstance) {
    app.addHook('preClose', (done) => {
      for (const stream of [...this.streams]) stream.end();
      done();
    });
  }

  /** A new stream, tracked until it closes. */
  create(keepAliveMs: number): SseStream {
    const stream = new SseStream(keepAliveMs);
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
    return stream;
  }

  get size(): number {
    return this.streams.size;
  }
}
