import { createConnection, type Socket } from 'node:net';
import { AstridError } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { decodeIpcMessage, type IpcMessage } from '../../events/ipc-message.js';
import { encodeFrame, FrameDecoder, parseFrame } from '../../events/wire/frame-codec.js';
import {
  type HandshakeResponse,
  MAX_HANDSHAKE_BYTES,
  PROTOCOL_VERSION,
} from '../../events/wire/handshake.js';

export const CLIENT_MAX_FRAME = 50 * 1024 * 1024;
export const CLIENT_STEP_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  readonly path: string;
  readonly token: string;
  readonly clientVersion: string;
  readonly principal?: PrincipalId;
  readonly timeoutMs?: number;
}

/**
 * A client connection to the daemon socket: connect, handshake, then
 * exchange IPC message frames. Inbound frames that are not IPC messages are
 * skipped; an inbound frame over 50 MiB is fatal.
 */
export class SocketConnection {
  private readonly socket: Socket;
  private readonly listeners: ((m: IpcMessage) => void)[] = [];
  private readonly closeListeners: ((reason: string) => void)[] = [];
  readonly serverVersion: string;

  private constructor(socket: Socket, serverVersion: string) {
    this.socket = socket;
    this.serverVersion = serverVersion;
  }

  static async connect(options: ConnectOptions): Promise<SocketConnection> {
    const timeoutMs = options.timeoutMs ?? CLIENT_STEP_TIMEOUT_MS;
    const socket = createConnection(options.path);
    const decoder = new FrameDecoder(MAX_HANDSHAKE_BYTES);
    let onEarlyClose: (() => void) | null = null;
    const response = await new Promise<HandshakeResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new AstridError(
            'timeout',
            `the daemon did not answer the handshake within ${timeoutMs / 1000} s`,
          ),
        );
      }, timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        const code = (e as NodeJS.ErrnoException).code;
        reject(
          code === 'ENOENT' || code === 'ECONNREFUSED'
            ? new AstridError(
                'unavailable',
                `the daemon is not running (no socket at ${options.path}); start it with \`astrid start\``,
              )
            : e,
        );
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.write(
          encodeFrame({
            token: options.token,
            protocol_version: PROTOCOL_VERSION,
            client_version: options.clientVersion,
            ...(options.principal === undefined ? {} : { principal: options.principal }),
          }),
        );
      });
      const onData = (chunk: Buffer) => {
        decoder.push(chunk);
        let frame: Buffer | null;
        try {
          frame = decoder.next();
        } catch (e) {
          fail(e as Error);
          return;
        }
        if (frame === null) return;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', fail);
        const parsed = parseFrame(frame) as HandshakeResponse | null;
        if (parsed === null || (parsed.status !== 'ok' && parsed.status !== 'error')) {
          socket.destroy();
          reject(new AstridError('invalid-input', 'the daemon sent a malformed handshake answer'));
          return;
        }
        resolve(parsed);
      };
      socket.on('data', onData);
      onEarlyClose = () =>
        fail(
          new AstridError('unavailable', 'the daemon closed the connection during the handshake'),
        );
      socket.once('close', onEarlyClose);
    });
    if (onEarlyClose !== null) socket.off('close', onEarlyClose);
    if (response.status !== 'ok') {
      socket.destroy();
      const reason = response.reason ?? 'refused';
      throw new AstridError(
        reason === 'authentication failed' ? 'capability-denied' : 'unavailable',
        `the daemon refused the connection: ${reason}`,
      );
    }
    const conn = new SocketConnection(socket, response.server_version);
    decoder.maxFrame = CLIENT_MAX_FRAME;
    const pump = () => {
      let frame: Buffer | null;
      try {
        frame = decoder.next();
      } catch {
        socket.destroy(new Error('the daemon sent a frame over 50 MiB'));
        return;
      }
      for (; frame !== null; frame = decoder.next()) {
        let message: IpcMessage;
        try {
          message = decodeIpcMessage(parseFrame(frame));
        } catch {
          continue;
        }
        for (const l of conn.listeners) l(message);
      }
    };
    pump();
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      pump();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const l of conn.closeListeners) l('the daemon closed the connection');
    });
    return conn;
  }

  onMessage(listener: (m: IpcMessage) => void): void {
    this.listeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  /**
   * Starts receiving messages whose topic matches `pattern`; resolves once
   * the daemon confirms, with the scope it applied (`all`, or the principal
   * the audit feed is limited to).
   */
  subscribe(pattern: string, timeoutMs = CLIENT_STEP_TIMEOUT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new AstridError('timeout', `the daemon did not confirm the subscription to ${pattern}`),
          ),
        timeoutMs,
      );
      const listener = (m: IpcMessage) => {
        const body = m.payload.type === 'raw_json' ? m.payload.value : null;
        if (body === null || body.pattern !== pattern) return;
        if (m.topic === 'astrid.v1.socket.subscribed') {
          done();
          resolve(String(body.scope));
        } else if (m.topic === 'astrid.v1.socket.error') {
          done();
          reject(new AstridError('invalid-input', String(body.message)));
        }
      };
      const done = () => {
        clearTimeout(timer);
        const i = this.listeners.indexOf(listener);
        if (i >= 0) this.listeners.splice(i, 1);
      };
      this.listeners.push(listener);
      this.send({
        topic: 'astrid.v1.socket.subscribe',
        payload: { type: 'raw_json', value: { pattern } },
      });
    });
  }

  /** Sends a wire IPC message object. */
  send(message: Record<string, unknown>): void {
    if (this.socket.destroyed)
      throw new AstridError('unavailable', 'the connection to the daemon is closed');
    this.socket.write(encodeFrame(message));
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }
}
