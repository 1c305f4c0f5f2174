/// <reference path="./wit/astrid-net-host.d.ts" />
import * as wit from 'astrid:net/host@1.0.0';
import { dispose } from './dispose.js';
import { HostError, host } from './errors.js';
import { utf8 } from './json.js';
import { optionalNum, optionalU64, u16, u32, u64 } from './numbers.js';
import { time } from './runtime.js';
import { InputStream, OutputStream, type Pollable } from './streams.js';

/*
 * Outbound TCP needs a `net_connect` entry (`host:port` or `host:*`) and
 * every address passes the SSRF airlock; listeners and UDP need `net_bind`
 * entries (`tcp:<host>:<port|*>`, `udp:<host>:<port|*>`; any entry grants
 * the capsule's Unix listener). Errors are `HostError`s with the contract's
 * codes: `capability-denied`, `airlock-rejected`, `connection-refused`,
 * `timeout`, `would-block`, `quota`, `not-tcp`, …
 */

const IFACE = 'astrid:net/host';

export type ShutdownHow = wit.ShutdownHow;
/** The most one read asks for by default. */
const CHUNK = 64 * 1024;

function call<T>(fn: () => T): T {
  return host(IFACE, fn);
}

/** Base of every socket wrapper: the host handle, released by `close()`. */
abstract class HostHandle<R extends object> {
  private raw: R | null;
  private readonly what: string;

  protected constructor(raw: R, what: string) {
    this.raw = raw;
    this.what = what;
  }

  protected get handle(): R {
    if (this.raw === null) throw new HostError(IFACE, 'closed', `the ${this.what} was closed`);
    return this.raw;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.raw === null;
  }

  /** Releases the handle now (idempotent); the host closes the socket. */
  close(): void {
    if (this.raw === null) return;
    const raw = this.raw;
    this.raw = null;
    dispose(raw);
  }
}

/**
 * A connected stream socket: outbound TCP, or a client of the capsule's
 * Unix listener (which answers `not-tcp` to the address and option calls).
 */
export class TcpStream extends HostHandle<wit.TcpStream> {
  constructor(raw: wit.TcpStream) {
    super(raw, 'stream');
  }

  /** Waits for bytes and returns up to `max` of them; null when the peer has closed its side. */
  read(max = CHUNK): Uint8Array | null {
    const s = this.handle;
    const bytes = call(() => s.readBytes(u32(max, 'max')));
    return bytes.length === 0 ? null : bytes;
  }

  /** The bytes waiting to be read, without consuming them (TCP only). */
  peek(max = CHUNK): Uint8Array {
    const s = this.handle;
    return call(() => s.peek(u32(max, 'max')));
  }

  /** Writes all of `data` (text as UTF-8). */
  write(data: Uint8Array | string): void {
    const s = this.handle;
    let bytes = typeof data === 'string' ? utf8(data) : data;
    while (bytes.length > 0) {
      const part = bytes;
      const n = call(() => s.writeBytes(part));
      bytes = bytes.subarray(n);
    }
  }

  /** Writes one frame: a 4-byte big-endian length, then `data`. */
  writeFrame(data: Uint8Array | string): void {
    const s = this.handle;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    call(() => s.write(bytes));
  }

  /**
   * Reads one length-prefixed frame; null when the peer closed. Waits up to
   * `timeoutMs` (default: until a frame arrives), then throws `HostError`
   * `timeout`.
   */
  readFrame(timeoutMs?: number): Uint8Array | null {
    const s = this.handle;
    const deadline =
      timeoutMs === undefined
        ? undefined
        : time.monotonicNs() + u64(timeoutMs, 'timeoutMs') * 1_000_000n;
    for (;;) {
      const status = call(() => s.read());
      if (status.tag === 'data') return status.val;
      if (status.tag === 'closed') return null;
      if (deadline !== undefined && time.monotonicNs() >= deadline)
        throw new HostError(IFACE, 'timeout', `no frame within ${timeoutMs} ms`);
    }
  }

