import { randomUUID } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { AstridError, isAstridError } from '../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import { routeMatches } from '../../core/topics/route-matcher.js';
import { checkPublishTopic, checkSubscribePattern } from '../../core/topics/topic-syntax.js';
import { ipcEvent } from '../../events/astrid-event.js';
import { AUDIT_TOPIC } from '../../events/audit-topic.js';
import type { BusTransport, RoutedSubscription } from '../../events/bus-transport.js';
import {
  decodeIpcMessage,
  encodeIpcMessage,
  type IpcMessage,
  ipcMessage,
} from '../../events/ipc-message.js';
import { rawJson, rawJsonBody } from '../../events/ipc-payload.js';
import { isJsonObject, type JsonObject } from '../../events/json.js';
import { encodeFrame, FrameDecoder, parseFrame } from '../../events/wire/frame-codec.js';
import { judgeHandshake, MAX_HANDSHAKE_BYTES } from '../../events/wire/handshake.js';
import { ADMIN_PREFIX, ADMIN_RESPONSE_PREFIX } from '../admin/admin-router.js';
import { CONNECT_TOPIC, DISCONNECT_TOPIC } from '../connections/connection-event.js';
import { REQUEST_PREFIX, RESPONSE_PREFIX } from '../requests/kernel-router.js';
import { isKernelReservedTopic } from './reserved-topics.js';

/**
 * The largest frame a client may send: 16 MiB, so that `astrid-emit` can
 * carry the 10 MiB of hook input the spec allows plus its JSON envelope.
 */
export const MAX_CLIENT_FRAME = 16 * 1024 * 1024;
export const HANDSHAKE_TIMEOUT_MS = 5000;
export const MAX_CONNECTIONS = 256;
export const MAX_PENDING_PER_CONNECTION = 10_000;
/** A client that lets this much output pile up is disconnected. */
export const MAX_CLIENT_BACKLOG = 64 * 1024 * 1024;
export const SOCKET_ERROR_TOPIC = 'astrid.v1.socket.error';
/** Client → server control: `{pattern}` to start or stop receiving a topic pattern. */
export const SOCKET_SUBSCRIBE_TOPIC = 'astrid.v1.socket.subscribe';
export const SOCKET_UNSUBSCRIBE_TOPIC = 'astrid.v1.socket.unsubscribe';
/** Server → client: the subscription is active (`{pattern, scope}`). */
export const SOCKET_SUBSCRIBED_TOPIC = 'astrid.v1.socket.subscribed';
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 32;
/** Broadcasts every connected client receives. */
const BROADCAST_TOPICS = ['astrid.v1.capsules_loaded'];

interface Connection {
  readonly id: string;
  readonly socket: Socket;
  readonly principal: PrincipalId;
  readonly pendingAdmin: Set<string>;
  /** Outstanding kernel requests by response topic (FIFO per topic). */
  readonly pendingKernel: Map<string, number>;
  /** Topic patterns the client asked to receive. */
  readonly subscriptions: Map<string, RoutedSubscription>;
}

export interface SocketServerInit {
  readonly bus: BusTransport;
  readonly token: string;
  readonly serverVersion: string;
  readonly sessionId: string;
  readonly logger: Logger;
  /** Whether a principal may read everyone's audit feed (`audit:read_all`); otherwise it sees its own rows. */
  readonly auditFirehose: (principal: PrincipalId) => boolean;
}

/**
 * The daemon's Unix socket: authenticated clients (session token; the socket
 * and its directory are owner-only, so only the owner's processes reach it)
 * publish IPC messages onto the bus and receive the answers to their own
 * requests plus kernel broadcasts — never another client's answers.
 */
export class SocketServer {
  private readonly init: SocketServerInit;
  private readonly logger: Logger;
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly adminOwners = new Map<string, Connection>();
  private readonly kernelOwners = new Map<string, Connection[]>();
  private subs: RoutedSubscription[] = [];
  private loops: Promise<void>[] = [];
  private handshaking = 0;

  constructor(init: SocketServerInit) {
    this.init = init;
    this.logger = init.logger.child({ component: 'socket' });
  }

