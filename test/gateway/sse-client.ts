import { type ClientRequest, type IncomingHttpHeaders, request } from 'node:http';
import { parseSseFrames, type SseFrame } from '../../src/gateway/sse/sse-frame.js';

export interface SseResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/**
 * Reads a gateway event stream over a real HTTP connection, frame by
 * frame: `next` waits for the next frame matching a predicate, `ended`
 * resolves when the server ends the response, `close` hangs up.
 */
export class SseClient {
  readonly frames: SseFrame[] = [];
  readonly response: SseResponse;
  private readonly req: ClientRequest;
  private readonly waiters: (() => void)[] = [];
  private cursor = 0;
  private done = false;
  readonly ended: Promise<void>;

  private constructor(req: ClientRequest, response: SseResponse, ended: Promise<void>) {
    this.req = req;
    this.response = response;
    this.ended = ended;
  }

  static open(
    url: string,
    options: { method?: string; bearer?: string; body?: unknown } = {},
  ): Promise<SseClient> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: options.method ?? 'GET',
        headers: {
          accept: 'text/event-stream',
          ...(options.bearer === undefined ? {} : { authorization: `Bearer ${options.bearer}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
      req.once('error', reject);
      req.once('response', (res) => {
        let rest = '';
        let client: SseClient | null = null;
        const ended = new Promise<void>((done) => {
          res.once('end', done);
          res.once('close', done);
        });
        client = new SseClient(req, { status: res.statusCode ?? 0, headers: res.headers }, ended);
        const self = client;
        void ended.then(() => {
          self.done = true;
          self.wake();
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const parsed = parseSseFrames(rest + chunk);
          rest = parsed.rest;
          self.frames.push(...parsed.frames);
          self.wake();
        });
        resolve(client);
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** The next frame (after those already returned) matching `match`; rejects after `ms`. */
  async next(match: (f: SseFrame) => boolean = () => true, ms = 5000): Promise<SseFrame> {
    const deadline = Date.now() + ms;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++] as SseFrame;
        if (match(frame)) return frame;
      }
      if (this.done) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching frame in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next `event` frame with this name, its data parsed. */
  async event(name: string, ms = 5000): Promise<unknown> {
    const f = await this.next((x) => x.kind === 'event' && x.event === name, ms);
    return f.kind === 'event' ? JSON.parse(f.data) : undefined;
  }

  /** Every event frame received so far, parsed. */
  events(): { event: string; data: unknown }[] {
    return this.frames.flatMap((f) =>
      f.kind === 'event' ? [{ event: f.event, data: JSON.parse(f.data) as unknown }] : [],
    );
  }

  close(): void {
    this.req.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
