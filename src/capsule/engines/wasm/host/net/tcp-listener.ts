import { createServer, type Server, type Socket } from 'node:net';
import { Notifier } from '../notifier.js';
import { formatSocketAddress } from './net-errors.js';

export const TCP_LISTENER_TYPE = 'astrid:net/host@1.0.0#TcpListener';
/** TCP listeners per instance. */
export const MAX_TCP_LISTENERS = 4;
const MAX_PENDING = 64;

/** The host side of a `tcp-listener`: a bound, listening TCP server and its waiting connections. */
export class TcpListenerResource {
  private readonly server: Server;
  private pending: Socket[] = [];
  private readonly changes = new Notifier();
  private closed = false;

  private constructor(server: Server) {
    this.server = server;
    server.on('connection', (socket) => {
      socket.on('error', () => {});
      if (this.closed || this.pending.length >= MAX_PENDING) {
        socket.destroy();
        return;
      }
      this.pending.push(socket);
      socket.once('close', () => {
        this.pending = this.pending.filter((s) => s !== socket);
      });
      this.wake();
    });
  }

  static listen(host: string, port: number): Promise<TcpListenerResource> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve(new TcpListenerResource(server));
      });
    });
  }

  localAddress(): string {
    const a = this.server.address();
    return a === null || typeof a === 'string' ? '' : formatSocketAddress(a.address, a.port);
  }

  ready(): boolean {
    return this.pending.length > 0 || this.closed;
  }

  async wait(signal: AbortSignal): Promise<void> {
    await this.changes.until(() => this.ready(), signal);
  }

  /** The next waiting connection, or null once the listener is closed. */
  async next(signal: AbortSignal): Promise<Socket | null> {
    for (;;) {
      await this.wait(signal);
      const socket = this.pending.shift();
      if (socket !== undefined) return socket;
      if (this.closed) return null;
    }
  }

  dispose(): void {
    this.closed = true;
    for (const s of this.pending.splice(0)) s.destroy();
    this.server.close();
    this.wake();
  }

  private wake(): void {
    this.changes.notify();
  }
}