  async listen(path: string): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(path, 0o600);
    server.on('error', (e) => this.logger.error({ err: e.message }, 'socket server error'));
    this.server = server;
    this.route(`${ADMIN_RESPONSE_PREFIX}*`, (m) => this.deliverAdmin(m));
    this.route(`${RESPONSE_PREFIX}*`, (m) => this.deliverKernel(m));
    for (const topic of BROADCAST_TOPICS) this.route(topic, (m) => this.broadcast(m));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const sub of this.subs) sub.close();
    await Promise.all(this.loops);
    for (const conn of [...this.connections]) conn.socket.destroy();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private route(pattern: string, deliver: (m: IpcMessage) => void): void {
    const sub = this.init.bus.subscribeRouted({
      capsuleUuid: this.init.sessionId,
      pattern,
      capsuleLabel: 'kernel',
      label: 'socket_server',
      budgetBytes: 64 * 1024 * 1024,
      maxQueueMessages: 16_384,
    });
    this.subs.push(sub);
    this.loops.push(
      (async () => {
        while (!sub.closed) for (const m of await sub.recvBatch(64 * 1024 * 1024)) deliver(m);
      })(),
    );
  }

  private accept(socket: Socket): void {
    if (this.connections.size + this.handshaking >= MAX_CONNECTIONS) {
      socket.end(
        encodeFrame({
          status: 'error',
          protocol_version: 1,
          server_version: this.init.serverVersion,
          reason: 'too many connections',
        }),
      );
      return;
    }
    this.handshaking++;
    const decoder = new FrameDecoder(MAX_HANDSHAKE_BYTES);
    let conn: Connection | null = null;
    let handshaking = true;
    const endHandshake = () => {
      if (!handshaking) return;
      handshaking = false;
      clearTimeout(timer);
      this.handshaking--;
    };
    const timer = setTimeout(() => {
      this.logger.warn('client did not complete the handshake in time');
      socket.destroy();
    }, HANDSHAKE_TIMEOUT_MS);

    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      try {
        for (
          let frame = decoder.next();
          frame !== null && !socket.destroyed;
          frame = decoder.next()
        ) {
          if (conn !== null) {
            this.onFrame(conn, frame);
            continue;
          }
          endHandshake();
          const verdict = judgeHandshake(
            parseFrame(frame),
            this.init.token,
            this.init.serverVersion,
          );
          socket.write(encodeFrame(verdict.response));
          if (!verdict.ok) {
            this.logger.warn(
              { security_event: true, reason: verdict.response.reason },
              'socket handshake refused',
            );
            socket.end();
            return;
          }
          conn = {
            id: randomUUID(),
            socket,
            principal: verdict.principal,
            pendingAdmin: new Set(),
            pendingKernel: new Map(),
            subscriptions: new Map(),
          };
          this.connections.add(conn);
          decoder.maxFrame = MAX_CLIENT_FRAME;
          this.publish(
            ipcMessage({
              topic: CONNECT_TOPIC,
              payload: { type: 'connect' },
              sourceId: conn.id,
              principal: conn.principal,
            }),
          );
        }
      } catch (e) {
        this.logger.warn(
          { err: (e as Error).message },
          'dropping a client that sent an oversized frame',
        );
        socket.destroy();
      }
    });
    socket.on('error', (e) => this.logger.debug({ err: e.message }, 'client socket error'));
    socket.on('close', () => {
      endHandshake();
      if (conn === null) return;
      this.forget(conn);
      this.publish(
        ipcMessage({
          topic: DISCONNECT_TOPIC,
          payload: { type: 'disconnect', reason: 'connection closed' },
          sourceId: conn.id,
          principal: conn.principal,
        }),
      );
    });
  }

  private forget(conn: Connection): void {
    this.connections.delete(conn);
    for (const sub of conn.subscriptions.values()) sub.close();
    conn.subscriptions.clear();
    for (const id of conn.pendingAdmin) this.adminOwners.delete(id);
    for (const topic of conn.pendingKernel.keys()) {
      const owners = (this.kernelOwners.get(topic) ?? []).filter((c) => c !== conn);
      if (owners.length === 0) this.kernelOwners.delete(topic);
      else this.kernelOwners.set(topic, owners);
    }
  }

  private onFrame(conn: Connection, frame: Buffer): void {
    try {
      this.inbound(conn, parseFrame(frame));
    } catch (e) {
      this.logger.error({ err: (e as Error).message }, 'socket inbound failed');
    }
  }

  private inbound(conn: Connection, json: unknown): void {
    if (!isJsonObject(json)) {
      this.sendError(
        conn,
        null,
        new AstridError('invalid-input', 'a frame must be a JSON IPC message object'),
      );
      return;
    }
    let message: IpcMessage;
    try {
      message = decodeIpcMessage({ source_id: conn.id, ...json, principal_claimed: undefined });
    } catch (e) {
      this.sendError(conn, json, e);
      return;
    }
    if (message.topic === SOCKET_SUBSCRIBE_TOPIC || message.topic === SOCKET_UNSUBSCRIBE_TOPIC) {
      this.control(conn, message, json);
      return;
    }
    const topicCheck = checkPublishTopic(message.topic);
    if (!topicCheck.ok) {
      this.sendError(conn, json, topicCheck.error);
      return;
    }
    if (isKernelReservedTopic(message.topic)) {
      this.sendError(
        conn,
        json,
        new AstridError('capability-denied', `topic ${message.topic} is reserved for the kernel`),
      );
      return;
    }
    let principal = conn.principal;
    if (message.principal !== null) {
      const checked = checkPrincipalId(message.principal);
      if (!checked.ok) {
        this.sendError(
          conn,
          json,
          new AstridError(
            'invalid-input',
            `the message's principal is invalid: ${checked.error.message}`,
          ),
        );
        return;
      }
      principal = checked.value;
    }
    if (message.topic.startsWith(ADMIN_PREFIX)) {
      const body = rawJsonBody(message.payload);
      const requestId =
        isJsonObject(body) && typeof body.request_id === 'string' ? body.request_id : null;
      if (requestId === null) {
        this.sendError(
          conn,
          json,
          new AstridError(
            'invalid-input',
            'admin requests over the socket need a string request_id',
          ),
        );
        return;
      }
      if (this.adminOwners.has(requestId)) {
        this.sendError(
          conn,
          json,
          new AstridError('conflict', `request_id ${requestId} is already in flight`),
        );
        return;
      }
      if (conn.pendingAdmin.size >= MAX_PENDING_PER_CONNECTION) {
        this.sendError(
          conn,
          json,
          new AstridError('rate-limited', 'too many admin requests in flight on this connection'),
        );
        return;
      }
      conn.pendingAdmin.add(requestId);
      this.adminOwners.set(requestId, conn);
    } else if (message.topic.startsWith(REQUEST_PREFIX)) {
      const topic = `${RESPONSE_PREFIX}${message.topic.slice(REQUEST_PREFIX.length)}`;
      const count = conn.pendingKernel.get(topic) ?? 0;
      if (count >= MAX_PENDING_PER_CONNECTION) {
        this.sendError(
          conn,
          json,
          new AstridError('rate-limited', 'too many kernel requests in flight on this connection'),
        );
        return;
      }
      conn.pendingKernel.set(topic, count + 1);
      const owners = this.kernelOwners.get(topic) ?? [];
      owners.push(conn);
      this.kernelOwners.set(topic, owners);
    }
    this.publish({ ...message, principal, claimed: false, seq: 0 });
  }

  /**
   * Subscribes the connection to a topic pattern (route matcher, trailing
   * `*` for any depth). The audit feed is scoped to the connection's
   * principal unless it holds `audit:read_all`.
   */
  private control(conn: Connection, message: IpcMessage, frame: JsonObject): void {
    const body = rawJsonBody(message.payload);
    const pattern = isJsonObject(body) && typeof body.pattern === 'string' ? body.pattern : null;
    if (pattern === null) {
      this.sendError(
        conn,
        frame,
        new AstridError('invalid-input', `${message.topic} needs {"pattern": "<topic pattern>"}`),
      );
      return;
    }
    if (message.topic === SOCKET_UNSUBSCRIBE_TOPIC) {
      conn.subscriptions.get(pattern)?.close();
      conn.subscriptions.delete(pattern);
      return;
    }
    const refuse = (code: string, text: string) =>
      this.send(
        conn,
        ipcMessage({
          topic: SOCKET_ERROR_TOPIC,
          payload: rawJson({ code, message: text, topic: message.topic, pattern }),
          sourceId: this.init.sessionId,
        }),
      );
    const checked = checkSubscribePattern(pattern);
    if (!checked.ok) {
      refuse(checked.error.code, checked.error.message);
      return;
    }
    if (
      conn.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION &&
      !conn.subscriptions.has(pattern)
    ) {
      refuse(
        'quota-exceeded',
        `at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`,
      );
      return;
    }
    const scoped = routeMatches(pattern, AUDIT_TOPIC) && !this.init.auditFirehose(conn.principal);
    conn.subscriptions.get(pattern)?.close();
    const sub = this.init.bus.subscribeRouted({
      capsuleUuid: conn.id,
      pattern,
      capsuleLabel: 'socket',
      label: 'socket_client',
      ...(scoped ? { scope: { principal: conn.principal } } : {}),
    });
    conn.subscriptions.set(pattern, sub);
    void (async () => {
      // Answers go only to the connection that asked (deliverAdmin /
      // deliverKernel); a wide pattern such as `astrid.v1.*` must not see
      // another client's answers (an issued invite token, for one).
      while (!sub.closed)
        for (const m of await sub.recvBatch()) if (!isAnswerTopic(m.topic)) this.send(conn, m);
    })();
    this.send(
      conn,
      ipcMessage({
        topic: SOCKET_SUBSCRIBED_TOPIC,
        payload: rawJson({ pattern, scope: scoped ? conn.principal : 'all' }),
        sourceId: this.init.sessionId,
      }),
    );
  }

  private deliverAdmin(m: IpcMessage): void {
    const body = rawJsonBody(m.payload);
    const requestId =
      isJsonObject(body) && typeof body.request_id === 'string' ? body.request_id : null;
    if (requestId === null) return;
    const conn = this.adminOwners.get(requestId);
    if (conn === undefined) return;
    this.adminOwners.delete(requestId);
    conn.pendingAdmin.delete(requestId);
    this.send(conn, m);
  }

  private deliverKernel(m: IpcMessage): void {
    const owners = this.kernelOwners.get(m.topic);
    const conn = owners?.shift();
    if (conn === undefined) return;
    if (owners !== undefined && owners.length === 0) this.kernelOwners.delete(m.topic);
    const count = (conn.pendingKernel.get(m.topic) ?? 1) - 1;
    if (count <= 0) conn.pendingKernel.delete(m.topic);
    else conn.pendingKernel.set(m.topic, count);
    this.send(conn, m);
  }

  private broadcast(m: IpcMessage): void {
    for (const conn of this.connections) this.send(conn, m);
  }

  private send(conn: Connection, m: IpcMessage): void {
    if (conn.socket.destroyed) return;
    if (conn.socket.writableLength > MAX_CLIENT_BACKLOG) {
      this.logger.warn(
        { principal: conn.principal },
        'disconnecting a client that stopped reading',
      );
      conn.socket.destroy();
      return;
    }
    conn.socket.write(encodeFrame(encodeIpcMessage(m)));
  }

  /**
   * Tells the client what was wrong with a frame. A rejected admin or kernel
   * request is answered on its own response topic too, so a client waiting
   * for that answer fails at once instead of timing out.
   */
  private sendError(conn: Connection, frame: JsonObject | null, e: unknown): void {
    const code = isAstridError(e) ? e.code : 'invalid-input';
    const text = e instanceof Error ? e.message : String(e);
    const topic = frame !== null && typeof frame.topic === 'string' ? frame.topic : null;
    const payload = frame !== null && isJsonObject(frame.payload) ? frame.payload : null;
    const inner = payload === null ? null : isJsonObject(payload.value) ? payload.value : payload;
    const requestId =
      inner !== null && typeof inner.request_id === 'string' ? inner.request_id : undefined;
    if (
      topic?.startsWith(ADMIN_PREFIX) &&
      !topic.startsWith(ADMIN_RESPONSE_PREFIX) &&
      requestId !== undefined
    ) {
      this.send(
        conn,
        ipcMessage({
          topic: `${ADMIN_RESPONSE_PREFIX}${topic.slice(ADMIN_PREFIX.length)}`,
          payload: rawJson({ request_id: requestId, status: 'Error', data: text, code }),
          sourceId: this.init.sessionId,
        }),
      );
    } else if (topic?.startsWith(REQUEST_PREFIX)) {
      this.send(
        conn,
        ipcMessage({
          topic: `${RESPONSE_PREFIX}${topic.slice(REQUEST_PREFIX.length)}`,
          payload: rawJson({ status: 'Error', data: text, code }),
          sourceId: this.init.sessionId,
        }),
      );
    }
    this.send(
      conn,
      ipcMessage({
        topic: SOCKET_ERROR_TOPIC,
        payload: rawJson({
          code,
          message: text,
          topic,
          ...(requestId === undefined ? {} : { request_id: requestId }),
        }),
        sourceId: this.init.sessionId,
      }),
    );
  }

  private publish(message: IpcMessage): void {
    this.init.bus.publish(ipcEvent(message, 'socket', this.init.sessionId));
  }
}

/** Kernel and admin answers, which are routed to their requester only. Pure. */
export function isAnswerTopic(topic: string): boolean {
  return topic.startsWith(ADMIN_RESPONSE_PREFIX) || topic.startsWith(RESPONSE_PREFIX);
}
