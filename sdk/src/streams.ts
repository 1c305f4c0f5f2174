/// <reference path="./wit/astrid-io-poll.d.ts" />
/// <reference path="./wit/astrid-io-streams.d.ts" />
import * as io from 'astrid:io/poll@1.0.0';
import type * as wit from 'astrid:io/streams@1.0.0';
import { collectBytes } from './bytes.js';
import { dispose } from './dispose.js';
import { HostError, host } from './errors.js';
import { fromUtf8, utf8 } from './json.js';
import { u64 } from './numbers.js';

const IFACE = 'astrid:io/streams';
const POLL = 'astrid:io/poll';
/** What one read asks for by default. */
const CHUNK = 64 * 1024;

/** Something that becomes ready (data to read, room to write, a message queued, a child exited). */
export type Pollable = io.Pollable;

/**
 * Waits until at least one of `pollables` is ready (at most 256) and returns
 * the indices of every ready one, ascending.
 */
export function poll(pollables: readonly Pollable[]): number[] {
  return Array.from(host(POLL, () => io.poll([...pollables])));
}

/** Waits until `pollable` is ready (`HostError` `cancelled` when the capsule unloads). */
export function waitFor(pollable: Pollable): void {
  host(POLL, () => pollable.block());
}

/** A stream error variant from the host: `closed`, or `last-operation-failed` with an error resource. */
function streamError(thrown: unknown): unknown {
  const payload = (thrown as { payload?: wit.StreamError } | null)?.payload;
  if (payload?.tag === 'closed') return new HostError(IFACE, 'closed');
  if (payload?.tag === 'last-operation-failed') {
    let detail: string | undefined;
    try {
      detail = payload.val.toDebugString();
    } finally {
      dispose(payload.val);
    }
    return new HostError(IFACE, 'last-operation-failed', detail);
  }
  return thrown;
}

function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw streamError(e);
  }
}

/** Runs a read; the stream's end (`closed`) becomes null. */
function orEnd<T>(fn: () => T): T | null {
  try {
    return call(fn);
  } catch (e) {
    if (e instanceof HostError && e.code === 'closed') return null;
    throw e;
  }
}

function released(what: string): HostError {
  return new HostError(IFACE, 'closed', `the ${what} was closed by the capsule`);
}

/** The host stream behind each open `InputStream` (an output stream's splice needs it). */
const INPUTS = new WeakMap<InputStream, wit.InputStream>();

function hostInput(stream: InputStream): wit.InputStream {
  const raw = INPUTS.get(stream);
  if (raw === undefined) throw released('input stream');
  return raw;
}

/**
 * A byte stream from the host (an HTTP body, a socket). Reads return null at
 * the end of the stream; a failed read throws `HostError`
 * `last-operation-failed`, after which the stream is closed.
 */
export class InputStream {
  constructor(raw: wit.InputStream) {
    INPUTS.set(this, raw);
  }

  private get stream(): wit.InputStream {
    return hostInput(this);
  }

  /** The bytes available now, without waiting (at most `max`, capped at 1 MiB): empty when none yet, null at the end. */
  read(max = CHUNK): Uint8Array | null {
    const s = this.stream;
    return orEnd(() => s.read(u64(max, 'max')));
  }

  /** Waits for at least one byte (at most `max`); null at the end. */
  readBlocking(max = CHUNK): Uint8Array | null {
    const s = this.stream;
    return orEnd(() => s.blockingRead(u64(max, 'max')));
  }

  /** Waits for and discards up to `max` bytes; returns how many, or null at the end. */
  skip(max: number): number | null {
    const s = this.stream;
    const n = orEnd(() => s.blockingSkip(u64(max, 'max')));
    return n === null ? null : Number(n);
  }

  /** Every remaining chunk, waiting for each; ends at the end of the stream. */
  *chunks(max = CHUNK): Generator<Uint8Array, void, undefined> {
    for (;;) {
      const chunk = this.readBlocking(max);
      if (chunk === null) return;
      if (chunk.length > 0) yield chunk;
    }
  }

  /** Everything up to the end of the stream (a `RangeError` past `limit` bytes). */
  readAll(limit = 10 * 1024 * 1024): Uint8Array {
    return collectBytes(this.chunks(), limit, 'the stream');
  }

  /** Everything up to the end, decoded as UTF-8. */
  readText(limit?: number): string {
    return fromUtf8(this.readAll(limit));
  }

  /** Ready when bytes are available or the stream has ended. */
  readable(): Pollable {
    return this.stream.subscribe();
  }

  /** Releases the stream now (idempotent). */
  close(): void {
    const raw = INPUTS.get(this);
    if (raw === undefined) return;
    INPUTS.delete(this);
    dispose(raw);
  }
}

/**
 * A byte stream to the host (a socket's sending side). Writes wait for room;
 * a write after the peer went away throws `HostError` `closed`.
 */
export class OutputStream {
  private raw: wit.OutputStream | null;

  constructor(raw: wit.OutputStream) {
    this.raw = raw;
  }

  private get stream(): wit.OutputStream {
    if (this.raw === null) throw released('output stream');
    return this.raw;
  }

  /** How many bytes may be written now without waiting. */
  capacity(): number {
    const s = this.stream;
    return Number(call(() => s.checkWrite()));
  }

  /** Writes what fits now, without waiting; returns how many bytes were taken. */
  tryWrite(data: Uint8Array | string): number {
    const s = this.stream;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    const n = Math.min(bytes.length, Number(call(() => s.checkWrite())));
    if (n > 0) call(() => s.write(bytes.subarray(0, n)));
    return n;
  }

  /** Writes all of `data`, waiting for room, and waits until it is flushed. */
  write(data: Uint8Array | string): void {
    const s = this.stream;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const part = bytes.subarray(at, Math.min(at + CHUNK, bytes.length));
      call(() => s.blockingWriteAndFlush(part));
    }
  }

  /** Writes `count` zero bytes and waits until they are flushed. */
  writeZeroes(count: number): void {
    const s = this.stream;
    for (let left = Number(u64(count, 'count')); left > 0; left -= CHUNK) {
      const n = BigInt(Math.min(left, CHUNK));
      call(() => s.blockingWriteZeroesAndFlush(n));
    }
  }

  /** Waits until everything written so far has gone out. */
  flush(): void {
    const s = this.stream;
    call(() => s.blockingFlush());
  }

  /**
   * Moves up to `max` bytes from `source` into this stream, waiting for data
   * and room; returns how many, or null once `source` has ended (or this
   * stream has closed).
   */
  splice(source: InputStream, max = CHUNK): number | null {
    const s = this.stream;
    const from = hostInput(source);
    const n = orEnd(() => s.blockingSplice(from, u64(max, 'max')));
    return n === null ? null : Number(n);
  }

  /** Ready when there is room to write. */
  writable(): Pollable {
    return this.stream.subscribe();
  }

  /** Releases the stream now (idempotent). */
  close(): void {
    if (this.raw === null) return;
    const raw = this.raw;
    this.raw = null;
    dispose(raw);
  }
}
