import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from '../../../../../core/logger.js';
import { ASTRID_VERSION } from '../../../../../core/version.js';
import { encodeFrame, FrameDecoder, parseFrame } from '../../../../../events/wire/frame-codec.js';
import { judgeHandshake, MAX_HANDSHAKE_BYTES } from '../../../../../events/wire/handshake.js';
import { Notifier } from '../notifier.js';
import { peerCredentials, socketFd } from './socket-options.js';

export const UNIX_LISTENER_TYPE = 'astrid:net/host@1.0.0#UnixListener';
export const HANDSHAKE_STEP_MS = 5000;
/** Connections waiting to be accepted; more are refused. */
export const MAX_PENDING_CONNECTIONS = 64;
/** The longest Unix socket path Linux accepts (sun_path is 108 bytes with the NUL). */
export const MAX_SOCKET_PATH = 107;

/** An accepted, authenticated connection: the socket and any bytes that followed the handshake. */
export interface AcceptedConnection {
  readonly socket: Socket;
  readonly initial: Uint8Array;
}

export type AcceptOutcome =
  | { readonly kind: 'accepted'; readonly connection: AcceptedConnection }
  | { readonly kind: 'refused'; readonly reason: string };

function readHandshake(socket: Socket): Promise<{ request: unknown; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder(MAX_HANDSHAKE_BYTES);
    const timer = setTimeout(() => finish(new Error('no handshake within 5 s')), HANDSHAKE_STEP_MS);
    const onData = (chunk: Buffer) => {
      decoder.push(chunk);
      let frame: Buffer | null;
      try {
        frame = decoder.next();
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (frame !== null) finish(null, { request: parseFrame(frame), rest: decoder.takeRest() });
    };
    const onEnd = () => finish(new Error('the client closed the connection during the handshake'));
    const finish = (err: Error | null, value?: { request: unknown; rest: Buffer }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
      socket.pause();
      if (err !== null) reject(err);
      else resolve(value as { request: unknown; rest: Buffer });
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
    socket.resume();
  });
}

function writeWithin(socket: Socket, bytes: Buffer, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the handshake reply was not taken within 5 s')),
      ms,
    );
    socket.write(bytes, (err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    });
  });
}

/**
 * A `net_bind` capsule's Unix listener (`run/capsules/<capsule>.sock`,
 * directory 0700), bound when the capsule loads and shared by all of its
 * instances. Accepting checks the peer's user id (SO_PEERCRED) against the
 * daemon's and, when the kernel has a session token, runs the daemon
 * socket handshake (version first, then a constant-time token check).
 */
export class UnixListenerHub {
  readonly path: string;
  private readonly token: string | null;
  private readonly logger: Logger;
  private server: Server | null = null;
  private pending: Socket[] = [];
  private readonly changes = new Notifier();
  private closed = false;

  constructor(path: string, token: string | null, logger: Logger) {
    this.path = path;
    this.token = token;
    this.logger = logger;
  }

  async listen(): Promise<void> {
    if (Buffer.byteLength(this.path) > MAX_SOCKET_PATH)
      throw new Error(`the socket path ${this.path} is longer than ${MAX_SOCKET_PATH} bytes`);
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await chmod(dirname(this.path), 0o700);
    await rm(this.path, { force: true });
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
      socket.on('error', () => {});
      if (this.closed || this.pending.length >= MAX_PENDING_CONNECTIONS) {
        socket.destroy();
        return;
      }
      this.pending.push(socket);
      socket.once('close', () => {
        this.pending = this.pending.filter((s) => s !== socket);
      });
      this.wake();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(this.path, 0o600);
    this.server = server;
  }

  /** Whether a connection waits to be accepted. */
  ready(): boolean {
    return this.pending.length > 0 || this.closed;
  }

  async wait(signal: AbortSignal): Promise<void> {
    await this.changes.until(() => this.ready(), signal);
  }

  /** Takes the next waiting connection and authenticates it. */
  async acceptOne(signal: AbortSignal): Promise<AcceptOutcome> {
    let socket: Socket | undefined;
    while (socket === undefined) {
      await this.wait(signal);
      socket = this.pending.shift();
      if (socket === undefined && this.closed)
        return { kind: 'refused', reason: 'the listener is closed' };
    }
    try {
      const uid = peerCredentials(socketFd(socket)).uid;
      const mine = process.geteuid?.() ?? uid;
      if (uid !== mine) {
        this.logger.warn(
          { security_event: true, peer_uid: uid, socket: this.path },
          'unix connection from another user refused',
        );
        socket.destroy();
        return { kind: 'refused', reason: `peer uid ${uid} is not the daemon's` };
      }
      if (this.token === null)
        return { kind: 'accepted', connection: { socket, initial: new Uint8Array(0) } };
      const { request, rest } = await readHandshake(socket);
      const verdict = judgeHandshake(request, this.token, ASTRID_VERSION);
      await writeWithin(socket, encodeFrame(verdict.response), HANDSHAKE_STEP_MS);
      if (!verdict.ok) {
        this.logger.warn(
          { security_event: true, reason: verdict.response.reason, socket: this.path },
          'unix handshake refused',
        );
        socket.end();
        return { kind: 'refused', reason: verdict.response.reason ?? 'handshake refused' };
      }
      const version =
        typeof (request as { client_version?: unknown }).client_version === 'string'
          ? (request as { client_version: string }).client_version.slice(0, 64)
          : 'unknown';
      this.logger.debug({ client_version: version, socket: this.path }, 'unix client connected');
      return { kind: 'accepted', connection: { socket, initial: new Uint8Array(rest) } };
    } catch (e) {
      this.logger.warn(
        {
          security_event: true,
          err: e instanceof Error ? e.message : String(e),
          socket: this.path,
        },
        'unix handshake failed',
      );
      socket.destroy();
      return { kind: 'refused', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.pending.splice(0)) s.destroy();
    this.wake();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(this.path, { force: true });
  }

  private wake(): void {
    this.changes.notify();
  }
}
