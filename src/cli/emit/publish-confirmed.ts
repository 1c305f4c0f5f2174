import { randomUUID } from 'node:crypto';
import { AstridError, type ErrorCode, isErrorCode } from '../../core/errors.js';
import type { IpcMessage } from '../../events/ipc-message.js';
import { rawJsonBody } from '../../events/ipc-payload.js';
import { isJsonObject, type Json } from '../../events/json.js';
import type { SocketConnection } from '../../kernel/clients/socket-connection.js';
import {
  MAX_CLIENT_FRAME,
  SOCKET_ERROR_TOPIC,
  SOCKET_SUBSCRIBE_TOPIC,
  SOCKET_SUBSCRIBED_TOPIC,
  SOCKET_UNSUBSCRIBE_TOPIC,
} from '../../kernel/socket/socket-server.js';

export const PUBLISH_CONFIRM_TIMEOUT_MS = 10_000;

/** A message the daemon refused (reserved topic, bad payload, …): its code and reason. */
export class PublishRefused extends AstridError {
  readonly topic: string;
  readonly reason: string;

  constructor(code: ErrorCode, topic: string, reason: string) {
    super(code, `kernel rejected publish on ${topic}: ${reason}`);
    this.topic = topic;
    this.reason = reason;
  }
}

/** A wire IPC message as a client sends it. */
export interface OutgoingMessage {
  readonly topic: string;
  /** Any JSON body; sent as `{"type":"raw_json","value":<body>}`. */
  readonly body: Json;
  readonly sourceId?: string;
  readonly principal?: string;
}

/** The frame a client sends for `message`. Pure. */
export function wireMessage(message: OutgoingMessage): Record<string, unknown> {
  return {
    topic: message.topic,
    payload: { type: 'raw_json', value: message.body },
    ...(message.sourceId === undefined ? {} : { source_id: message.sourceId }),
    ...(message.principal === undefined ? {} : { principal: message.principal }),
  };
}

/**
 * Publishes one message and waits until the daemon has judged it. A publish
 * that is accepted gets no answer, and one that is refused is answered on
 * `astrid.v1.socket.error`; so the message is followed by a subscribe to a
 * fresh pattern nobody publishes on. The daemon handles a connection's frames
 * in order, so once that subscription is confirmed any refusal of the
 * message has already arrived. Rejects with `PublishRefused`, or with
 * `unavailable`/`timeout` when the connection ends or the daemon is silent.
 */
export function publishConfirmed(
  conn: SocketConnection,
  message: OutgoingMessage,
  timeoutMs = PUBLISH_CONFIRM_TIMEOUT_MS,
): Promise<void> {
  const frame = wireMessage(message);
  const bytes = Buffer.byteLength(JSON.stringify(frame), 'utf8') + 4;
  if (bytes > MAX_CLIENT_FRAME) {
    return Promise.reject(
      new AstridError(
        'too-large',
        `the message is ${bytes} bytes; the daemon accepts frames up to ${MAX_CLIENT_FRAME} bytes`,
      ),
    );
  }
  const barrier = `astrid.v1.socket.barrier.${randomUUID().replaceAll('-', '')}`;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let refusal: PublishRefused | null = null;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === null) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () =>
        finish(
          new AstridError(
            'timeout',
            `the daemon did not confirm the publish on ${message.topic} within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
    conn.onClose(() =>
      finish(
        new AstridError(
          'unavailable',
          `the daemon closed the connection before confirming the publish on ${message.topic}`,
        ),
      ),
    );
    conn.onMessage((m: IpcMessage) => {
      if (settled) return;
      const body = rawJsonBody(m.payload);
      if (!isJsonObject(body)) return;
      if (m.topic === SOCKET_ERROR_TOPIC) {
        if (body.pattern === barrier) {
          finish(
            new AstridError('internal', `publish confirmation failed: ${String(body.message)}`),
          );
        } else if (body.topic === message.topic && refusal === null) {
          const code = isErrorCode(body.code) ? body.code : 'invalid-input';
          refusal = new PublishRefused(code, message.topic, String(body.message));
        }
      } else if (m.topic === SOCKET_SUBSCRIBED_TOPIC && body.pattern === barrier) {
        try {
          conn.send({
            topic: SOCKET_UNSUBSCRIBE_TOPIC,
            payload: { type: 'raw_json', pattern: barrier },
          });
        } catch {
          // The connection is closing anyway; the verdict is already known.
        }
        finish(refusal);
      }
    });
    try {
      conn.send(frame);
      conn.send({ topic: SOCKET_SUBSCRIBE_TOPIC, payload: { type: 'raw_json', pattern: barrier } });
    } catch (e) {
      finish(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
