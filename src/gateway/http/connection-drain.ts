import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';

/** How often a draining server closes connections that have nothing in flight. */
export const DRAIN_SWEEP_MS = 100;

interface Connection {
  readonly socket: Socket;
  inFlight: number;
}

/** A TCP connection's peer, the same for the raw socket and a TLS socket wrapping it. */
function peerKey(socket: Socket): string | null {
  const { remoteAddress, remotePort } = socket;
  return remoteAddress === undefined || remotePort === undefined
    ? null
    : `${remoteAddress}|${remotePort}`;
}

/**
 * Tracks the server's TCP connections and how many responses each has in
 * flight, so a shutdown can close every connection that is not serving a
 * request — including the ones Node's own `closeIdleConnections` leaves
 * open: a connection accepted but never sent a byte (or still in its TLS
 * handshake), and a kept-alive one whose response finished after the sweep.
 * Requests are matched to connections by peer address and port, which the
 * raw socket and its TLS wrapper share.
 */
export class ConnectionDrain {
  private readonly connections = new Map<string, Connection>();

  constructor(server: HttpServer) {
    // For TLS servers too, `connection` carries the raw TCP socket.
    server.on('connection', (socket: Socket) => {
      const key = peerKey(socket);
      if (key === null) return;
      const connection: Connection = { socket, inFlight: 0 };
      this.connections.set(key, connection);
      socket.once('close', () => {
        if (this.connections.get(key) === connection) this.connections.delete(key);
      });
    });
    server.on('request', (req, res) => {
      const key = peerKey(req.socket);
      const connection = key === null ? undefined : this.connections.get(key);
      if (connection === undefined) return;
      connection.inFlight += 1;
      res.once('close', () => {
        connection.inFlight -= 1;
      });
    });
  }

  /** Destroys every connection with no response in flight; returns how many. */
  closeIdle(): number {
    let closed = 0;
    for (const connection of this.connections.values()) {
      if (connection.inFlight > 0) continue;
      connection.socket.destroy();
      closed += 1;
    }
    return closed;
  }

  /** Destroys every connection (the end of the drain). */
  closeAll(): void {
    for (const connection of this.connections.values()) connection.socket.destroy();
  }

  get open(): number {
    return this.connections.size;
  }
}
