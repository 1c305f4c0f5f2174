import { createSocket, type Socket } from 'node:dgram';
import { Notifier } from '../notifier.js';
import { formatSocketAddress } from './net-errors.js';

export const UDP_SOCKET_TYPE = 'astrid:net/host@1.0.0#UdpSocket';
/** UDP sockets per instance. */
export const MAX_UDP_SOCKETS = 4;
/** The largest UDP payload. */
export const MAX_DATAGRAM = 65_507;
/** Datagrams held for the guest; when full, new ones are dropped (UDP promises no delivery) and counted. */
const MAX_QUEUED = 256;

export interface Datagram {
  readonly data: Uint8Array;
  readonly host: string;
  readonly port: number;
}

/** The host side of a `udp-socket`: a bound datagram socket and its received datagrams. */
export class UdpSocketResource {
  readonly socket: Socket;
  readTimeoutMs: number | null = null;
  connectedTo: string | null = null;
  /** Datagrams dropped because the guest did not keep up. */
  dropped = 0;
  private queue: Datagram[] = [];
  private readonly changes = new Notifier();
  private closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('message', (data, info) => {
      if (this.queue.length >= MAX_QUEUED) {
        this.dropped++;
        return;
      }
      this.queue.push({ data: new Uint8Array(data), host: info.address, port: info.port });
      this.wake();
    });
    socket.on('error', () => {});
  }

  static bind(host: string, port: number): Promise<UdpSocketResource> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: host, port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve(new UdpSocketResource(socket));
      });
    });
  }

  get family(): 4 | 6 {
    return this.socket.address().family === 'IPv6' ? 6 : 4;
  }

  localAddress(): string {
    const a = this.socket.address();
    return formatSocketAddress(a.address, a.port);
  }

  take(): Datagram | null {
    return this.queue.shift() ?? null;
  }

  ready(): boolean {
    return this.queue.length > 0 || this.closed;
  }

  async wait(signal: AbortSignal): Promise<void> {
    await this.changes.until(() => this.ready(), signal);
  }

  send(data: Uint8Array, host?: string, port?: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const cb = (err: Error | null, bytes: number) => (err ? reject(err) : resolve(bytes));
      if (host === undefined || port === undefined) this.socket.send(data, cb);
      else this.socket.send(data, port, host, cb);
    });
  }

  connect(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.connect(port, host, () => {
        this.socket.off('error', reject);
        this.connectedTo = formatSocketAddress(host, port);
        resolve();
      });
    });
  }

  disconnect(): void {
    if (this.connectedTo === null) return;
    this.socket.disconnect();
    this.connectedTo = null;
  }

  dispose(): void {
    this.closed = true;
    this.queue = [];
    this.wake();
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  private wake(): void {
    this.changes.notify();
  }
}
