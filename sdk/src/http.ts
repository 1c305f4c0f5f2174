/// <reference path="./wit/astrid-http-host.d.ts" />
import * as wit from 'astrid:http/host@1.0.0';
import { collectBytes } from './bytes.js';
import { dispose } from './dispose.js';
import { HostError, host } from './errors.js';
import { HttpHeaders } from './http-headers.js';
import { type RequestInit, requestData } from './http-request.js';
import { fromUtf8, type JsonValue, parseJson } from './json.js';
import { InputStream, type Pollable } from './streams.js';

export type { HeaderPair, HeadersInit } from './http-headers.js';
export { HttpHeaders } from './http-headers.js';
export type { RequestInit } from './http-request.js';

const IFACE = 'astrid:http/host';

function headersOf(pairs: readonly wit.KeyValuePair[]): HttpHeaders {
  return HttpHeaders.create(pairs.map((p) => [p.key, p.value] as const));
}

/** A buffered response (`http.fetch`). */
export class HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: HttpHeaders;
  private readonly body: Uint8Array;

  constructor(url: string, data: wit.HttpResponseData) {
    this.url = url;
    this.status = data.status;
    this.headers = headersOf(data.headers);
    this.body = data.body;
  }

  /** Whether the status is 2xx. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  bytes(): Uint8Array {
    return this.body;
  }

  text(): string {
    return fromUtf8(this.body);
  }

  /** The body parsed as JSON (a `SyntaxError` naming the URL if it is not). */
  json<T extends JsonValue = JsonValue>(): T {
    return parseJson(this.text(), `the response from ${this.url}`) as T;
  }
}

/**
 * Sends a request and reads the whole response (30 s overall, body at most
 * 10 MiB). The URL's host must be on the capsule's `net` list; errors are
 * `HostError`s such as `capability-denied`, `airlock-rejected`,
 * `invalid-request`, `timeout`, `connection-error` or `body-too-large`.
 * Any status (404, 500, …) is a response, not an error.
 */
export function fetch(url: string, init?: RequestInit): HttpResponse {
  const request = requestData(url, init);
  return new HttpResponse(
    url,
    host(IFACE, () => wit.httpRequest(request)),
  );
}

/**
 * A streaming response (`http.stream`): status and headers are known at
 * once; the body is read chunk by chunk. Close it when done (reading to the
 * end with `chunks()` or `text()` closes it).
 */
export class HttpStream {
  readonly url: string;
  readonly status: number;
  readonly headers: HttpHeaders;
  private raw: wit.HttpStream | null;

  constructor(url: string, raw: wit.HttpStream) {
    this.url = url;
    this.raw = raw;
    this.status = raw.status();
    this.headers = headersOf(raw.headers());
  }

  private get stream(): wit.HttpStream {
    if (this.raw === null)
      throw new HostError(IFACE, 'closed', 'the response stream was closed by the capsule');
    return this.raw;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The next chunk of the body (waits for it; at most 120 s); null at the end. */
  read(): Uint8Array | null {
    const s = this.stream;
    const chunk = host(IFACE, () => s.readChunk());
    return chunk.length === 0 ? null : chunk;
  }

  /** Every remaining chunk; the stream is closed when the loop ends (also on `break`). */
  *chunks(): Generator<Uint8Array, void, undefined> {
    try {
      for (let chunk = this.read(); chunk !== null; chunk = this.read()) yield chunk;
    } finally {
      this.close();
    }
  }

  /** The rest of the body (a `RangeError` past `limit` bytes); closes the stream. */
  bytes(limit = 10 * 1024 * 1024): Uint8Array {
    return collectBytes(this.chunks(), limit, `the response from ${this.url}`);
  }

  /** The rest of the body as UTF-8 text; closes the stream. */
  text(limit?: number): string {
    return fromUtf8(this.bytes(limit));
  }

  /** The body as an `astrid:io` input stream (for `io.poll` and `OutputStream.splice`). */
  body(): InputStream {
    return new InputStream(this.stream.bodyStream());
  }

  /** Ready when a chunk is available or the body has ended. */
  readable(): Pollable {
    return this.stream.subscribeReadable();
  }

  /** Ends the request and releases the stream (idempotent). */
  close(): void {
    if (this.raw === null) return;
    const raw = this.raw;
    this.raw = null;
    try {
      host(IFACE, () => raw.close());
    } finally {
      dispose(raw);
    }
  }
}

/**
 * Starts a request and returns once the response headers arrive (30 s to
 * connect, no overall limit). At most four streams are open per principal.
 */
export function stream(url: string, init?: RequestInit): HttpStream {
  const request = requestData(url, init);
  return new HttpStream(
    url,
    host(IFACE, () => wit.httpStreamStart(request)),
  );
}