  /** Closes the reading side, the writing side, or both (TCP only). */
  shutdown(how: ShutdownHow = 'both'): void {
    const s = this.handle;
    call(() => s.shutdown(how));
  }

  /** `ip:port` of the peer (TCP only). */
  peerAddress(): string {
    const s = this.handle;
    return call(() => s.peerAddr());
  }

  /** `ip:port` of this end (TCP only). */
  localAddress(): string {
    const s = this.handle;
    return call(() => s.localAddr());
  }

  setNoDelay(on: boolean): void {
    const s = this.handle;
    call(() => s.setNodelay(on));
  }

  noDelay(): boolean {
    const s = this.handle;
    return call(() => s.nodelay());
  }

  /** How long `read` waits before `HostError` `would-block` (undefined: no limit). */
  setReadTimeout(ms: number | undefined): void {
    const s = this.handle;
    call(() => s.setReadTimeout(optionalU64(ms, 'ms')));
  }

  readTimeout(): number | undefined {
    const s = this.handle;
    return optionalNum(call(() => s.readTimeout()));
  }

  setWriteTimeout(ms: number | undefined): void {
    const s = this.handle;
    call(() => s.setWriteTimeout(optionalU64(ms, 'ms')));
  }

  writeTimeout(): number | undefined {
    const s = this.handle;
    return optionalNum(call(() => s.writeTimeout()));
  }

  /** TCP keep-alive probes every `seconds` (undefined turns them off). */
  setKeepAlive(seconds: number | undefined): void {
    const s = this.handle;
    call(() => s.setKeepalive(optionalU64(seconds, 'seconds')));
  }

  keepAlive(): number | undefined {
    const s = this.handle;
    return optionalNum(call(() => s.keepalive()));
  }

  /** The IP time-to-live of outgoing packets. */
  setHopLimit(hops: number): void {
    const s = this.handle;
    call(() => s.setHopLimit(u32(hops, 'hops')));
  }

  hopLimit(): number {
    const s = this.handle;
    return call(() => s.hopLimit());
  }

  /** How long closing waits for unsent data (undefined: the OS default). */
  setLinger(ms: number | undefined): void {
    const s = this.handle;
    call(() => s.setLinger(optionalU64(ms, 'ms')));
  }

  linger(): number | undefined {
    const s = this.handle;
    return optionalNum(call(() => s.linger()));
  }

  setReuseAddress(on: boolean): void {
    const s = this.handle;
    call(() => s.setReuseaddr(on));
  }

  reuseAddress(): boolean {
    const s = this.handle;
    return call(() => s.reuseaddr());
  }

  /** Ready when bytes (or the peer's close) are waiting. */
  readable(): Pollable {
    return this.handle.subscribeReadable();
  }

  /** The connection as `astrid:io` streams (for `io.poll` and `splice`). */
  streams(): { readonly input: InputStream; readonly output: OutputStream } {
    const s = this.handle;
    return { input: new InputStream(s.readStream()), output: new OutputStream(s.writeStream()) };
  }
}

/** Connects to `host:port` (10 s; `net_connect` must list it and the airlock must allow every address). */
export function connect(hostName: string, port: number): TcpStream {
  return new TcpStream(call(() => wit.connectTcp(hostName, u16(port, 'port'))));
}

/** The addresses `hostName` resolves to that the airlock allows (needs `net_connect` `host:*` or `host:0`). */
export function lookup(hostName: string): string[] {
  return call(() => wit.lookupHost(hostName));
}

/** The capsule's Unix listener (`run/capsules/<capsule>.sock`); clients must present the session token. */
export class UnixListener extends HostHandle<wit.UnixListener> {
  constructor(raw: wit.UnixListener) {
    super(raw, 'listener');
  }

  /** The next authenticated client: waits up to `timeoutMs` (at most 60 s) and returns null if none came; without a timeout waits until one does. */
  accept(timeoutMs?: number): TcpStream | null {
    const l = this.handle;
    if (timeoutMs === undefined) return new TcpStream(call(() => l.accept()));
    const s = call(() => l.pollAccept(u64(timeoutMs, 'timeoutMs')));
    return s === undefined ? null : new TcpStream(s);
  }

