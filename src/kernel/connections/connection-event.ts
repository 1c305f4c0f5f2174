import { isPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import type { IpcMessage } from '../../events/ipc-message.js';
import { rawJsonBody } from '../../events/ipc-payload.js';
import { isJsonObject } from '../../events/json.js';

export const CONNECT_TOPIC = 'client.v1.connect';
export const DISCONNECT_TOPIC = 'client.v1.disconnect';

export type ConnectionEvent =
  | { readonly kind: 'opened'; readonly principal: PrincipalId }
  | { readonly kind: 'closed'; readonly principal: PrincipalId; readonly reason: string | null };

/**
 * Classifies a `client.v1.*` message: a typed `connect` / `disconnect`
 * payload wins over the topic; otherwise the topic decides. Messages without
 * a valid principal are not counted (null). Pure.
 */
export function classifyConnectionMessage(message: IpcMessage): ConnectionEvent | null {
  if (!isPrincipalId(message.principal)) return null;
  const principal = message.principal;
  const payload = message.payload;
  if (payload.type === 'disconnect')
    return { kind: 'closed', principal, reason: payload.reason ?? null };
  if (payload.type === 'connect') return { kind: 'opened', principal };
  if (message.topic === DISCONNECT_TOPIC) {
    const body = rawJsonBody(payload);
    const reason = isJsonObject(body) && typeof body.reason === 'string' ? body.reason : null;
    return { kind: 'closed', principal, reason };
  }
  if (message.topic === CONNECT_TOPIC) return { kind: 'opened', principal };
  return null;
}
