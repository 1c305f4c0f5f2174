import type { Dispatcher } from 'undici';
import type { HostFunction } from '../host-dispatcher.js';
import { NewResource } from '../host-dispatcher.js';
import { HostError } from '../host-error.js';
import type { InstanceState } from '../instance-state.js';
import { POLLABLE_TYPE, PollableResource } from '../readiness.js';
import { ByteQueue, feedQueue } from '../streams/byte-queue.js';
import {
  INPUT_STREAM_TYPE,
  InputStreamResource,
  MAX_STREAM_READ,
} from '../streams/stream-resources.js';
import { HttpDeadline, mapHttpError } from './http-errors.js';
import {
  type CheckedHttpRequest,
  checkHttpRequest,
  type GuestHttpRequest,
  MAX_HTTP_BODY,
  responseHeaders,
} from './http-request-check.js';
import { discardBody, sendRequest } from './send-request.js';

const HTTP = 'astrid:http/host@1.0.0';
export const HTTP_STREAM_TYPE = `${HTTP}#HttpStream`;
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;
export const HTTP_STREAM_HEADERS_TIMEOUT_MS = 30_000;
export const HTTP_CHUNK_TIMEOUT_MS = 120_000;
/** Live streaming responses per principal per instance. */
export const MAX_HTTP_STREAMS = 4;

function audit(state: InstanceState, fn: string, fields: Record<string, unknown>): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.http',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `${HTTP}.${fn}`,
      ...fields,
    },
    'host call',
  );
}

/** A deadline as an abort signal whose reason says which deadline passed. */
function deadline(ms: number, what: string): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new HttpDeadline(`${what} took longer than ${ms / 1000} s`)),
    ms,
  );
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

function check(state: InstanceState, raw: unknown): CheckedHttpRequest {
  return checkHttpRequest(raw as GuestHttpRequest, state.host.manifest.capabilities.net);
}

/** The host side of an `http-stream`: status and headers, and a bounded queue over the body. */
export class HttpStreamResource {
  readonly principal: string;
  readonly status: number;
  readonly headers: { key: string; value: string }[];
  readonly queue = new ByteQueue();
  readonly host: string;
  private readonly body: Dispatcher.ResponseData['body'];
  private readonly onClose: (stream: HttpStreamResource) => void;
  closed = false;

  constructor(
    principal: string,
    response: {
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Dispatcher.ResponseData['body'];
    },
    host: string,
    onClose: (stream: HttpStreamResource) => void,
  ) {
    this.principal = principal;
    this.status = response.status;
    this.headers = responseHeaders(response.headers);
    this.body = response.body;
    this.host = host;
    this.onClose = onClose;
    feedQueue(response.body, this.queue);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    discardBody(this.body);
    this.queue.discard();
    this.onClose(this);
  }

  dispose(): void {
    this.close();
  }
}

function liveStreams(state: InstanceState, principal: string): number {
  return state.resources.countWhere<HttpStreamResource>(
    HTTP_STREAM_TYPE,
    (s) => !s.closed && s.principal === principal,
  );
}

function streamOf(self: unknown): HttpStreamResource | null {
  return self instanceof HttpStreamResource ? self : null;
}