  /** Ready when a client is waiting. */
  readable(): Pollable {
    return this.handle.subscribeReadiness();
  }
}

/** A handle on the capsule's Unix listener (any `net_bind` entry). */
export function listenUnix(): UnixListener {
  return new UnixListener(call(() => wit.bindUnix()));
}

/** A TCP listener (`net_bind` `tcp:<host>:<port|*>`). */
export class TcpListener extends HostHandle<wit.TcpListener> {
  constructor(raw: wit.TcpListener) {
    super(raw, 'listener');
  }

  /** The next connection: waits up to `timeoutMs` (at most 60 s) and returns null if none came; without a timeout waits until one does. */
  accept(timeoutMs?: number): TcpStream | null {
    const l = this.handle;
    if (timeoutMs === undefined) return new TcpStream(call(() => l.accept()));
    const s = call(() => l.pollAccept(u64(timeoutMs, 'timeoutMs')));
    return s === undefined ? null : new TcpStream(s);
  }

  /** `ip:port` the listener is bound to (the port the OS chose for port 0). */
  localAddress(): string {
    const l = this.handle;
    return call(() => l.localAddr());
  }

  readable(): Pollable {
    return this.handle.subscribeReadiness();
  }
}

/** Listens on `host:port` (port 0: any free port; see `localAddress`). */
export function listenTcp(hostName: string, port: number): TcpListener {
  return new TcpListener(call(() => wit.bindTcp(hostName, u16(port, 'port'))));
}

export type Datagram = {
  readonly data: Uint8Array;
  readonly host: string;
  readonly port: number;
};

/** A UDP socket; every peer must be on `net_connect` and pass the airlock. */
export class UdpSocket extends HostHandle<wit.UdpSocket> {
  constructor(raw: wit.UdpSocket) {
    super(raw, 'socket');
  }

  /** Sends one datagram to `host:port`; returns the bytes sent. */
  sendTo(data: Uint8Array | string, peerHost: string, peerPort: number): number {
    const u = this.handle;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return call(() => u.sendTo(bytes, peerHost, u16(peerPort, 'port')));
  }

  /** The next datagram (up to `max` bytes of it), or null when the read timeout passed. */
  receiveFrom(max = CHUNK): Datagram | null {
    const u = this.handle;
    const d = call(() => u.recvFrom(u32(max, 'max')));
    return d === undefined ? null : { data: d.data, host: d.peerHost, port: d.peerPort };
  }

  /** Fixes the peer for `send`/`receive`. */
  connect(peerHost: string, peerPort: number): void {
    const u = this.handle;
    call(() => u.connect(peerHost, u16(peerPort, 'port')));
  }

  disconnect(): void {
    const u = this.handle;
    call(() => u.disconnect());
  }

  /** Sends to the connected peer. */
  send(data: Uint8Array | string): number {
    const u = this.handle;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return call(() => u.send(bytes));
  }

  /** The next datagram's bytes, or null when the read timeout passed. */
  receive(max = CHUNK): Uint8Array | null {
    const u = this.handle;
    return call(() => u.recv(u32(max, 'max'))) ?? null;
  }

  /** The connected peer (`ip:port`), or null. */
  peerAddress(): string | null {
    const u = this.handle;
    return call(() => u.peerAddr()) ?? null;
  }

  localAddress(): string {
    const u = this.handle;
    return call(() => u.localAddr());
  }

  /** How long receives wait (undefined: until a datagram comes). */
  setReadTimeout(ms: number | undefined): void {
    const u = this.handle;
    call(() => u.setReadTimeout(optionalU64(ms, 'ms')));
  }

  readable(): Pollable {
    return this.handle.subscribeReadable();
  }
}

/** A UDP socket bound to `host:port` (`net_bind` `udp:<host>:<port|*>`; port 0: any). */
export function udp(hostName: string, port: number): UdpSocket {
  return new UdpSocket(call(() => wit.udpBind(hostName, u16(port, 'port'))));
}