/** `astrid:http`: outbound HTTP through the `net` allowlist and the SSRF airlock. */
export const HTTP_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${HTTP}#httpRequest`,
    async (state, args) => {
      const started = Date.now();
      const request = check(state, args[0]);
      return state.host.services.io.run(async () => {
        const limit = deadline(HTTP_REQUEST_TIMEOUT_MS, 'the request');
        const signal = AbortSignal.any([state.signal, limit.signal]);
        try {
          const response = await sendRequest(
            state.host.httpAgent(),
            request,
            state.host.manifest.capabilities.net,
            {
              signal,
              headersTimeoutMs: HTTP_REQUEST_TIMEOUT_MS,
              bodyTimeoutMs: HTTP_REQUEST_TIMEOUT_MS,
            },
          );
          const declared = Number(response.headers['content-length']);
          if (Number.isFinite(declared) && declared > MAX_HTTP_BODY) {
            discardBody(response.body);
            throw new HostError(
              'body-too-large',
              `the response body is ${declared} bytes; the limit is ${MAX_HTTP_BODY} (use http-stream-start)`,
            );
          }
          const parts: Buffer[] = [];
          let size = 0;
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > MAX_HTTP_BODY) {
              discardBody(response.body);
              throw new HostError(
                'body-too-large',
                `the response body exceeds ${MAX_HTTP_BODY} bytes (use http-stream-start)`,
              );
            }
            parts.push(chunk);
          }
          audit(state, 'http-request', {
            host: request.url.hostname,
            status: response.status,
            bytes: size,
            elapsed_ms: Date.now() - started,
          });
          return {
            status: response.status,
            headers: responseHeaders(response.headers),
            body: new Uint8Array(Buffer.concat(parts, size)),
          };
        } catch (e) {
          const mapped = mapHttpError(e, state.signal.aborted);
          audit(state, 'http-request', {
            host: request.url.hostname,
            error: mapped.tag,
            elapsed_ms: Date.now() - started,
          });
          throw mapped;
        } finally {
          limit.clear();
        }
      });
    },
  ],
  [
    `${HTTP}#httpStreamStart`,
    async (state, args) => {
      const started = Date.now();
      const request = check(state, args[0]);
      const principal = state.effectivePrincipal;
      if (liveStreams(state, principal) >= MAX_HTTP_STREAMS) {
        throw new HostError(
          'quota',
          `at most ${MAX_HTTP_STREAMS} streaming responses may be open at once; close one first`,
        );
      }
      return state.host.services.io.run(async () => {
        const limit = deadline(HTTP_STREAM_HEADERS_TIMEOUT_MS, 'waiting for the response headers');
        try {
          const response = await sendRequest(
            state.host.httpAgent(),
            request,
            state.host.manifest.capabilities.net,
            {
              signal: AbortSignal.any([state.signal, limit.signal]),
              headersTimeoutMs: HTTP_STREAM_HEADERS_TIMEOUT_MS,
              bodyTimeoutMs: 0,
            },
          );
          // Re-check: another call of this instance may have opened one meanwhile.
          if (liveStreams(state, principal) >= MAX_HTTP_STREAMS) {
            discardBody(response.body);
            throw new HostError(
              'quota',
              `at most ${MAX_HTTP_STREAMS} streaming responses may be open at once`,
            );
          }
          audit(state, 'http-stream-start', {
            host: request.url.hostname,
            status: response.status,
            elapsed_ms: Date.now() - started,
          });
          const stream = new HttpStreamResource(principal, response, request.url.hostname, (s) =>
            audit(state, 'http-stream.close', {
              host: s.host,
              bytes: s.queue.total,
              peak_buffered: s.queue.peak,
            }),
          );
          return new NewResource(HTTP_STREAM_TYPE, stream);
        } catch (e) {
          const mapped = mapHttpError(e, state.signal.aborted);
          audit(state, 'http-stream-start', {
            host: request.url.hostname,
            error: mapped.tag,
            elapsed_ms: Date.now() - started,
          });
          throw mapped;
        } finally {
          limit.clear();
        }
      });
    },
  ],
  [
    `${HTTP_STREAM_TYPE}.status`,
    (_state, _args, self) => {
      const s = streamOf(self);
      return s === null || s.closed ? 0 : s.status;
    },
  ],
  [
    `${HTTP_STREAM_TYPE}.headers`,
    (_state, _args, self) => {
      const s = streamOf(self);
      return s === null || s.closed ? [] : s.headers;
    },
  ],
  [
    `${HTTP_STREAM_TYPE}.readChunk`,
    async (state, _args, self) => {
      const s = streamOf(self);
      if (s === null || s.closed) throw new HostError('closed', 'the stream is closed');
      const started = Date.now();
      const q = s.queue;
      if (q.size === 0 && !q.isEnded) {
        await state.host.services.io.run(async () => {
          const limit = deadline(HTTP_CHUNK_TIMEOUT_MS, 'waiting for the next chunk');
          try {
            await q.wait(AbortSignal.any([state.signal, limit.signal]));
          } catch (e) {
            throw mapHttpError(e, state.signal.aborted);
          } finally {
            limit.clear();
          }
        });
      }
      if (q.size > 0) {
        const chunk = q.take(MAX_STREAM_READ);
        audit(state, 'http-stream.read-chunk', {
          bytes: chunk.length,
          elapsed_ms: Date.now() - started,
        });
        return chunk;
      }
      if (q.error !== null) throw mapHttpError(q.error, false);
      return new Uint8Array(0);
    },
  ],
  [
    `${HTTP_STREAM_TYPE}.close`,
    (_state, _args, self) => {
      streamOf(self)?.close();
    },
  ],
  [
    `${HTTP_STREAM_TYPE}.subscribeReadable`,
    (_state, _args, self) => {
      const s = streamOf(self);
      return new NewResource(
        POLLABLE_TYPE,
        new PollableResource(s === null ? new ByteQueue() : s.queue),
      );
    },
  ],
  [
    `${HTTP_STREAM_TYPE}.bodyStream`,
    (_state, _args, self) => {
      const s = streamOf(self);
      const queue = s?.queue ?? endedQueue();
      return new NewResource(INPUT_STREAM_TYPE, new InputStreamResource(queue));
    },
  ],
];

function endedQueue(): ByteQueue {
  const q = new ByteQueue();
  q.end();
  return q;
}
